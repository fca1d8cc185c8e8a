/*
 * sched: the supervision loop.  One turn of the loop: apply the signals
 * that arrived, start jobs while a slot is free (and the input has a
 * record, the output is not backed up, no delay or back-off is pending),
 * then let the executor wait until the next deadline, and fire the
 * deadlines that passed (time limits, termination sequence steps,
 * retries waiting out their back-off).  A job being ended whose leader
 * exits leaves its group in s->linger, where the sequence goes on until
 * the group is empty; the run ends only once that list is empty too.
 *
 * --load and --memfree hold starts back while the machine is short
 * (res.h): the job at hand waits in s->pending, and the loop looks again
 * every RES_INTERVAL_NS; under half of --memfree the youngest job is
 * ended and waits in s->retry to run again, neither failed nor retried.
 * A -j FILE is read again as each job ends.
 *
 * --round-robin: the first blocks start jobs as usual, at most -j of
 * them, each given a pipe as stdin that the dealer (feed.h) writes;
 * then deal_blocks() reads the stream into the dealer's queue while it
 * has room, and these jobs are never started again.
 *
 * --tee: every job is started (all at once: sched_setup() saw to the
 * slots), each given a pipe as stdin; then tee_stream() lets the tee
 * writer (tee.h) copy the whole stream into every one of them.
 *
 * Every job is in exactly one state (job.h), and the state says where
 * it is: PENDING (or NEW, held back by --load or --memfree) in
 * s->pending; STARTING, RUNNING and TERMINATING in
 * s->running; RETRY_WAIT in s->retry; FINISHED with the output policy
 * alone.  The output policy learns of a job when it is first offered to
 * the executor, so with -k a job in any of those states is also in its
 * queue: a job leaves for good only through sched_finish_job(), and is freed
 * once everything before it has been delivered.  Only this thread
 * touches any of it.  What to do (halt, retry, back-off, time limits)
 * is policy.c's to decide; sizes and descriptor counts are budget.c's.
 *
 * The loop's helpers, each on this thread and sharing struct sched
 * (sched_setup.h): a job's start and end (sched_job.c), the termination
 * sequence and lingering groups (sched_term.c), the output policy's
 * side (sched_output.c), --load, --memfree and -j FILE (sched_res.c),
 * -S and --onall (sched_host.c), and --dry-run (sched_dry.c).
 */
#include "sched.h"
#include "sched_setup.h"
#include "sched_dry.h"
#include "sched_job.h"
#include "sched_res.h"
#include "sched_host.h"
#include "sched_output.h"
#include "sched_term.h"
#include "exec.h"
#include "feed.h"
#include "input.h"
#include "job.h"
#include "options.h"
#include "order.h"
#include "policy.h"
#include "report.h"
#include "res.h"
#include "sig.h"
#include "spawn.h"
#include "tee.h"
#include "remote.h"
#include "tmpl.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#define MS	1000000LL

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

static int
can_start(struct sched *s, int64_t now)
{
	if (s->stop != RUNNING || s->nfree == 0 || s->st.running >= s->slots)
		return 0;
	if (order_held(s->order) >= s->hold_max)
		return 0;
	if (s->remote != NULL && remote_pick(s->remote, now) < 0)
		return 0;
	return now >= s->next_start_ns;
}

/*
 * --pipe: input_next() could not keep a block (r < 0).  No descriptor
 * for it is waited out as for a job: *retry_ns becomes when to try
 * again, and 1 is returned.  Anything else stops the run: 0.
 */
static int
block_failed(struct sched *s, int r, int64_t now, int64_t *retry_ns)
{
	if (spawn_err_transient(r)) {
		*retry_ns = now + policy_backoff(&s->policy);
		return 1;
	}
	util_warn(r, "cannot keep a block of input in '%s' (--tmpdir)",
	    s->cfg->tmpdir);
	s->fatal = 1;
	return 0;
}

/* What next_job() found. */
enum next {
	NEXT_JOB,		/* a job to start */
	NEXT_SKIP,		/* none, but look again: the input goes on */
	NEXT_NONE,		/* none now: stop starting */
};

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
		if (!block_failed(s, r, now, &s->next_start_ns))
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
static enum next
next_job(struct sched *s, int64_t now, int *want_input, struct job **jobp)
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

