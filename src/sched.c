/*
 * sched: the supervision loop.  One turn of the loop: apply the signals
 * that arrived, start jobs while a slot is free (and the input has a
 * record, the output is not backed up, no delay or back-off is pending),
 * then let the executor wait until the next deadline, and fire the
 * deadlines that passed (time limits, termination sequence steps,
 * retries waiting out their back-off).
 *
 * Every job is in exactly one place: being prepared (pending), with the
 * executor (running), waiting for a retry (retry list), or held by the
 * output policy until its output is delivered; then it is reported and
 * freed.  The output policy learns of a job when it is first offered to
 * the executor, so with -k a job in any of the first three places is
 * also in its queue: a job leaves for good only through order_done(),
 * which frees it once everything before it has been delivered.  Only
 * this thread touches any of it.
 */
#include "sched.h"
#include "exec.h"
#include "hist.h"
#include "input.h"
#include "job.h"
#include "options.h"
#include "quote.h"
#include "order.h"
#include "report.h"
#include "sig.h"
#include "spawn.h"
#include "tmpl.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

#define MS	1000000LL
#define RETRY_DELAY_MAX	(3600LL * 1000 * MS)
#define TIMEOUT_MAX	(1000000000LL * 1000 * MS)	/* as a duration's */

/* -s: what each value adds to the command line besides its bytes. */
struct xargs_count {
	size_t	 per_value;
};

enum stop {
	RUNNING,		/* starting jobs */
	DRAINING,		/* no new jobs; running ones finish (HUP, halt soon) */
	ENDING,			/* no new jobs; running ones are being ended */
};

struct sched {
	const struct config	*cfg;
	const struct exec_ops	*ops;
	struct exec		*exec;
	struct input		*input;
	struct tmpl		*tmpl;
	struct tmpl		*tagtmpl;	/* --tagstring */
	struct xargs_count	 xcount;	/* -s */
	struct order		*order;
	struct report		*report;
	struct run_stats	 st;

	long		 seq;		/* last sequence number given */
	int		 eof;
	struct job	*pending;	/* made, not yet started */
	struct job	*running;	/* list through next */
	struct job	*retry;		/* waiting to run again, by time */
	long		*free_slots;	/* stack of free slot numbers */
	long		 nfree;
	size_t		 hold_max;	/* -k back-pressure */

	enum stop	 stop;
	int		 die_signal;	/* die of it at the end (INT, TERM, PIPE) */
	int		 kills;		/* INT/TERM received */
	int		 exit_override;	/* halt: exit with this, or -1 */
	int		 fatal;		/* fanout itself failed: exit 255 */
	int		 watch_stdout;	/* stdout is a pipe: notice its close */
	int64_t		 next_start_ns;	/* --delay, or back-off after EMFILE */
	int64_t		 backoff_ns;

	/*
	 * Jobs that ended for good and were not ended by fanout, counted
	 * when they end: --halt depends on jobs finishing, never on when -k
	 * lets their output out (st counts at delivery).
	 */
	long		 ended, ended_failed;

	/* --timeout N%: runtimes of the jobs that succeeded. */
	struct hist	 ok_runtimes;
	int64_t		 timeout_ns;	/* in force now; 0 = none */

	const char	*shell;
	char		**env;		/* environ without our own variables */
	size_t		 nenv;
	struct buf	 scratch;
	struct buf	 linebuf;	/* job_line's */
	struct arg	*argv_view;	/* a job's args, for expansion */
	size_t		 argv_view_cap;
};

/* Variables every job gets; removed from the inherited environment. */
static const char *const job_vars[] = {
	"FANOUT_SEQ", "FANOUT_SLOT", "FANOUT_ATTEMPT", "PARALLEL_SEQ",
	"PARALLEL_JOBSLOT",
};

static int
is_job_var(const char *kv)
{
	size_t i, n;

	for (i = 0; i < ARRAY_SIZE(job_vars); i++) {
		n = strlen(job_vars[i]);
		if (strncmp(kv, job_vars[i], n) == 0 && kv[n] == '=')
			return 1;
	}
	return 0;
}

static void
env_init(struct sched *s)
{
	size_t n = 0, i;

	while (environ[n] != NULL)
		n++;
	s->env = xcalloc(n + 1, sizeof(*s->env));
	for (i = 0; i < n; i++)
		if (!is_job_var(environ[i]))
			s->env[s->nenv++] = environ[i];
}

