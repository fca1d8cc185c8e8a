/*
 * part: --pipepart's byte ranges, found with small reads near each
 * block's edge (part.h).
 */
#include "part.h"
#include "block.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Bytes read at a time while looking for a boundary. */
#define WINDOW	(64 * 1024)

struct parter {
	int		 fd;
	off_t		 size;		/* the file's */
	off_t		 pos;		/* the next block starts here */
	size_t		 block;		/* about so many bytes a block */
	char		*sep;		/* recend then recstart */
	size_t		 sep_len, end_len;	/* all, and recend's */
	size_t		 skip;		/* a record's own start: 1 or 0 */
	int		 after;		/* --block -N: end past the size */
	char		*win;		/* WINDOW + sep_len bytes */
	struct buf	 head;
};

/*
 * The last separator that starts in [lo, hi] and lies whole in the
 * file, or -1; -errno on a read error.
 */
static off_t
find_last(struct parter *p, off_t lo, off_t hi)
{
	off_t from, best;
	const char *q, *at;
	ssize_t n;

	if (hi > p->size - (off_t)p->sep_len)
		hi = p->size - (off_t)p->sep_len;
	while (hi >= lo) {
		from = hi - WINDOW + 1 > lo ? hi - WINDOW + 1 : lo;
		n = pread(p->fd, p->win, (size_t)(hi - from) + p->sep_len,
		    from);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		best = -1;
		for (at = p->win; (q = memmem(at, (size_t)n - (size_t)(at -
		    p->win), p->sep, p->sep_len)) != NULL &&
		    q - p->win <= hi - from; at = q + 1)
			best = from + (q - p->win);
		if (best >= 0)
			return best;
		hi = from - 1;
	}
	return -1;
}

/* The first separator that starts at lo or after, or -1; or -errno. */
static off_t
find_first(struct parter *p, off_t lo)
{
	const char *q;
	ssize_t n;

	while (lo + (off_t)p->sep_len <= p->size) {
		n = pread(p->fd, p->win, WINDOW + p->sep_len - 1, lo);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if ((size_t)n < p->sep_len)
			return -1;
		if ((q = memmem(p->win, (size_t)n, p->sep, p->sep_len)) !=
		    NULL)
			return lo + (q - p->win);
		lo += n - (ssize_t)p->sep_len + 1;
	}
	return -1;
}

/*
 * The boundary that ends the block starting at pos: the last within
 * size bytes, else the first after; the file's end when there is none.
 * Under --block -N, the first at or after size bytes, so that the
 * blocks are no more than asked for.
 */
static off_t
block_end(struct parter *p, off_t pos, size_t size)
{
	off_t target = pos + (off_t)size, m;

	if (target >= p->size)
		return p->size;
	if (p->sep_len == 0)	/* no separator: every byte is a record */
		return target;
	m = p->after ? -1 : find_last(p, pos + (off_t)p->skip,
	    target - (off_t)p->end_len);
	if (m == -1 && p->after)
		m = find_first(p, target - (off_t)p->end_len);
	else if (m == -1)
		m = find_first(p, target - (off_t)p->end_len + 1);
	if (m < -1)
		return m;
	return m < 0 ? p->size : m + (off_t)p->end_len;
}

int
part_open(struct parter **out, const struct block_rules *ru,
    const char *path, long per_slot, long slots)
{
	struct parter *p = xcalloc(1, sizeof(*p));
	struct stat st;
	off_t end;
	long i;
	int r;

	*out = p;
	/* Not blocking on a fifo, which is refused below. */
	if ((p->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) < 0)
		return -errno;
	if (fstat(p->fd, &st) < 0)
		return -errno;
	if (!S_ISREG(st.st_mode))
		return -ESPIPE;
	p->size = st.st_size;
	p->sep_len = ru->recend_len + ru->recstart_len;
	p->end_len = ru->recend_len;
	p->skip = ru->recend_len == 0 && ru->recstart_len > 0;
	p->sep = xmalloc(p->sep_len + 1);
	/* Either may be NULL when empty, which memcpy may not be given. */
	if (ru->recend_len > 0)
		memcpy(p->sep, ru->recend, ru->recend_len);
	if (ru->recstart_len > 0)
		memcpy(p->sep + ru->recend_len, ru->recstart,
		    ru->recstart_len);
	p->win = xmalloc(WINDOW + p->sep_len);
	/* The header: its records' ends, one by one, the smallest blocks. */
	for (i = 0; i < ru->header && p->pos < p->size; i++) {
		if ((end = block_end(p, p->pos, 1)) < 0)
			return (int)end;
		p->pos = end;
	}
	buf_reserve(&p->head, (size_t)p->pos);
	if (p->pos > 0 && (r = (int)pread(p->fd, p->head.p, (size_t)p->pos,
	    0)) != p->pos)
		return r < 0 ? -errno : -EIO;
	p->head.len = (size_t)p->pos;
	p->block = ru->size;
	if (per_slot > 0) {
		/* --block -N: N blocks for each slot, of equal size. */
		p->block = (size_t)((p->size - p->pos) / (per_slot * slots)) +
		    1;
		p->after = 1;
	}
	return 0;
}

int
part_next(struct parter *p, off_t *off, size_t *len)
{
	off_t end;

	if (p->pos >= p->size)
		return 0;
	if ((end = block_end(p, p->pos, p->block)) < 0)
		return (int)end;
	*off = p->pos;
	*len = (size_t)(end - p->pos);
	p->pos = end;
	return 1;
}

void
part_back(struct parter *p, off_t off)
{
	p->pos = off;
}

const char *
part_head(const struct parter *p, size_t *len)
{
	*len = p->head.len;
	return p->head.p;
}

int
part_fd(const struct parter *p)
{
	return p->fd;
}

void
part_close(struct parter *p)
{
	if (p == NULL)
		return;
	if (p->fd >= 0)
		close(p->fd);
	free(p->sep);
	free(p->win);
	buf_free(&p->head);
	free(p);
}
