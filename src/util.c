/*
 * util: allocation that dies cleanly, byte buffers, robust writes and
 * clocks.  No state; safe from any thread.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static void
vwarn(int err, const char *fmt, va_list ap)
{
	char msg[1024];
	int n;

	n = vsnprintf(msg, sizeof(msg), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(msg))
		n = sizeof(msg) - 1;
	if (err < 0)
		snprintf(msg + n, sizeof(msg) - n, ": %s", strerror(-err));
	/* One write, so that concurrent messages do not interleave. */
	dprintf(STDERR_FILENO, "fanout: %s\n", msg);
}

void
util_warn(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(err, fmt, ap);
	va_end(ap);
}

void
util_die(int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(err, fmt, ap);
	va_end(ap);
	exit(255);
}

void
util_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	dprintf(STDERR_FILENO, "fanout: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vdprintf(STDERR_FILENO, fmt, ap);
	va_end(ap);
	dprintf(STDERR_FILENO, "\n");
	abort();
}

static void *
check(void *p)
{
	if (p == NULL)
		util_die(-ENOMEM, "out of memory");
	return p;
}

void *
xmalloc(size_t n)
{
	return check(malloc(n ? n : 1));
}

void *
xcalloc(size_t n, size_t sz)
{
	return check(calloc(n ? n : 1, sz ? sz : 1));
}

void *
xrealloc(void *p, size_t n)
{
	return check(realloc(p, n ? n : 1));
}

void *
xgrow(void *p, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap;

	if (n <= c)
		return p;
	if (c == 0)
		c = 8;
	while (c < n) {
		if (c > SIZE_MAX / 2 / sz)
			util_die(-ENOMEM, "out of memory");
		c *= 2;
	}
	*cap = c;
	return xrealloc(p, c * sz);
}

char *
xstrdup(const char *s)
{
	return check(strdup(s));
}

char *
xmemdup(const void *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void
buf_reserve(struct buf *b, size_t extra)
{
	size_t need, cap;

	if (extra > SIZE_MAX - b->len - 1)
		util_die(-ENOMEM, "out of memory");
	need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	b->p = xrealloc(b->p, cap);
	b->cap = cap;
	/* A new buffer's bytes are garbage: keep the NUL promise now. */
	b->p[b->len] = '\0';
}

void
buf_add(struct buf *b, const void *s, size_t n)
{
	buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}

void
buf_free(struct buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}

void
util_close(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

void
util_pipe_grow(int fd, size_t size)
{
	int now;

	if (size == 0 || size > INT_MAX)
		return;
	now = fcntl(fd, F_GETPIPE_SZ);
	if (now >= 0 && (size_t)now < size)
		(void)fcntl(fd, F_SETPIPE_SZ, (int)size);
}

int
write_all(int fd, const void *buf, size_t len)
{
	return write_all_unless(fd, buf, len, NULL, NULL);
}

int
write_all_unless(int fd, const void *buf, size_t len,
    int (*stop)(void *), void *ctx)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		/* Interrupted, before any byte or after some. */
		if (stop != NULL && stop(ctx))
			return -EINTR;
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int
pwrite_all(int fd, const void *buf, size_t len, off_t off)
{
	const char *p = buf;
	ssize_t n;

	while (len > 0) {
		n = pwrite(fd, p, len, off);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n == 0)
			return -ENOSPC;
		p += n;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

int64_t
clock_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

int64_t
clock_wall_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

int64_t
timeval_ns(const struct timeval *tv)
{
	return (int64_t)tv->tv_sec * 1000000000 + (int64_t)tv->tv_usec * 1000;
}

int
cmp_int64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static int
executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    faccessat(AT_FDCWD, path, X_OK, AT_EACCESS) == 0;
}

char *
util_which(const char *name)
{
	struct buf b = { 0 };
	const char *path, *p, *q;

	if (*name == '\0')
		return NULL;
	if (strchr(name, '/') != NULL)
		return executable(name) ? xstrdup(name) : NULL;
	if ((path = getenv("PATH")) == NULL || *path == '\0')
		return NULL;
	for (p = path;; p = q + 1) {
		q = strchr(p, ':');
		buf_clear(&b);
		if (q == p || *p == '\0')
			buf_addc(&b, '.');
		else
			buf_add(&b, p, q ? (size_t)(q - p) : strlen(p));
		buf_addc(&b, '/');
		buf_adds(&b, name);
		if (executable(b.p))
			return b.p;
		if (q == NULL)
			break;
	}
	buf_free(&b);
	return NULL;
}

void
util_sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int
util_thread(pthread_t *t, size_t stack, void *(*run)(void *), void *arg)
{
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	pthread_attr_init(&attr);
	if (stack > 0)
		pthread_attr_setstacksize(&attr, stack);
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(t, &attr, run, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	return -r;
}
