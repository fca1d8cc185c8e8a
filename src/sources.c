/*
 * sources: the input sources and their combinations (sources.h).
 *
 * Every source yields records (bytes up to the -d string, cut by
 * reader.c), filtered by the reader's rules (-E, -r) and split into
 * trimmed values by columns.c.  A group's element i is record i mod n
 * of each of its members; it has as many elements as its longest member
 * under --link, as its shortest otherwise (GNU parallel's ":::+" and
 * "::::+" never wrap).  An odometer over the held groups, the last one
 * turning fastest, walks through the combinations.
 *
 * When the first group is a single file or stdin it is streamed through
 * one buffer, its records parsed in place (columns.h).  The buffer is
 * compacted only before a read and keeps everything from the first
 * record a pending value still points into.  Since a read may move the
 * buffer, values are kept as spans and become pointers only when asked
 * for.  All other sources are held: read in sources_open, their values
 * copied once into one buffer per source.  A streamed pipe, FIFO,
 * socket or terminal is read only by sources_fill(), one read(2) each,
 * so sources_next() never blocks on it; a regular file is read whenever
 * a record is needed.
 */
#include "sources.h"

#include <errno.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "colsep.h"
#include "columns.h"
#include "held.h"
#include "options.h"
#include "reader.h"
#include "util.h"

/* Where else a span's bytes are (columns.h): "", source s's own. */
enum { K_EMPTY = SPAN_OTHER, K_HELD };	/* K_HELD + s */

/* A source: its header, and when held, its records. */
struct srcstate {
	struct held	 held;
	char		**hdr;		/* --header names */
	size_t		 nhdr;
	int		 hdr_done;
	int		 skipped;	/* --skip-first-line's record */
};

struct sources {
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

	struct columns	 cols;		/* --colsep, --trim */
	struct reader_rules rules;

	int		 streamed;
	struct reader	 rd;
	int		 sdone;		/* stream ended: EOF or -E */
	int		 pad;		/* an empty source gives one "" */
	size_t		 staken;	/* records taken from the stream */
	int		 done;		/* no more combinations */
	struct spans	 cur;		/* the streamed record */
	int		 cur_active;	/* combinations of cur remain */
	size_t		 cur_off;	/* cur's start in rd.b */
	size_t		 cur_coff;	/* cur's start in cols.buf */
	struct spans	 pend;		/* the pending values */

	const char	**names;
	size_t		 nnames;
	int		 warned_nul;	/* a NUL in a record was reported */

	char		*msg;		/* sources_open's, for the reason */
	size_t		 msgsize;
};

/* The bytes of sp; base is the buffer its record came from. */
static char *
span_ptr(const struct sources *sr, char *base, const struct span *sp)
{
	static char empty[1];

	if (sp->kind == K_EMPTY)
		return empty;
	if (sp->kind >= K_HELD)
		return sr->ss[sp->kind - K_HELD].held.data.p + sp->off;
	return columns_ptr(&sr->cols, base, sp);
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
	struct sources *sr = ctx;
	size_t i;

	for (i = 0; i < sr->pend.n; i++)
		if (sr->pend.v[i].kind == SPAN_REC)
			sr->pend.v[i].off -= shift;
	if (sr->cur_active) {
		sr->cur_off -= shift;
		for (i = 0; i < sr->cur.n; i++)
			if (sr->cur.v[i].kind == SPAN_REC)
				sr->cur.v[i].off -= shift;
	}
}

static int
source_open(struct sources *sr, struct reader *rd, const struct source *src)
{
	const char *failed = NULL;
	int e;

	e = reader_open(rd, src->kind == SOURCE_FILE ? src->path : NULL,
	    &sr->rules, &failed);
	if (e < 0)
		snprintf(sr->msg, sr->msgsize, "cannot %s '%s'", failed,
		    src_name(src));
	return e;
}

/*
 * Take one raw record of source s, at base + off, NUL-ended.  Returns
 * -1 for the -E string (the source ends there), 0 when it was skipped or
 * was the header, 1 when its columns were appended to out.
 */
static int
record_in(struct sources *sr, size_t s, char *base, size_t off, size_t len,
    struct spans *out)
{
	struct srcstate *ss = &sr->ss[s];
	const char *p = base + off;
	size_t first = out->n, clen = sr->cols.buf.len, i;
	struct span *sp;

