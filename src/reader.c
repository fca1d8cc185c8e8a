/*
 * reader: one descriptor, one buffer, records cut at the delimiter.
 * The buffer is compacted only before a read that may move it and keeps
 * everything from keep on; its owner moves its own offsets in moved().
 * A pipe, FIFO, socket or terminal is "pollable": its owner reads it
 * only when poll says so, so that a record never blocks the loop.
 */
#include "reader.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define READ_CHUNK	(64 * 1024)

int
reader_blank(const char *p, size_t len)
{
	for (; len > 0; p++, len--)
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			return 0;
	return 1;
}

int
reader_is_end(const struct reader_rules *ru, const char *p, size_t len)
{
	return len == ru->eoflen && memcmp(p, ru->eof_str, len) == 0;
}

/* Perl's \s, with which GNU parallel tests for a trailing blank. */
static int
ends_blank(const char *p, size_t len)
{
	return len > 0 && p[len - 1] != '\0' &&
	    strchr(" \t\n\v\f\r", p[len - 1]) != NULL;
}

int
reader_joins(const struct reader_rules *ru, const char *p, size_t len)
{
	return ru->join && ends_blank(p, len) &&
	    !(ru->skip_blank && reader_blank(p, len));
}

void
reader_compact(struct reader *rd)
{
	size_t shift = rd->keep;

	if (shift == 0)
		return;
	memmove(rd->b.p, rd->b.p + shift, rd->b.len - shift + 1);
	rd->b.len -= shift;
	rd->pos -= shift;
	rd->scan -= shift;
	if (rd->join != SIZE_MAX)
		rd->join -= shift;
	rd->keep = 0;
	if (rd->moved != NULL)
		rd->moved(rd->ctx, shift);
}

int
reader_fill(struct reader *rd, int wait, int movable)
{
	struct pollfd pfd;
	ssize_t n;

	if (movable) {
		reader_compact(rd);
		/* After a huge record, give its memory back. */
		if (rd->b.cap > 64 * READ_CHUNK && rd->b.len < rd->b.cap / 8) {
			rd->b.cap = rd->b.len + 2 * READ_CHUNK;
			rd->b.p = xrealloc(rd->b.p, rd->b.cap);
		}
		buf_reserve(&rd->b, READ_CHUNK);
	} else if (rd->b.cap - rd->b.len - 1 == 0) {
		return 0;
	}
	for (;;) {
		n = read(rd->fd, rd->b.p + rd->b.len,
		    rd->b.cap - rd->b.len - 1);
		if (n >= 0)
			break;
		if (errno != EINTR && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (!wait)
			return 0;
		if (errno != EINTR) {
			pfd.fd = rd->fd;
			pfd.events = POLLIN;
			(void)poll(&pfd, 1, -1);
		}
	}
	if (n == 0)
		rd->eof = 1;
	rd->b.len += (size_t)n;
	rd->b.p[rd->b.len] = '\0';
	return 0;
}

char *
reader_delim(const struct reader_rules *ru, const char *p, size_t n,
    int *quoted)
{
	const char *end, *q;

	/* One byte, the usual case, is memchr's: keep it that fast. */
	if (!ru->csv)
		return ru->delimlen == 1 ? memchr(p, ru->delim[0], n) :
		    memmem(p, n, ru->delim, ru->delimlen);
	if (n < ru->delimlen)
		return NULL;
	/*
	 * Only where a whole delimiter fits may one start: the last
	 * delimlen - 1 bytes are looked at again once more has come, so
	 * their quotes must not be counted yet.
	 */
	end = p + n - (ru->delimlen - 1);
	for (;;) {
		/* Outside quotes the delimiter or a quote; inside, a quote. */
		for (q = p; q < end && *q != '"' && (*quoted ||
		    *q != ru->delim[0] || memcmp(q, ru->delim,
		    ru->delimlen) != 0); q++)
			;
		if (q == end)
			return NULL;
		if (*q != '"')
			return (char *)q;
		*quoted = !*quoted;	/* "" inside toggles twice */
		p = q + 1;
	}
}

/* Where the next search goes on when p[pos, len) holds no delimiter. */
static size_t
delim_resume(const struct reader_rules *ru, size_t pos, size_t len)
{
	return len - pos < ru->delimlen ? pos : len - (ru->delimlen - 1);
}

/* Take [pos, end) as the record; the next one starts at next. */
static int
record_take(struct reader *rd, size_t end, size_t next, size_t *off,
    size_t *len)
{
	rd->b.p[end] = '\0';
	*off = rd->pos;
	*len = end - rd->pos;
	rd->pos = rd->scan = next;
	rd->quoted = 0;
	rd->join = SIZE_MAX;
	return 1;
}

/*
 * The piece [rd->join + delimlen, end) follows a record that goes on: an -E
 * string ends the record before it (1), anything else joins it (0), the
 * delimiter between them removed.
 */
static int
join_piece(struct reader *rd, size_t *end)
{
	size_t j = rd->join, dl = rd->ru->delimlen;

	if (reader_is_end(rd->ru, rd->b.p + j + dl, *end - j - dl))
		return 1;
	memmove(rd->b.p + j, rd->b.p + j + dl, rd->b.len - j - dl + 1);
	rd->b.len -= dl;
	*end -= dl;
	rd->join = SIZE_MAX;
	return 0;
}

int
reader_record(struct reader *rd, size_t *off, size_t *len, int may_block)
{
	const struct reader_rules *ru = rd->ru;
	size_t end, dl = ru->delimlen;
	char *q;
	int r;

	for (;;) {
		q = reader_delim(ru, rd->b.p + rd->scan, rd->b.len - rd->scan,
		    &rd->quoted);
		if (q != NULL) {
			end = (size_t)(q - rd->b.p);
			if (rd->join != SIZE_MAX && join_piece(rd, &end))
				return record_take(rd, rd->join,
				    rd->join + dl, off, len);
			if (reader_joins(ru, rd->b.p + rd->pos,
			    end - rd->pos)) {
				rd->join = end;
				rd->scan = end + dl;
				continue;
			}
			return record_take(rd, end, end + dl, off, len);
		}
		/* A delimiter may begin in the last delimlen - 1 bytes. */
		rd->scan = delim_resume(ru, rd->scan, rd->b.len);
		if (rd->eof) {
			end = rd->b.len;
			/* A last delimiter ends the last record. */
			if (rd->join != SIZE_MAX && (end == rd->join + dl ||
			    join_piece(rd, &end)))
				return record_take(rd, rd->join,
				    rd->join + dl, off, len);
			if (rd->pos == rd->b.len)
				return 0;
			return record_take(rd, end, end, off, len);
		}
		if (!may_block)
			return -EAGAIN;
		if ((r = reader_fill(rd, 1, 1)) < 0)
			return r;
	}
}

int
reader_open(struct reader *rd, const char *path,
    const struct reader_rules *ru, const char **failed)
{
	struct stat st;
	int e;

	rd->fd = 0;
	rd->ru = ru;
	rd->join = SIZE_MAX;
	if (path != NULL && strcmp(path, "-") != 0) {
		rd->fd = open(path, O_RDONLY | O_CLOEXEC);
		if (rd->fd < 0) {
			*failed = "open";
			return -errno;
		}
		rd->owned = 1;
	}
	e = fstat(rd->fd, &st) < 0 ? -errno :
	    S_ISDIR(st.st_mode) ? -EISDIR : 0;
	if (e < 0) {
		*failed = "read";
		return e;
	}
	rd->pollable = !S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode);
	buf_reserve(&rd->b, READ_CHUNK);
	return 0;
}

