/*
 * sched_dry: --dry-run, for the scheduler (sched.c) alone.  The loop
 * makes each job as usual and hands it to sched_dry_run() where it
 * would start it; with no executor (sched_setup() makes none), it waits
 * with sched_dry_wait().  Both calls are made on the scheduler's
 * thread.
 */
#ifndef FANOUT_SCHED_DRY_H
#define FANOUT_SCHED_DRY_H

#include <stddef.h>

struct exec_watch;
struct job;
struct sched;

/* Print the NEW job's line on stdout and free the job. */
void	sched_dry_run(struct sched *, struct job *job);
/*
 * The executor's wait() without an executor (exec.h): poll the n
 * watches (at most 3) for up to timeout_ms (-1: no limit); returns the
 * number ready, 0 when a signal interrupted, or -errno.
 */
int	sched_dry_wait(int timeout_ms, struct exec_watch *w, size_t n);

#endif
