/*
 * sched_job: a job's sched_start_job and end in the loop.  Every job is in
 * exactly one state (job.h), and the state says where it is; here it
 * moves between s->running (holding a slot from s->free_slots) and
 * s->retry, or leaves through the output policy.  What to do at its
 * end (halt, retry, back-off) is policy.c's to decide.  Only the
 * scheduler's thread runs any of it.
 */
#include "sched_job.h"
#include "sched_setup.h"
#include "sched_host.h"
#include "sched_output.h"
#include "sched_res.h"
#include "sched_term.h"
#include "exec.h"
#include "feed.h"
#include "job.h"
#include "options.h"
#include "order.h"
#include "policy.h"
#include "remote.h"
#include "report.h"
#include "spool.h"
#include "tee.h"
#include "util.h"

#include <unistd.h>

static long
slot_take(struct sched *s)
{
	return s->free_slots[--s->nfree];
}

static void
slot_give(struct sched *s, long slot)
{
	s->free_slots[s->nfree++] = slot;
}

static void
running_add(struct sched *s, struct job *job)
{
	job->next = s->running;
	s->running = job;
	s->st.running++;
}

static void
running_del(struct sched *s, struct job *job)
{
	struct job **pp;

	for (pp = &s->running; *pp != NULL; pp = &(*pp)->next)
		if (*pp == job) {
			*pp = job->next;
			break;
		}
	job->next = NULL;
	s->st.running--;
}

/*
 * A fed stdin pipe holds up to FEED_PIPE_MAX bytes of its block (the
 * default is 64 KiB), when at most FEED_PIPE_JOBS jobs run at once: a
 * user's pipes share a quota (16 MiB here at most), past which the
 * kernel gives every new pipe of the user, the jobs' own too, only two
 * pages.
 */
#define FEED_PIPE_MAX	(1u << 20)
#define FEED_PIPE_JOBS	16

/* What a fed job's block is: feed_fd's bytes from feed_off, its head. */
static struct feed_src
fed_block(const struct job *job)
{
	return (struct feed_src){
		.fd = job->feed_fd, .off = job->feed_off,
		.len = job->in_bytes - job->feed_head_len,
		.head = job->feed_head, .head_len = job->feed_head_len,
	};
}

/*
 * A fed job's block: the fifo {}'s, or a new pipe's, which becomes its
 * stdin.  0, or -errno: a shortage, and nothing was started.
 */
static int
feed_job(struct sched *s, struct job *job)
{
	struct feed_src src = fed_block(job);
	size_t size = 0;
	int wr, r;

	if (!job->in_fed)
		return feed_start(&job->feed, job->in_path, -1, &src);
	if (s->slots <= FEED_PIPE_JOBS && job->in_bytes > (64u << 10))
		size = job->in_bytes < FEED_PIPE_MAX ?
		    (size_t)job->in_bytes : FEED_PIPE_MAX;
	if ((r = feed_pipe(&job->in_fd, &wr, size)) < 0)
		return r;
	if ((r = feed_start(&job->feed, NULL, wr, &src)) < 0) {
		close(wr);
		close(job->in_fd);
		job->in_fd = -1;
	}
	return r;
}

/*
 * --round-robin: the job joins the dealer with its stdin's write end
 * and its first block: a temp file, block, which the dealer then owns,
 * or (block -1) --pipepart's range, the input file's shared descriptor.
 */
static void
deal_join(struct sched *s, struct job *job, int wr, int block)
{
	struct feed_src src = {
		.fd = block, .len = job->in_bytes,
	};
	int own = 1;

	if (block < 0) {
		src = fed_block(job);
		own = !job->feed_shared;
		if (own)
			job->feed_fd = -1;
	}
	job->deal_id = feed_deal_join(s->deal, wr, &src, own);
}

/* A fed pipe's read end, once the job has ended or never started. */
static void
fed_close(struct job *job)
{
	if (job->in_fed && job->in_fd >= 0) {
		close(job->in_fd);
		job->in_fd = -1;
	}
}

