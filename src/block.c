/*
 * block: --pipe's blocks.  The bytes not yet handed out are b->data
 * [pos, len); a block is cut from pos once enough has been read to know
 * where it ends.  Searches remember how far they got (scan, counted),
 * so a long record read in many pieces is scanned once.
 */
#include "block.h"
#include "colsep.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <regex.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_MIN	(64 * 1024)
#define PIPE_MAX	(1 << 20)
#define NONE		SIZE_MAX

struct blocker {
	struct block_rules ru;
	int		 fd;
	int		 owned;
	int		 pollable;
	int		 eof;
	char		*data;
	size_t		 pos, len, cap;
	size_t		 handed;	/* the block handed out ends here */
	size_t		 handed_from;
	/* A search in progress, relative to pos. */
	size_t		 scan;		/* no boundary wanted before it */
	long		 counted;	/* boundaries before scan */
	size_t		 last;		/* the last one found, or NONE */
	char		*both;		/* recend then recstart */
	regex_t		 re;
	int		 has_re;
	struct buf	 head;
	int		 head_done;
	struct buf	 out;		/* --rrs: the block without them */
};

/* Where one record ends and the next begins. */
struct cut {
	size_t	end_so;		/* the end of the record's bytes */
	size_t	at;		/* the boundary */
	size_t	start_eo;	/* the start of the next record's bytes */
};

int
block_fd(const struct blocker *b)
{
	return b->fd;
}

static int
compile(struct blocker *b, char *msg, size_t msgsize)
{
	const struct block_rules *ru = &b->ru;
	struct buf src = { 0 }, part = { 0 };
	int r = 0, e;

	/* Group 1 is the end, group 2 the start: the cut is between. */
	buf_adds(&src, "(");
	if (ru->recend_len > 0 && (r = colsep_translate(ru->recend,
	    &part)) == 0)
		buf_add(&src, part.p, part.len);
	buf_adds(&src, ")(");
	buf_clear(&part);
	if (r == 0 && ru->recstart_len > 0 &&
	    (r = colsep_translate(ru->recstart, &part)) == 0)
		buf_add(&src, part.p, part.len);
	buf_adds(&src, ")");
	buf_addc(&src, '\0');
	if (r < 0)
		snprintf(msg, msgsize, "--regexp: '%s' cannot be said as a "
		    "POSIX regular expression", r == -E2BIG ? "a pattern" :
		    (ru->recend_len > 0 ? ru->recend : ru->recstart));
	else if ((e = regcomp(&b->re, src.p, REG_EXTENDED)) != 0) {
		char why[128];

		regerror(e, &b->re, why, sizeof(why));
		snprintf(msg, msgsize, "--regexp: %s", why);
		r = -EINVAL;
	} else
		b->has_re = 1;
	buf_free(&src);
	buf_free(&part);
	return r;
}

