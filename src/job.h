/*
 * job: one run of one command, from the moment the scheduler makes it
 * until its output has been delivered and its log line written.  The
 * scheduler owns every job; an executor borrows a job from start() until
 * it hands it back through hooks.done().
 *
 * Every field below says who writes it and when.  "sched" is the
 * scheduler's thread, which also runs order, report and their hooks;
 * "exec" is the executor, which may write from its own thread or worker
 * (thread mode) while it holds the job, and publishes what it wrote
 * before done() is called on sched's thread.  Nothing but exec touches a
 * job's exec fields while it holds the job; sched reads them after
 * done().  The fields sched sets before start() are read-only for exec.
 */
#ifndef FANOUT_JOB_H
#define FANOUT_JOB_H

#include <stdint.h>
#include <sys/resource.h>
#include <sys/types.h>

#include "spool.h"
#include "util.h"

enum job_end {
	JOB_EXITED,		/* status holds the exit code */
	JOB_SIGNALED,		/* status holds the signal */
	JOB_SPAWN_FAILED,	/* spawn_err holds -errno; status 126/127 */
	JOB_LOST,		/* its supervising worker died */
};

/*
 * Where a job is in its life.  The scheduler alone changes it, through
 * job_set_state(), which allows only these transitions:
 *
 *	NEW		-> STARTING
 *	STARTING	-> RUNNING	exec took it
 *			-> PENDING	a shortage, on its first attempt
 *			-> RETRY_WAIT	a shortage, on a later attempt or
 *					while another job is pending
 *			-> FINISHED	order refused it (an output error)
 *	PENDING		-> STARTING	its back-off passed
 *			-> FINISHED	the run stops
 *	RUNNING		-> TERMINATING	time limit, halt, signal
 *			-> REAPED	exec handed it back (done())
 *	TERMINATING	-> REAPED
 *	REAPED		-> RETRY_WAIT	it failed and may run again, or
					--memfree ended it (evicted)
 *			-> FINISHED	it will not run again
 *	RETRY_WAIT	-> STARTING	its back-off passed
 *			-> FINISHED	the run stops
 *	FINISHED	-> DELIVERED	order wrote its output
 *
 * A job in NEW (skipped, or printed by --dry-run) or DELIVERED may be
 * freed; in any other state that is a bug.  How a job ended
 * (timed_out, killed) is a fact kept in fields of its own, not a state.
 */
enum job_state {
	JOB_NEW,		/* made from a record; never offered */
	JOB_STARTING,		/* has a slot; being handed to exec */
	JOB_PENDING,		/* first start met a shortage; waits */
	JOB_RUNNING,		/* exec holds it */
	JOB_TERMINATING,	/* exec holds it; termination sequence on */
	JOB_REAPED,		/* handed back by exec; being judged */
	JOB_RETRY_WAIT,		/* waits out a back-off to start again */
	JOB_FINISHED,		/* for good: order holds it until delivery */
	JOB_DELIVERED,		/* output out; reported, then freed */
};

struct job {
	/*
	 * Written by sched when it makes the job (job_new) or before each
	 * start() (job_prepare, start); read-only to everyone else.
	 */
	long		 seq;		/* {#}, from 1 in input order */
	long		 slot;		/* {%}, from 1 */
	int		 attempt;	/* from 1 */
	const char	*path;		/* program to execute */
	char		**argv;		/* NULL-terminated; may use line */
	char		**envp;		/* NULL-terminated */
	int		 live;		/* output goes through hooks.output */
	int		 ungroup;	/* stdout/stderr are fanout's own */
	char		*tag;		/* --tag/--tagstring prefix, or NULL */
	size_t		 tag_len;
	char		*res_name;	/* --results NAME expanded, or NULL */
	char		*args;		/* the values, length-prefixed */
	size_t		 nargs;
	size_t		 args_len;
	char		*strings;	/* owns argv's and envp's words */
	/* --pipe: the job's block, its stdin (-1: /dev/null); --cat's. */
	int		 in_fd;
	uint64_t	 in_bytes;
	char		*in_path;	/* --cat, --fifo: the file {} names */
	int		 in_borrowed;	/* in_fd is -S's, not the job's own */
	/*
	 * --fifo, and --pipepart's ranges: the block's file (in_fd is then
	 * -1 until the job starts; feed_shared: the input's, not to be
	 * closed), its bytes from feed_off after the input's feed_head
	 * (in_bytes in all), and while the job runs the
	 * feed writing it into the fifo in_path, or with in_fed into a
	 * pipe whose read end is then in_fd, the job's stdin, closed when
	 * the job ends (sched's thread only).  Under --round-robin no
	 * feed starts: the dealer writes the range, then the next ones.
	 */
	int		 feed_fd;
	int		 feed_shared;
	uint64_t	 feed_off;
	const char	*feed_head;
	size_t		 feed_head_len;
	int		 in_fed;
	struct feed	*feed;
	/*
	 * --round-robin: its id in the dealer once started (its in_fd is
	 * then its stdin's read end, which the dealer writes), else -1.
	 */
	long		 deal_id;
	/* --tee: its id in the tee writer once started (tee.h), else -1. */
	long		 tee_id;
	/* -S: the host it runs on (sched, before job_prepare). */
	int		 host;		/* its index; -1 when no -S */
	int		 pinned;	/* --onall: host is set for good */
	const char	*host_name;	/* the joblog's Host; NULL: ":" */
	/* sched, when first needed (job_line); then read by order, report. */
	char		*line;		/* the shell line, when built */