/* The job waits in the retry list until when. */
void
sched_retry_add(struct sched *s, struct job *job, int64_t when)
{
	struct job **pp = &s->retry;

	job_set_state(job, JOB_RETRY_WAIT);
	job->deadline_ns = when;
	while (*pp != NULL && (*pp)->deadline_ns <= when)
		pp = &(*pp)->next;
	job->next = *pp;
	*pp = job;
}

/* --halt: is it time to stop, after this job that ended? */
static void
check_halt(struct sched *s, struct job *job)
{
	const char *what;
	int status;

	if (s->stop == ENDING)
		return;
	/* GNU names each job it counts, until the halt. */
	if (s->exit_override < 0 &&
	    (what = policy_halt_counts(&s->policy, job)) != NULL)
		report_halt_job(s->report, what, job_line(&s->maker, job));
	switch (policy_halt(&s->policy, job, s->st.total, &status)) {
	case POLICY_GO_ON:
		return;
	case POLICY_DRAIN:
		s->exit_override = status;
		if (s->stop == RUNNING)
			s->stop = DRAINING;
		return;
	case POLICY_END:
		s->exit_override = status;
		sched_end_run(s, 0);
		return;
	}
}

void
sched_on_done(void *ctx, struct job *job)
{
	struct sched *s = ctx;
	char why[512];
	int64_t delay;
	int cut, r;

	/* A job that never opened its fifo, or left it unread, is gone. */
	cut = feed_stop(job->feed);
	job->feed = NULL;
	fed_close(job);
	/* --round-robin: what it was fed; the stream never comes again. */
	if (job->deal_id >= 0)
		job->in_bytes = feed_deal_leave(s->deal, job->deal_id, &cut);
	/* --tee: the same; the stream went on to the others. */
	if (job->tee_id >= 0)
		job->in_bytes = tee_leave(s->tee, job->tee_id);
	/* A file that shrank under us is read no more, as on a read error. */
	if (cut && !s->fatal) {
		util_warn(0, "cannot read input: the file shrank while it "
		    "was read; job %ld got its block cut short", job->seq);
		s->fatal = s->eof = 1;
	}
	if (job->state == JOB_TERMINATING)
		sched_linger_add(s, job);
	job_set_state(job, JOB_REAPED);
	running_del(s, job);
	slot_give(s, job->slot);
	if (job->host >= 0)
		sched_host_end(s, job);
	report_attempt(s->report, job);
	job->deadline_ns = 0;
	if (job->end == JOB_SPAWN_FAILED)
		sched_spawn_message(job);
	/* Its compressors, if any, have all its output now. */
	spool_finish(&job->out);
	spool_finish(&job->err);
	if (job->out.err || job->err.err) {
		r = job->out.err ? job->out.err : job->err.err;
		if (spool_strerror(r, why, sizeof(why)))
			util_warn(0, "job %ld: cannot hold its output: %s",
			    job->seq, why);
		else
			util_warn(r, "job %ld: cannot hold its output in '%s'",
			    job->seq, s->cfg->tmpdir);
		s->fatal = 1;
		sched_end_run(s, 0);
		/*
		 * Its output is lost: neither deliver nor log it, so that
		 * --resume runs it again.
		 */
		job->killed = 1;
		sched_finish_job(s, job, 1);
		return;
	}
	sched_reread_jobs(s);
	if (job->evicted && s->stop == RUNNING && job->deal_id < 0 &&
	    job->tee_id < 0) {
		/* --memfree or a host lost ended it: it runs again. */
		if ((r = order_retry(s->order, job)) < 0)
			sched_output_failed(s, r);
		job->out_bytes = job->err_bytes = 0;
		job->term_step = 0;
		sched_retry_add(s, job, clock_mono_ns());
		return;
	}
	if (job->evicted)
		job->killed = 1;	/* the run stops: it never finished */
	if (s->stop == RUNNING && job->deal_id < 0 && job->tee_id < 0 &&
	    policy_may_retry(&s->policy, job)) {
		s->st.retried++;
		delay = policy_retry_delay(&s->policy, job);
		if ((r = order_retry(s->order, job)) < 0)
			sched_output_failed(s, r);
		job->out_bytes = job->err_bytes = 0;
		job->attempt++;
		job->term_step = 0;
		job->timed_out = 0;
		sched_retry_add(s, job, clock_mono_ns() + delay);
		return;
	}
	if (!job->killed) {
		policy_ended(&s->policy, job);
		check_halt(s, job);
	}
	if (job_failed(job) && !job->killed)
		job_line(&s->maker, job);	/* for the failure list */
	if (s->out_gone)
		job->killed = 1;
	sched_finish_job(s, job, job->killed);
}