int
block_open(struct blocker **out, const struct block_rules *ru,
    const char *path, char *msg, size_t msgsize)
{
	struct blocker *b;
	struct stat st;
	int r;

	b = xcalloc(1, sizeof(*b));
	b->ru = *ru;
	b->last = NONE;
	b->handed = NONE;
	if (ru->regexp && (ru->recend_len > 0 || ru->recstart_len > 0) &&
	    (r = compile(b, msg, msgsize)) < 0) {
		free(b);
		return r;
	}
	if (!ru->regexp && ru->recend_len > 0 && ru->recstart_len > 0) {
		b->both = xmalloc(ru->recend_len + ru->recstart_len);
		memcpy(b->both, ru->recend, ru->recend_len);
		memcpy(b->both + ru->recend_len, ru->recstart,
		    ru->recstart_len);
	}
	if (path == NULL || strcmp(path, "-") == 0)
		b->fd = 0;
	else if ((b->fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0)
		b->owned = 1;
	if (b->fd < 0 || fstat(b->fd, &st) < 0) {
		r = -errno;
		block_close(b);
		return r;
	}
	b->pollable = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	/*
	 * A pipe's writer may run ahead by up to a block (PIPE_MAX at
	 * most) while we do not read, so that a block comes in one read or
	 * a few rather than in the default 64 KiB, each a wake-up of the
	 * writer and of us.
	 */
	if (S_ISFIFO(st.st_mode))
		util_pipe_grow(b->fd, ru->size < PIPE_MAX ? ru->size :
		    PIPE_MAX);
	b->head_done = ru->header == 0;
	*out = b;
	return 0;
}

/* Where the record being searched starts: after the last boundary. */
#define REC(b, rs)	((b)->last != NONE ? (b)->last : (rs))

/*
 * The first boundary after the record that starts at rs, at or after
 * from, whose bytes lie wholly before end: 1 and *c, or 0.  Its
 * separator lies after rs: separators never overlap.  A regular
 * expression's match that reaches end might grow with more input, so
 * before the end of the stream it does not count yet.
 */
static int
boundary(const struct blocker *b, size_t rs, size_t from, size_t end,
    struct cut *c)
{
	const struct block_rules *ru = &b->ru;
	const char *p = b->data, *q;
	size_t elen = ru->recend_len, slen = ru->recstart_len, s;
	regmatch_t m[3];

	if (from <= rs)
		from = rs + 1;
	if (b->has_re) {
		/*
		 * A match may begin a byte before from (its end at the
		 * boundary before).  An empty match is no boundary: look
		 * past it.
		 */
		for (s = from - 1;; s++) {
			if (s < rs)
				s = rs;
			if (s >= end)
				return 0;
			m[0].rm_so = (regoff_t)s;
			m[0].rm_eo = (regoff_t)end;
			if (regexec(&b->re, p, 3, m, REG_STARTEND |
			    (s > 0 ? REG_NOTBOL : 0)) != 0)
				return 0;
			if ((size_t)m[0].rm_eo == end && !b->eof)
				return 0;
			if (m[0].rm_so == m[0].rm_eo ||
			    (size_t)m[1].rm_eo <= rs ||
			    (size_t)m[1].rm_eo < from) {
				s = (size_t)m[0].rm_so;
				continue;
			}
			c->end_so = (size_t)m[1].rm_so;
			c->at = (size_t)m[1].rm_eo;
			c->start_eo = (size_t)m[2].rm_eo;
			return 1;
		}
	}
	if (elen == 0 && slen == 0) {
		/* No separator: every byte is a record. */
		if (from > end)
			return 0;
		c->end_so = c->at = c->start_eo = from;
		return 1;
	}
	s = from >= rs + elen ? from - elen : rs;
	if (s >= end)
		return 0;
	if (slen == 0)
		q = elen == 1 ? memchr(p + s, ru->recend[0], end - s) :
		    memmem(p + s, end - s, ru->recend, elen);
	else if (elen == 0)
		q = memmem(p + s, end - s, ru->recstart, slen);
	else
		q = memmem(p + s, end - s, b->both, elen + slen);
	if (q == NULL)
		return 0;
	c->end_so = (size_t)(q - p);
	c->at = c->end_so + elen;
	c->start_eo = c->at + slen;
	return 1;
}

/* Whether the record at rs opens with a --recstart (for --rrs). */
static size_t
start_len(const struct blocker *b, size_t rs, size_t end)
{
	const struct block_rules *ru = &b->ru;
	regmatch_t m[3];

	if (ru->recstart_len == 0 || rs >= end)
		return 0;
	if (b->has_re) {
		m[0].rm_so = (regoff_t)rs;
		m[0].rm_eo = (regoff_t)end;
		if (regexec(&b->re, b->data, 3, m, REG_STARTEND |
		    (rs > 0 ? REG_NOTBOL : 0)) == 0 && m[1].rm_so ==
		    m[1].rm_eo && (size_t)m[2].rm_so == rs)
			return (size_t)(m[2].rm_eo - m[2].rm_so);
		return 0;
	}
	if (end - rs >= ru->recstart_len &&
	    memcmp(b->data + rs, ru->recstart, ru->recstart_len) == 0)
		return ru->recstart_len;
	return 0;
}

/* [rs, cut) without its separators, into b->out. */
static void
strip(struct blocker *b, size_t rs, size_t cut)
{
	struct cut c;
	size_t r = rs, at;

	buf_clear(&b->out);
	while (r < cut) {
		/* The next boundary may follow the start stripped at once. */
		at = r;
		r += start_len(b, r, cut);
		if (!boundary(b, at, r, cut, &c) || c.at > cut) {
			/* The last record: its end may still be there. */
			c.end_so = cut;
			if (!b->has_re && b->ru.recend_len > 0 &&
			    cut - r >= b->ru.recend_len &&
			    memcmp(b->data + cut - b->ru.recend_len,
			    b->ru.recend, b->ru.recend_len) == 0)
				c.end_so = cut - b->ru.recend_len;
			c.at = cut;
		}
		buf_add(&b->out, b->data + r, c.end_so - r);
		r = c.at;
	}
}

/*
 * Where the next block ends, or NONE when more input is needed.  Size
 * blocks end at the last boundary within size bytes, else at the first
 * after; counted blocks at the records'th boundary.
 */
static size_t
block_end(struct blocker *b, long records, size_t size)
{
	size_t rs = b->pos, end = b->len, limit;
	const char *q;
	struct cut c;

	if (rs == end)
		return NONE;
	if (!b->has_re && b->ru.recend_len == 0 && b->ru.recstart_len == 0) {
		/* No separator: every byte is a record. */
		limit = records > 0 ? (size_t)records : size;
		if (end - rs > limit || (records > 0 && end - rs == limit))
			return rs + limit;
		return b->eof ? end : NONE;
	}
	if (records > 0) {
		while (b->counted < records &&
		    boundary(b, REC(b, rs), rs + b->scan, end, &c)) {
			b->counted++;
			b->scan = c.at - rs + 1;
			b->last = c.at;
		}
		if (b->counted == records)
			return b->last;
		return b->eof ? end : NONE;
	}
	limit = size > end - rs ? end : rs + size;
	if (end - rs <= size && !b->eof)
		return NONE;
	if (end - rs <= size)
		return end;
	/*
	 * The usual case, one byte ending each record: the last boundary
	 * within size is the last such byte before limit, found backwards
	 * at once rather than record by record.  Past it the search below
	 * finds where a record longer than size ends.
	 */
	if (!b->has_re && b->ru.recend_len == 1 && b->ru.recstart_len == 0 &&
	    b->last == NONE && rs + b->scan < limit) {
		q = memrchr(b->data + rs + b->scan, b->ru.recend[0],
		    limit - rs - b->scan);
		if (q != NULL)
			return (size_t)(q - b->data) + 1;
		b->scan = limit - rs;
	}
	/* The last boundary within size. */
	while (rs + b->scan <= limit &&
	    boundary(b, REC(b, rs), rs + b->scan, end, &c) && c.at <= limit) {
		b->last = c.at;
		b->scan = c.at - rs + 1;
	}
	if (b->last != NONE)
		return b->last;
	/* None: the block grows to the end of its first record. */
	if (boundary(b, rs, rs + b->scan, end, &c))
		return c.at;
	/*
	 * Search only the new bytes next time, and the separator that may
	 * straddle them (boundary() looks back by its length); a regular
	 * expression's match has no such bound, so it is searched again.
	 */
	if (!b->has_re)
		b->scan = end - rs;
	return b->eof ? end : NONE;
}

static void
search_reset(struct blocker *b)
{
	b->scan = 0;
	b->counted = 0;
	b->last = NONE;
}

int
block_next(struct blocker *b, struct block *out)
{
	size_t cut;

	b->handed = NONE;
	if (!b->head_done) {
		if ((cut = block_end(b, b->ru.header, 0)) == NONE)
			return b->eof ? 0 : -EAGAIN;
		buf_add(&b->head, b->data + b->pos, cut - b->pos);
		b->pos = cut;
		b->head_done = 1;
		search_reset(b);
	}
	do {
		cut = block_end(b, b->ru.records, b->ru.size);
		if (cut == NONE)
			return b->eof && b->pos == b->len ? 0 : -EAGAIN;
		b->handed_from = b->pos;
		if (b->ru.rrs && (b->ru.recend_len > 0 ||
		    b->ru.recstart_len > 0)) {
			strip(b, b->pos, cut);
			out->p = b->out.p;
			out->len = b->out.len;
		} else {
			out->p = b->data + b->pos;
			out->len = cut - b->pos;
		}
		b->pos = cut;
		search_reset(b);
		/* Nothing left once --rrs stripped it: no job, as GNU. */
	} while (out->len == 0);
	out->head = b->head.p;
	out->head_len = b->head.len;
	b->handed = cut;
	return 1;
}

void
block_keep(struct blocker *b)
{
	if (b->handed != NONE)
		b->pos = b->handed_from;
	b->handed = NONE;
}

/* Whether the descriptor has bytes (or its end) to read now. */
static int
readable(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, 0) > 0;
}