/* The job's values as a struct args, in sched's reusable view. */
static struct args
job_args(struct sched *s, const struct job *job)
{
	struct args a = { 0 };
	const char *p = job->args;
	size_t i;

	s->argv_view = xgrow(s->argv_view, &s->argv_view_cap,
	    job->nargs ? job->nargs : 1, sizeof(*s->argv_view));
	for (i = 0; i < job->nargs; i++) {
		size_t len;

		memcpy(&len, p, sizeof(len));
		p += sizeof(len);
		s->argv_view[i].p = p;
		s->argv_view[i].len = len;
		p += len + 1;
	}
	a.v = s->argv_view;
	a.n = job->nargs;
	return a;
}

static void
tmpl_context(struct sched *s, const struct job *job, struct args *a,
    struct tmpl_ctx *ctx)
{
	*a = job_args(s, job);
	ctx->args = a;
	ctx->seq = job->seq;
	ctx->slot = job->slot;
	ctx->total = s->st.total;
}

/* The shell line of a job, built when first needed. */
static const char *
job_line(struct sched *s, struct job *job)
{
	struct tmpl_ctx ctx;
	struct args a;

	if (job->line == NULL) {
		tmpl_context(s, job, &a, &ctx);
		buf_clear(&s->linebuf);
		tmpl_line(s->tmpl, &ctx, &s->linebuf);
		job->line = xmemdup(s->linebuf.p, s->linebuf.len);
	}
	return job->line;
}

static int
wants_line(const struct config *cfg)
{
	return cfg->verbose || cfg->trace || cfg->joblog || cfg->report ||
	    cfg->dry_run || cfg->results || cfg->summary;
}

/* A new job from an argument list; copies the values. */
static struct job *
job_new(struct sched *s, const struct args *a)
{
	struct job *job = xcalloc(1, sizeof(*job));
	size_t i, len = 0;
	char *p;

	for (i = 0; i < a->n; i++)
		len += sizeof(size_t) + a->v[i].len + 1;
	job->args = p = xmalloc(len ? len : 1);
	for (i = 0; i < a->n; i++) {
		memcpy(p, &a->v[i].len, sizeof(size_t));
		p += sizeof(size_t);
		memcpy(p, a->v[i].p, a->v[i].len);
		p += a->v[i].len;
		*p++ = '\0';
	}
	job->nargs = a->n;
	job->args_len = len;
	job->seq = ++s->seq;
	job->attempt = 1;
	spool_init(&job->out);
	spool_init(&job->err);
	if (s->cfg->tag) {
		struct buf t = { 0 };

		for (i = 0; i < a->n; i++) {
			if (i)
				buf_addc(&t, ' ');
			buf_add(&t, a->v[i].p, a->v[i].len);
		}
		buf_addc(&t, '\t');
		job->tag = t.p;
		job->tag_len = t.len;
	}
	return job;
}

static void
job_free(struct job *job)
{
	spool_free(&job->out);
	spool_free(&job->err);
	free(job->args);
	free(job->tag);
	free(job->line);
	free(job->strings);
	free(job->argv);
	free(job);
}

/* Decimal digits of v, without printf's cost on this hot path. */
static void
add_number(struct buf *b, long v)
{
	char digits[24], *p = digits + sizeof(digits);
	unsigned long u = v < 0 ? -(unsigned long)v : (unsigned long)v;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (v < 0)
		*--p = '-';
	buf_add(b, p, (size_t)(digits + sizeof(digits) - p));
}

/*
 * Build the job's argv and environment for its slot and attempt.  All
 * strings go into one allocation; the pointer arrays into another.
 */
