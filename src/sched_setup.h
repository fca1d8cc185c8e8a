/*
 * sched_setup: the scheduler's state, shared by the loop (sched.c), its
 * helpers (sched_*.c) and its setup (sched_setup.c) alone; the rest of
 * fanout sees sched.h.
 */
#ifndef FANOUT_SCHED_SETUP_H
#define FANOUT_SCHED_SETUP_H

#include "budget.h"
#include "job.h"
#include "policy.h"
#include "report.h"
#include "res.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/*
 * --round-robin: descriptors a job holds beyond its engine's, its stdin
 * write end, the block being written, one block queued (--tee: its stdin
 * write end alone, counted the same).
 */
#define DEAL_FDS	3
/*
 * A fed job's (--fifo, and --pipepart's ranges: see input.h), beyond
 * its engine's: its block's temp file (a range shares the input's
 * file), its feed's stop pipe, and its stdin pipe or its fifo.
 */
#define FEED_FDS	5
/*
 * A --pipe job's block in a temp file of its own (not --round-robin's,
 * dealt from the dealer's, nor --pipepart's ranges, in the input's
 * file): held from its start until its output is delivered, so a
 * finished job -k holds keeps it too (--fifo's is in FEED_FDS while it
 * runs).
 */
#define BLOCK_FDS	1

/* What --tee's writer was told (sched.tee_told). */
#define TEE_TOLD_GO	1
#define TEE_TOLD_END	2

struct config;
struct deal;
struct tee;
struct exec;
struct exec_hooks;
struct exec_ops;
struct input;
struct order;
struct order_hooks;
struct remote;
struct tmpl;

/*
 * The process group of a job that was being ended when its leader
 * exited, and still has members: the termination sequence goes on
 * against the group alone, from step, until the group is empty.
 */
struct linger {
	pid_t		 pgid;
	int		 step;		/* next termination sequence step */
	int64_t		 deadline_ns;	/* when to take it */
	struct linger	*next;
};

enum stop {
	RUNNING,		/* starting jobs */
	DRAINING,		/* no new jobs; running ones finish (HUP, halt soon) */
	ENDING,			/* no new jobs; running ones are being ended */
};

struct sched {
	const struct config	*cfg;
	const struct exec_ops	*ops;
	struct exec		*exec;
	struct input		*input;
	struct tmpl		*tmpl;
	struct tmpl		*tagtmpl;	/* --tagstring */
	struct tmpl		*restmpl;	/* --results NAME's, if any */
	struct remote		*remote;	/* -S, or NULL */
	int			 hosts_gone;	/* -S: every host failed */
	/*
	 * --onall: the job whose copies go to the hosts after the first
	 * (never started itself), and the next host; the copies whose host
	 * has no free slot yet, in order, at most slots of them.
	 */
	struct job		*onall;
	size_t			 onall_host;
	struct job		*parked;
	long			 nparked;
	struct buf		 hosts_line;	/* --progress's per host */
	struct budget_args	 xcount;	/* -s */
	struct order		*order;
	struct report		*report;
	struct run_stats	 st;

	long		 seq;		/* last sequence number given */
	int		 eof;
	/*
	 * Made, not yet started: after a shortage (PENDING), or held back
	 * by --load or --memfree before its first start (still NEW).
	 */
	struct job	*pending;
	struct job	*running;	/* list through next */
	struct job	*retry;		/* waiting to run again, by time */
	struct linger	*linger;	/* ended jobs' groups still alive */
	long		*free_slots;	/* stack of free slot numbers */
	long		 nfree;
	long		 slots_max;	/* free_slots' size: what the limits fit */
	long		 slots;		/* jobs at once now: -j, or -j FILE's */
	int		 jobs_warned;	/* -j FILE: bad, or too many, said once */
	size_t		 hold_max;	/* -k back-pressure */
	struct res	 res;		/* --load, --memfree */
	int		 res_warned;	/* a source failed mid-run, said once */

	enum stop	 stop;
	int		 die_signal;	/* die of it at the end (INT, TERM, PIPE) */
	int		 kills;		/* INT/TERM received */
	int		 exit_override;	/* halt: exit with this, or -1 */
	int		 fatal;		/* fanout itself failed: exit 255 */
	int		 out_gone;	/* stdout closed, or stalled at Ctrl-C */
	int		 watch_stdout;	/* stdout is a pipe: notice its close */
	int64_t		 next_start_ns;	/* --delay, or back-off after EMFILE */
	int64_t		 last_start_ns;	/* the latest job's start stamp */
	struct policy	 policy;	/* halt, retries, time limits */

	/*
	 * --round-robin: the dealer that writes the blocks into the jobs'
	 * stdin, readable room when a block left its queue; the jobs
	 * started (each once: at most slots of them); whether it was told
	 * the input ended; when to try again to keep a block after a
	 * shortage.
	 */
	int		 dealing;
	int		 deal_ended;
	struct deal	*deal;
	int		 deal_room;
	long		 dealt;
	int64_t		 deal_next_ns;
	/*
	 * --tee: the writer that copies the stream into every job's stdin;
	 * whether it was told to go (every job has joined) and to end.
	 */
	int		 teeing;
	int		 tee_told;	/* TEE_TOLD_* */
	struct tee	*tee;

	struct job_maker maker;
	struct buf	 scratch;	/* --trace and --dry-run lines */
};

/*
 * Make every part of a run from cfg, with the hooks the loop gives the
 * output policy and the engine; on any error, say so and exit 255
 * before a job runs.  With --dry-run, no engine (see sched_dry.h).
 */
void	sched_setup(struct sched *, const struct config *cfg,
	    const struct order_hooks *, const struct exec_hooks *);
/*
 * -j FILE: run at most jobs at once from now on (unbounded: -j 0), as
 * many as fit in the limits; more are warned of once.
 */
void	sched_set_slots(struct sched *, long jobs, int unbounded);
/* Free what sched_setup() made, after the run's end. */
void	sched_teardown(struct sched *);

#endif