int
block_fill(struct blocker *b)
{
	size_t want;
	ssize_t n;

	if (b->pos > 0) {
		/* Nothing before pos is handed out any more. */
		memmove(b->data, b->data + b->pos, b->len - b->pos);
		b->len -= b->pos;
		b->pos = 0;
	}
	/* Room for a block and what tells where it ends. */
	want = b->ru.size + READ_MIN;
	if (want < b->len + READ_MIN)
		want = b->len + READ_MIN;
	if (b->cap < want) {
		b->cap = want;
		b->data = xrealloc(b->data, b->cap);
	}
	while (!b->eof && b->len < b->cap) {
		n = read(b->fd, b->data + b->len, b->cap - b->len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			return -errno;
		}
		if (n == 0)
			b->eof = 1;
		b->len += (size_t)n;
		/* Enough to cut a block: let it go out. */
		if (b->len >= b->ru.size + READ_MIN / 2 && b->ru.records == 0)
			break;
		if (b->pollable && !readable(b->fd))
			break;
	}
	return 0;
}

void
block_close(struct blocker *b)
{
	if (b == NULL)
		return;
	if (b->owned && b->fd >= 0)
		close(b->fd);
	if (b->has_re)
		regfree(&b->re);
	free(b->both);
	free(b->data);
	buf_free(&b->head);
	buf_free(&b->out);
	free(b);
}