/* Start what can be started now.  Sets *want_input when input blocks. */
static void
start_jobs(struct sched *s, int *want_input)
{
	int64_t now = clock_mono_ns();
	struct job *job;
	enum next found;
	int r;

	*want_input = 0;
	while (can_start(s, now)) {
		found = next_job(s, now, want_input, &job);
		if (found == NEXT_NONE)
			return;
		if (found == NEXT_SKIP)
			continue;
		/* --onall: a job for a host without a free slot waits. */
		if (job->pinned && !remote_ready(s->remote, job->host, now)) {
			if (remote_host(s->remote, job->host)->gone)
				sched_drop_pinned(s, job);
			else
				sched_park(s, job);
			continue;
		}
		r = sched_start_job(s, job);
		if (r < 0) {
			/* Short of a resource: back off, try again. */
			if (job->attempt == 1 && s->pending == NULL) {
				job_set_state(job, JOB_PENDING);
				s->pending = job;
			} else
				sched_retry_add(s, job, now);
			s->next_start_ns = now + policy_backoff(&s->policy);
			return;
		}
		policy_backoff_reset(&s->policy);
		if (policy_delay(&s->policy)) {
			/* From the start stamped, as the logs show it. */
			s->next_start_ns = s->last_start_ns +
			    policy_delay(&s->policy);
			return;
		}
	}
}

/*
 * --round-robin, once its jobs are started: read blocks while the
 * dealer's queue has room.  Sets *want_input when input blocks and
 * *want_room when the queue is full.  The input ends for the dealer
 * when the stream does, when the run stops (the jobs then have their
 * stdin closed, so that they end), or when every job has ended (the
 * rest of the stream goes nowhere).
 */
static void
deal_blocks(struct sched *s, int *want_input, int *want_room)
{
	int64_t now = clock_mono_ns();
	struct args a;
	int r;

	*want_room = 0;
	if (!s->dealing || s->deal_ended)
		return;
	if (s->eof || s->stop != RUNNING ||
	    (s->dealt >= s->slots && s->running == NULL)) {
		feed_deal_end(s->deal, !s->eof || s->stop != RUNNING);
		s->eof = s->deal_ended = 1;
		return;
	}
	if (s->dealt < s->slots)
		return;
	input_pipe_head(s->input, 0);
	while (!(*want_room = feed_deal_full(s->deal))) {
		if (now < s->deal_next_ns)
			return;
		r = input_next(s->input, &a);
		if (r == -EAGAIN) {
			*want_input = 1;
			return;
		}
		if (r < 0 && block_failed(s, r, now, &s->deal_next_ns))
			return;
		if (r <= 0) {
			feed_deal_end(s->deal, r < 0);
			s->eof = s->deal_ended = 1;
			return;
		}
		policy_backoff_reset(&s->policy);
		feed_deal_push(s->deal, a.in_fd, a.in_bytes);
	}
}

/*
 * --tee: the stream is copied once every job has started (the slots
 * stop start_jobs() short of the input's end: the count says it), none
 * waiting to start, or to start again, so that none misses its start; a
 * stop closes every job's stdin instead, so that they end.
 */
static void
tee_stream(struct sched *s)
{
	if (!s->teeing || s->tee_told & TEE_TOLD_END)
		return;
	if (s->stop != RUNNING) {
		tee_end(s->tee);
		s->tee_told |= TEE_TOLD_END;
	} else if (!(s->tee_told & TEE_TOLD_GO) &&
	    (s->eof || s->seq >= s->st.total) &&
	    s->pending == NULL && s->retry == NULL) {
		tee_go(s->tee);
		s->tee_told |= TEE_TOLD_GO;
	}
}

/* When a job may start next, if one waits (INT64_MAX: none). */
static int64_t
next_start(const struct sched *s, int64_t now)
{
	int64_t next = INT64_MAX;

	/* No slot free: a job's end wakes the loop. */
	if (s->nfree == 0 || s->st.running >= s->slots)
		return INT64_MAX;
	/* -S: every host with room waits out a failure; or none has room. */
	if (s->remote != NULL && remote_pick(s->remote, now) < 0) {
		next = remote_next_ns(s->remote, now);
		return next > 0 ? next : INT64_MAX;
	}
	/* --onall: a parked job's host may be waiting out a failure. */
	if (s->parked != NULL &&
	    (next = remote_next_ns(s->remote, now)) == 0)
		next = INT64_MAX;
	if (s->retry != NULL && s->retry->deadline_ns < next)
		next = s->retry->deadline_ns;
	if (s->next_start_ns > now && s->next_start_ns < next)
		next = s->next_start_ns;
	/*
	 * A job held back by a shortage is due even when its back-off
	 * passed while we got here: waiting for nothing would hang.
	 */
	if (s->pending != NULL && s->next_start_ns < next)
		next = s->next_start_ns;
	/*
	 * Held back by --load or --memfree, nothing starts before the next
	 * look, whatever else was due: wait for it, not spin.
	 */
	if (s->res.held && next != INT64_MAX && next < s->res.next_ns)
		next = s->res.next_ns;
	return next;
}

