/*
 * spool: memory up to a threshold, then an unlinked 0600 temp file.  The
 * file is written with pwrite at its own size and read back with pread or
 * sendfile at explicit offsets, so no shared file offset is ever relied on.
 */
#include "spool.h"
#include "sig.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <unistd.h>

static size_t	 mem_limit = 256 * 1024;
static const char *spill_dir = "/tmp";

void
spool_set_limit(size_t bytes)
{
	mem_limit = bytes;
}

void
spool_set_dir(const char *dir)
{
	spill_dir = dir;
}

void
spool_init(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
}

int
spool_tmpfile(const char *dir)
{
	struct buf path = { 0 };
	int fd;

#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
	if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
		return -errno;
#endif
	buf_addf(&path, "%s/fanout.XXXXXX", dir);
	fd = mkostemp(path.p, O_CLOEXEC);
	if (fd < 0)
		fd = -errno;
	else
		unlink(path.p);
	buf_free(&path);
	return fd;
}

static int
spill(struct spool *s, const void *p, size_t n)
{
	int r;

	if (s->fd < 0) {
		s->fd = spool_tmpfile(spill_dir);
		if (s->fd < 0) {
			r = s->fd;
			s->fd = -1;
			return r;
		}
		r = pwrite_all(s->fd, s->mem, s->len, 0);
		if (r < 0)
			return r;
	}
	return pwrite_all(s->fd, p, n, (off_t)s->size);
}

/* Room for n more bytes in memory: 0, or -ENOMEM with nothing changed. */
static int
grow(struct spool *s, size_t n)
{
	size_t cap = s->cap ? s->cap : 64;
	char *mem;

	if (s->len + n <= s->cap)
		return 0;
	while (cap < s->len + n)
		cap *= 2;
	if ((mem = realloc(s->mem, cap)) == NULL)
		return -ENOMEM;
	s->mem = mem;
	s->cap = cap;
	return 0;
}

int
spool_try_append(struct spool *s, const void *p, size_t n)
{
	int r;

	if (s->err || n == 0)
		return 0;
	if (s->fd < 0 && s->len + n <= mem_limit) {
		if ((r = grow(s, n)) < 0)
			return r;
		memcpy(s->mem + s->len, p, n);
		s->len += n;
		s->size += n;
		return 0;
	}
	r = spill(s, p, n);
	if (r < 0) {
		s->err = r;
		return 0;
	}
	s->size += n;
	return 0;
}

int
spool_append(struct spool *s, const void *p, size_t n)
{
	if (spool_try_append(s, p, n) < 0)
		util_die(-ENOMEM, "out of memory");
	return s->err;
}

static int
spool_each_from(struct spool *s, uint64_t off,
    int (*fn)(void *, const char *, size_t), void *ctx)
{
	char chunk[65536];
	ssize_t n;
	int r;

	while (off < s->size) {
		n = pread(s->fd, chunk, sizeof(chunk), (off_t)off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;
		if ((r = fn(ctx, chunk, (size_t)n)) != 0)
			return r;
		off += (uint64_t)n;
	}
	return 0;
}

int
spool_each(struct spool *s, int (*fn)(void *, const char *, size_t),
    void *ctx)
{
	if (s->fd < 0)
		return s->len ? fn(ctx, s->mem, s->len) : 0;
	return spool_each_from(s, 0, fn, ctx);
}

static int
write_chunk(void *ctx, const char *p, size_t n)
{
	return sig_write_all(*(int *)ctx, p, n);
}

int
spool_write(struct spool *s, int fd)
{
	off_t off = 0;
	ssize_t n = 0;
	int mark = sig_stops();

	if (s->fd < 0)
		return s->len ? sig_write_all(fd, s->mem, s->len) : 0;
	/*
	 * sendfile refuses some outputs (an O_APPEND file, a terminal on old
	 * kernels); fall back to reading and writing from where it stopped.
	 */
	while ((uint64_t)off < s->size) {
		if (sig_stops() != mark)
			return -EINTR;
		n = sendfile(fd, s->fd, &off, (size_t)(s->size - (uint64_t)off));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			continue;
		if (n <= 0)
			break;
	}
	if ((uint64_t)off >= s->size)
		return 0;
	if (n < 0 && errno != EINVAL && errno != ENOSYS)
		return -errno;
	return spool_each_from(s, (uint64_t)off, write_chunk, &fd);
}

void
spool_reset(struct spool *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (s->cap > 65536) {
		free(s->mem);
		s->mem = NULL;
		s->cap = 0;
	}
	s->len = 0;
	s->size = 0;
	s->err = 0;
}

void
spool_free(struct spool *s)
{
	spool_reset(s);
	free(s->mem);
	s->mem = NULL;
	s->cap = 0;
}
