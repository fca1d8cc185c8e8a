/*
 * util: the small things every module needs.  Allocation that dies
 * cleanly (fanout exits 255 rather than continue on a NULL), a growable
 * byte buffer, writes that survive short counts and EINTR, and clocks.
 * Everything here is safe to call from any thread.
 */
#ifndef FANOUT_UTIL_H
#define FANOUT_UTIL_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BUG(...)	util_bug(__FILE__, __LINE__, __VA_ARGS__)

/* Print "fanout: MSG" (and strerror(-err) when err < 0) to stderr. */
void	util_warn(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
/* As util_warn, then exit 255. */
_Noreturn void util_die(int err, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
_Noreturn void util_bug(const char *file, int line, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
/* Grow an array to hold at least n elements of size sz; doubles. */
void	*xgrow(void *, size_t *cap, size_t n, size_t sz);
char	*xstrdup(const char *);
char	*xmemdup(const void *, size_t);

/*
 * The file the shell would run for name (allocated), or NULL.  An empty
 * PATH entry is the current directory, as in the shell; an unset or
 * empty PATH leaves the choice to the shell: NULL.
 */
char	*util_which(const char *name);

/*
 * A growable byte buffer.  The zero value is an empty buffer.  The bytes
 * are always followed by a NUL that len does not count, so p can be used
 * as a C string when it holds none.
 */
struct buf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

void	buf_reserve(struct buf *, size_t extra);
void	buf_add(struct buf *, const void *, size_t);
void	buf_addc(struct buf *, char);
void	buf_adds(struct buf *, const char *);
void	buf_addf(struct buf *, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_clear(struct buf *);	/* len = 0, keeps the memory */
void	buf_free(struct buf *);

/* Write all of buf, retrying short writes and EINTR. 0 or -errno. */
int	write_all(int fd, const void *, size_t);
/*
 * write_all, but give up with -EINTR, part perhaps written, when stop(ctx)
 * says so, asked before each write (after a signal ended one early).
 */
int	write_all_unless(int fd, const void *, size_t,
	    int (*stop)(void *), void *ctx);
/* write_all to an explicit offset. 0 or -errno. */
int	pwrite_all(int fd, const void *, size_t, off_t);
/* Close *fd unless it is -1 already, and make it -1. */
void	util_close(int *fd);
/*
 * Let the pipe fd hold about size bytes, if it holds fewer: a bigger
 * pipe wakes its writer and reader less often.  A refusal (EPERM once
 * the user's pipes hold too much) leaves it as it was: a smaller pipe
 * works as well, only slower.
 */
void	util_pipe_grow(int fd, size_t size);

/* Monotonic and wall-clock time in nanoseconds. */
int64_t	clock_mono_ns(void);
/* Sleep ms milliseconds, whatever signals come.  Async-signal-safe. */
void	util_sleep_ms(int ms);
/*
 * Start a thread that takes no signal (the thread that started fanout
 * takes them all; a new thread inherits its creator's mask), on a stack
 * of stack bytes (0: the default).  0, or -errno.
 */
int	util_thread(pthread_t *, size_t stack, void *(*run)(void *),
	    void *arg);
int64_t	clock_wall_ns(void);

/*
 * Conversions and comparisons several modules share: each has one home
 * here so that copies cannot drift apart.
 */
struct timeval;

/* A timeval (rusage times) in nanoseconds. */
int64_t	timeval_ns(const struct timeval *);
/* qsort(3) comparison of two int64_t. */
int	cmp_int64(const void *, const void *);

#endif
