/*
 * job: one run of one command, from the moment the scheduler makes it
 * until its output has been delivered and its log line written.  The
 * scheduler owns every job; an executor borrows a job from start() until
 * it hands it back through hooks.done().
 *
 * Fields are grouped by who writes them.  The executor writes only the
 * "result" fields, and only while it holds the job; the scheduler's
 * thread reads them after done().
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

struct job {
	/* Set by the scheduler before start(); read-only afterwards. */
	long		 seq;		/* {#}, from 1 in input order */
	long		 slot;		/* {%}, from 1 */
	int		 attempt;	/* from 1 */
	const char	*path;		/* program to execute */
	char		**argv;		/* NULL-terminated */
	char		**envp;		/* NULL-terminated */
	int		 live;		/* output goes through hooks.output */
	int		 ungroup;	/* stdout/stderr are fanout's own */
	char		*tag;		/* --tag/--tagstring prefix, or NULL */
	size_t		 tag_len;
	char		*args;		/* the values, length-prefixed */
	size_t		 nargs;
	size_t		 args_len;

	int64_t		 start_ns;	/* CLOCK_MONOTONIC, at start() */
	int64_t		 start_wall_ns;	/* CLOCK_REALTIME, at start() */

	/* The result, written by the executor. */
	pid_t		 pid;
	int64_t		 end_ns;
	enum job_end	 end;
	int		 status;
	int		 spawn_err;
	struct rusage	 ru;
	struct spool	 out, err;	/* held output (when !live) */
	uint64_t	 out_bytes, err_bytes;

	/* The scheduler's bookkeeping. */
	struct job	*next;		/* in whichever list holds it */
	int64_t		 deadline_ns;	/* next timer, 0 = none */
	int64_t		 limit_ns;	/* its --timeout, 0 = none */
	int		 term_step;	/* index in the termination sequence */
	int		 timed_out;
	int		 killed;	/* ended by fanout (halt, signal) */
	int		 running;
	char		*line;		/* the shell line, when built */
	struct job	*order_next;	/* keep-order queue */
	int		 finished;	/* ended for good (no more retries) */
	int		 queued;	/* order_started() was called */
	int		 bol[2];	/* output at the start of a line */
	int		 announced;	/* -v: its command was written */
	char		*strings;	/* owns argv's and envp's words */

	void		*priv;		/* the executor's own */
};

struct arg;
struct args;
struct config;
struct tmpl;

/*
 * What building jobs needs: the compiled templates, the shell, the
 * environment every job inherits, and buffers reused from job to job.
 * Set up once by job_maker_init(); then the scheduler's thread only.
 */
struct job_maker {
	const struct tmpl	*tmpl;
	const struct tmpl	*tagtmpl;	/* --tagstring, or NULL */
	const char		*shell;
	int			 tag;		/* --tag */
	int			 want_line;	/* something reports the line */
	long			 total;		/* {##}; -1 unknown */
	char			**env;		/* environ without our variables */
	size_t			 nenv;
	struct buf		 scratch;	/* job_prepare's */
	struct buf		 linebuf;	/* job_line's */
	struct arg		*argv_view;	/* a job's args, for expansion */
	size_t			 argv_view_cap;
};

/* tagtmpl may be NULL; total is {##}, -1 when unknown. */
void	job_maker_init(struct job_maker *, const struct config *,
	    const struct tmpl *tmpl, const struct tmpl *tagtmpl, long total);
void	job_maker_free(struct job_maker *);

/* A new job numbered seq from an argument list; copies the values. */
struct job *job_new(struct job_maker *, const struct args *, long seq);
void	job_free(struct job *);
/*
 * Build the job's argv and environment (and --tagstring tag) for its
 * slot and attempt, replacing any built for an earlier attempt.
 */
void	job_prepare(struct job_maker *, struct job *);
/* The job's shell line, built when first needed; owned by the job. */
const char *job_line(struct job_maker *, struct job *);

/* The shell-style exit status: code, 128 + signal, or 126/127. */
int	job_exit_status(const struct job *);
/* Whether the job failed (non-zero status, signal, spawn error, lost). */
int	job_failed(const struct job *);

#endif
