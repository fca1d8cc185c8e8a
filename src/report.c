/*
 * report: the failure list, and the hub for the joblog, the JSON Lines
 * report, the summary, the progress line and --compare's figures.
 * Every function runs on the scheduler's thread.  The joblog line and
 * the JSON object of a job are each written with one write(2), after
 * the job's output was delivered.
 */
#include "report.h"
#include "compare.h"
#include "hist.h"
#include "history.h"
#include "job.h"
#include "joblog.h"
#include "json.h"
#include "options.h"
#include "progress.h"
#include "results.h"
#include "sig.h"
#include "summary.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
	char			 what[512];

	struct joblog		*joblog;
	struct history		 seen;		/* --resume... */
	int			 resuming;
	long			 skipped;

	int			 json_fd;	/* --report, -1 if none */
	struct buf		 json;
	struct summary		*summary;
	struct progress		*progress;
	long			 counted;	/* progress_count() */

	/* Start latency and the jobs' own CPU, for --compare. */
	int64_t			 run_start_ns;
	int64_t			*slot_free;
	size_t			 nslot;
	struct hist		 latency;
	struct hist		 runtimes;	/* --compare's histogram */
	int64_t			 jobs_user_ns, jobs_sys_ns;
};

/*
 * Read the earlier run's log for --resume and --resume-failed.
 * --retry-failed's jobs come from the input (input.h).
 */
static int
read_earlier(struct report *r)
{
	const struct config *cfg = r->cfg;

	if (!cfg->resume || cfg->retry_failed)
		return 0;
	r->resuming = 1;
	/* A log on standard output cannot be read back: nothing is done. */
	if (cfg->joblog == NULL || strcmp(cfg->joblog, "-") == 0)
		return 0;
	return history_load(&r->seen, cfg->joblog, cfg->resume == 1 ?
	    HISTORY_LOGGED : HISTORY_SUCCEEDED, 0, 0, r->what,
	    sizeof(r->what));
}

int
report_new(struct report **rp, const struct config *cfg, long counted,
    const char **what)
{
	struct report *r = xcalloc(1, sizeof(*r));
	int e;

	*rp = r;
	*what = r->what;
	r->cfg = cfg;
	r->json_fd = -1;
	r->counted = -1;
	r->run_start_ns = clock_mono_ns();
	if ((e = read_earlier(r)) < 0)
		return e;
	if (cfg->joblog != NULL && !cfg->dry_run &&
	    (e = joblog_open(&r->joblog, cfg->joblog, cfg->joblog_append ||
	    cfg->resume || cfg->retry_failed)) < 0) {
		snprintf(r->what, sizeof(r->what), "--joblog: cannot write "
		    "'%s'", cfg->joblog);
		return e;
	}
	if (cfg->report != NULL) {
		if (strcmp(cfg->report, "-") == 0)
			r->json_fd = 2;
		else if ((r->json_fd = open(cfg->report, O_WRONLY | O_CREAT |
		    O_TRUNC | O_APPEND | O_CLOEXEC, 0666)) < 0) {
			e = -errno;
			snprintf(r->what, sizeof(r->what), "--report: cannot "
			    "write '%s'", cfg->report);
			return e;
		}
	}
	if (cfg->summary || cfg->report != NULL)
		r->summary = summary_new(cfg->mode, cfg->jobs_unbounded ? 0 :
		    cfg->jobs);
	if (cfg->progress || cfg->bar || cfg->eta) {
		r->progress = progress_new(cfg);
		r->counted = counted;
	}
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
	joblog_close(r->joblog);
	history_free(&r->seen);
	if (r->json_fd > 2)
		close(r->json_fd);
	buf_free(&r->json);
	summary_free(r->summary);
	progress_free(r->progress);
	free(r->slot_free);
	hist_free(&r->latency);
	hist_free(&r->runtimes);
	free(r);
}

const char *
report_what(const struct report *r)
{
	return r->what;
}

const char *
report_command(const struct job *job)
{
	return job->line ? job->line : job->argv ? job->argv[0] : "";
}

int
report_skip(struct report *r, long seq)
{
	const struct config *cfg = r->cfg;

	if (!r->resuming)
		return 0;
	if (!history_has(&r->seen, seq) && (cfg->results == NULL ||
	    !results_was_run(cfg->results, seq, cfg->resume == 2)))
		return 0;
	r->skipped++;
	if (r->summary)
		summary_skipped(r->summary, 1);
	return 1;
}

void
report_started(struct report *r, const struct job *job)
{
	size_t slot = (size_t)job->slot;
	int64_t freed;

	if (r->cfg->stats_fd < 0 && r->cfg->report == NULL)
		return;
	freed = slot < r->nslot && r->slot_free[slot] ? r->slot_free[slot] :
	    r->run_start_ns;
	hist_add(&r->latency, job->start_ns - freed);
}

