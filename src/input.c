/*
 * input: the input sources turned into the argument lists of jobs.
 *
 * Every source yields records (bytes up to cfg->delim, cut by
 * reader.c).  Each record is filtered (-E ends its source, -r drops
 * blank records, --header takes the first as column names), split into
 * columns (--colsep, compiled by colsep.c) and trimmed (--trim).  Sources form groups: a source linked to the previous one
 * (":::+", "::::+", --link) joins its group, whose element i is record
 * i mod n of each member.  Jobs take the combinations of the groups'
 * elements, the first group varying slowest, one or several
 * combinations per job (-n, -L, -X).
 *
 * When the first group is a single file or stdin it is streamed through
 * one buffer.  A record is parsed in place: its delimiter and its
 * column separators are overwritten with NUL, so every value is
 * NUL-ended without a copy.  The buffer is compacted only before a read
 * and keeps everything from the first record the job being built still
 * needs.  Since a read may move the buffer, values are kept as spans
 * (which buffer, offset, length) while a job is built and become
 * pointers only when it is handed out.  Regex-split columns are copied
 * into a second buffer, since an empty match leaves no byte to
 * overwrite.  All other sources are held: read in input_open, their
 * columns copied once into one buffer per source.  A streamed pipe,
 * FIFO, socket or terminal is read only by input_fill(), one read(2)
 * each, so input_next() never blocks on it; a regular file is read
 * whenever a record is needed.
 *
 * Under --retry-failed the jobs are instead the commands an earlier
 * run's joblog (history.c) logged as failed.
 */
#include "input.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colsep.h"
#include "history.h"
#include "options.h"
#include "reader.h"
#include "util.h"

/* Where a span's bytes are: the record's buffer, colbuf, "", source s. */
enum { K_REC, K_COLS, K_EMPTY, K_HELD };	/* K_HELD + s */

struct span {
	size_t		 kind;
	size_t		 off;
	size_t		 len;
};

struct spans {
	struct span	*v;
	size_t		 n;
	size_t		 cap;
};

/*
 * A source: its header, and when held, its records.  A held column c
 * is data[coff[c], coff[c + 1] - 1), followed by its NUL.
 */
struct srcstate {
	struct buf	 data;
	size_t		*coff;		/* ncols + 1 */
	size_t		 ncols, capcols;
	size_t		*rec;		/* first column of record i */
	size_t		 nrec, caprec;
	unsigned char	*cont;		/* -L: record i ends in blank */
	size_t		 capcont;
	char		**hdr;		/* --header names */
	size_t		 nhdr;
	int		 hdr_done;
};

struct input {
	const struct config *cfg;
	const struct source *src;
	struct source	 stdin_src;	/* when cfg names no source */
	size_t		 nsrc;
	struct srcstate	*ss;
	size_t		 ngroups;
	size_t		*gstart;	/* first source of group g */
	size_t		*glen;		/* elements of group g */
	size_t		*odo;		/* current element of group g */
	size_t		 g0;		/* first held group */
	size_t		 prod;		/* product of held glen */

	struct colsep	 colsep;
	struct reader_rules rules;
	int		 lines_mode;	/* -L with one source */
	size_t		 per_job;	/* -n, or -L for several */

	int		 streamed;
	struct reader	 rd;
	int		 sdone;		/* stream ended: EOF or -E */
	int		 done;		/* no more combinations */
	struct spans	 cur;		/* the streamed record */
	int		 cur_active;	/* combinations of cur remain */
	size_t		 cur_off;	/* cur's start in rd.b */
	size_t		 cur_coff;	/* cur's start in colbuf */
	int		 cur_cont, last_cont;
	struct buf	 colbuf;
	struct buf	 tmp;