	if (s == 0 && sr->cfg->skip_first_line && !ss->skipped) {
		ss->skipped = 1;
		return 0;
	}
	if (reader_is_end(&sr->rules, p, len))
		return -1;
	if (sr->rules.skip_blank && reader_blank(p, len))
		return 0;
	/* xargs and GNU parallel warn too: a value ends at a NUL. */
	if (!sr->warned_nul && (sr->rules.delimlen != 1 ||
	    sr->rules.delim[0] != '\0') &&
	    memchr(p, '\0', len) != NULL) {
		util_warn(0, "%s holds a NUL byte: a value ends there in the "
		    "command line (for NUL-separated input use -0)",
		    src_name(&sr->src[s]));
		sr->warned_nul = 1;
	}
	/* A CRLF header line names its last column without the CR. */
	if (sr->cfg->header && !ss->hdr_done && len > 0 &&
	    base[off + len - 1] == '\r')
		base[off + --len] = '\0';
	columns_split(&sr->cols, base, off, len, out);
	if (sr->cfg->header && !ss->hdr_done) {
		ss->nhdr = out->n - first;
		ss->hdr = xcalloc(ss->nhdr, sizeof(*ss->hdr));
		for (i = 0; i < ss->nhdr; i++) {
			sp = &out->v[first + i];
			ss->hdr[i] = xmemdup(span_ptr(sr, base, sp), sp->len);
		}
		ss->hdr_done = 1;
		out->n = first;
		sr->cols.buf.len = clen;
		return 0;
	}
	/*
	 * Pad to the header's width, so that the next source's columns
	 * keep their places; the last one's missing columns are absent,
	 * as in GNU parallel.
	 */
	while (s + 1 < sr->nsrc && out->n - first < ss->nhdr)
		columns_push(out, K_EMPTY, 0, 0);
	return 1;
}

/*
 * An empty record of source s into out, as wide as its header: with
 * several sources, GNU parallel gives an empty one (even one -E ended
 * at once) a single empty value rather than no combination at all.
 */
static void
record_empty(struct sources *sr, size_t s, struct spans *out)
{
	size_t i;

	for (i = 0; i == 0 || i < sr->ss[s].nhdr; i++)
		columns_push(out, K_EMPTY, 0, 0);
}

/* Keep a record's values in source s's own buffer. */
static void
record_keep(struct sources *sr, size_t s, char *base, struct spans *out)
{
	struct held *h = &sr->ss[s].held;
	size_t i;

	held_begin(h);
	for (i = 0; i < out->n; i++)
		held_add(h, span_ptr(sr, base, &out->v[i]), out->v[i].len);
	out->n = 0;
	buf_clear(&sr->cols.buf);
}

/*
 * Make rd read the words of the ::: source src as GNU parallel reads
 * them: as one stream, each word followed by the delimiter, cut as a
 * file is.  So -d splits the words, an empty piece after a word's last
 * delimiter counts, a delimiter may run from a word into the next, and
 * -E, -r and -L act as on a file.  Without -d a word is one record,
 * newlines and all: a NUL, which no word holds, ends each.  ru, which
 * must outlive rd, gets the rules.
 */
static void
words_open(struct sources *sr, const struct source *src, struct reader *rd,
    struct reader_rules *ru)
{
	size_t i;

	*ru = sr->rules;
	if (options_delim_newline(sr->cfg)) {
		ru->delim = "";
		ru->csv = 0;
	}
	for (i = 0; i < src->nwords; i++) {
		buf_adds(&rd->b, src->words[i]);
		buf_add(&rd->b, ru->delim, ru->delimlen);
	}
	buf_reserve(&rd->b, 0);
	rd->ru = ru;
	rd->eof = 1;
	rd->join = SIZE_MAX;
}

