/*
 * sched_next: the job to start next, for the scheduler (sched.c) alone:
 * a job waiting to start again or held back, or a new one from the
 * input.  Every call is made on the scheduler's thread and returns at
 * once.
 */
#ifndef FANOUT_SCHED_NEXT_H
#define FANOUT_SCHED_NEXT_H

#include <stdint.h>

struct job;
struct sched;

/* What sched_next_job() found. */
enum next {
	NEXT_JOB,		/* a job to start */
	NEXT_SKIP,		/* none, but look again: the input goes on */
	NEXT_NONE,		/* none now: stop starting */
};

/*
 * The job to start next, first found of: an --onall copy whose host is
 * free, a retry whose back-off is over, the job held back by --load or
 * --memfree, the next --onall copy, a new job from the input (NEXT_NONE
 * when the input blocks, with *want_input set; when it ends or fails;
 * when the job may not run, -s; or when --load or --memfree hold it
 * back, in s->pending; NEXT_SKIP when the record makes no job to start,
 * --resume's done, --dry-run's).  NEXT_JOB: the job is in *jobp.
 */
enum next	sched_next_job(struct sched *, int64_t now, int *want_input,
		    struct job **jobp);
/*
 * --pipe: once start_jobs() starts no more (every slot taken, or a
 * wait), cut the next block ahead (input_ahead()), so that reading and
 * keeping it overlap the jobs that run, and the next start takes it at
 * once.  Sets *want_input when that needs input.  None under
 * --round-robin (its dealer has a queue of its own), --tee (no block)
 * or --dry-run (no job runs); nor once the input ends.  Once the run
 * stops, the block kept ahead is dropped (input_ahead_drop()).
 */
void	sched_next_ahead(struct sched *, int *want_input);
/*
 * --pipe: input_next() failed (r < 0).  No descriptor to keep a block
 * is waited out as for a job: *retry_ns becomes when to try again, and
 * 1 is returned.  Anything else, or a read error of the input, stops
 * the run (s->fatal): 0.
 */
int	sched_block_failed(struct sched *, int r, int64_t now,
	    int64_t *retry_ns);

#endif