/* Fire the deadlines that passed; return ms to the next one, or -1. */
static int
fire_deadlines(struct sched *s)
{
	int64_t now = clock_mono_ns(), next = INT64_MAX, start, linger;
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		if (job->deadline_ns == 0)
			continue;
		if (job->deadline_ns <= now) {
			if (job->state == JOB_RUNNING) {
				job->timed_out = 1;
				report_timed_out(s->report,
				    job_line(&s->maker, job));
				sched_terminate(s, job, now);
			} else
				sched_term_next(s, job, 0, &job->term_step,
				    &job->deadline_ns, now);
		}
		if (job->deadline_ns && job->deadline_ns < next)
			next = job->deadline_ns;
	}
	if (s->stop == RUNNING) {
		start = next_start(s, now);
		if (start < next)
			next = start;
		if (s->deal_next_ns > now && s->deal_next_ns < next)
			next = s->deal_next_ns;
		/* --memfree also looks while jobs run. */
		if (s->cfg->memfree > 0 && s->running != NULL &&
		    s->res.next_ns < next)
			next = s->res.next_ns;
	} else if (s->retry != NULL && s->retry->deadline_ns < next)
		next = s->retry->deadline_ns;	/* drop_waiting() is due */
	if ((linger = sched_linger_fire(s, now)) < next)
		next = linger;
	if (next == INT64_MAX)
		return -1;
	if (next <= now)
		return 0;
	/*
	 * A wait takes an int of ms, about 24.8 days: wake up then and look
	 * again rather than let a later deadline wrap around.
	 */
	if ((next - now + MS - 1) / MS > INT_MAX)
		return INT_MAX;
	return (int)((next - now + MS - 1) / MS);
}

static void
list_running(struct sched *s)
{
	int64_t now = clock_mono_ns();
	struct job *job;

	util_warn(0, "%ld jobs running", s->st.running);
	for (job = s->running; job != NULL; job = job->next)
		/* Not the pid: the executor owns it while the job runs. */
		util_warn(0, "job %ld (slot %ld, %.1fs): %s", job->seq,
		    job->slot, (double)(now - job->start_ns) / 1e9,
		    job_line(&s->maker, job));
}

static void
stop_jobs(struct sched *s)
{
	struct job *job;

	for (job = s->running; job != NULL; job = job->next)
		s->ops->signal(s->exec, job, SIGSTOP);
	sched_linger_signal(s, SIGSTOP, 0);
	raise(SIGSTOP);
	/* Resumed. */
	for (job = s->running; job != NULL; job = job->next)
		s->ops->signal(s->exec, job, SIGCONT);
	sched_linger_signal(s, SIGCONT, 0);
}

static void
handle_signals(struct sched *s)
{
	int ints, terms;

	sig_drain();
	ints = sig_take(SIGINT);
	terms = sig_take(SIGTERM);
	if (ints + terms > 0) {
		/* The first stops and ends; a second kills at once. */
		if (s->kills == 0)
			sched_end_run(s, terms ? SIGTERM : SIGINT);
		s->kills += ints + terms;
		if (s->kills > 1)
			sched_kill_all(s);
	}
	if (sig_take(SIGHUP) && s->stop == RUNNING)
		s->stop = DRAINING;
	if (sig_take(SIGTSTP))
		stop_jobs(s);
	if (sig_take(SIGUSR1))
		list_running(s);
}

/*
 * Once no job may start again, jobs waiting for a retry are finished:
 * their last attempt failed, and that is how they are reported.
 */