static void
job_prepare(struct sched *s, struct job *job)
{
	struct buf *b = &s->scratch;
	size_t argc, i, nvars, off_line = 0;
	struct tmpl_ctx ctx;
	struct args a;
	size_t offs[ARRAY_SIZE(job_vars)];
	const char *direct = tmpl_direct(s->tmpl);
	char *p;

	free(job->strings);
	free(job->argv);
	if (wants_line(s->cfg) || !direct) {
		free(job->line);
		job->line = NULL;
		job_line(s, job);
	}
	buf_clear(b);
	nvars = ARRAY_SIZE(job_vars);
	for (i = 0; i < nvars; i++) {
		long v = i == 2 ? job->attempt :
		    (i == 1 || i == 4) ? job->slot : job->seq;

		offs[i] = b->len;
		buf_adds(b, job_vars[i]);
		buf_addc(b, '=');
		add_number(b, v);
		buf_addc(b, '\0');
	}
	if (direct) {
		tmpl_context(s, job, &a, &ctx);
		off_line = b->len;
		argc = tmpl_argv(s->tmpl, &ctx, b);
	} else
		argc = 3;
	job->strings = xmemdup(b->p, b->len);
	job->argv = xcalloc(argc + 1 + s->nenv + nvars + 1, sizeof(char *));
	if (direct) {
		job->path = direct;
		p = job->strings + off_line;
		for (i = 0; i < argc; i++) {
			job->argv[i] = p;
			p += strlen(p) + 1;
		}
	} else {
		job->path = s->shell;
		job->argv[0] = (char *)s->shell;
		job->argv[1] = (char *)"-c";
		job->argv[2] = job->line;
	}
	job->envp = job->argv + argc + 1;
	memcpy(job->envp, s->env, s->nenv * sizeof(char *));
	for (i = 0; i < nvars; i++)
		job->envp[s->nenv + i] = job->strings + offs[i];
}

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
	job->running = 1;
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
	job->running = 0;
	s->st.running--;
}

/* Begin ending a job with the termination sequence. */
static void
terminate(struct sched *s, struct job *job, int64_t now)
{
	const struct config *cfg = s->cfg;

	if (!job->running || job->term_step > 0)
		return;
	s->ops->signal(s->exec, job, cfg->termseq[0].signo);
	job->term_step = 1;
	job->deadline_ns = now + cfg->termseq[0].ms * MS;
}

static void
terminate_all(struct sched *s, int killed)
{
	int64_t now = clock_mono_ns();
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		if (killed)
			job->killed = 1;
		terminate(s, job, now);
	}
}

static void
kill_all(struct sched *s)
{
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		job->killed = 1;
		s->ops->signal(s->exec, job, SIGKILL);
	}
}

/* Stop starting jobs and end the running ones; die of signo at the end. */
static void
end_run(struct sched *s, int signo)
{
	if (signo)
		s->die_signal = signo;
	if (s->stop != ENDING) {
		s->stop = ENDING;
		terminate_all(s, 1);
	}
}

/* A write to our output failed. */
static void
output_failed(struct sched *s, int r)
{
	if (r == -EPIPE) {
		/* Downstream is gone: nothing to say, die of SIGPIPE. */
		end_run(s, SIGPIPE);
		return;
	}
	if (!s->fatal)
		util_warn(r, "cannot write output");
	s->fatal = 1;
	end_run(s, 0);
}

static void
on_output(void *ctx, struct job *job, int stream, const char *p, size_t n)
{
	struct sched *s = ctx;
	int r;

	if (s->die_signal == SIGPIPE || s->fatal)
		return;
	if ((r = order_output(s->order, job, stream, p, n)) < 0)
		output_failed(s, r);
}

static void
on_delivered(void *ctx, struct job *job)
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
			end_run(s, 0);
		}
	}
	job_free(job);
}

/* Job output is about to reach fd: the progress line makes way. */
static void
on_writing(void *ctx, int fd)
{
	struct sched *s = ctx;

	report_writing(s->report, fd);
}

/* The message a job that could not be executed gets, on its stderr. */
static void
spawn_message(struct job *job)
{
	const char *prog = job->argv[0];
	struct buf m = { 0 };

	if (job->spawn_err == -E2BIG)
		buf_addf(&m, "fanout: job %ld: argument list too long "
		    "(%zu bytes) for '%s'\n", job->seq, job->args_len, prog);
	else if (job->spawn_err == -ENOENT)
		buf_addf(&m, "fanout: job %ld: %s: command not found\n",
		    job->seq, prog);
	else
		buf_addf(&m, "fanout: job %ld: cannot execute '%s': %s\n",
		    job->seq, prog, strerror(-job->spawn_err));
	if (job->ungroup || job->live)
		(void)!write(2, m.p, m.len);
	else
		spool_append(&job->err, m.p, m.len);
	buf_free(&m);
}

