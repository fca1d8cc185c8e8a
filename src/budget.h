/*
 * budget: how much fanout takes on at once.
 *
 * Descriptors: each running job costs up to 8 (3 while it runs, 4 while
 * it is spawned, its output spilled to files), plus 64 for fanout's own.
 * budget_jobs() raises the soft limit as far as -j needs (the jobs keep
 * the limit fanout started with) and says how many jobs fit; the memory
 * for held output and the -k back-pressure follow from that number.
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

/*
 * How many of jobs fit in the descriptor limit, after raising it (to the
 * hard limit when unbounded, then at most 32768); at least 1.  *limit is
 * the soft limit in force.
 */
long	budget_jobs(long jobs, int unbounded, unsigned long long *limit);
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
/* Finished jobs -k may hold behind an unfinished one before pausing. */
size_t	budget_hold_max(long jobs);

/*
 * -X/-m: tell the input how to measure values and how much room one
 * command line has.  Nothing to do without them.  ba must outlive the
 * input.
 */
void	budget_set_args(struct budget_args *ba, struct input *,
	    const struct tmpl *, const struct config *);

#endif