	/* The job being built: pend[0, job_end), then the carry. */
	struct spans	 pend;
	size_t		 job_end;
	size_t		 njob;		/* combinations in it */
	size_t		 nlines;	/* -L: lines ended in it */
	size_t		 job_cost;
	int		 carry;		/* -X: one that did not fit */
	size_t		 carry_cost;
	int		 carry_cont;
	int		 handed;	/* pend was handed out */
	struct arg	*v;
	size_t		 vcap;
	size_t		 njobs_out;

	input_cost_fn	*cost;
	void		*ctx;
	size_t		 budget;
	int		 planned;	/* -X: cap decided */
	size_t		 cap;		/* -X: most per job, 0 none */

	char		**names;
	size_t		 nnames;
	long		 total;

	struct history	 failed;	/* --retry-failed: the jobs */
	size_t		 next_failed;
	struct arg	 one;
};

/* For *msg: input_open's callers print it before they exit. */
static char errmsg[PATH_MAX + 256];

static void
spans_push(struct spans *sv, size_t kind, size_t off, size_t len)
{
	struct span *s;

	sv->v = xgrow(sv->v, &sv->cap, sv->n + 1, sizeof(*sv->v));
	s = &sv->v[sv->n++];
	s->kind = kind;
	s->off = off;
	s->len = len;
}

/* The bytes of sp; base is the buffer its record came from. */
static char *
span_ptr(struct input *in, char *base, const struct span *sp)
{
	static char empty[1];

	switch (sp->kind) {
	case K_REC:
		return base + sp->off;
	case K_COLS:
		return in->colbuf.p + sp->off;
	case K_EMPTY:
		return empty;
	default:
		return in->ss[sp->kind - K_HELD].data.p + sp->off;
	}
}

static const char *
src_name(const struct source *src)
{
	if (src->kind == SOURCE_FILE && strcmp(src->path, "-") != 0)
		return src->path;
	return "standard input";
}

/*
 * Compaction moved the live bytes of the stream to the front of its
 * buffer: every span into it moves too.
 */
static void
stream_moved(void *ctx, size_t shift)
{
	struct input *in = ctx;
	size_t i;

	for (i = 0; i < in->pend.n; i++)
		if (in->pend.v[i].kind == K_REC)
			in->pend.v[i].off -= shift;
	if (in->cur_active) {
		in->cur_off -= shift;
		for (i = 0; i < in->cur.n; i++)
			if (in->cur.v[i].kind == K_REC)
				in->cur.v[i].off -= shift;
	}
}

static int
source_open(struct input *in, struct reader *rd, const struct source *src)
{
	const char *failed = NULL;
	int e;

	e = reader_open(rd, src->kind == SOURCE_FILE ? src->path : NULL,
	    in->cfg->delim, &failed);
	if (e < 0)
		snprintf(errmsg, sizeof(errmsg), "cannot %s '%s'", failed,
		    src_name(src));
	return e;
}

static void
col_copy(struct input *in, const char *p, size_t len, struct spans *out)
{
	size_t off = in->colbuf.len;

	buf_add(&in->colbuf, p, len);
	buf_addc(&in->colbuf, '\0');
	spans_push(out, K_COLS, off, len);
}

/* Split as Perl's split does (colsep.h). */
static void
split_re(struct input *in, const char *p, size_t len, struct spans *out)
{
	size_t field = 0, so, eo;

#ifndef REG_STARTEND
	len = strnlen(p, len);
#endif
	while (colsep_match(&in->colsep, p, len, field, &so, &eo)) {
		col_copy(in, p + field, so - field, out);
		field = eo;
	}
	col_copy(in, p + field, len - field, out);
}

static void
split(struct input *in, char *base, size_t off, size_t len,
    struct spans *out)
{
	char *s = base + off, *end = s + len, *q;