static void
note_success(struct sched *s, int64_t runtime)
{
	const struct config *cfg = s->cfg;
	double t;

	if (cfg->timeout_pct <= 0)
		return;
	hist_add(&s->ok_runtimes, runtime);
	t = (double)hist_quantile(&s->ok_runtimes, 0.5) * cfg->timeout_pct /
	    100.0;
	/* Far beyond any run, and start_ns + limit cannot overflow. */
	if (t > (double)TIMEOUT_MAX)
		t = (double)TIMEOUT_MAX;
	s->timeout_ns = t < MS ? MS : (int64_t)t;
}

/* --halt: is it time to stop, after this job?  It is counted in ended. */
static void
check_halt(struct sched *s, const struct job *job)
{
	const struct config *cfg = s->cfg;
	long count, base;
	int hit, failed = job_failed(job);

	if (cfg->halt_when == HALT_NEVER || s->stop == ENDING)
		return;
	switch (cfg->halt_what) {
	case HALT_FAIL:
		if (!failed)
			return;
		count = s->ended_failed;
		break;
	case HALT_SUCCESS:
		if (failed)
			return;
		count = s->ended - s->ended_failed;
		break;
	default:
		count = s->ended;
		break;
	}
	if (cfg->halt_pct > 0) {
		base = s->st.total > 0 ? s->st.total : s->ended;
		hit = count * 100.0 >= cfg->halt_pct * (double)base &&
		    s->ended >= 3;
	} else
		hit = count >= cfg->halt_count;
	if (!hit)
		return;
	/*
	 * GNU's exit status on a halt: a single job that tripped it gives
	 * its own status (128 + S when killed by signal S), a count gives
	 * the count, a percentage the percentage, success 0.
	 */
	if (cfg->halt_what == HALT_SUCCESS)
		s->exit_override = 0;
	else if (cfg->halt_pct > 0)
		s->exit_override = (int)cfg->halt_pct;
	else if (cfg->halt_count == 1)
		s->exit_override = job_exit_status(job);
	else
		s->exit_override = cfg->halt_count > 100 ? 101 :
		    (int)cfg->halt_count;
	if (cfg->halt_when == HALT_NOW)
		end_run(s, 0);
	else if (s->stop == RUNNING)
		s->stop = DRAINING;
}

static void
retry_add(struct sched *s, struct job *job, int64_t when)
{
	struct job **pp = &s->retry;

	job->deadline_ns = when;
	while (*pp != NULL && (*pp)->deadline_ns <= when)
		pp = &(*pp)->next;
	job->next = *pp;
	*pp = job;
}

static int
may_retry(struct sched *s, const struct job *job)
{
	const struct config *cfg = s->cfg;

	if (!job_failed(job) || job->killed || s->stop != RUNNING)
		return 0;
	return cfg->retries == 0 || job->attempt < cfg->retries;
}

static void
on_done(void *ctx, struct job *job)
{
	struct sched *s = ctx;
	int64_t delay;
	int r;

	running_del(s, job);
	slot_give(s, job->slot);
	report_attempt(s->report, job);
	job->deadline_ns = 0;
	if (job->end == JOB_SPAWN_FAILED)
		spawn_message(job);
	if (job->out.err || job->err.err) {
		util_warn(job->out.err ? job->out.err : job->err.err,
		    "job %ld: cannot hold its output in '%s'", job->seq,
		    s->cfg->tmpdir);
		s->fatal = 1;
		end_run(s, 0);
	}
	if (may_retry(s, job)) {
		s->st.retried++;
		delay = s->cfg->retry_delay_ns;
		for (r = 1; r < job->attempt && delay < RETRY_DELAY_MAX; r++)
			delay *= 2;
		if (delay > RETRY_DELAY_MAX)
			delay = RETRY_DELAY_MAX;
		if ((r = order_retry(s->order, job)) < 0)
			output_failed(s, r);
		job->out_bytes = job->err_bytes = 0;
		job->attempt++;
		job->term_step = 0;
		job->timed_out = 0;
		retry_add(s, job, clock_mono_ns() + delay);
		return;
	}
	if (!job->killed) {
		s->ended++;
		if (job_failed(job))
			s->ended_failed++;
		else
			note_success(s, job->end_ns - job->start_ns);
		check_halt(s, job);
	}
	if (job_failed(job) && !job->killed)
		job_line(s, job);	/* for the failure list */
	if (s->die_signal == SIGPIPE)
		job->killed = 1;
	if ((r = order_done(s->order, job, job->killed)) < 0)
		output_failed(s, r);
}