void
report_attempt(struct report *r, const struct job *job)
{
	size_t slot = (size_t)job->slot, old = r->nslot;

	if (r->cfg->stats_fd < 0 && r->cfg->report == NULL)
		return;
	if (slot >= r->nslot) {
		r->slot_free = xgrow(r->slot_free, &r->nslot, slot + 1,
		    sizeof(*r->slot_free));
		memset(r->slot_free + old, 0,
		    (r->nslot - old) * sizeof(*r->slot_free));
	}
	r->slot_free[slot] = job->end_ns;
	r->jobs_user_ns += timeval_ns(&job->ru.ru_utime);
	r->jobs_sys_ns += timeval_ns(&job->ru.ru_stime);
}

/* A note on stderr, clear of the progress line. */
static void
note(struct report *r, struct buf *b)
{
	if (r->progress != NULL)
		progress_erase(r->progress, 2, 1);
	(void)!write_all(2, b->p, b->len);
	buf_free(b);
}

void
report_halt_job(struct report *r, const char *what, const char *cmd)
{
	struct buf b = { 0 };

	buf_addf(&b, "fanout: This job %s:\n%s\n", what, cmd);
	note(r, &b);
}

void
report_timed_out(struct report *r, const char *cmd)
{
	struct buf b = { 0 };

	buf_addf(&b, "fanout: Warning: This job was killed because it timed "
	    "out:\nfanout: Warning: %s\n", cmd);
	note(r, &b);
}

/* Why a job failed, in a few words. */
static char *
failure_reason(const struct job *job)
{
	struct buf b = { 0 };
	if (job->timed_out)
		buf_addf(&b, "timed out after %.1fs",
		    (double)job->limit_ns / 1e9);
	else if (job->end == JOB_SIGNALED) {
		buf_adds(&b, "killed by ");
		sig_addname(&b, job->status);
	} else if (job->end == JOB_SPAWN_FAILED)
		buf_addf(&b, "exit %d (%s)", job->status,
		    strerror(-job->spawn_err));
	else if (job->end == JOB_LOST)
		buf_adds(&b, "worker lost");
	else
		buf_addf(&b, "exit %d", job->status);
	return b.p;
}

/*
 * Keep the failed job among the FAILURES_SHOWN failures shown: those
 * first in job order, whatever order they ended in.
 */
static void
note_failure(struct report *r, const struct job *job)
{
	const char *cmd = report_command(job);
	struct buf b = { 0 };
	struct failure *f;
	size_t i, last = 0;

	if (r->nshown < FAILURES_SHOWN)
		f = &r->shown[r->nshown++];
	else {
		for (i = 1; i < r->nshown; i++)
			if (r->shown[i].seq > r->shown[last].seq)
				last = i;
		if (r->shown[last].seq < job->seq)
			return;
		f = &r->shown[last];
		free(f->why);
		free(f->command);
	}
	f->seq = job->seq;
	f->why = failure_reason(job);
	if (strlen(cmd) > COMMAND_SHOWN) {
		buf_add(&b, cmd, COMMAND_SHOWN);
		buf_adds(&b, "...");
		f->command = b.p;
	} else
		f->command = xstrdup(cmd);
}

/* The job's JSON object and newline, appended to b. */
static void
json_job(struct buf *b, const struct job *job, const char *mode)
{
	const char *at = NULL, *v;
	size_t i, len;

	buf_addf(b, "{\"seq\":%ld,\"command\":", job->seq);
	json_cstr(b, report_command(job));
	buf_adds(b, ",\"args\":[");
	for (i = 0; i < job->nargs; i++) {
		v = job_value(job, &at, &len);
		if (i > 0)
			buf_addc(b, ',');
		json_str(b, v, len);
	}
	buf_adds(b, "],\"exit\":");
	if (job->end == JOB_EXITED || job->end == JOB_SPAWN_FAILED)
		buf_addf(b, "%d", job->status);
	else
		buf_adds(b, "null");
	buf_adds(b, ",\"signal\":");
	if (job->end == JOB_SIGNALED) {
		buf_addc(b, '"');
		sig_addname(b, job->status);
		buf_addc(b, '"');
	} else
		buf_adds(b, "null");
	buf_adds(b, ",\"timed_out\":");
	json_bool(b, job->timed_out);
	buf_addf(b, ",\"attempts\":%d,\"start\":", job->attempt);
	json_time(b, job->start_wall_ns);
	buf_adds(b, ",\"runtime_s\":");
	json_secs(b, job->end_ns - job->start_ns);
	buf_adds(b, ",\"user_s\":");
	json_secs(b, timeval_ns(&job->ru.ru_utime));
	buf_adds(b, ",\"sys_s\":");
	json_secs(b, timeval_ns(&job->ru.ru_stime));
	buf_addf(b, ",\"maxrss_kb\":%ld,\"host\":", job->ru.ru_maxrss);
	json_cstr(b, job->host_name ? job->host_name : ":");
	buf_addf(b, ",\"slot\":%ld,"
	    "\"stdin_bytes\":%llu,\"stdout_bytes\":%llu,"
	    "\"stderr_bytes\":%llu,\"mode\":", job->slot,
	    (unsigned long long)job->in_bytes,
	    (unsigned long long)job->out_bytes,
	    (unsigned long long)job->err_bytes);
	json_cstr(b, mode);
	buf_adds(b, "}\n");
}

