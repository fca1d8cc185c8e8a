/*
 * policy: the scheduler's decisions about jobs that end, none of which
 * depend on the mode: whether --halt stops the run, whether a failed job
 * runs again and after what back-off, how long fanout waits after it is
 * short of a resource, and each job's time limit (--timeout, including
 * N% of the median runtime of the jobs that succeeded so far).
 *
 * policy only decides; the scheduler acts (ends jobs, stops starting
 * them).  Single-threaded: the scheduler's thread only.  The zero value
 * is not ready: call policy_init().
 */
#ifndef FANOUT_POLICY_H
#define FANOUT_POLICY_H

#include <stdint.h>

#include "hist.h"

struct config;
struct job;

struct policy {
	const struct config	*cfg;
	/*
	 * Jobs that ended for good and were not ended by fanout, counted
	 * when they end: --halt depends on jobs finishing, never on when -k
	 * lets their output out.
	 */
	long		 ended, ended_failed;
	struct hist	 ok_runtimes;	/* --timeout N%: of those succeeded */
	int64_t		 timeout_ns;	/* N% in force now; 0 = none */
	int64_t		 backoff_ns;	/* after a shortage; 0 = none */
	int64_t		 delay_ns;	/* --delay in force now */
};

enum policy_halt {
	POLICY_GO_ON,		/* no halt */
	POLICY_DRAIN,		/* start no more jobs; running ones finish */
	POLICY_END,		/* end the running jobs now */
};

void	policy_init(struct policy *, const struct config *);
void	policy_free(struct policy *);

/*
 * A job ended for good (no retry) and was not ended by fanout: count it,
 * learn its runtime for N% when it succeeded, and under --delay DURauto
 * lengthen the delay by 30% after a failure, shorten it by 10% after a
 * success, as GNU parallel does.
 */
void	policy_ended(struct policy *, const struct job *);
/*
 * --halt, right after policy_ended(job): whether to stop.  total is the
 * number of jobs (-1 unknown), for a percentage.  On a halt, *status is
 * the exit status GNU parallel gives.  Ask only while the run is not
 * already being ended.
 */
enum policy_halt policy_halt(const struct policy *, const struct job *,
	    long total, int *status);
/*
 * The exit status of a run that --halt did not stop, of started jobs of
 * which failed failed: their number (101 past 100); under a --halt
 * percentage, as GNU parallel, their percentage of the started jobs,
 * rounded up.
 */
int	policy_status(const struct policy *, long started, long failed);
/*
 * Whether --halt counts the job that ended: GNU parallel's word for it
 * ("failed", "succeeded", "finished"), or NULL.
 */
const char *policy_halt_counts(const struct policy *, const struct job *);

/* Whether a failed attempt may run again (--retries); ignores halts. */
int	policy_may_retry(const struct policy *, const struct job *);
/* How long to wait before attempt job->attempt + 1 (--retry-delay). */
int64_t	policy_retry_delay(const struct policy *, const struct job *);

/* A start failed for a shortage: how long to wait, doubling each time. */
int64_t	policy_backoff(struct policy *);
/* The time to leave between two job starts (--delay); 0 = none. */
int64_t	policy_delay(const struct policy *);
/* A start succeeded: the next shortage backs off from the start again. */
void	policy_backoff_reset(struct policy *);

/* The time limit of a job starting now, in ns; 0 = none. */
int64_t	policy_limit(const struct policy *);

#endif