/* --tagstring: expanded at start, when {%} is known; then a TAB (GNU). */
static void
job_tagstring(struct sched *s, struct job *job)
{
	struct tmpl_ctx ctx;
	struct args a;
	struct buf t = { 0 };

	tmpl_context(s, job, &a, &ctx);
	tmpl_text(s->tagtmpl, &ctx, &t);
	buf_addc(&t, '\t');
	free(job->tag);
	job->tag = t.p;
	job->tag_len = t.len;
}

static int
start(struct sched *s, struct job *job)
{
	int first = job->attempt == 1;
	int r;

	job->slot = slot_take(s);
	job_prepare(s, job);
	job->live = order_live(s->order);
	job->ungroup = s->cfg->output == OUTPUT_UNGROUP;
	if (!job->queued) {
		job->queued = 1;
		if ((r = order_started(s->order, job)) < 0) {
			/* It never ran: order still owns it, and drops it. */
			slot_give(s, job->slot);
			job->killed = 1;
			output_failed(s, r);
			if ((r = order_done(s->order, job, 1)) < 0)
				output_failed(s, r);
			return 0;
		}
	}
	if (s->cfg->trace) {
		buf_clear(&s->scratch);
		buf_adds(&s->scratch, job->line);
		buf_addc(&s->scratch, '\n');
		(void)!write(2, s->scratch.p, s->scratch.len);
	}
	if (s->tagtmpl != NULL)
		job_tagstring(s, job);
	running_add(s, job);
	/* Stamped here, once, so that every mode measures alike. */
	job->start_ns = clock_mono_ns();
	job->start_wall_ns = clock_wall_ns();
	r = s->ops->start(s->exec, job);
	if (r < 0) {
		running_del(s, job);
		slot_give(s, job->slot);
		return r;
	}
	report_started(s->report, job);
	if (first)
		s->st.started++;
	job->limit_ns = s->cfg->timeout_ns ? s->cfg->timeout_ns :
	    s->timeout_ns;
	if (job->limit_ns > 0)
		job->deadline_ns = job->start_ns + job->limit_ns;
	return 0;
}

static void
dry_run(struct sched *s, struct job *job)
{
	int r;

	job->slot = 1 + (job->seq - 1) % s->cfg->jobs;
	buf_clear(&s->scratch);
	buf_adds(&s->scratch, job_line(s, job));
	buf_addc(&s->scratch, '\n');
	if ((r = write_all(1, s->scratch.p, s->scratch.len)) < 0)
		output_failed(s, r);
	job_free(job);
}

static int
can_start(struct sched *s, int64_t now)
{
	if (s->stop != RUNNING || s->nfree == 0)
		return 0;
	if (order_held(s->order) >= s->hold_max)
		return 0;
	return now >= s->next_start_ns;
}

/* Start what can be started now.  Sets *want_input when input blocks. */
static void
start_jobs(struct sched *s, int *want_input)
{
	int64_t now = clock_mono_ns();
	struct args a;
	struct job *job;
	long seq = 0;
	int r;

	*want_input = 0;
	while (can_start(s, now)) {
		if (s->retry != NULL && s->retry->deadline_ns <= now) {
			job = s->retry;
			s->retry = job->next;
			job->next = NULL;
			job->deadline_ns = 0;
		} else if (s->pending != NULL) {
			job = s->pending;
			s->pending = NULL;
		} else if (!s->eof) {
			/* --retry-failed: the joblog's commands. */
			r = s->cfg->retry_failed ?
			    input_next_failed(s->input, &a, &seq) :
			    input_next(s->input, &a);
			if (r == -EAGAIN) {
				*want_input = 1;
				return;
			}
			if (r < 0) {
				util_warn(r, "cannot read input");
				s->fatal = 1;
				s->eof = 1;
				return;
			}
			if (r == 0) {
				s->eof = 1;
				return;
			}
			job = job_new(s, &a);
			if (s->cfg->retry_failed)
				job->seq = seq;
			else if (report_skip(s->report, job->seq)) {
				job_free(job);
				continue;
			}
			if (s->cfg->dry_run) {
				dry_run(s, job);
				continue;
			}
		} else
			return;
		r = start(s, job);
		if (r < 0) {
			/* Short of a resource: back off, try again. */
			if (job->attempt == 1 && s->pending == NULL)
				s->pending = job;
			else
				retry_add(s, job, now);
			s->backoff_ns = s->backoff_ns ? s->backoff_ns * 2 :
			    10 * MS;
			if (s->backoff_ns > 1000 * MS)
				s->backoff_ns = 1000 * MS;
			s->next_start_ns = now + s->backoff_ns;
			return;
		}
		s->backoff_ns = 0;
		if (s->cfg->delay_ns) {
			s->next_start_ns = now + s->cfg->delay_ns;
			return;
		}
	}
}

