/*
 * sched_output: where the scheduler (sched.c) and its helpers hand a
 * job's output and its end to the output policy (order.h), and what
 * they do when fanout's own output fails.  Every call is made on the
 * scheduler's thread; the hooks are those the scheduler gives the
 * engine (exec_hooks) and the output policy (order_hooks), with the
 * struct sched as their ctx.
 */
#ifndef FANOUT_SCHED_OUTPUT_H
#define FANOUT_SCHED_OUTPUT_H

#include <stddef.h>

struct job;
struct sched;

/*
 * A write to our output failed with r (-errno): a reader gone (-EPIPE)
 * ends the run to die of SIGPIPE; an interrupted stall (-EINTR) drops
 * what is held; anything else is said once and makes the run fatal.
 */
void	sched_output_failed(struct sched *, int r);
/* exec_hooks.output: n bytes of the job's stream go to the policy. */
void	sched_on_output(void *ctx, struct job *job, int stream, const char *p,
	    size_t n);
/* order_hooks.delivered: count and report the job, then free it. */
void	sched_on_delivered(void *ctx, struct job *job);
/* order_hooks.writing: job output is about to reach fd. */
void	sched_on_writing(void *ctx, int fd, int eol);
/* A job that could not be executed gets its message on its stderr. */
void	sched_spawn_message(struct job *job);
/*
 * The job will not run again (FINISHED): the output policy holds it
 * until every job before it is delivered (-k), then frees it; with
 * discard, neither delivered nor reported.
 */
void	sched_finish_job(struct sched *, struct job *job, int discard);

#endif