static int
source_load(struct sources *sr, size_t s, struct reader *rd)
{
	const struct source *src = &sr->src[s];
	struct reader_rules wrules;
	struct spans out = { 0 };
	size_t off, len;
	int r = 0;

	if (src->kind == SOURCE_ARGS)
		words_open(sr, src, rd, &wrules);
	for (;;) {
		r = reader_record(rd, &off, &len, 1);
		if (r < 0) {
			snprintf(sr->msg, sr->msgsize, "cannot read '%s'",
			    src_name(src));
			break;
		}
		if (r == 0)
			break;
		r = record_in(sr, s, rd->b.p, off, len, &out);
		if (r < 0) {
			r = 0;
			break;
		}
		if (r > 0)
			record_keep(sr, s, rd->b.p, &out);
		rd->keep = rd->pos;
	}
	if (src->kind == SOURCE_ARGS)
		reader_close(rd);
	free(out.v);
	return r;
}

/* The next record of the streamed source into cur: 1, 0 at its end. */
static int
stream_record(struct sources *sr)
{
	struct reader *rd = &sr->rd;
	size_t off, len;
	int r;

	while (!sr->sdone) {
		r = reader_record(rd, &off, &len, !rd->pollable);
		if (r < 0)
			return r;
		sr->cur.n = 0;
		sr->cur_coff = sr->cols.buf.len;
		if (r == 0 || (r = record_in(sr, 0, rd->b.p, off, len,
		    &sr->cur)) < 0)
			sr->sdone = 1;
		if (r > 0) {
			sr->cur_off = off;
			sr->staken++;
			return 1;
		}
	}
	if (sr->pad && sr->staken++ == 0) {
		sr->cur.n = 0;
		sr->cur_off = rd->pos;
		record_empty(sr, 0, &sr->cur);
		return 1;
	}
	return 0;
}

/* Step the odometer of the held groups; 1 when it wrapped around. */
static int
odo_step(struct sources *sr)
{
	size_t g;

	for (g = sr->ngroups; g-- > sr->g0;) {
		if (++sr->odo[g] < sr->glen[g])
			return 0;
		sr->odo[g] = 0;
	}
	return 1;
}

int
sources_next(struct sources *sr)
{
	const struct held *h;
	size_t g, s, c, end, off, len;
	int rv;

	if (sr->done)
		return 0;
	if (sr->streamed) {
		if (!sr->cur_active) {
			if ((rv = stream_record(sr)) <= 0) {
				sr->done = rv == 0;
				return rv;
			}
			sr->cur_active = 1;
		}
		for (c = 0; c < sr->cur.n; c++)
			columns_push(&sr->pend, sr->cur.v[c].kind,
			    sr->cur.v[c].off, sr->cur.v[c].len);
	}
	for (g = sr->g0; g < sr->ngroups; g++) {
		for (s = sr->gstart[g]; s < sr->gstart[g + 1]; s++) {
			h = &sr->ss[s].held;
			held_values(h, sr->odo[g] % h->nrec, &c, &end);
			for (; c < end; c++) {
				off = held_value(h, c, &len);
				columns_push(&sr->pend, K_HELD + s, off, len);
			}
		}
	}
	if (odo_step(sr)) {
		if (sr->streamed)
			sr->cur_active = 0;
		else
			sr->done = 1;
	}
	return 1;
}

size_t
sources_pending(const struct sources *sr)
{
	return sr->pend.n;
}

const char *
sources_value(const struct sources *sr, size_t i, size_t *len)
{
	*len = sr->pend.v[i].len;
	return span_ptr(sr, sr->rd.b.p, &sr->pend.v[i]);
}

void
sources_release(struct sources *sr, size_t n)
{
	size_t i;
	int live;

	memmove(sr->pend.v, sr->pend.v + n,
	    (sr->pend.n - n) * sizeof(*sr->pend.v));
	sr->pend.n -= n;
	live = sr->cur_active || sr->pend.n > 0;
	if (!sr->streamed)
		return;
	sr->rd.keep = live ? sr->cur_off : sr->rd.pos;
	if (!live) {
		buf_clear(&sr->cols.buf);
		return;
	}
	/* Only cur's columns are still needed: move them to the front. */
	if (sr->cur_coff > 0) {
		memmove(sr->cols.buf.p, sr->cols.buf.p + sr->cur_coff,
		    sr->cols.buf.len - sr->cur_coff + 1);
		sr->cols.buf.len -= sr->cur_coff;
		for (i = 0; i < sr->pend.n; i++)
			if (sr->pend.v[i].kind == SPAN_COLS)
				sr->pend.v[i].off -= sr->cur_coff;
		for (i = 0; sr->cur_active && i < sr->cur.n; i++)
			if (sr->cur.v[i].kind == SPAN_COLS)
				sr->cur.v[i].off -= sr->cur_coff;
		sr->cur_coff = 0;
	}
}

