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
 * --pipe: once no job can start, the next block is cut ahead
 * (sched_next_ahead()), so that reading the stream and keeping the block
 * overlap the jobs that run rather than wait for a slot to free.
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
 * (sched_setup.h): the job to start next (sched_next.c), a job's start
 * and end (sched_job.c), the termination sequence and lingering groups
 * (sched_term.c), the output policy's side (sched_output.c), --load,
 * --memfree and -j FILE (sched_res.c), -S and --onall (sched_host.c),
 * and --dry-run (sched_dry.c).
 */
#include "sched.h"
#include "sched_setup.h"
#include "sched_dry.h"
#include "sched_job.h"
#include "sched_next.h"
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
#include "tee.h"
#include "remote.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>

#define MS	1000000LL

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
		found = sched_next_job(s, now, want_input, &job);
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
	struct feed_src src;
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
		if (r < 0 && sched_block_failed(s, r, now, &s->deal_next_ns))
			return;
		if (r <= 0) {
			feed_deal_end(s->deal, r < 0);
			s->eof = s->deal_ended = 1;
			return;
		}
		policy_backoff_reset(&s->policy);
		src = (struct feed_src){ .fd = a.in_fd, .off = a.in_off,
		    .len = a.in_bytes - a.in_head_len, .head = a.in_head,
		    .head_len = a.in_head_len };
		feed_deal_push(s->deal, &src, !a.in_shared);
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
		sched_next_ahead(s, &want_input);
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