	switch (in->colsep.kind) {
	case COLSEP_NONE:
		spans_push(out, K_REC, off, len);
		break;
	case COLSEP_LIT:
		for (;;) {
			if (in->colsep.litlen == 1)
				q = memchr(s, in->colsep.lit[0],
				    (size_t)(end - s));
			else
				q = memmem(s, (size_t)(end - s),
				    in->colsep.lit, in->colsep.litlen);
			if (q == NULL)
				break;
			*q = '\0';
			spans_push(out, K_REC, (size_t)(s - base),
			    (size_t)(q - s));
			s = q + in->colsep.litlen;
		}
		spans_push(out, K_REC, (size_t)(s - base), (size_t)(end - s));
		break;
	default:
		split_re(in, s, len, out);
		break;
	}
}

/*
 * Take one raw record of source s, at base + off, NUL-ended.  Returns
 * -1 for the -E string (the source ends there), 0 when it was skipped or
 * was the header, 1 when its columns were appended to out.
 */
static int
record_in(struct input *in, size_t s, char *base, size_t off, size_t len,
    struct spans *out)
{
	const struct config *cfg = in->cfg;
	struct srcstate *ss = &in->ss[s];
	const char *p = base + off;
	size_t first = out->n, clen = in->colbuf.len, i;
	struct span *sp;
	char *q;

	if (reader_is_end(&in->rules, p, len))
		return -1;
	if (in->rules.skip_blank && reader_blank(p, len))
		return 0;
	in->last_cont = reader_continues(p, len);
	split(in, base, off, len, out);
	for (i = first; i < out->n; i++) {
		sp = &out->v[i];
		q = span_ptr(in, base, sp);
		while (cfg->trim_left && sp->len > 0 &&
		    (*q == ' ' || *q == '\t')) {
			q++;
			sp->off++;
			sp->len--;
		}
		while (cfg->trim_right && sp->len > 0 &&
		    (q[sp->len - 1] == ' ' || q[sp->len - 1] == '\t'))
			q[--sp->len] = '\0';
	}
	if (cfg->header && !ss->hdr_done) {
		ss->nhdr = out->n - first;
		ss->hdr = xcalloc(ss->nhdr, sizeof(*ss->hdr));
		for (i = 0; i < ss->nhdr; i++) {
			sp = &out->v[first + i];
			ss->hdr[i] = xmemdup(span_ptr(in, base, sp), sp->len);
		}
		ss->hdr_done = 1;
		out->n = first;
		in->colbuf.len = clen;
		return 0;
	}
	/* Pad to the header's width, so that {name} is always there. */
	while (out->n - first < ss->nhdr)
		spans_push(out, K_EMPTY, 0, 0);
	return 1;
}

/* Keep a record's columns in source s's own buffer. */
static void
held_add(struct input *in, size_t s, char *base, struct spans *out)
{
	struct srcstate *ss = &in->ss[s];
	const char *p;
	size_t i;

	ss->rec = xgrow(ss->rec, &ss->caprec, ss->nrec + 1,
	    sizeof(*ss->rec));
	ss->rec[ss->nrec] = ss->ncols;
	if (in->lines_mode) {
		ss->cont = xgrow(ss->cont, &ss->capcont, ss->nrec + 1, 1);
		ss->cont[ss->nrec] = (unsigned char)in->last_cont;
	}
	ss->nrec++;
	ss->coff = xgrow(ss->coff, &ss->capcols, ss->ncols + out->n + 1,
	    sizeof(*ss->coff));
	for (i = 0; i < out->n; i++) {
		p = span_ptr(in, base, &out->v[i]);
		ss->coff[ss->ncols++] = ss->data.len;
		buf_add(&ss->data, p, out->v[i].len);
		buf_addc(&ss->data, '\0');
	}
	ss->coff[ss->ncols] = ss->data.len;
	out->n = 0;
	buf_clear(&in->colbuf);
}