int
sources_fd(const struct sources *sr)
{
	if (!sr->streamed || sr->done || sr->sdone || sr->rd.eof ||
	    !sr->rd.pollable)
		return -1;
	return sr->rd.fd;
}

int
sources_fill(struct sources *sr, int movable)
{
	if (sources_fd(sr) < 0)
		return 0;
	return reader_fill(&sr->rd, 0, movable);
}

static size_t
sat_mul(size_t a, size_t b)
{
	return b != 0 && a > SIZE_MAX / b ? SIZE_MAX : a * b;
}

/* Count the records buffered from the stream's position on into *c. */
static void
stream_count(struct sources *sr, struct reader_count *c)
{
	c->pos = sr->rd.pos;
	c->end = sr->sdone;
	reader_count(&sr->rules, sr->rd.b.p, sr->rd.b.len, sr->rd.eof, c);
}

/* What the stream's count c makes of the combinations. */
static void
stream_total(const struct sources *sr, const struct reader_count *c,
    struct sources_count *out)
{
	out->combos = sat_mul(c->nrec, sr->prod);
	/* The empty record stream_record() will give. */
	if (sr->pad && sr->staken == 0 && c->end && c->nrec == 0)
		out->combos = sr->prod;
}

int
sources_known(const struct sources *sr, struct sources_count *c)
{
	c->combos = 0;
	if (sr->done)
		return 1;
	if (sr->streamed)
		return 0;
	c->combos = sr->prod;
	return 1;
}

int
sources_peek(struct sources *sr, size_t limit, struct sources_count *c)
{
	struct reader *rd = &sr->rd;
	struct reader_count rc = { 0 };
	int r;

	if (sources_known(sr, c))
		return 1;
	while (!sr->sdone && !rd->eof && rd->b.len - rd->pos <= limit) {
		if (rd->pollable)
			return -EAGAIN;
		if ((r = reader_fill(rd, 1, 1)) < 0)
			return r;
	}
	stream_count(sr, &rc);
	stream_total(sr, &rc, c);
	return rc.end;
}

int
sources_slurp(struct sources *sr, struct sources_count *c)
{
	struct reader *rd = &sr->rd;
	struct reader_count rc = { 0 };
	int r;

	if (!sr->streamed)
		return 0;
	/* Compact once now, so that rc.pos stays valid while reading. */
	reader_compact(rd);
	stream_count(sr, &rc);
	while (!rc.end) {
		if ((r = reader_fill(rd, 1, 1)) < 0)
			return r;
		reader_count(&sr->rules, rd->b.p, rd->b.len, rd->eof, &rc);
	}
	stream_total(sr, &rc, c);
	return 1;
}

int
sources_count_file(struct sources *sr, struct sources_count *c)
{
	struct reader *rd = &sr->rd;
	struct reader_count rc = { 0 };
	off_t off;
	int r;

	if (!sr->streamed || rd->pollable)
		return 0;
	if ((off = lseek(rd->fd, 0, SEEK_CUR)) < 0)
		return -errno;
	stream_count(sr, &rc);
	if (!rc.end && (r = reader_count_file(&sr->rules, rd->fd, off,
	    rd->b.p + rc.pos, rd->b.len - rc.pos, &rc)) < 0)
		return r;
	stream_total(sr, &rc, c);
	return 1;
}

size_t
sources_len(const struct sources *sr)
{
	return sr->nsrc;
}

const char *const *
sources_names(const struct sources *sr, size_t *n)
{
	*n = sr->nnames;
	return (const char *const *)sr->names;
}

