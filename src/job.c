/*
 * job: making a job from an argument list (its values, tag, shell line,
 * argv and environment), freeing it, and how it ended in the terms a
 * shell and GNU parallel use.  A job's strings are few allocations: the
 * values in one length-prefixed block, argv's and envp's words in
 * another, their pointer arrays in a third.
 */
#include "job.h"
#include "feed.h"
#include "input.h"
#include "options.h"
#include "remote.h"
#include "tmpl.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

extern char **environ;

/* Variables every job gets; removed from the inherited environment. */
static const char *const job_vars[] = {
	"FANOUT_SEQ", "FANOUT_SLOT", "FANOUT_ATTEMPT", "PARALLEL_SEQ",
	"PARALLEL_JOBSLOT",
};

static int
is_var(const char *kv, const char *name)
{
	size_t n = strlen(name);

	return strncmp(kv, name, n) == 0 && kv[n] == '=';
}

static int
is_job_var(const char *kv, const char *slot_var)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(job_vars); i++)
		if (is_var(kv, job_vars[i]))
			return 1;
	return is_var(kv, slot_var);
}

static int
wants_line(const struct config *cfg)
{
	return cfg->verbose || cfg->trace || cfg->joblog || cfg->report ||
	    cfg->dry_run || cfg->results || cfg->summary;
}

void
job_maker_init(struct job_maker *m, const struct config *cfg,
    const struct tmpl *tmpl, const struct tmpl *tagtmpl, long total)
{
	size_t n = 0, i;

	memset(m, 0, sizeof(*m));
	m->tmpl = tmpl;
	m->tagtmpl = tagtmpl;
	m->shell = cfg->shell;
	m->tag = cfg->tag;
	m->want_line = wants_line(cfg);
	m->total = total;
	m->slot_var = cfg->process_slot_var;
	while (environ[n] != NULL)
		n++;
	m->env = xcalloc(n + 1, sizeof(*m->env));
	for (i = 0; i < n; i++)
		if (!is_job_var(environ[i], m->slot_var))
			m->env[m->nenv++] = environ[i];
}

void
job_maker_free(struct job_maker *m)
{
	free(m->env);
	free(m->argv_view);
	buf_free(&m->scratch);
	buf_free(&m->linebuf);
}

const char *
job_value(const struct job *job, const char **at, size_t *len)
{
	const char *p = *at != NULL ? *at : job->args;

	memcpy(len, p, sizeof(*len));
	p += sizeof(*len);
	*at = p + *len + 1;
	return p;
}

/* The job's values as a struct args, in the maker's reusable view. */
static struct args
job_args(struct job_maker *m, const struct job *job)
{
	struct args a = { 0 };
	const char *at = NULL;
	size_t i;

	m->argv_view = xgrow(m->argv_view, &m->argv_view_cap,
	    job->nargs ? job->nargs : 1, sizeof(*m->argv_view));
	for (i = 0; i < job->nargs; i++)
		m->argv_view[i].p = job_value(job, &at,
		    &m->argv_view[i].len);
	a.v = m->argv_view;
	a.n = job->nargs;
	return a;
}

static void
tmpl_context(struct job_maker *m, const struct job *job, struct args *a,
    struct tmpl_ctx *ctx)
{
	*a = job_args(m, job);
	ctx->args = a;
	ctx->seq = job->seq;
	ctx->slot = job->slot;
	ctx->total = m->total;
}

const char *
job_line(struct job_maker *m, struct job *job)
{
	struct tmpl_ctx ctx;
	struct args a;

	if (job->line == NULL) {
		tmpl_context(m, job, &a, &ctx);
		buf_clear(&m->linebuf);
		tmpl_line(m->tmpl, &ctx, &m->linebuf);
		job->line = xmemdup(m->linebuf.p, m->linebuf.len);
	}
	return job->line;
}

