/*
 * sched_next: the choice of the job to start next (sched_next.h): held
 * back, waiting or parked jobs first, then a new one made from the
 * input's next record, with what stops the input there (-s, the end,
 * a failure).
 */
#include "sched_setup.h"
#include "sched_dry.h"
#include "sched_host.h"
#include "sched_next.h"
#include "sched_res.h"
#include "input.h"
#include "job.h"
#include "options.h"
#include "policy.h"
#include "report.h"
#include "spawn.h"
#include "tmpl.h"
#include "util.h"

#include <errno.h>
#include <string.h>

/*
 * {n} past the first job's values expands to nothing, so that
 * 'rm -rf /data/{2}' with one column runs 'rm -rf /data/': say so once.
 */
static void
check_positions(const struct sched *s, const struct args *a)
{
	size_t n = tmpl_max_position(s->tmpl);

	if (n > a->n && !s->cfg->no_args && !s->cfg->retry_failed)
		util_warn(0, "the command uses {%zu}, but job 1 has %zu "
		    "value%s: each missing one expands to nothing", n, a->n,
		    a->n == 1 ? "" : "s");
}

/*
 * -s: a job whose line alone is longer (counting its final NUL, as
 * xargs does) cannot be made to fit.  GNU parallel stops there: no job
 * from it on runs, and the exit status is 255.  The jobs before it were
 * fine: they finish (GNU ends them, but most have finished by then).
 */
static int
too_long(struct sched *s, struct job *job)
{
	const char *line;
	size_t len;

	if (s->cfg->max_chars <= 0)
		return 0;
	line = job_line(&s->maker, job);
	len = strlen(line) + 1;
	if (len <= (size_t)s->cfg->max_chars)
		return 0;
	util_warn(0, "job %ld: its command line is %zu bytes, more than "
	    "-s %ld allows; no further jobs run: %.60s%s", job->seq, len,
	    s->cfg->max_chars, line, len > 61 ? "..." : "");
	s->fatal = 1;
	if (s->stop == RUNNING)
		s->stop = DRAINING;
	return 1;
}

int
sched_block_failed(struct sched *s, int r, int64_t now, int64_t *retry_ns)
{
	if (!input_keep_failed(s->input))
		util_warn(r, "cannot read input");
	else if (spawn_err_transient(r)) {
		*retry_ns = now + policy_backoff(&s->policy);
		return 1;
	} else
		util_warn(r, "cannot keep a block of input in '%s' "
		    "(--tmpdir)", s->cfg->tmpdir);
	s->fatal = 1;
	return 0;
}

void
sched_next_ahead(struct sched *s, int *want_input)
{
	const struct config *cfg = s->cfg;

	/*
	 * No job takes it now: its file under --cat or --fifo goes at once,
	 * as an end by a signal would leave it behind.
	 */
	if (s->stop != RUNNING) {
		input_ahead_drop(s->input);
		return;
	}
	if (*want_input || !cfg->pipe || cfg->round_robin || cfg->tee ||
	    cfg->dry_run || s->eof)
		return;
	if (input_ahead(s->input) == -EAGAIN)
		*want_input = 1;
}

/*
 * A new job from the input's next record.  NEXT_NONE when the input
 * blocks (*want_input), ends or fails, when the job may not run (-s),
 * or when --load or --memfree hold it back (in s->pending); NEXT_SKIP
 * when the record makes no job to start (--resume's done, --dry-run's).
 */
static enum next
input_job(struct sched *s, int64_t now, int *want_input, struct job **jobp)
{
	struct args a;
	struct job *job;
	long seq = 0;
	int r;

	/* --onall: its copies wait for their hosts, a few. */
	if (s->nparked >= s->slots)
		return NEXT_NONE;
	/* --round-robin: the rest go to deal_blocks(). */
	if (s->dealing && s->dealt >= s->slots)
		return NEXT_NONE;
	/* --retry-failed: the joblog's commands. */
	r = s->cfg->retry_failed ? input_next_failed(s->input, &a, &seq) :
	    input_next(s->input, &a);
	if (r == -EAGAIN) {
		*want_input = 1;
		return NEXT_NONE;
	}
	if (r < 0 && s->cfg->pipe && !s->cfg->tee) {
		if (!sched_block_failed(s, r, now, &s->next_start_ns))
			s->eof = 1;
		return NEXT_NONE;
	}
	if (r < 0) {
		util_warn(r, "cannot read input");
		s->fatal = 1;
		s->eof = 1;
		return NEXT_NONE;
	}
	if (r == 0) {
		s->eof = 1;
		return NEXT_NONE;
	}
	if (s->seq == 0)
		check_positions(s, &a);
	job = job_new(&s->maker, &a, ++s->seq);
	if (too_long(s, job)) {
		s->seq--;
		job_free(job);
		s->eof = 1;
		return NEXT_NONE;
	}
	if (s->cfg->retry_failed)
		job->seq = seq;
	else if (report_skip(s->report, job->seq)) {
		job_free(job);
		return NEXT_SKIP;
	}
	if (s->cfg->dry_run) {
		sched_dry_run(s, job);
		/* --round-robin would start no more. */
		if (s->cfg->round_robin && s->seq >= s->slots)
			s->eof = 1;
		return NEXT_SKIP;
	}
	if (s->cfg->onall)
		job = sched_onall_next(s, job);
	/* Made first, so that the end of input is seen. */
	if (!sched_resources_allow(s, now)) {
		s->pending = job;
		return NEXT_NONE;
	}
	*jobp = job;
	return NEXT_JOB;
}

/*
 * The job to start next, first found of: an --onall copy whose host is
 * free, a retry whose back-off is over, the job held back by --load or
 * --memfree, the next --onall copy, a new job from the input.
 */
enum next
sched_next_job(struct sched *s, int64_t now, int *want_input, struct job **jobp)
{
	struct job *job;

	if (s->parked != NULL && (job = sched_unpark(s, now)) != NULL) {
		if (!sched_resources_allow(s, now)) {
			sched_park(s, job);
			return NEXT_NONE;
		}
	} else if (s->retry != NULL && s->retry->deadline_ns <= now) {
		if (!sched_resources_allow(s, now))
			return NEXT_NONE;
		job = s->retry;
		s->retry = job->next;
		job->next = NULL;
		job->deadline_ns = 0;
	} else if (s->pending != NULL) {
		if (!sched_resources_allow(s, now))
			return NEXT_NONE;
		job = s->pending;
		s->pending = NULL;
	} else if (s->onall != NULL) {
		job = sched_onall_next(s, NULL);
	} else if (!s->eof) {
		return input_job(s, now, want_input, jobp);
	} else
		return NEXT_NONE;
	*jobp = job;
	return NEXT_JOB;
}
