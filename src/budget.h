/*
 * budget: how much fanout takes on at once.
 *
 * Descriptors: each running job costs what its engine holds for it
 * (exec_ops.run_fds: its pipes and pidfd, or its worker's socket) plus
 * BUDGET_SPILL_FDS for its held output spilled to files; fanout's own are
 * those open at setup plus a small reserve.  budget_jobs() raises the
 * soft limit as far as -j needs (the jobs keep the limit fanout started
 * with) and says how many jobs fit; the memory for held output and the
 * -k back-pressure follow from that number.
 *
 * Argument sizes: with -X/-m, how many values fit in one command line,
 * against the kernel's limit or, with -s, against xargs's count.
 *
 * Call from the scheduler's thread, at setup, before any spawn, thread
 * or worker exists.
 */
#ifndef FANOUT_BUDGET_H
#define FANOUT_BUDGET_H

#include <stddef.h>

struct config;
struct input;
struct tmpl;

/*
 * -s: how many times a value's bytes appear in the command line, and
 * what each value adds besides them.
 */
struct budget_args {
	size_t	 copies;
	size_t	 per_value;
};

/* A job's held stdout and stderr, each spilled to a file. */
#define BUDGET_SPILL_FDS	2
/* -j 0: at most this many jobs at once. */
#define BUDGET_JOBS_MAX		32768

/*
 * How many of jobs fit in the descriptor limit, each costing per_job
 * descriptors besides its spill files, after raising the limit (to the
 * hard limit when unbounded, then at most BUDGET_JOBS_MAX); at least 1.
 * Call once the input and the reports are open: what is open then is
 * counted as fanout's own.  *limit is the soft limit in force.
 */
long	budget_jobs(long jobs, int unbounded, int per_job,
	    unsigned long long *limit);
/*
 * How many of jobs fit in the process limit, each costing tasks of it
 * (the job, and a worker thread or process), beside the tasks the user
 * runs now; 0 when not even one does.  Jobs when the limit is not in
 * force (none, or fanout runs as root) or leaves thousands of tasks to
 * spare beside the jobs' (then it is not counted).  *limit is the limit,
 * *used the user's tasks.
 */
long	budget_procs(long jobs, int tasks, unsigned long long *limit,
	    long *used);
/*
 * Whether need more descriptors than are open now fit in the limit.
 * Returns how many are open, or 0 when there is room (a limit of 4096
 * or more always has: the count would cost more than it tells).
 */
int	budget_no_room(int need);
/* The memory one stream of one job may hold before spilling to a file. */
size_t	budget_spool_limit(long jobs);
/*
 * Finished jobs -k may hold behind an unfinished one before pausing: no
 * more than the descriptors left beside jobs running jobs (per_job as
 * for budget_jobs()) can hold spilled, each with the per_held it keeps
 * besides (a --pipe block's file); at least 1.
 */
size_t	budget_hold_max(long jobs, int per_job, int per_held);

/*
 * The command line's size limits, as xargs --show-limits gives them:
 * what the environment takes, the system's limit, the most a command
 * line can use (less for a shell's one argument) and what -s leaves.
 */
struct budget_limits {
	size_t	 env;
	size_t	 system;
	size_t	 usable;
	size_t	 used;
};

void	budget_limits(const struct tmpl *, const struct config *,
	    struct budget_limits *);

/*
 * -X/-m: tell the input how to measure values and how much room one
 * command line has.  Nothing to do without them.  ba must outlive the
 * input.
 */
void	budget_set_args(struct budget_args *ba, struct input *,
	    const struct tmpl *, const struct config *);

#endif
