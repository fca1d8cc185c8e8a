/*
 * order: output policy.  Jobs are queued at their first start in input
 * order when -k is given; a finished job is delivered as soon as every
 * job before it has been.  In line mode a job's partial last line waits
 * in its out/err spool until its newline comes, so lines never mix.
 * With -k only the head job writes, so its chunks go out as they come.
 */
#include "order.h"
#include "job.h"
#include "options.h"
#include "results.h"
#include "sig.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINE_MAX_HELD	(1024 * 1024)

struct order {
	const struct config	*cfg;
	struct order_hooks	 hooks;
	struct job		*head, *tail;	/* -k queue */
	size_t			 held;
	struct buf		 out;		/* tagged output being built */
	struct results		*results;	/* --results DIR */
	int			 gone;		/* see put() */
	int			 results_failed;	/* order_what() */
};

int
order_new(struct order **op, const struct config *cfg,
    struct results *results, const struct order_hooks *hooks)
{
	struct order *o = xcalloc(1, sizeof(*o));

	o->cfg = cfg;
	o->hooks = *hooks;
	o->results = results;
	*op = o;
	return 0;
}

void
order_free(struct order *o)
{
	if (o == NULL)
		return;
	buf_free(&o->out);
	results_close(o->results);
	free(o);
}

int
order_live(const struct order *o)
{
	/* --results and --files hold each job's output until it ends. */
	return o->cfg->output == OUTPUT_LINE && o->results == NULL &&
	    !o->cfg->files;
}

static void
writing(struct order *o, int fd, int eol)
{
	if (o->hooks.writing != NULL)
		o->hooks.writing(o->hooks.ctx, fd, eol);
}

static int
tagging(const struct job *job)
{
	return job->tag != NULL;
}

/*
 * Every write of output ends here.  Once one fails because the reader
 * left (EPIPE) or stalled until Ctrl-C (EINTR), no later one could
 * succeed: from then on every job is delivered as discarded.
 */
static int
gone(struct order *o, int r)
{
	if (r == -EPIPE || r == -EINTR)
		o->gone = 1;
	return r;
}

static int
put(struct order *o, int fd, const char *p, size_t n)
{
	return o->gone ? -EPIPE : gone(o, sig_write_all(fd, p, n));
}

/*
 * Write bytes of a job's stream, prefixing its tag at each line start.
 * The job's bol flag carries "at the start of a line" across calls.
 */
static int
emit(struct order *o, struct job *job, int stream, const char *p, size_t n)
{
	int fd = stream, *bol = &job->bol[stream - 1];
	const char *nl, *end = p + n;
	int r;

	if (n == 0)
		return 0;
	writing(o, fd, p[n - 1] == '\n');
	if (!tagging(job))
		return put(o, fd, p, n);
	buf_clear(&o->out);
	while (p < end) {
		if (*bol)
			buf_add(&o->out, job->tag, job->tag_len);
		nl = memchr(p, '\n', (size_t)(end - p));
		*bol = nl != NULL;
		nl = nl ? nl + 1 : end;
		buf_add(&o->out, p, (size_t)(nl - p));
		p = nl;
		if (o->out.len >= 65536) {
			if ((r = put(o, fd, o->out.p, o->out.len)) < 0)
				return r;
			buf_clear(&o->out);
		}
	}
	return put(o, fd, o->out.p, o->out.len);
}

struct emit_ctx {
	struct order	*o;
	struct job	*job;
	int		 stream;
};

static int
emit_chunk(void *ctx, const char *p, size_t n)
{
	struct emit_ctx *c = ctx;

	return emit(c->o, c->job, c->stream, p, n);
}

static int
emit_spool(struct order *o, struct job *job, int stream)
{
	struct spool *s = stream == 1 ? &job->out : &job->err;
	struct emit_ctx c = { o, job, stream };
	int r;

	if (s->err)
		return s->err;
	if (o->gone) {
		spool_reset(s);
		return -EPIPE;
	}
	if (s->size > 0)
		writing(o, stream, s->last == '\n');
	if (!tagging(job))
		r = gone(o, spool_write(s, stream));
	else
		r = spool_each(s, emit_chunk, &c);
	spool_reset(s);
	return r;
}

static int
emit_command(struct order *o, struct job *job)
{
	int r;

	if (!o->cfg->verbose || job->line == NULL || job->announced ||
	    o->results != NULL)
		return 0;
	job->announced = 1;
	writing(o, 1, 1);
	if ((r = put(o, 1, job->line, strlen(job->line))) < 0)
		return r;
	return put(o, 1, "\n", 1);
}

/*
 * --files: the job's stdout into a new file in --tmpdir, which is kept,
 * and its name on stdout as the job's one line.
 */