static int
held_load(struct input *in, size_t s, struct reader *rd)
{
	const struct source *src = &in->src[s];
	struct spans out = { 0 };
	size_t i, off, len;
	int r = 0;

	if (src->kind == SOURCE_ARGS) {
		for (i = 0; i < src->nwords && r >= 0; i++) {
			buf_clear(&in->tmp);
			buf_adds(&in->tmp, src->words[i]);
			r = record_in(in, s, in->tmp.p, 0, in->tmp.len, &out);
			if (r > 0)
				held_add(in, s, in->tmp.p, &out);
		}
		free(out.v);
		return 0;
	}
	for (;;) {
		r = reader_record(rd, &off, &len, 1);
		if (r < 0) {
			snprintf(errmsg, sizeof(errmsg), "cannot read '%s'",
			    src_name(src));
			break;
		}
		if (r == 0)
			break;
		r = record_in(in, s, rd->b.p, off, len, &out);
		if (r < 0) {
			r = 0;
			break;
		}
		if (r > 0)
			held_add(in, s, rd->b.p, &out);
		rd->keep = rd->pos;
	}
	free(out.v);
	return r;
}

/* The next record of the streamed source into cur: 1, 0 at its end. */
static int
stream_record(struct input *in)
{
	struct reader *rd = &in->rd;
	size_t off, len;
	int r;

	while (!in->sdone) {
		r = reader_record(rd, &off, &len, !rd->pollable);
		if (r == 0)
			in->sdone = 1;
		if (r <= 0)
			return r;
		in->cur.n = 0;
		in->cur_coff = in->colbuf.len;
		r = record_in(in, 0, rd->b.p, off, len, &in->cur);
		if (r < 0)
			in->sdone = 1;
		if (r > 0) {
			in->cur_off = off;
			in->cur_cont = in->last_cont;
			return 1;
		}
	}
	return 0;
}

/* Step the odometer of the held groups; 1 when it wrapped around. */
static int
odo_step(struct input *in)
{
	size_t g;

	for (g = in->ngroups; g-- > in->g0;) {
		if (++in->odo[g] < in->glen[g])
			return 0;
		in->odo[g] = 0;
	}
	return 1;
}

/* Append the next combination's columns to pend. */
static int
combo_next(struct input *in, int *cont)
{
	struct srcstate *ss;
	size_t g, s, r, c, end;
	int rv;

	if (in->done)
		return 0;
	*cont = 0;
	if (in->streamed) {
		if (!in->cur_active) {
			if ((rv = stream_record(in)) <= 0) {
				in->done = rv == 0;
				return rv;
			}
			in->cur_active = 1;
		}
		for (c = 0; c < in->cur.n; c++)
			spans_push(&in->pend, in->cur.v[c].kind,
			    in->cur.v[c].off, in->cur.v[c].len);
		*cont = in->lines_mode && in->cur_cont;
	} else if (in->lines_mode) {
		*cont = in->ss[0].cont[in->odo[0]];
	}
	for (g = in->g0; g < in->ngroups; g++) {
		for (s = in->gstart[g]; s < in->gstart[g + 1]; s++) {
			ss = &in->ss[s];
			r = in->odo[g] % ss->nrec;
			end = r + 1 < ss->nrec ? ss->rec[r + 1] : ss->ncols;
			for (c = ss->rec[r]; c < end; c++)
				spans_push(&in->pend, K_HELD + s, ss->coff[c],
				    ss->coff[c + 1] - ss->coff[c] - 1);
		}
	}
	if (odo_step(in)) {
		if (in->streamed)
			in->cur_active = 0;
		else
			in->done = 1;
	}
	return 1;
}

