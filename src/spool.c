/*
 * spool: memory up to a threshold, then an unlinked 0600 temp file.  The
 * file is written with pwrite at its own size and read back with pread or
 * sendfile at explicit offsets, so no shared file offset is ever relied on.
 * A compressed file is the exception: the compressor writes it through
 * its stdout from offset 0, and the decompressor reads it through its
 * stdin from an offset set back to 0 just before; the spool's owner is
 * the only one using the file meanwhile.
 */
#include "spool.h"
#include "sig.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static size_t	 mem_limit = 256 * 1024;
static const char *spill_dir = "/tmp";
static const char *zip_prog;	/* NULL: spill as is */
static const char *unzip_prog;

extern char **environ;

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
spool_set_compress(const char *compress, const char *decompress)
{
	zip_prog = compress;
	unzip_prog = decompress;
}

int
spool_strerror(int err, char *buf, size_t len)
{
	const char *prog = zip_prog, *what = "compress";
	int code;

	if (err > SPOOL_EPROG)
		return 0;
	code = SPOOL_EPROG - err;
	if (code & SPOOL_EUNZIP) {
		prog = unzip_prog;
		what = "decompress";
		code &= ~SPOOL_EUNZIP;
	}
	if (code == SPOOL_EBADSIZE)
		snprintf(buf, len, "%s program '%s' did not give back the "
		    "bytes it was given", what, prog);
	else if (code > 255)
		snprintf(buf, len, "%s program '%s' was killed by signal %d",
		    what, prog, code - 256);
	else
		snprintf(buf, len, "%s program '%s' failed with exit "
		    "status %d", what, prog, code);
	return 1;
}

void
spool_init(struct spool *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	s->zfd = -1;
}

/*
 * Run the shell command prog with in and out as its stdin and stdout,
 * in a process group of its own, so that a terminal's ^C reaches fanout
 * and not the program holding the output.  A shortage is waited out a
 * few times, then given up as the spool's error.
 */
static int
prog_start(const char *prog, int in, int out, pid_t *pid)
{
	static char sh[] = "sh", c[] = "-c";
	char *argv[] = { sh, c, (char *)prog, NULL };
	int ms = 0, tries = 0, r;

	while ((r = spawn_job("/bin/sh", argv, environ, in, out, -1,
	    pid)) < 0 && spawn_err_transient(r) && tries++ < 10)
		spawn_backoff(&ms);
	return r;
}

static int
pipe_retry(int p[2])
{
	int ms = 0, tries = 0;

	while (pipe2(p, O_CLOEXEC) < 0) {
		if ((errno != EMFILE && errno != ENFILE) || tries++ >= 10)
			return -errno;
		spawn_backoff(&ms);
	}
	return 0;
}

/* Reap pid; the error its end means for the spool, or 0. */
static int
prog_wait(pid_t pid, int unzip)
{
	int st, code;

	while (waitpid(pid, &st, 0) < 0) {
		if (errno == EINTR)
			continue;
		/*
		 * ECHILD: a sweep of waitpid(-1) (exec_process) took it,
		 * which only a program that ended before its input did can
		 * give it time for: it failed.
		 */
		return SPOOL_EPROG - (unzip ? SPOOL_EUNZIP : 0) -
		    SPOOL_EBADSIZE;
	}
	if (WIFEXITED(st))
		code = WEXITSTATUS(st);
	else
		code = 256 + WTERMSIG(st);
	if (code == 0)
		return 0;
	return SPOOL_EPROG - (unzip ? SPOOL_EUNZIP : 0) - code;
}

/* Start the compressor on s->fd, and give it what memory holds. */
static int
zip_start(struct spool *s)
{
	int p[2], r;

	if ((r = pipe_retry(p)) < 0)
		return r;
	r = prog_start(zip_prog, p[0], s->fd, &s->zpid);
	close(p[0]);
	if (r < 0) {
		s->zpid = 0;
		close(p[1]);
		return r;
	}
	s->zfd = p[1];
	return 0;
}

/* Write to the compressor; a write it refuses means it has died. */
static int
zip_write(struct spool *s, const void *p, size_t n)
{
	int r;

	if ((r = write_all(s->zfd, p, n)) == -EPIPE) {
		r = spool_finish(s);
		return r < 0 ? r : SPOOL_EPROG - SPOOL_EBADSIZE;
	}
	return r;
}

int
spool_finish(struct spool *s)
{
	int r;

	if (s->zfd < 0)
		return s->err;
	close(s->zfd);
	s->zfd = -1;
	r = prog_wait(s->zpid, 0);
	if (r < 0 && s->err == 0)
		s->err = r;
	return s->err;
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
		if (zip_prog != NULL) {
			if ((r = zip_start(s)) < 0)
				return r;
			r = zip_write(s, s->mem, s->len);
		} else
			r = pwrite_all(s->fd, s->mem, s->len, 0);
		if (r < 0)
			return r;
	}
	if (s->zfd >= 0)
		return zip_write(s, p, n);
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
	s->last = ((const char *)p)[n - 1];
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

/*
 * Read the compressed file back through the decompressor, in order,
 * exactly s->size bytes: a program that gives back fewer or more failed,
 * whatever its exit status says.
 */
static int
unzip_each(struct spool *s, int (*fn)(void *, const char *, size_t),
    void *ctx)
{
	char chunk[65536];
	uint64_t got = 0;
	ssize_t n;
	pid_t pid;
	int p[2], r, w;

	if ((r = spool_finish(s)) < 0)
		return r;
	if (lseek(s->fd, 0, SEEK_SET) < 0)
		return -errno;
	if ((r = pipe_retry(p)) < 0)
		return r;
	r = prog_start(unzip_prog, s->fd, p[1], &pid);
	close(p[1]);
	if (r < 0) {
		close(p[0]);
		return r;
	}
	for (r = 0; r == 0;) {
		n = read(p[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			r = -errno;
		if (n <= 0)
			break;
		if ((uint64_t)n > s->size - got) {
			r = SPOOL_EPROG - SPOOL_EUNZIP - SPOOL_EBADSIZE;
			break;
		}
		got += (uint64_t)n;
		r = fn(ctx, chunk, (size_t)n);
	}
	close(p[0]);
	/* Stopped early: the rest is not wanted, nor the program. */
	if (r != 0)
		kill(-pid, SIGKILL);
	w = prog_wait(pid, 1);
	if (r == 0)
		r = w;
	if (r == 0 && got != s->size)
		r = SPOOL_EPROG - SPOOL_EUNZIP - SPOOL_EBADSIZE;
	return r;
}

int
spool_each(struct spool *s, int (*fn)(void *, const char *, size_t),
    void *ctx)
{
	if (s->fd < 0)
		return s->len ? fn(ctx, s->mem, s->len) : 0;
	if (s->zpid > 0)
		return unzip_each(s, fn, ctx);
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
	if (s->zpid > 0)
		return unzip_each(s, write_chunk, &fd);
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
	/* The output is dropped: the compressor's fate does not matter. */
	if (s->zfd >= 0) {
		close(s->zfd);
		s->zfd = -1;
		(void)prog_wait(s->zpid, 0);
	}
	s->zpid = 0;
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
	s->last = '\0';
}

void
spool_free(struct spool *s)
{
	spool_reset(s);
	free(s->mem);
	s->mem = NULL;
	s->cap = 0;
}