int
sched_start_job(struct sched *s, struct job *job)
{
	/* A job --memfree ended starts again, but not for the first time. */
	int first = job->attempt == 1 && !job->evicted;
	int offered = job->state != JOB_NEW;
	int block = -1, wr = -1, r;

	job_set_state(job, JOB_STARTING);
	job->slot = slot_take(s);
	if (s->remote != NULL)
		sched_host_take(s, job, clock_mono_ns());
	job_prepare(&s->maker, job);
	job->live = order_live(s->order);
	job->ungroup = s->cfg->output == OUTPUT_UNGROUP;
	/* The output policy learns of a job at its first start only. */
	if (!offered && (r = order_started(s->order, job)) < 0) {
		/* It never ran: order still owns it, and drops it. */
		slot_give(s, job->slot);
		job->killed = 1;
		sched_output_failed(s, r);
		sched_finish_job(s, job, 1);
		return 0;
	}
	if (s->cfg->trace) {
		buf_clear(&s->scratch);
		buf_adds(&s->scratch, job->line);
		buf_addc(&s->scratch, '\n');
		(void)!write(2, s->scratch.p, s->scratch.len);
	}
	running_add(s, job);
	/* Stamped here, once, so that every mode measures alike. */
	job->start_ns = s->last_start_ns = clock_mono_ns();
	job->start_wall_ns = clock_wall_ns();
	/*
	 * --fifo: the writer waits for the job to open {}; --pipepart: it
	 * writes a new pipe, the job's stdin; a retry is fed anew.
	 */
	r = job->feed_fd >= 0 && !s->dealing ? feed_job(s, job) : 0;
	/*
	 * --round-robin: the job reads a pipe, its first block (in_fd, a
	 * temp file; under --pipepart, feed_fd's range) the first thing the
	 * dealer writes there; --tee: the stream, once every job has joined
	 * (tee.h).
	 */
	if (r == 0 && (s->dealing || s->teeing)) {
		block = job->in_fd;
		r = feed_pipe(&job->in_fd, &wr, 0);
	}
	if (r == 0 && (r = s->ops->start(s->exec, job)) < 0) {
		feed_stop(job->feed);
		job->feed = NULL;
		fed_close(job);
		if (wr >= 0) {
			close(job->in_fd);
			close(wr);
		}
	}
	if (wr >= 0 && r < 0)
		job->in_fd = block;
	if (s->teeing && r == 0)
		job->tee_id = tee_join(s->tee, wr);
	if (s->dealing && r == 0) {
		deal_join(s, job, wr, block);
		s->dealt++;
	}
	if (r < 0) {
		running_del(s, job);
		slot_give(s, job->slot);
		if (job->host >= 0)
			remote_unstart(s->remote, job->host);
		return r;
	}
	job_set_state(job, JOB_RUNNING);
	job->evicted = 0;
	report_started(s->report, job);
	if (first)
		s->st.started++;
	job->limit_ns = policy_limit(&s->policy);
	if (job->limit_ns > 0)
		job->deadline_ns = job->start_ns + job->limit_ns;
	return 0;
}