static int
emit_file(struct order *o, struct job *job)
{
	struct buf path = { 0 };
	int fd, r;

	buf_addf(&path, "%s/fanoutXXXXXX.par", o->cfg->tmpdir);
	if ((fd = mkostemps(path.p, 4, O_CLOEXEC)) < 0) {
		r = -errno;
		util_warn(r, "--files: cannot create a file in %s",
		    o->cfg->tmpdir);
	} else {
		r = spool_write(&job->out, fd);
		if (close(fd) < 0 && r == 0)
			r = -errno;
		if (r < 0) {
			/* No truncated file is left to pass for the output. */
			util_warn(r, "--files: cannot write %s", path.p);
			unlink(path.p);
		}
		spool_reset(&job->out);
		buf_addc(&path, '\n');
		if (r == 0)
			r = emit(o, job, 1, path.p, path.len);
	}
	buf_free(&path);
	return r;
}

/* Everything the job still holds, then hand it back. */
static int
deliver(struct order *o, struct job *job, int discard)
{
	int r = 0;

	if (o->gone)
		job->killed = discard = 1;	/* its output is lost */
	if (discard) {
		spool_reset(&job->out);
		spool_reset(&job->err);
	} else if (o->results != NULL) {
		r = results_save(o->results, job, job->line ? job->line :
		    job->argv[0]);
		o->results_failed = r < 0;
	} else if (o->cfg->output != OUTPUT_UNGROUP) {
		r = emit_command(o, job);
		if (r == 0)
			r = o->cfg->files ? emit_file(o, job) :
			    emit_spool(o, job, 1);
		if (r == 0)
			r = emit_spool(o, job, 2);
	}
	o->hooks.delivered(o->hooks.ctx, job);
	return r;
}

int
order_started(struct order *o, struct job *job)
{
	job->bol[0] = job->bol[1] = 1;
	job->announced = 0;
	if (o->cfg->keep_order) {
		job->order_next = NULL;
		if (o->tail)
			o->tail->order_next = job;
		else
			o->head = job;
		o->tail = job;
		if (o->head == job && order_live(o))
			return emit_command(o, job);
		return 0;
	}
	if (o->cfg->output != OUTPUT_GROUP)
		return emit_command(o, job);
	return 0;
}

/* Line mode, no -k: write the complete lines, hold the partial one. */
static int
output_lines(struct order *o, struct job *job, int stream, const char *p,
    size_t n)
{
	struct spool *s = stream == 1 ? &job->out : &job->err;
	const char *last = NULL, *q;
	int r;

	for (q = p + n; q > p; q--)
		if (q[-1] == '\n') {
			last = q;
			break;
		}
	if (last == NULL) {
		spool_append(s, p, n);
		if (s->size < LINE_MAX_HELD)
			return 0;
		return emit_spool(o, job, stream);
	}
	if (s->size > 0) {
		/* Whole line: the held start, then this chunk's part. */
		spool_append(s, p, (size_t)(last - p));
		r = emit_spool(o, job, stream);
	} else
		r = emit(o, job, stream, p, (size_t)(last - p));
	if (r == 0 && last < p + n)
		spool_append(s, last, (size_t)(p + n - last));
	return r;
}

int
order_output(struct order *o, struct job *job, int stream, const char *p,
    size_t n)
{
	struct spool *s;

	if (!o->cfg->keep_order)
		return output_lines(o, job, stream, p, n);
	if (o->head == job)
		return emit(o, job, stream, p, n);
	s = stream == 1 ? &job->out : &job->err;
	spool_append(s, p, n);
	return 0;
}

int
order_retry(struct order *o, struct job *job)
{
	int r = 0;

	if (!job->live) {
		spool_reset(&job->out);
		spool_reset(&job->err);
		return 0;
	}
	/* -k: the head wrote all; the others keep theirs for their turn. */
	if (!o->cfg->keep_order && (r = emit_spool(o, job, 1)) == 0)
		r = emit_spool(o, job, 2);
	return r;
}

/* -k: deliver finished jobs from the head; start the next head live. */
static int
advance(struct order *o)
{
	struct job *job;
	int r = 0, discard;

	while ((job = o->head) != NULL && job->state == JOB_FINISHED) {
		o->head = job->order_next;
		if (o->head == NULL)
			o->tail = NULL;
		o->held--;
		discard = job->killed;
		if ((r = deliver(o, job, discard)) < 0 && !o->gone)
			return r;
		if (o->head != NULL && order_live(o) &&
		    o->head->state != JOB_FINISHED) {
			/* The new head streams: first what it holds. */
			if ((r = emit_command(o, o->head)) < 0 ||
			    (r = emit_spool(o, o->head, 1)) < 0 ||
			    (r = emit_spool(o, o->head, 2)) < 0)
				return r;
		}
	}
	return r;
}

int
order_done(struct order *o, struct job *job, int discard)
{
	if (job->state != JOB_FINISHED)
		BUG("job %ld handed to the output policy while %s", job->seq,
		    job_state_name(job->state));
	if (!o->cfg->keep_order)
		return deliver(o, job, discard);
	o->held++;
	if (discard)
		job->killed = 1;
	return advance(o);
}

size_t
order_held(const struct order *o)
{
	return o->held;
}

const char *
order_what(const struct order *o)
{
	return o->results_failed ? results_what(o->results) : NULL;
}