/* Sources into groups; whether the first group is streamed. */
static void
groups_make(struct sources *sr)
{
	size_t s;

	sr->gstart = xcalloc(sr->nsrc + 1, sizeof(*sr->gstart));
	for (s = 0; s < sr->nsrc; s++)
		if (s == 0 || (!sr->src[s].linked && !sr->cfg->link))
			sr->gstart[sr->ngroups++] = s;
	sr->gstart[sr->ngroups] = sr->nsrc;
	sr->glen = xcalloc(sr->ngroups, sizeof(*sr->glen));
	sr->odo = xcalloc(sr->ngroups, sizeof(*sr->odo));
	sr->streamed = sr->gstart[1] == 1 &&
	    sr->src[0].kind != SOURCE_ARGS;
	sr->g0 = sr->streamed;
}

/* Open the stream and every held file, then read the held sources. */
static int
sources_read(struct sources *sr)
{
	struct reader *rds;
	size_t s;
	int r;

	if (sr->streamed && (r = source_open(sr, &sr->rd, &sr->src[0])) < 0)
		return r;
	/* Open every file first, so that a bad name fails before a read. */
	rds = xcalloc(sr->nsrc, sizeof(*rds));
	for (s = 0; s < sr->nsrc; s++)
		rds[s].fd = -1;
	for (s = sr->g0, r = 0; s < sr->nsrc && r >= 0; s++)
		if (sr->src[s].kind != SOURCE_ARGS)
			r = source_open(sr, &rds[s], &sr->src[s]);
	for (s = sr->g0; s < sr->nsrc && r >= 0; s++)
		r = source_load(sr, s, &rds[s]);
	for (s = sr->g0; s < sr->nsrc; s++)
		if (rds[s].fd >= 0)
			reader_close(&rds[s]);
	free(rds);
	return r;
}

/*
 * What comes before the streamed source's input: --skip-first-line's
 * record, --header's; then every header's names, or under --header 0
 * the files' names.
 */
static int
header_read(struct sources *sr)
{
	size_t g, s, k, off, len;
	int r;

	while (sr->streamed && !sr->sdone &&
	    ((sr->cfg->skip_first_line && !sr->ss[0].skipped) ||
	    (sr->cfg->header && !sr->ss[0].hdr_done))) {
		r = reader_record(&sr->rd, &off, &len, 1);
		if (r < 0) {
			snprintf(sr->msg, sr->msgsize, "cannot read '%s'",
			    src_name(&sr->src[0]));
			return r;
		}
		if (r == 0 || record_in(sr, 0, sr->rd.b.p, off, len,
		    &sr->cur) < 0)
			sr->sdone = 1;
		sr->rd.keep = sr->rd.pos;
	}
	buf_clear(&sr->cols.buf);
	if (!sr->cfg->header_tab)
		return 0;
	for (s = 0; s < sr->nsrc; s++)
		sr->nnames += sr->ss[s].nhdr;
	/*
	 * --header 0 (GNU's {foo/bar} for the file foo/bar): a file names
	 * its source's place, which is its value's when every source
	 * before it has one column.
	 */
	if (!sr->cfg->header)
		sr->nnames = sr->nsrc;
	sr->names = xcalloc(sr->nnames, sizeof(*sr->names));
	for (s = 0; !sr->cfg->header && s < sr->nsrc; s++)
		if (sr->src[s].kind == SOURCE_FILE)
			sr->names[s] = sr->src[s].path;
	for (s = 0, k = 0; sr->cfg->header && s < sr->nsrc; s++)
		for (g = 0; g < sr->ss[s].nhdr; g++)
			sr->names[k++] = sr->ss[s].hdr[g];
	return 0;
}

/* The held groups' lengths and their product; whether any is empty. */
static int
groups_size(struct sources *sr)
{
	struct spans one = { 0 };
	size_t g, s, n;

	/* The stream, when it ends empty, decides then for itself. */
	for (s = sr->g0; s < sr->nsrc; s++)
		sr->pad |= sr->nsrc > 1 && sr->ss[s].held.nrec > 0;
	sr->prod = 1;
	for (g = sr->g0; g < sr->ngroups; g++) {
		for (s = sr->gstart[g]; s < sr->gstart[g + 1]; s++) {
			if (sr->ss[s].held.nrec == 0 &&
			    (sr->pad || sr->streamed)) {
				record_empty(sr, s, &one);
				record_keep(sr, s, NULL, &one);
			}
			n = sr->ss[s].held.nrec;
			if (n == 0)
				sr->done = 1;
			/*
			 * As GNU parallel: --link wraps the shorter sources
			 * round, ":::+" and "::::+" stop at the shortest.
			 */
			if (s == sr->gstart[g] ||
			    (sr->cfg->link ? n > sr->glen[g] : n < sr->glen[g]))
				sr->glen[g] = n;
		}
		if (sr->glen[g] != 0 && sr->prod > SIZE_MAX / sr->glen[g]) {
			snprintf(sr->msg, sr->msgsize,
			    "too many combinations of the input sources");
			return -EOVERFLOW;
		}
		sr->prod *= sr->glen[g];
	}
	free(one.v);
	if (sr->done)
		sr->sdone = 1;
	return 0;
}