static void
drop_waiting(struct sched *s)
{
	struct job *job;

	if ((job = s->pending) != NULL) {
		/*
		 * Made but never started: it has no output and no log line.
		 * The output policy holds it too (-k may have jobs before it
		 * still to deliver), so it leaves through there; unless
		 * --load or --memfree held it back before it was offered.
		 */
		s->pending = NULL;
		s->seq--;
		job->killed = 1;
		if (job->state == JOB_NEW)
			job_free(job);
		else
			sched_finish_job(s, job, 1);
	}
	if (s->onall != NULL) {
		job_free(s->onall);
		s->onall = NULL;
	}
	while ((job = s->parked) != NULL) {
		s->parked = job->next;
		s->nparked--;
		job->next = NULL;
		job->killed = 1;
		if (job->state == JOB_NEW)
			job_free(job);
		else
			sched_finish_job(s, job, 1);
	}
	while ((job = s->retry) != NULL) {
		s->retry = job->next;
		job->next = NULL;
		job->deadline_ns = 0;
		/* Ended by --memfree, it did not finish: as one cut short. */
		if (job->evicted)
			job->killed = 1;
		sched_finish_job(s, job, job->evicted);
	}
}

static int
finish(struct sched *s)
{
	struct buf why = { 0 };

	/* A closed output (SIGPIPE) ends the run with nothing to tell. */
	if (s->die_signal && s->die_signal != SIGPIPE) {
		buf_adds(&why, "interrupted by ");
		sig_addname(&why, s->die_signal);
	} else if (s->exit_override >= 0)
		buf_adds(&why, "halted by --halt");
	sched_host_counts(s);
	report_end(s->report, &s->st, why.p);
	buf_free(&why);
	/* Before a signal ends us: the hosts' connections close too. */
	remote_close(s->remote);
	s->remote = NULL;
	if (s->die_signal) {
		fflush(stdout);
		sig_die(s->die_signal);
	}
	if (s->fatal)
		return 255;
	if (s->exit_override >= 0)
		return s->exit_override;
	return policy_status(&s->policy, s->st.started, s->st.failed);
}

int
sched_run(const struct config *cfg)
{
	struct sched sched = { 0 }, *s = &sched;
	struct exec_watch w[EXEC_WATCH_MAX];
	int want_input, want_room, timeout, r;
	size_t nw;

	sched_setup(s, cfg,
	    &(struct order_hooks){ s, sched_on_delivered, sched_on_writing },
	    &(struct exec_hooks){ s, sched_on_output, sched_on_done });
	for (;;) {
		sched_watch_memory(s);
		start_jobs(s, &want_input);
		deal_blocks(s, &want_input, &want_room);
		tee_stream(s);
		if (s->stop != RUNNING)
			drop_waiting(s);
		if (s->running == NULL && s->retry == NULL &&
		    s->pending == NULL && s->linger == NULL &&
		    s->parked == NULL && s->onall == NULL &&
		    (s->eof || s->stop != RUNNING))
			break;
		timeout = fire_deadlines(s);
		if (report_wants_ticks(s->report) &&
		    (timeout < 0 || timeout > 100))
			timeout = 100;
		/*
		 * Fixed slots: signals, stdout, input, --round-robin's room
		 * for a block; -1 when unused.  A pipe's write end reports an
		 * error once its reader is gone, so jobs that hold their
		 * output a long time do not keep fanout running for a reader
		 * that left.
		 */
		w[0].fd = sig_fd();
		w[1].fd = s->watch_stdout && !s->out_gone ? 1 : -1;
		w[2].fd = want_input ? input_fd(s->input) : -1;
		w[3].fd = want_room ? s->deal_room : -1;
		nw = 4;
		r = s->ops ? s->ops->wait(s->exec, timeout, w, nw) :
		    sched_dry_wait(timeout, w, nw);
		if (r < 0 && r != -EINTR)
			util_die(r, "waiting for jobs");
		if (w[0].ready)
			handle_signals(s);
		if (w[1].fd >= 0 && w[1].ready)
			sched_output_failed(s, -EPIPE);	/* the reader left */
		if (w[2].fd >= 0 && w[2].ready &&
		    (r = input_fill(s->input)) < 0 && r != -EAGAIN) {
			util_warn(r, "cannot read input");
			s->fatal = 1;
			s->eof = 1;
		}
		fire_deadlines(s);
		sched_host_counts(s);
		report_tick(s->report, &s->st);
	}
	r = finish(s);
	sched_teardown(s);
	return r;
}
