/*
 * policy: --halt, --retries with their back-off, the back-off after a
 * shortage, and time limits.  Every figure is bounded so that adding it
 * to a CLOCK_MONOTONIC time cannot overflow.
 */
#include "policy.h"
#include "job.h"
#include "options.h"

#define MS	1000000LL
#define RETRY_DELAY_MAX	(3600LL * 1000 * MS)
#define TIMEOUT_MAX	(1000000000LL * 1000 * MS)	/* as a duration's */
#define BACKOFF_MIN	(10 * MS)
#define BACKOFF_MAX	(1000 * MS)

void
policy_init(struct policy *p, const struct config *cfg)
{
	*p = (struct policy){ .cfg = cfg, .delay_ns = cfg->delay_ns };
}

void
policy_free(struct policy *p)
{
	hist_free(&p->ok_runtimes);
}

/* --timeout N%: N% of the median runtime of the jobs that succeeded. */
static void
note_success(struct policy *p, int64_t runtime)
{
	const struct config *cfg = p->cfg;
	double t;

	if (cfg->timeout_pct <= 0)
		return;
	hist_add(&p->ok_runtimes, runtime);
	t = (double)hist_quantile(&p->ok_runtimes, 0.5) * cfg->timeout_pct /
	    100.0;
	/* Far beyond any run, and start_ns + limit cannot overflow. */
	if (t > (double)TIMEOUT_MAX)
		t = (double)TIMEOUT_MAX;
	p->timeout_ns = t < MS ? MS : (int64_t)t;
}

void
policy_ended(struct policy *p, const struct job *job)
{
	p->ended++;
	if (job_failed(job))
		p->ended_failed++;
	else
		note_success(p, job->end_ns - job->start_ns);
	if (p->cfg->delay_auto && p->delay_ns < INT64_MAX / 13)
		p->delay_ns = job_failed(job) ? p->delay_ns * 13 / 10 :
		    p->delay_ns * 9 / 10;
}

int64_t
policy_delay(const struct policy *p)
{
	return p->delay_ns;
}

/*
 * GNU's exit status on a halt: a single job that tripped it gives its own
 * status (128 + S when killed by signal S), a count the number of failed
 * jobs (101 past 100), a percentage the failed jobs' percentage of all
 * jobs, rounded up; success 0.
 */
/* failed as a percentage of n, rounded up, as GNU parallel's status. */
static int
pct_status(long failed, long n)
{
	if (n <= 0)
		n = 1;
	return (int)((failed * 100 + n - 1) / n);
}

/* A count of failed jobs as an exit status: 101 stands for any past 100. */
static int
count_status(long failed)
{
	return failed > 100 ? 101 : (int)failed;
}

static int
halt_status(const struct policy *p, const struct job *job, long base)
{
	const struct config *cfg = p->cfg;

	if (cfg->halt_what == HALT_SUCCESS)
		return 0;
	if (cfg->halt_pct > 0)
		return pct_status(p->ended_failed, base);
	if (cfg->halt_count == 1)
		return job_exit_status(job);
	return count_status(p->ended_failed);
}

const char *
policy_halt_counts(const struct policy *p, const struct job *job)
{
	const struct config *cfg = p->cfg;

	if (cfg->halt_when == HALT_NEVER)
		return NULL;
	switch (cfg->halt_what) {
	case HALT_FAIL:
		return job_failed(job) ? "failed" : NULL;
	case HALT_SUCCESS:
		return job_failed(job) ? NULL : "succeeded";
	default:
		return "finished";
	}
}

enum policy_halt
policy_halt(const struct policy *p, const struct job *job, long total,
    int *status)
{
	const struct config *cfg = p->cfg;
	long count, base;
	int hit;

	if (policy_halt_counts(p, job) == NULL)
		return POLICY_GO_ON;
	count = cfg->halt_what == HALT_FAIL ? p->ended_failed :
	    cfg->halt_what == HALT_SUCCESS ? p->ended - p->ended_failed :
	    p->ended;
	/* A percentage is of all jobs: the input was read whole first. */
	base = total > 0 ? total : p->ended;
	if (cfg->halt_pct > 0)
		hit = count * 100.0 >= cfg->halt_pct * (double)base;
	else
		hit = count >= cfg->halt_count;
	if (!hit)
		return POLICY_GO_ON;
	*status = halt_status(p, job, base);
	return cfg->halt_when == HALT_NOW ? POLICY_END : POLICY_DRAIN;
}

int
policy_status(const struct policy *p, long started, long failed)
{
	const struct config *cfg = p->cfg;

	if (cfg->halt_when != HALT_NEVER && cfg->halt_pct > 0)
		return pct_status(failed, started);
	return count_status(failed);
}

int
policy_may_retry(const struct policy *p, const struct job *job)
{
	const struct config *cfg = p->cfg;

	if (!job_failed(job) || job->killed)
		return 0;
	return cfg->retries == 0 || job->attempt < cfg->retries;
}

int64_t
policy_retry_delay(const struct policy *p, const struct job *job)
{
	int64_t delay = p->cfg->retry_delay_ns;
	int i;

	for (i = 1; i < job->attempt && delay < RETRY_DELAY_MAX; i++)
		delay *= 2;
	if (delay > RETRY_DELAY_MAX)
		delay = RETRY_DELAY_MAX;
	return delay;
}

int64_t
policy_backoff(struct policy *p)
{
	p->backoff_ns = p->backoff_ns ? p->backoff_ns * 2 : BACKOFF_MIN;
	if (p->backoff_ns > BACKOFF_MAX)
		p->backoff_ns = BACKOFF_MAX;
	return p->backoff_ns;
}

void
policy_backoff_reset(struct policy *p)
{
	p->backoff_ns = 0;
}

int64_t
policy_limit(const struct policy *p)
{
	return p->cfg->timeout_ns ? p->cfg->timeout_ns : p->timeout_ns;
}
