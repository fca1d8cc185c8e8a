/*
 * sched_job: a job's life in the loop, for the scheduler (sched.c) and
 * its helpers alone: its start (a slot, its host, the output policy
 * told, the engine's start()), its end (the engine's done hook: a
 * retry, an eviction run again, a halt, or the output policy), and the
 * retry list it may wait in between.  Every call is made on the
 * scheduler's thread and returns at once.
 */
#ifndef FANOUT_SCHED_JOB_H
#define FANOUT_SCHED_JOB_H

#include <stdint.h>

struct job;
struct sched;

/* The job waits in s->retry (RETRY_WAIT), by time, until when. */
void	sched_retry_add(struct sched *, struct job *job, int64_t when);
/*
 * exec_hooks.done: the job was reaped.  Its slot and host are given
 * back; it waits to run again (retry, or ended by --memfree or a host
 * lost), or is FINISHED; --halt is looked at.
 */
void	sched_on_done(void *ctx, struct job *job);
/*
 * Start a NEW, PENDING or RETRY_WAIT job (a slot is free): 0 once it is
 * RUNNING, or once it was dropped because the output policy failed;
 * -errno when the engine is short of a resource, the job back as it
 * was, for the caller to retry later.
 */
int	sched_start_job(struct sched *, struct job *job);

#endif