void
reader_close(struct reader *rd)
{
	if (rd->owned)
		close(rd->fd);
	rd->fd = -1;
	rd->owned = 0;
	buf_free(&rd->b);
}

void
reader_count(const struct reader_rules *ru, const char *base, size_t blen,
    int eof, struct reader_count *c)
{
	const char *p, *q;
	size_t len;
	int quoted;

	while (!c->end) {
		p = base + c->pos;
		quoted = 0;
		q = reader_delim(ru, p, blen - c->pos, &quoted);
		if (q == NULL && (!eof || c->pos == blen)) {
			c->end = eof;
			break;
		}
		len = q != NULL ? (size_t)(q - p) : blen - c->pos;
		if (reader_is_end(ru, p, len)) {
			c->end = 1;
			break;
		}
		c->pos += len + (q != NULL ? ru->delimlen : 0);
		if (c->open) {
			/* Joined on: the record now ends as this piece. */
			c->open = len == 0 || ends_blank(p, len);
		} else if (ru->skip_blank && reader_blank(p, len)) {
			continue;
		} else {
			c->open = reader_joins(ru, p, len);
		}
		c->nrec += !c->open;
	}
	if (c->end && c->open) {
		c->nrec++;
		c->open = 0;
	}
}

int
reader_count_file(const struct reader_rules *ru, int fd, off_t off,
    const char *tail, size_t ntail, struct reader_count *c)
{
	struct buf b = { 0 };
	ssize_t n;
	int e = 0;

	buf_add(&b, tail, ntail);
	c->pos = 0;
	while (!c->end) {
		buf_reserve(&b, READ_CHUNK);
		n = pread(fd, b.p + b.len, b.cap - b.len - 1, off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			e = -errno;
			break;
		}
		off += n;
		b.len += (size_t)n;
		reader_count(ru, b.p, b.len, n == 0, c);
		/* Keep only the unfinished record. */
		memmove(b.p, b.p + c->pos, b.len - c->pos);
		b.len -= c->pos;
		c->pos = 0;
	}
	buf_free(&b);
	return e;
}