	/* Written by sched just before start(); read by exec and reports. */
	int64_t		 start_ns;	/* CLOCK_MONOTONIC */
	int64_t		 start_wall_ns;	/* CLOCK_REALTIME */

	/*
	 * The result: written by exec while it holds the job, final at
	 * done(); read by sched, order and reports after it.
	 */
	pid_t		 pid;
	int64_t		 end_ns;
	enum job_end	 end;
	int		 status;
	int		 spawn_err;
	struct rusage	 ru;
	uint64_t	 out_bytes, err_bytes;	/* sched zeroes on a retry */
	/*
	 * Held output.  When !live, exec appends while it holds the job;
	 * when live, order appends (a partial line, or -k output of a job
	 * not at the head) on sched's thread.  After done(), sched (a spawn
	 * failure's message) and order; order empties them.
	 */
	struct spool	 out, err;
	void		*priv;		/* exec's own, while it holds the job */

	/* sched's bookkeeping: sched's thread only. */
	enum job_state	 state;		/* job_set_state() only */
	struct job	*next;		/* in whichever sched list holds it */
	int64_t		 deadline_ns;	/* next timer, 0 = none */
	int64_t		 limit_ns;	/* its time limit, 0 = none */
	int		 term_step;	/* next termination sequence step */
	/* Facts, sticky until a retry clears timed_out. */
	int		 timed_out;	/* its time limit ended it */
	int		 killed;	/* ended by fanout (halt, signal); also
					   set by order when told to discard */
	/*
	 * --memfree ended it to run again: set when fanout ends it, until
	 * it starts again (it waits in the retry list meanwhile).  Neither
	 * a failure nor an attempt.
	 */
	int		 evicted;

	/* order's: sched's thread only. */
	struct job	*order_next;	/* -k queue */
	int		 bol[2];	/* output at the start of a line */
	int		 announced;	/* -v: its command was written */
};

struct arg;
struct args;
struct config;
struct remote;
struct tmpl;

/*
 * What building jobs needs: the compiled templates, the shell, the
 * environment every job inherits, and buffers reused from job to job.
 * Set up once by job_maker_init(); then the scheduler's thread only.
 */
struct job_maker {
	const struct tmpl	*tmpl;
	const struct tmpl	*tagtmpl;	/* --tagstring, or NULL */
	const struct tmpl	*restmpl;	/* --results NAME's, or NULL */
	const char		*shell;
	struct remote		*remote;	/* -S, or NULL */
	struct tmpl		**sends;	/* --transferfile, compiled */
	size_t			 nsends;
	struct tmpl		**returns;	/* --return, compiled */
	size_t			 nreturns;
	int			 tag;		/* --tag */
	int			 want_line;	/* something reports the line */
	long			 total;		/* {##}; -1 unknown */
	const char		*slot_var;	/* set to the slot - 1 */
	char			**env;		/* environ minus job_vars */
	size_t			 nenv;
	struct buf		 scratch;	/* job_prepare's */
	struct buf		 linebuf;	/* job_line's */
	struct arg		*argv_view;	/* a job's args, to expand */
	size_t			 argv_view_cap;
};

/* tagtmpl may be NULL; total is {##}, -1 when unknown. */
void	job_maker_init(struct job_maker *, const struct config *,
	    const struct tmpl *tmpl, const struct tmpl *tagtmpl, long total);
void	job_maker_free(struct job_maker *);

/* A new job numbered seq from an argument list, in JOB_NEW. */
struct job *job_new(struct job_maker *, const struct args *, long seq);
/* A new job with job's values, numbered seq: --onall's, for a host. */
struct job *job_clone(struct job_maker *, const struct job *, long seq);
/* Free a job in JOB_NEW or JOB_DELIVERED; BUG() in any other state. */
void	job_free(struct job *);
/*
 * The job's values in turn: *at NULL gives the first, each call moves
 * *at to the next.  Call it job->nargs times.
 */
const char *job_value(const struct job *, const char **at, size_t *len);
/*
 * Build the job's argv and environment (and --tagstring tag, and
 * --results name) for its slot and attempt, replacing any built for an earlier attempt; a
 * --pipe block is read again from its start.
 */
void	job_prepare(struct job_maker *, struct job *);
/* The job's shell line, built when first needed; owned by the job. */
const char *job_line(struct job_maker *, struct job *);

/* Move the job to state; BUG() on a transition the table forbids. */
void	job_set_state(struct job *, enum job_state);
/* The state's name, for messages. */
const char *job_state_name(enum job_state);

/* Append the message for a job that could not be spawned to m. */
void	job_spawn_message(const struct job *, struct buf *m);

/* The shell-style exit status: code, 128 + signal, or 126/127. */
int	job_exit_status(const struct job *);
/* Whether the job failed (non-zero status, signal, spawn error, lost). */
int	job_failed(const struct job *);

#endif