struct job *
job_new(struct job_maker *m, const struct args *a, long seq)
{
	struct job *job = xcalloc(1, sizeof(*job));
	size_t i, len = 0;
	char *p;
	int fed;

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
	fed = a->in_fifo || a->in_fed;
	job->in_fd = fed ? -1 : a->in_fd;
	job->feed_fd = fed ? a->in_fd : -1;
	job->feed_shared = a->in_shared;
	job->feed_off = a->in_off;
	job->feed_head = a->in_head;
	job->feed_head_len = a->in_head_len;
	job->in_fed = a->in_fed;
	job->in_bytes = a->in_bytes;
	job->in_path = a->in_path;
	job->host = -1;
	job->deal_id = job->tee_id = -1;
	job->state = JOB_NEW;
	job->seq = seq;
	job->attempt = 1;
	spool_init(&job->out);
	spool_init(&job->err);
	if (m->tag) {
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

struct job *
job_clone(struct job_maker *m, const struct job *job, long seq)
{
	struct args a = job_args(m, job);

	input_no_block(&a);
	return job_new(m, &a, seq);
}

void
job_free(struct job *job)
{
	if (job->state != JOB_NEW && job->state != JOB_DELIVERED)
		BUG("job %ld freed while %s", job->seq,
		    job_state_name(job->state));
	spool_free(&job->out);
	spool_free(&job->err);
	if (job->in_fd >= 0 && !job->in_borrowed)
		close(job->in_fd);
	feed_stop(job->feed);
	if (job->feed_fd >= 0 && !job->feed_shared)
		close(job->feed_fd);
	if (job->in_path != NULL) {
		unlink(job->in_path);
		free(job->in_path);
	}
	free(job->args);
	free(job->tag);
	free(job->res_name);
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

/* A text template expanded for the job, appended to out. */
static void
job_text(struct job_maker *m, const struct job *job, const struct tmpl *t,
    struct buf *out)
{
	struct tmpl_ctx ctx;
	struct args a;

	tmpl_context(m, job, &a, &ctx);
	tmpl_text(t, &ctx, out);
}

/* --tagstring: expanded at start, when {%} is known; then a TAB (GNU). */
static void
job_tagstring(struct job_maker *m, struct job *job)
{
	struct buf t = { 0 };

	job_text(m, job, m->tagtmpl, &t);
	buf_addc(&t, '\t');
	free(job->tag);
	job->tag = t.p;
	job->tag_len = t.len;
}

/*
 * The NUL-separated expansions of templates t[0..n), into out, but for
 * empty ones (--transfer's {} under --pipe); how many.
 */
static size_t
job_paths(struct job_maker *m, struct job *job, struct tmpl **t, size_t n,
    struct buf *out)
{
	size_t i, len, kept = 0;

	for (i = 0; i < n; i++) {
		len = out->len;
		job_text(m, job, t[i], out);
		if (out->len == len)
			continue;
		buf_addc(out, '\0');
		kept++;
	}
	return kept;
}

/*
 * -S: the job runs on a remote host, through ssh.  Its stdin is
 * remote's, which tells the host when the job's ssh is gone; under
 * --pipe, its block (a pipe, under --pipepart, made at its start).
 */
static size_t
job_remote(struct job_maker *m, struct job *job, char *const vars[],
    size_t nvars, struct buf *out, const char **path)
{
	struct buf sends = { 0 }, returns = { 0 };
	int piped = job->in_fd >= 0 || job->in_fed;
	size_t argc, nsends, nreturns;

	nsends = job_paths(m, job, m->sends, m->nsends, &sends);
	nreturns = job_paths(m, job, m->returns, m->nreturns, &returns);
	if (!piped) {
		job->in_fd = remote_stdin(m->remote);
		job->in_borrowed = 1;
	}
	argc = remote_argv(m->remote, job->host, job->slot, job->seq,
	    job_line(m, job), vars, nvars, sends.p, nsends, returns.p,
	    nreturns, piped, out, path);
	buf_free(&sends);
	buf_free(&returns);
	return argc;
}

/*
 * All strings go into one allocation; the pointer arrays into another.
 */
void
job_prepare(struct job_maker *m, struct job *job)
{
	struct buf *b = &m->scratch;
	size_t argc, i, nvars, off_line = 0;
	struct tmpl_ctx ctx;
	struct args a;
	size_t offs[ARRAY_SIZE(job_vars) + 1];
	const char *direct = tmpl_direct(m->tmpl), *path = NULL;
	int remote = job->host >= 0 &&
	    !remote_host(m->remote, job->host)->local;
	char *p;

	free(job->strings);
	free(job->argv);
	if (job->in_borrowed) {
		job->in_fd = -1;
		job->in_borrowed = 0;
	}
	/* A retry reads its block from the start; a failure shows then. */
	if (job->in_fd >= 0)
		(void)lseek(job->in_fd, 0, SEEK_SET);
	if (m->want_line || !direct || remote) {
		free(job->line);
		job->line = NULL;
		job_line(m, job);
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
	/* xargs' --process-slot-var: the slot from 0. */
	offs[nvars++] = b->len;
	buf_adds(b, m->slot_var);
	buf_addc(b, '=');
	add_number(b, job->slot - 1);
	buf_addc(b, '\0');
	if (remote) {
		struct buf rb = { 0 };
		char *vars[ARRAY_SIZE(job_vars) + 1];

		for (i = 0; i < nvars; i++)
			vars[i] = b->p + offs[i];
		argc = job_remote(m, job, vars, nvars, &rb, &path);
		off_line = b->len;
		buf_add(b, rb.p, rb.len);
		buf_free(&rb);
	} else if (direct) {
		tmpl_context(m, job, &a, &ctx);
		off_line = b->len;
		argc = tmpl_argv(m->tmpl, &ctx, b);
		path = direct;
	} else
		argc = 3;
	job->strings = xmemdup(b->p, b->len);
	job->argv = xcalloc(argc + 1 + m->nenv + nvars + 1, sizeof(char *));
	if (path != NULL) {
		job->path = path;
		p = job->strings + off_line;
		for (i = 0; i < argc; i++) {
			job->argv[i] = p;
			p += strlen(p) + 1;
		}
	} else {
		job->path = m->shell;
		job->argv[0] = (char *)m->shell;
		job->argv[1] = (char *)"-c";
		job->argv[2] = job->line;
	}
	job->envp = job->argv + argc + 1;
	memcpy(job->envp, m->env, m->nenv * sizeof(char *));
	for (i = 0; i < nvars; i++)
		job->envp[m->nenv + i] = job->strings + offs[i];
	if (m->tagtmpl != NULL)
		job_tagstring(m, job);
	if (m->restmpl != NULL) {
		/* As GNU parallel: at start, when {%} is known. */
		struct buf t = { 0 };

		job_text(m, job, m->restmpl, &t);
		buf_reserve(&t, 0);
		free(job->res_name);
		job->res_name = t.p;
	}
}

#define TO(s)	(1u << (s))

/* For each state, the states it may move to (job.h draws them). */
static const unsigned allowed[] = {
	[JOB_NEW] = TO(JOB_STARTING),
	[JOB_STARTING] = TO(JOB_RUNNING) | TO(JOB_PENDING) |
	    TO(JOB_RETRY_WAIT) | TO(JOB_FINISHED),
	[JOB_PENDING] = TO(JOB_STARTING) | TO(JOB_FINISHED),
	[JOB_RUNNING] = TO(JOB_TERMINATING) | TO(JOB_REAPED),
	[JOB_TERMINATING] = TO(JOB_REAPED),
	[JOB_REAPED] = TO(JOB_RETRY_WAIT) | TO(JOB_FINISHED),
	[JOB_RETRY_WAIT] = TO(JOB_STARTING) | TO(JOB_FINISHED),
	[JOB_FINISHED] = TO(JOB_DELIVERED),
	[JOB_DELIVERED] = 0,
};

static const char *const state_names[] = {
	[JOB_NEW] = "new",
	[JOB_STARTING] = "starting",
	[JOB_PENDING] = "pending",
	[JOB_RUNNING] = "running",
	[JOB_TERMINATING] = "terminating",
	[JOB_REAPED] = "reaped",
	[JOB_RETRY_WAIT] = "waiting to retry",
	[JOB_FINISHED] = "finished",
	[JOB_DELIVERED] = "delivered",
};

const char *
job_state_name(enum job_state st)
{
	if ((size_t)st >= ARRAY_SIZE(state_names))
		return "invalid";
	return state_names[st];
}

void
job_set_state(struct job *job, enum job_state to)
{
	enum job_state from = job->state;

	if ((size_t)from >= ARRAY_SIZE(allowed) ||
	    (size_t)to >= ARRAY_SIZE(allowed) || !(allowed[from] & TO(to)))
		BUG("job %ld: no transition from %s to %s", job->seq,
		    job_state_name(from), job_state_name(to));
	job->state = to;
}

void
job_spawn_message(const struct job *job, struct buf *m)
{
	const char *prog = job->argv[0];

	if (job->spawn_err == -E2BIG)
		buf_addf(m, "fanout: job %ld: argument list too long "
		    "(%zu bytes) for '%s'\n", job->seq, job->args_len, prog);
	else if (job->spawn_err == -ENOENT)
		buf_addf(m, "fanout: job %ld: %s: command not found\n",
		    job->seq, prog);
	else
		buf_addf(m, "fanout: job %ld: cannot execute '%s': %s\n",
		    job->seq, prog, strerror(-job->spawn_err));
}

int
job_exit_status(const struct job *job)
{
	switch (job->end) {
	case JOB_EXITED:
	case JOB_SPAWN_FAILED:
		return job->status;
	case JOB_SIGNALED:
		return 128 + job->status;
	case JOB_LOST:
		break;
	}
	return 255;
}

int
job_failed(const struct job *job)
{
	return job->timed_out || job->end != JOB_EXITED || job->status != 0;
}