/* Fire the deadlines that passed; return ms to the next one, or -1. */
static int
fire_deadlines(struct sched *s)
{
	const struct config *cfg = s->cfg;
	int64_t now = clock_mono_ns(), next = INT64_MAX;
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		if (job->deadline_ns == 0)
			continue;
		if (job->deadline_ns <= now) {
			if (job->term_step == 0) {
				job->timed_out = 1;
				terminate(s, job, now);
			} else if ((size_t)job->term_step < cfg->ntermseq) {
				const struct termstep *t =
				    &cfg->termseq[job->term_step++];

				s->ops->signal(s->exec, job, t->signo);
				job->deadline_ns = now + t->ms * MS;
			} else
				job->deadline_ns = 0;
		}
		if (job->deadline_ns && job->deadline_ns < next)
			next = job->deadline_ns;
	}
	if (s->retry != NULL && s->retry->deadline_ns < next)
		next = s->retry->deadline_ns;
	if (s->next_start_ns > now && s->next_start_ns < next &&
	    s->stop == RUNNING)
		next = s->next_start_ns;
	/*
	 * A job held back by a shortage is due even when its back-off
	 * passed while we got here: waiting for nothing would hang.
	 */
	if (s->pending != NULL && s->stop == RUNNING &&
	    s->next_start_ns < next)
		next = s->next_start_ns;
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
		    job_line(s, job));
}

static void
stop_jobs(struct sched *s)
{
	struct job *job;

	for (job = s->running; job != NULL; job = job->next)
		s->ops->signal(s->exec, job, SIGSTOP);
	raise(SIGSTOP);
	/* Resumed. */
	for (job = s->running; job != NULL; job = job->next)
		s->ops->signal(s->exec, job, SIGCONT);
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
			end_run(s, terms ? SIGTERM : SIGINT);
		s->kills += ints + terms;
		if (s->kills > 1)
			kill_all(s);
	}
	if (sig_take(SIGHUP) && s->stop == RUNNING)
		s->stop = DRAINING;
	if (sig_take(SIGTSTP))
		stop_jobs(s);
	if (sig_take(SIGUSR1))
		list_running(s);
}

/*
 * Raise the descriptor limit for -j jobs, or lower -j.  Jobs keep the
 * limit fanout was started with.
 */