int
report_job(struct report *r, const struct job *job,
    const struct run_stats *st)
{
	int e;

	(void)st;
	if (job_failed(job))
		note_failure(r, job);
	if (r->summary != NULL)
		summary_add(r->summary, job, report_command(job));
	if (r->cfg->stats_fd >= 0)
		hist_add(&r->runtimes, job->end_ns - job->start_ns);
	if (r->joblog != NULL &&
	    (e = joblog_write(r->joblog, job, report_command(job))) < 0) {
		snprintf(r->what, sizeof(r->what), "--joblog: cannot write "
		    "'%s'", r->cfg->joblog);
		return e;
	}
	if (r->json_fd >= 0) {
		buf_clear(&r->json);
		json_job(&r->json, job, r->cfg->mode);
		if (r->json_fd == 2 && r->progress != NULL)
			progress_erase(r->progress, 2, 1);
		if ((e = write_all(r->json_fd, r->json.p, r->json.len)) < 0) {
			snprintf(r->what, sizeof(r->what), "--report: cannot "
			    "write '%s'", r->cfg->report);
			return e;
		}
	}
	return 0;
}

static long
total_of(const struct report *r, const struct run_stats *st)
{
	return st->total >= 0 ? st->total : r->counted;
}

int
report_wants_ticks(const struct report *r)
{
	return r->progress != NULL && progress_live(r->progress);
}

int
report_shows_progress(const struct report *r)
{
	return r->progress != NULL;
}

void
report_tick(struct report *r, const struct run_stats *st)
{
	if (r->progress != NULL && progress_live(r->progress))
		progress_draw(r->progress, st, total_of(r, st), r->skipped, 0);
}

void
report_writing(struct report *r, int fd, int eol)
{
	if (r->progress != NULL)
		progress_erase(r->progress, fd, eol);
}

/* The figures a --compare pass hands back. */
static void
stats_out(struct report *r, const struct run_stats *st)
{
	struct compare_stats cs = { 0 };
	struct self_usage u;

	summary_self(&u);
	cs.done = st->done;
	cs.failed = st->failed;
	cs.jobs_user_ns = r->jobs_user_ns;
	cs.jobs_sys_ns = r->jobs_sys_ns;
	cs.lat_p50_ns = hist_quantile(&r->latency, 0.5);
	cs.lat_p99_ns = hist_quantile(&r->latency, 0.99);
	cs.rss_kb = u.maxrss_kb;
	cs.workers = u.workers;
	(void)compare_stats_write(r->cfg->stats_fd, &cs, &r->runtimes);
}

static int
cmp_failure(const void *a, const void *b)
{
	long x = ((const struct failure *)a)->seq;
	long y = ((const struct failure *)b)->seq;

	return (x > y) - (x < y);
}

static void
failure_list(struct report *r, const struct run_stats *st,
    const char *stopped, struct buf *b)
{
	long total = total_of(r, st), unstarted;
	size_t i;

	if (r->cfg->quiet || (st->failed == 0 && stopped == NULL))
		return;
	qsort(r->shown, r->nshown, sizeof(*r->shown), cmp_failure);
	if (stopped != NULL) {
		buf_addf(b, "fanout: %s: %ld job%s done, %ld failed", stopped,
		    st->done, st->done == 1 ? "" : "s", st->failed);
		if (st->started > st->done)
			buf_addf(b, ", %ld cut short", st->started - st->done);
		unstarted = total - st->started - r->skipped;
		if (total >= 0 && unstarted >= 0)
			buf_addf(b, ", %ld never started", unstarted);
		buf_addc(b, '\n');
	} else
		buf_addf(b, "fanout: %ld of %ld job%s failed\n", st->failed,
		    st->done, st->done == 1 ? "" : "s");
	for (i = 0; i < r->nshown; i++)
		buf_addf(b, "fanout:   job %ld: %s: %s\n", r->shown[i].seq,
		    r->shown[i].why, r->shown[i].command);
	if (st->failed > (long)r->nshown)
		buf_addf(b, "fanout:   ... and %ld more\n",
		    st->failed - (long)r->nshown);
}

void
report_end(struct report *r, const struct run_stats *st,
    const char *stopped)
{
	int64_t wall = clock_mono_ns() - st->start_ns;
	struct buf b = { 0 };

	if (r->progress != NULL)
		progress_draw(r->progress, st, total_of(r, st), r->skipped, 1);
	failure_list(r, st, stopped, &b);
	if (r->cfg->summary)
		summary_table(r->summary, st, wall, progress_width(), &b);
	if (b.len > 0)
		(void)!write_all(2, b.p, b.len);
	if (r->json_fd >= 0) {
		buf_clear(&r->json);
		summary_json(r->summary, st, wall,
		    hist_quantile(&r->latency, 0.5),
		    hist_quantile(&r->latency, 0.99), &r->json);
		(void)!write_all(r->json_fd, r->json.p, r->json.len);
	}
	if (r->cfg->stats_fd >= 0)
		stats_out(r, st);
	buf_free(&b);
}