static size_t
sat_mul(size_t a, size_t b)
{
	return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

static size_t
ceil_div(size_t a, size_t b)
{
	return a / b + (a % b != 0);
}

/* Jobs for so many combinations and -L lines; -1 when not computable. */
static long
jobs_for(const struct input *in, size_t combos, size_t lines)
{
	const struct config *cfg = in->cfg;
	size_t n;

	if (cfg->xargs_fill || (in->lines_mode && cfg->max_args > 0))
		return -1;
	if (in->lines_mode)
		n = ceil_div(lines, (size_t)cfg->max_lines);
	else if (in->per_job > 0)
		n = ceil_div(combos, in->per_job);
	else
		n = combos;
	return n >= LONG_MAX ? -1 : (long)n;
}

/*
 * -X/-m spread the input over the job slots when it is small (GNU): if
 * the whole input is known before the first job, each job takes at most
 * ceil(combinations / jobs).  Reading ahead stops once more bytes than
 * the budget are buffered: such an input is not small, and its jobs
 * just fill up to the budget.
 */
static int
xfill_plan(struct input *in)
{
	const struct config *cfg = in->cfg;
	struct reader *rd = &in->rd;
	struct reader_count c = { 0 };
	size_t combos, jobs;
	int r, known = 1;

	if (in->done) {
		combos = 0;
	} else if (!in->streamed) {
		combos = in->prod;
	} else {
		while (!in->sdone && !rd->eof &&
		    rd->b.len - rd->pos <= in->budget) {
			if (rd->pollable)
				return -EAGAIN;
			if ((r = reader_fill(rd, 1, 1)) < 0)
				return r;
		}
		c.pos = rd->pos;
		c.end = in->sdone;
		reader_count(&in->rules, rd->b.p, rd->b.len, rd->eof, &c);
		known = c.end;
		combos = sat_mul(c.nrec, in->prod);
	}
	jobs = cfg->jobs > 0 ? (size_t)cfg->jobs : 1;
	if (known && combos > 0)
		in->cap = ceil_div(combos, jobs);
	if (cfg->max_args > 0 && (in->cap == 0 ||
	    in->cap > (size_t)cfg->max_args))
		in->cap = (size_t)cfg->max_args;
	in->planned = 1;
	return 0;
}

static size_t
combo_cost(struct input *in, size_t from)
{
	struct arg a;
	size_t i, sum = 0, c;

	for (i = from; i < in->pend.n; i++) {
		a.p = span_ptr(in, in->rd.b.p, &in->pend.v[i]);
		a.len = in->pend.v[i].len;
		c = in->cost != NULL ? in->cost(in->ctx, &a) : a.len + 1;
		sum = c > SIZE_MAX - sum ? SIZE_MAX : sum + c;
	}
	return sum;
}

static int
job_full(const struct input *in)
{
	const struct config *cfg = in->cfg;

	if (in->njob == 0)
		return 0;
	if (in->lines_mode)
		return in->nlines >= (size_t)cfg->max_lines ||
		    (cfg->max_args > 0 && in->njob >= (size_t)cfg->max_args);
	if (cfg->xargs_fill)
		return in->cap > 0 && in->njob >= in->cap;
	return in->per_job == 0 || in->njob >= in->per_job;
}

/*
 * The job handed out last is gone: drop its spans, keep the carry, and
 * let the buffers forget what no one points into any more.
 */
static void
job_release(struct input *in)
{
	size_t ncarry = in->pend.n - in->job_end, i;
	int live;

	memmove(in->pend.v, in->pend.v + in->job_end,
	    ncarry * sizeof(*in->pend.v));
	in->pend.n = in->job_end = ncarry;
	in->njob = in->carry;
	in->job_cost = in->carry ? in->carry_cost : 0;
	in->nlines = in->carry && !in->carry_cont;
	live = in->cur_active || in->carry;
	in->carry = 0;
	in->handed = 0;
	if (!in->streamed)
		return;
	in->rd.keep = live ? in->cur_off : in->rd.pos;
	if (!live) {
		buf_clear(&in->colbuf);
		return;
	}
	/* Only cur's columns are still needed: move them to the front. */
	if (in->cur_coff > 0) {
		memmove(in->colbuf.p, in->colbuf.p + in->cur_coff,
		    in->colbuf.len - in->cur_coff + 1);
		in->colbuf.len -= in->cur_coff;
		for (i = 0; i < in->pend.n; i++)
			if (in->pend.v[i].kind == K_COLS)
				in->pend.v[i].off -= in->cur_coff;
		for (i = 0; in->cur_active && i < in->cur.n; i++)
			if (in->cur.v[i].kind == K_COLS)
				in->cur.v[i].off -= in->cur_coff;
		in->cur_coff = 0;
	}
}

int
input_next(struct input *in, struct args *a)
{
	size_t start, cost, i;
	int r, cont;

	if (in->handed)
		job_release(in);
	if (in->cfg->xargs_fill && !in->planned &&
	    (r = xfill_plan(in)) < 0)
		return r;
	while (!job_full(in)) {
		start = in->pend.n;
		if ((r = combo_next(in, &cont)) < 0)
			return r;
		if (r == 0)
			break;
		if (in->cfg->xargs_fill) {
			cost = combo_cost(in, start);
			if (in->njob > 0 && (cost > in->budget ||
			    in->job_cost > in->budget - cost)) {
				in->carry = 1;
				in->carry_cost = cost;
				in->carry_cont = cont;
				break;
			}
			in->job_cost += cost;
		}
		in->job_end = in->pend.n;
		in->njob++;
		in->nlines += !cont;
	}
	if (in->njob == 0)
		return 0;
	in->v = xgrow(in->v, &in->vcap, in->job_end, sizeof(*in->v));
	for (i = 0; i < in->job_end; i++) {
		in->v[i].p = span_ptr(in, in->rd.b.p, &in->pend.v[i]);
		in->v[i].len = in->pend.v[i].len;
	}
	a->v = in->v;
	a->n = in->job_end;
	a->nrecords = in->njob;
	in->handed = 1;
	in->njobs_out++;
	return 1;
}

int
input_fd(const struct input *in)
{
	if (!in->streamed || in->done || in->sdone || in->rd.eof ||
	    !in->rd.pollable)
		return -1;
	return in->rd.fd;
}

int
input_fill(struct input *in)
{
	if (input_fd(in) < 0)
		return 0;
	return reader_fill(&in->rd, 0, !in->handed);
}

int
input_slurp(struct input *in)
{
	struct reader *rd = &in->rd;
	struct reader_count c = { 0 };
	int r;

	if (!in->streamed || in->total >= 0 || in->njobs_out > 0)
		return 0;
	/* Compact once now, so that c.pos stays valid while reading. */
	reader_compact(rd);
	c.pos = rd->pos;
	c.end = in->sdone;
	for (;;) {
		reader_count(&in->rules, rd->b.p, rd->b.len, rd->eof, &c);
		if (c.end)
			break;
		if ((r = reader_fill(rd, 1, 1)) < 0)
			return r;
	}
	in->total = jobs_for(in, sat_mul(c.nrec, in->prod), c.nlines);
	return 0;
}

void
input_set_budget(struct input *in, input_cost_fn *fn, void *ctx,
    size_t budget)
{
	in->cost = fn;
	in->ctx = ctx;
	in->budget = budget;
}

const char *const *
input_names(const struct input *in, size_t *n)
{
	*n = in->nnames;
	return (const char *const *)in->names;
}

long
input_total(const struct input *in)
{
	return in->total;
}

/* Groups, held sources, header of the stream, and what is known. */
static int
input_setup(struct input *in)
{
	const struct config *cfg = in->cfg;
	struct srcstate *ss;
	struct reader *rds;
	size_t g, s, off, len, k, lines;
	int r;

	in->gstart = xcalloc(in->nsrc + 1, sizeof(*in->gstart));
	for (s = 0; s < in->nsrc; s++)
		if (s == 0 || (!in->src[s].linked && !cfg->link))
			in->gstart[in->ngroups++] = s;
	in->gstart[in->ngroups] = in->nsrc;
	in->glen = xcalloc(in->ngroups, sizeof(*in->glen));
	in->odo = xcalloc(in->ngroups, sizeof(*in->odo));
	in->streamed = in->gstart[1] == 1 && in->src[0].kind != SOURCE_ARGS;
	in->g0 = in->streamed;
	if (in->streamed && (r = source_open(in, &in->rd, &in->src[0])) < 0)
		return r;
	/* Open every file first, so that a bad name fails before a read. */
	rds = xcalloc(in->nsrc, sizeof(*rds));
	for (s = 0; s < in->nsrc; s++)
		rds[s].fd = -1;
	for (s = in->g0, r = 0; s < in->nsrc && r >= 0; s++)
		if (in->src[s].kind != SOURCE_ARGS)
			r = source_open(in, &rds[s], &in->src[s]);
	for (s = in->g0; s < in->nsrc && r >= 0; s++)
		r = held_load(in, s, &rds[s]);
	for (s = in->g0; s < in->nsrc; s++)
		if (rds[s].fd >= 0)
			reader_close(&rds[s]);
	free(rds);
	if (r < 0)
		return r;
	while (in->streamed && cfg->header && !in->ss[0].hdr_done &&
	    !in->sdone) {
		r = reader_record(&in->rd, &off, &len, 1);
		if (r < 0) {
			snprintf(errmsg, sizeof(errmsg), "cannot read '%s'",
			    src_name(&in->src[0]));
			return r;
		}
		if (r == 0 || record_in(in, 0, in->rd.b.p, off, len,
		    &in->cur) < 0)
			in->sdone = 1;
		in->rd.keep = in->rd.pos;
	}
	buf_clear(&in->colbuf);
	for (s = 0; s < in->nsrc; s++)
		in->nnames += in->ss[s].nhdr;
	if (cfg->header)
		in->names = xcalloc(in->nnames, sizeof(*in->names));
	for (s = 0, k = 0; s < in->nsrc; s++)
		for (g = 0; g < in->ss[s].nhdr; g++)
			in->names[k++] = in->ss[s].hdr[g];

	in->prod = 1;
	for (g = in->g0; g < in->ngroups; g++) {
		for (s = in->gstart[g]; s < in->gstart[g + 1]; s++) {
			if (in->ss[s].nrec == 0)
				in->done = 1;
			if (in->ss[s].nrec > in->glen[g])
				in->glen[g] = in->ss[s].nrec;
		}
		if (in->glen[g] != 0 && in->prod > SIZE_MAX / in->glen[g]) {
			snprintf(errmsg, sizeof(errmsg),
			    "too many combinations of the input sources");
			return -EOVERFLOW;
		}
		in->prod *= in->glen[g];
	}
	if (in->done) {
		in->total = 0;
		in->sdone = 1;
	} else if (!in->streamed) {
		ss = &in->ss[0];
		for (k = 0, lines = 0; in->lines_mode && k < ss->nrec; k++)
			lines += !ss->cont[k] || k + 1 == ss->nrec;
		in->total = jobs_for(in, in->prod, lines);
	}
	return 0;
}

/*
 * --retry-failed: the jobs are the commands an earlier run logged as
 * failed, and the sources are ignored, as GNU does.
 */
static int
failed_open(struct input *in)
{
	const struct config *cfg = in->cfg;
	int r;

	in->done = in->sdone = 1;
	in->total = 0;
	if (cfg->joblog == NULL)
		return 0;
	r = history_load(&in->failed, cfg->joblog, HISTORY_SUCCEEDED, 1, 1,
	    errmsg, sizeof(errmsg));
	in->total = (long)in->failed.nfailed;
	return r;
}

int
input_next_failed(struct input *in, struct args *a, long *seq)
{
	struct history_cmd *c;

	if (in->next_failed >= in->failed.nfailed)
		return 0;
	c = &in->failed.failed[in->next_failed++];
	in->one.p = c->cmd;
	in->one.len = strlen(c->cmd);
	a->v = &in->one;
	a->n = 1;
	a->nrecords = 1;
	*seq = c->seq;
	return 1;
}

long
input_count(struct input *in)
{
	const struct config *cfg = in->cfg;
	struct reader_count c = { 0 };
	struct reader *rd = &in->rd;
	off_t off;

	if (in->total >= 0 || !in->streamed || rd->pollable ||
	    !(cfg->progress || cfg->bar || cfg->eta))
		return in->total;
	if ((off = lseek(rd->fd, 0, SEEK_CUR)) < 0)
		return -1;
	c.pos = rd->pos;
	c.end = in->sdone;
	reader_count(&in->rules, rd->b.p, rd->b.len, rd->eof, &c);
	if (!c.end && reader_count_file(&in->rules, rd->fd, off,
	    rd->b.p + c.pos, rd->b.len - c.pos, &c) < 0)
		return -1;
	return jobs_for(in, sat_mul(c.nrec, in->prod), c.nlines);
}

int
input_open(struct input **inp, const struct config *cfg, const char **msg)
{
	struct input *in;
	int r;

	*inp = NULL;
	*msg = NULL;
	in = xcalloc(1, sizeof(*in));
	in->cfg = cfg;
	in->rd.fd = -1;
	in->rd.moved = stream_moved;
	in->rd.ctx = in;
	in->src = cfg->sources;
	in->nsrc = cfg->nsources;
	if (in->nsrc == 0) {
		in->stdin_src.kind = SOURCE_STDIN;
		in->src = &in->stdin_src;
		in->nsrc = 1;
	}
	in->ss = xcalloc(in->nsrc, sizeof(*in->ss));
	/* xargs: an empty -E string means no end-of-input marker. */
	in->rules.delim = cfg->delim;
	in->rules.eof_str = cfg->eof_str;
	in->rules.eoflen = cfg->eof_str != NULL && cfg->eof_str[0] != '\0' ?
	    strlen(cfg->eof_str) : SIZE_MAX;
	in->lines_mode = cfg->max_lines > 0 && in->nsrc == 1;
	in->rules.skip_blank = cfg->skip_empty || cfg->max_lines > 0;
	if (cfg->max_args > 0)
		in->per_job = (size_t)cfg->max_args;
	else if (cfg->max_lines > 0)
		in->per_job = (size_t)cfg->max_lines;
	in->budget = SIZE_MAX;
	in->total = -1;
	if (cfg->retry_failed) {
		r = failed_open(in);
		if (r < 0) {
			*msg = errmsg;
			input_close(in);
			return r;
		}
		*inp = in;
		return 0;
	}
	if ((r = colsep_compile(&in->colsep, cfg->colsep, errmsg,
	    sizeof(errmsg))) < 0 ||
	    (r = input_setup(in)) < 0) {
		*msg = errmsg;
		input_close(in);
		return r;
	}
	*inp = in;
	return 0;
}

void
input_close(struct input *in)
{
	size_t s, k;

	if (in == NULL)
		return;
	for (s = 0; s < in->nsrc; s++) {
		buf_free(&in->ss[s].data);
		free(in->ss[s].coff);
		free(in->ss[s].rec);
		free(in->ss[s].cont);
		for (k = 0; k < in->ss[s].nhdr; k++)
			free(in->ss[s].hdr[k]);
		free(in->ss[s].hdr);
	}
	free(in->ss);
	free(in->gstart);
	free(in->glen);
	free(in->odo);
	colsep_free(&in->colsep);
	history_free(&in->failed);
	if (in->rd.fd >= 0)
		reader_close(&in->rd);
	free(in->cur.v);
	free(in->pend.v);
	buf_free(&in->colbuf);
	buf_free(&in->tmp);
	free(in->v);
	free(in->names);
	free(in);
}