static long
fit_descriptors(long jobs, int unbounded)
{
	struct rlimit rl;
	rlim_t need, room, start;
	long fit;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return jobs;
	start = rl.rlim_cur;
	/* Per job: 3 running descriptors, 4 while spawning, spills held. */
	need = (rlim_t)jobs * 8 + 64;
	if (unbounded || rl.rlim_cur < need) {
		rlim_t want = unbounded ? rl.rlim_max : need;

		if (want > rl.rlim_max)
			want = rl.rlim_max;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	/* The raise is for fanout's descriptors, not for the jobs. */
	if (rl.rlim_cur > start)
		spawn_set_nofile(start);
	room = rl.rlim_cur > 64 ? rl.rlim_cur - 64 : 0;
	fit = (long)(room / 8);
	if (fit < 1)
		fit = 1;
	if (unbounded) {
		if (fit > 32768)
			fit = 32768;
		return fit;
	}
	if (fit < jobs) {
		util_warn(0, "-j %ld: only %ld jobs fit in the descriptor "
		    "limit (%llu); running %ld at once", jobs, fit,
		    (unsigned long long)rl.rlim_cur, fit);
		return fit;
	}
	return jobs;
}

/*
 * Once no job may start again, jobs waiting for a retry are finished:
 * their last attempt failed, and that is how they are reported.
 */
static void
drop_waiting(struct sched *s)
{
	struct job *job;
	int r;

	if ((job = s->pending) != NULL) {
		/*
		 * Made but never started: it has no output and no log line.
		 * The output policy holds it too (-k may have jobs before it
		 * still to deliver), so it leaves through there.
		 */
		s->pending = NULL;
		s->seq--;
		job->killed = 1;
		if ((r = order_done(s->order, job, 1)) < 0)
			output_failed(s, r);
	}
	while ((job = s->retry) != NULL) {
		s->retry = job->next;
		job->next = NULL;
		job->deadline_ns = 0;
		if ((r = order_done(s->order, job, 0)) < 0)
			output_failed(s, r);
	}
}

static int
finish(struct sched *s)
{
	report_end(s->report, &s->st);
	if (s->die_signal) {
		fflush(stdout);
		sig_die(s->die_signal);
	}
	if (s->fatal)
		return 255;
	if (s->exit_override >= 0)
		return s->exit_override;
	return s->st.failed > 100 ? 101 : (int)s->st.failed;
}

/* --dry-run has no engine: wait for input and signals alone. */
static int
wait_watches(int timeout_ms, struct exec_watch *w, size_t n)
{
	struct pollfd pfd[3];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		pfd[i].fd = w[i].fd;
		pfd[i].events = POLLIN;
	}
	r = poll(pfd, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		w[i].ready = pfd[i].revents != 0;
	return r;
}

/*
 * A value's cost against the argument limit: its bytes in the command
 * line, and for a program run directly also the argv pointer the kernel
 * counts for each argument.
 */
static size_t
arg_cost(void *tmpl, const struct arg *a)
{
	return tmpl_arg_cost(tmpl, a->p, a->len) +
	    (tmpl_direct(tmpl) != NULL ? sizeof(char *) : 0);
}

/*
 * -s counts as xargs does: the bytes of the command line, each word with
 * its terminating NUL.  Measure the real line for one and for two values
 * to find the fixed part and what each value adds besides its own bytes.
 */
static size_t
xargs_cost(void *ctx, const struct arg *a)
{
	const struct xargs_count *x = ctx;

	return quote_len(a->p, a->len) + x->per_value;
}

static size_t
xargs_base(const struct tmpl *t, struct xargs_count *x)
{
	struct arg v[2] = { { "x", 1 }, { "x", 1 } };
	struct args a = { v, 1, 1 };
	struct tmpl_ctx ctx = { &a, 1, 1, -1 };
	struct buf b = { 0 };
	size_t one, two;

	tmpl_line(t, &ctx, &b);
	one = b.len;
	buf_clear(&b);
	a.n = 2;
	tmpl_line(t, &ctx, &b);
	two = b.len;
	buf_free(&b);
	/*
	 * line(n) = fixed + n * (per_value + value bytes); xargs counts the
	 * line and its final NUL.
	 */
	x->per_value = two - one - 1;
	return one - x->per_value;
}

static void
setup(struct sched *s, const struct config *cfg)
{
	const char *msg = NULL, *const *names;
	struct order_hooks oh = { s, on_delivered, on_writing };
	struct exec_hooks eh = { s, on_output, on_done };
	size_t nnames, limit;
	struct stat st;
	long jobs, i;
	int r;

	s->cfg = cfg;
	s->exit_override = -1;
	s->shell = cfg->shell;
	if ((r = spawn_init(cfg->shell)) < 0)
		util_die(r, "cannot open /dev/null");
	if ((r = sig_init()) < 0)
		util_die(r, "cannot set up signal handling");
	if ((r = input_open(&s->input, cfg, &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s",
		    msg ? msg : "cannot read input");
	names = input_names(s->input, &nnames);
	if ((r = tmpl_compile(&s->tmpl, cfg, names, nnames, &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s", msg ? msg : "bad command");
	if (cfg->xargs_fill) {
		long argmax = sysconf(_SC_ARG_MAX);
		size_t envsz = 0, budget, base = tmpl_base_len(s->tmpl);

		for (i = 0; environ[i] != NULL; i++)
			envsz += strlen(environ[i]) + 1 + sizeof(char *);
		budget = argmax > 0 ? (size_t)argmax : 131072;
		budget = budget > envsz + 4096 ? budget - envsz - 4096 : 4096;
		/* A shell line is one argument: the kernel caps it at 128 KiB. */
		if (!tmpl_direct(s->tmpl) && budget > 131072 - 1)
			budget = 131072 - 1;
		if (cfg->max_chars > 0) {
			base = xargs_base(s->tmpl, &s->xcount);
			budget = (size_t)cfg->max_chars;
			budget = budget > base ? budget - base : 1;
			input_set_budget(s->input, xargs_cost, &s->xcount,
			    budget);
		} else {
			budget = budget > base ? budget - base : 1;
			input_set_budget(s->input, arg_cost, s->tmpl, budget);
		}
	}
	if (cfg->tagstring != NULL)
		tmpl_compile_text(&s->tagtmpl, cfg->tagstring, cfg, names,
		    nnames);
	if ((tmpl_needs_total(s->tmpl) || (s->tagtmpl &&
	    tmpl_needs_total(s->tagtmpl))) && (r = input_slurp(s->input)) < 0)
		util_die(r, "cannot read input");
	s->st.total = cfg->total >= 0 ? cfg->total : input_total(s->input);
	s->st.start_ns = clock_mono_ns();
	s->watch_stdout = fstat(1, &st) == 0 && S_ISFIFO(st.st_mode);
	if ((r = report_new(&s->report, cfg, input_count(s->input),
	    &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s", msg);

	jobs = cfg->dry_run ? cfg->jobs :
	    fit_descriptors(cfg->jobs, cfg->jobs_unbounded);
	s->free_slots = xcalloc((size_t)jobs, sizeof(*s->free_slots));
	for (i = jobs; i >= 1; i--)
		s->free_slots[s->nfree++] = i;
	s->hold_max = (size_t)jobs * 2 + 16;
	/* Held output in memory: about 64 MiB in all, 16 KiB..1 MiB a stream. */
	limit = (64u << 20) / ((size_t)jobs * 4 + 32);
	if (limit > (1u << 20))
		limit = 1u << 20;
	if (limit < (16u << 10))
		limit = 16u << 10;
	spool_set_limit(limit);
	spool_set_dir(cfg->tmpdir);
	env_init(s);

	if ((r = order_new(&s->order, cfg, &oh)) < 0 && cfg->results)
		util_die(r, "--results: cannot use '%s'", cfg->results);
	if (r < 0)
		util_die(r, "cannot set up output");
	if (cfg->dry_run)
		return;
	s->ops = exec_find(cfg->mode);
	if (s->ops == NULL)
		util_die(0, "--mode: no mode '%s'", cfg->mode);
	if ((r = s->ops->init(&s->exec, cfg, &eh)) < 0)
		util_die(r, "cannot start the %s engine", cfg->mode);
}

int
sched_run(const struct config *cfg)
{
	struct sched sched = { 0 }, *s = &sched;
	struct exec_watch w[3];
	int want_input, timeout, r;
	size_t nw;

	setup(s, cfg);
	for (;;) {
		start_jobs(s, &want_input);
		if (s->stop != RUNNING)
			drop_waiting(s);
		if (s->running == NULL && s->retry == NULL &&
		    s->pending == NULL && (s->eof || s->stop != RUNNING))
			break;
		timeout = fire_deadlines(s);
		if (report_wants_ticks(s->report) &&
		    (timeout < 0 || timeout > 100))
			timeout = 100;
		/*
		 * Fixed slots: signals, stdout, input; -1 when unused.  A
		 * pipe's write end reports an error once its reader is gone,
		 * so jobs that hold their output a long time do not keep
		 * fanout running for a reader that left.
		 */
		w[0].fd = sig_fd();
		w[1].fd = s->watch_stdout && s->die_signal != SIGPIPE ? 1 : -1;
		w[2].fd = want_input ? input_fd(s->input) : -1;
		nw = 3;
		r = s->ops ? s->ops->wait(s->exec, timeout, w, nw) :
		    wait_watches(timeout, w, nw);
		if (r < 0 && r != -EINTR)
			util_die(r, "waiting for jobs");
		if (w[0].ready)
			handle_signals(s);
		if (w[1].fd >= 0 && w[1].ready)
			end_run(s, SIGPIPE);
		if (w[2].fd >= 0 && w[2].ready &&
		    (r = input_fill(s->input)) < 0 && r != -EAGAIN) {
			util_warn(r, "cannot read input");
			s->fatal = 1;
			s->eof = 1;
		}
		fire_deadlines(s);
		report_tick(s->report, &s->st);
	}
	r = finish(s);
	if (s->exec)
		s->ops->release(s->exec);
	spawn_forget();
	order_free(s->order);
	report_free(s->report);
	tmpl_free(s->tmpl);
	tmpl_free(s->tagtmpl);
	input_close(s->input);
	free(s->free_slots);
	free(s->env);
	hist_free(&s->ok_runtimes);
	free(s->argv_view);
	buf_free(&s->scratch);
	buf_free(&s->linebuf);
	return r;
}
