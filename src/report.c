/*
 * report: the failure list, and the place where the joblog, the JSON
 * report, the summary and the progress display hang.  Every function
 * runs on the scheduler's thread.
 */
#include "report.h"
#include "job.h"
#include "options.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FAILURES_SHOWN	5
#define COMMAND_SHOWN	200

struct failure {
	long	 seq;
	char	*why;
	char	*command;
};

struct report {
	const struct config	*cfg;
	struct failure		 shown[FAILURES_SHOWN];
	size_t			 nshown;
};

int
report_new(struct report **rp, const struct config *cfg, const char **what)
{
	struct report *r = xcalloc(1, sizeof(*r));

	(void)what;
	r->cfg = cfg;
	*rp = r;
	return 0;
}

void
report_free(struct report *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->nshown; i++) {
		free(r->shown[i].why);
		free(r->shown[i].command);
	}
	free(r);
}

const char *
report_command(const struct job *job)
{
	return job->line ? job->line : job->argv ? job->argv[0] : "";
}

/* Why a job failed, in a few words. */
static char *
failure_reason(const struct job *job)
{
	struct buf b = { 0 };
	const char *name;

	if (job->timed_out)
		buf_addf(&b, "timed out after %.1fs",
		    (double)job->limit_ns / 1e9);
	else if (job->end == JOB_SIGNALED) {
		name = sigabbrev_np(job->status);
		if (name)
			buf_addf(&b, "killed by SIG%s", name);
		else
			buf_addf(&b, "killed by signal %d", job->status);
	} else if (job->end == JOB_SPAWN_FAILED)
		buf_addf(&b, "exit %d (%s)", job->status,
		    strerror(-job->spawn_err));
	else if (job->end == JOB_LOST)
		buf_adds(&b, "worker lost");
	else
		buf_addf(&b, "exit %d", job->status);
	return b.p;
}

int
report_job(struct report *r, const struct job *job,
    const struct run_stats *st)
{
	struct failure *f;
	const char *cmd;
	size_t len;

	(void)st;
	if (job_failed(job) && r->nshown < FAILURES_SHOWN) {
		f = &r->shown[r->nshown++];
		f->seq = job->seq;
		f->why = failure_reason(job);
		cmd = report_command(job);
		len = strlen(cmd);
		if (len > COMMAND_SHOWN) {
			struct buf b = { 0 };

			buf_add(&b, cmd, COMMAND_SHOWN);
			buf_adds(&b, "...");
			f->command = b.p;
		} else
			f->command = xstrdup(cmd);
	}
	return 0;
}

int
report_wants_ticks(const struct report *r)
{
	(void)r;
	return 0;
}

void
report_tick(struct report *r, const struct run_stats *st)
{
	(void)r;
	(void)st;
}

void
report_end(struct report *r, const struct run_stats *st)
{
	struct buf b = { 0 };
	size_t i;

	if (st->failed == 0 || r->cfg->quiet)
		return;
	buf_addf(&b, "fanout: %ld of %ld job%s failed\n", st->failed,
	    st->done, st->done == 1 ? "" : "s");
	for (i = 0; i < r->nshown; i++)
		buf_addf(&b, "fanout:   job %ld: %s: %s\n", r->shown[i].seq,
		    r->shown[i].why, r->shown[i].command);
	if (st->failed > (long)r->nshown)
		buf_addf(&b, "fanout:   ... and %ld more\n",
		    st->failed - (long)r->nshown);
	(void)!write_all(2, b.p, b.len);
	buf_free(&b);
}