int
sources_open(struct sources **srp, const struct config *cfg, char *msg,
    size_t msgsize)
{
	struct sources *sr;
	regex_t re;
	int r;

	*srp = NULL;
	/*
	 * --header REGEX reads the first line whatever it says, as GNU's
	 * does outside --pipe, but a pattern that cannot be one is refused.
	 */
	if (cfg->header_re != NULL) {
		if ((r = colsep_regcomp(&re, "--header", cfg->header_re, msg,
		    msgsize)) < 0)
			return r;
		regfree(&re);
	}
	sr = xcalloc(1, sizeof(*sr));
	sr->cfg = cfg;
	sr->msg = msg;
	sr->msgsize = msgsize;
	sr->rd.fd = -1;
	sr->rd.moved = stream_moved;
	sr->rd.ctx = sr;
	sr->src = cfg->sources;
	sr->nsrc = cfg->nsources;
	if (sr->nsrc == 0) {
		sr->stdin_src.kind = SOURCE_STDIN;
		sr->src = &sr->stdin_src;
		sr->nsrc = 1;
		/* Waiting silently there looks like a hang (GNU warns too). */
		if (isatty(0))
			util_warn(0, "reading input from the terminal, one "
			    "record per line (end it with Ctrl-D); did you "
			    "mean ::: VALUES or :::: FILE?");
	}
	sr->ss = xcalloc(sr->nsrc, sizeof(*sr->ss));
	/* xargs: an empty -E string means no end-of-input marker. */
	sr->rules.delim = cfg->delim;
	sr->rules.delimlen = cfg->delimlen;
	sr->rules.eof_str = cfg->eof_str;
	sr->rules.eoflen = cfg->eof_str != NULL && cfg->eof_str[0] != '\0' ?
	    strlen(cfg->eof_str) : SIZE_MAX;
	sr->rules.skip_blank = cfg->skip_empty;
	/* --pipe's -L counts records in a block, it joins none. */
	sr->rules.join = cfg->max_lines > 0 && !cfg->pipe && !cfg->pipepart;
	sr->rules.csv = cfg->csv;
	/* GNU parallel: --header splits at TAB, not trimming. */
	if ((r = columns_init(&sr->cols, cfg->colsep != NULL ? cfg->colsep :
	    cfg->csv ? "," : cfg->header_tab ? "\t" : NULL, cfg->csv,
	    cfg->trim_left, cfg->trim_right, msg, msgsize)) < 0) {
		sources_close(sr);
		return r;
	}
	groups_make(sr);
	if ((r = sources_read(sr)) < 0 || (r = header_read(sr)) < 0 ||
	    (r = groups_size(sr)) < 0) {
		sources_close(sr);
		return r;
	}
	sr->msg = NULL;
	*srp = sr;
	return 0;
}

void
sources_close(struct sources *sr)
{
	size_t s, k;

	if (sr == NULL)
		return;
	for (s = 0; s < sr->nsrc; s++) {
		held_free(&sr->ss[s].held);
		for (k = 0; k < sr->ss[s].nhdr; k++)
			free(sr->ss[s].hdr[k]);
		free(sr->ss[s].hdr);
	}
	free(sr->ss);
	free(sr->gstart);
	free(sr->glen);
	free(sr->odo);
	columns_free(&sr->cols);
	if (sr->rd.fd >= 0)
		reader_close(&sr->rd);
	free(sr->cur.v);
	free(sr->pend.v);
	free(sr->names);
	free(sr);
}
