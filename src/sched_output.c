/*
 * sched_output: the scheduler's side of the output policy.  A job's
 * output and its end go to order.c, which calls back once the job is
 * delivered: it is counted and reported there, and freed.  A failed
 * write to fanout's own output ends the run (see sched_output_failed()).
 * Only the scheduler's thread runs any of it.
 */
#include "sched_output.h"
#include "sched_setup.h"
#include "sched_term.h"
#include "job.h"
#include "order.h"
#include "report.h"
#include "spool.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <unistd.h>

/* A write to our output failed. */
void
sched_output_failed(struct sched *s, int r)
{
	char why[512];

	if (s->out_gone)
		return;		/* the order module drops it all now */
	if (r == -EPIPE) {
		/* Downstream is gone: nothing to say, die of SIGPIPE. */
		s->out_gone = 1;
		sched_end_run(s, SIGPIPE);
		return;
	}
	if (r == -EINTR) {
		/*
		 * Ctrl-C (or TERM) while the reader stalled: what it would
		 * not take is dropped, and handle_signals() ends the run.
		 */
		s->out_gone = 1;
		return;
	}
	if (!s->fatal && order_what(s->order) != NULL)
		util_warn(0, "%s", order_what(s->order));
	else if (!s->fatal && spool_strerror(r, why, sizeof(why)))
		util_warn(0, "cannot write output: %s", why);
	else if (!s->fatal)
		util_warn(r, "cannot write output");
	s->fatal = 1;
	sched_end_run(s, 0);
}

void
sched_on_output(void *ctx, struct job *job, int stream, const char *p, size_t n)
{
	struct sched *s = ctx;
	int r;

	if (s->out_gone || s->fatal)
		return;
	if ((r = order_output(s->order, job, stream, p, n)) < 0)
		sched_output_failed(s, r);
}

void
sched_on_delivered(void *ctx, struct job *job)
{
	struct sched *s = ctx;
	int r;

	if (!job->killed) {
		s->st.done++;
		if (job_failed(job))
			s->st.failed++;
		if (job->timed_out)
			s->st.timed_out++;
		if ((r = report_job(s->report, job, &s->st)) < 0 &&
		    !s->fatal) {
			util_warn(r, "%s", report_what(s->report));
			s->fatal = 1;
			sched_end_run(s, 0);
		}
	}
	job_set_state(job, JOB_DELIVERED);
	job_free(job);
}

/* Job output is about to reach fd: the progress line makes way. */
void
sched_on_writing(void *ctx, int fd, int eol)
{
	struct sched *s = ctx;

	report_writing(s->report, fd, eol);
}

/* The message a job that could not be executed gets, on its stderr. */
void
sched_spawn_message(struct job *job)
{
	struct buf m = { 0 };

	job_spawn_message(job, &m);
	if (job->ungroup || job->live)
		(void)!write(2, m.p, m.len);
	else
		spool_append(&job->err, m.p, m.len);
	buf_free(&m);
}

/*
 * The job will not run again: the output policy holds it until every job
 * before it is delivered (-k), then sched_on_delivered() frees it.
 */
void
sched_finish_job(struct sched *s, struct job *job, int discard)
{
	int r;

	job_set_state(job, JOB_FINISHED);
	if ((r = order_done(s->order, job, discard)) < 0)
		sched_output_failed(s, r);
}
