/*
 * fault: a test-only LD_PRELOAD library that makes chosen libc calls fail,
 * so the suite can show what fanout does when it runs short of its own
 * resources (descriptors, processes, memory for epoll) without starving
 * the whole machine.  It is never linked into fanout.
 *
 * FANOUT_FAULTS holds comma-separated rules "call:ERRNO:first[:count]":
 * the calls to `call` numbered first .. first+count-1 (from 1, counted
 * per process across all threads) fail with ERRNO; count 0 or absent
 * means every call from first on.  For example
 *
 *	FANOUT_FAULTS=pipe2:EMFILE:3:4,epoll_ctl:ENOMEM:10
 *
 * Calls: pipe2, socketpair, posix_spawn, pthread_create, epoll_ctl (only
 * EPOLL_CTL_ADD is counted and failed), open (only O_TMPFILE opens),
 * mkostemp, fsync, tee (EINVAL: tee(2) refused) and pread.  ERRNO is
 * one of the names in errnos[] below, or DIE for posix_spawn alone:
 * that call succeeds, then its caller kills itself with SIGKILL (a
 * worker lost just after it spawned its job).  A forked
 * worker inherits its parent's counts at the fork.
 *
 * With FANOUT_FAULTS_LOG set to a file's name, each failure made is
 * appended to it as a line "call nanoseconds" (CLOCK_MONOTONIC), so
 * that a test can see how often fanout tried again.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

enum { PIPE2, SOCKETPAIR, POSIX_SPAWN, PTHREAD_CREATE, EPOLL_CTL, OPEN,
    MKOSTEMP, FSYNC, TEE, PREAD, NCALLS };

static const char *const names[NCALLS] = {
	"pipe2", "socketpair", "posix_spawn", "pthread_create", "epoll_ctl",
	"open", "mkostemp", "fsync", "tee", "pread",
};

/* Not an errno: posix_spawn succeeds, then its caller is killed. */
#define DIE	(-1)

static const struct {
	const char	*name;
	int		 value;
} errnos[] = {
	{ "EMFILE", EMFILE }, { "ENFILE", ENFILE }, { "EAGAIN", EAGAIN },
	{ "ENOMEM", ENOMEM }, { "ENOSPC", ENOSPC }, { "EIO", EIO },
	{ "ENOSYS", ENOSYS }, { "EINVAL", EINVAL }, { "DIE", DIE },
};

struct rule {
	int	err;
	long	first, last;	/* last 0: no end */
};

static struct rule rules[NCALLS];
static atomic_long calls[NCALLS];

static int
errno_named(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(errnos) / sizeof(errnos[0]); i++)
		if (strlen(errnos[i].name) == n &&
		    memcmp(errnos[i].name, s, n) == 0)
			return errnos[i].value;
	return 0;
}

__attribute__((constructor)) static void
fault_init(void)
{
	const char *spec = getenv("FANOUT_FAULTS");

	while (spec != NULL && *spec != '\0') {
		const char *end = strchr(spec, ',');
		const char *c1 = strchr(spec, ':'), *c2;
		size_t len = end ? (size_t)(end - spec) : strlen(spec);
		char *p;
		long first, count = 0;
		int i;

		if (c1 == NULL || c1 >= spec + len ||
		    (c2 = strchr(c1 + 1, ':')) == NULL || c2 >= spec + len)
			abort();
		for (i = 0; i < NCALLS; i++)
			if (strlen(names[i]) == (size_t)(c1 - spec) &&
			    memcmp(names[i], spec, (size_t)(c1 - spec)) == 0)
				break;
		if (i == NCALLS)
			abort();
		first = strtol(c2 + 1, &p, 10);
		if (*p == ':')
			count = strtol(p + 1, &p, 10);
		rules[i].err = errno_named(c1 + 1, (size_t)(c2 - c1 - 1));
		if (rules[i].err == 0 || first < 1 || count < 0 ||
		    (rules[i].err == DIE && i != POSIX_SPAWN))
			abort();
		rules[i].first = first;
		rules[i].last = count ? first + count - 1 : 0;
		spec = end ? end + 1 : spec + len;
	}
}

/* Append "call nanoseconds" to $FANOUT_FAULTS_LOG, if set. */
static void
fault_log(int call)
{
	const char *path = getenv("FANOUT_FAULTS_LOG");
	struct timespec t;
	char line[64];
	int fd, n;

	if (path == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t);
	n = snprintf(line, sizeof(line), "%s %lld\n", names[call],
	    (long long)t.tv_sec * 1000000000LL + t.tv_nsec);
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0600)) < 0)
		return;
	(void)!write(fd, line, (size_t)n);
	close(fd);
}

/* 0, or the errno this call (counted now) must fail with. */
static int
fault(int call)
{
	long n;

	if (rules[call].err == 0)
		return 0;
	n = atomic_fetch_add(&calls[call], 1) + 1;
	if (n < rules[call].first ||
	    (rules[call].last != 0 && n > rules[call].last))
		return 0;
	fault_log(call);
	return rules[call].err;
}

static void *
next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		abort();
	return f;
}

int
pipe2(int fds[2], int flags)
{
	static int (*real)(int *, int);
	int e;

	if ((e = fault(PIPE2)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("pipe2");
	return real(fds, flags);
}

int
socketpair(int domain, int type, int protocol, int sv[2])
{
	static int (*real)(int, int, int, int *);
	int e;

	if ((e = fault(SOCKETPAIR)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("socketpair");
	return real(domain, type, protocol, sv);
}

int
posix_spawn(pid_t *pid, const char *path,
    const posix_spawn_file_actions_t *fa, const posix_spawnattr_t *attr,
    char *const argv[], char *const envp[])
{
	static int (*real)(pid_t *, const char *,
	    const posix_spawn_file_actions_t *, const posix_spawnattr_t *,
	    char *const[], char *const[]);
	int e, r;

	if ((e = fault(POSIX_SPAWN)) > 0)
		return e;
	if (real == NULL)
		real = next("posix_spawn");
	r = real(pid, path, fa, attr, argv, envp);
	if (e == DIE && r == 0)
		kill(getpid(), SIGKILL);
	return r;
}

int
pthread_create(pthread_t *t, const pthread_attr_t *attr,
    void *(*fn)(void *), void *arg)
{
	static int (*real)(pthread_t *, const pthread_attr_t *,
	    void *(*)(void *), void *);
	int e;

	if ((e = fault(PTHREAD_CREATE)) != 0)
		return e;
	if (real == NULL)
		real = next("pthread_create");
	return real(t, attr, fn, arg);
}

int
epoll_ctl(int epfd, int op, int fd, struct epoll_event *ev)
{
	static int (*real)(int, int, int, struct epoll_event *);
	int e;

	if (op == EPOLL_CTL_ADD && (e = fault(EPOLL_CTL)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("epoll_ctl");
	return real(epfd, op, fd, ev);
}

int
open(const char *path, int flags, ...)
{
	static int (*real)(const char *, int, ...);
	mode_t mode = 0;
	va_list ap;
	int e;

	if ((flags & O_TMPFILE) == O_TMPFILE && (e = fault(OPEN)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("open");
	va_start(ap, flags);
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		mode = va_arg(ap, mode_t);
	va_end(ap);
	return real(path, flags, mode);
}

int
mkostemp(char *template, int flags)
{
	static int (*real)(char *, int);
	int e;

	if ((e = fault(MKOSTEMP)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("mkostemp");
	return real(template, flags);
}

int
fsync(int fd)
{
	static int (*real)(int);
	int e;

	if ((e = fault(FSYNC)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("fsync");
	return real(fd);
}

ssize_t
tee(int in, int out, size_t len, unsigned int flags)
{
	static ssize_t (*real)(int, int, size_t, unsigned int);
	int e;

	if ((e = fault(TEE)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("tee");
	return real(in, out, len, flags);
}

ssize_t
pread(int fd, void *p, size_t n, off_t off)
{
	static ssize_t (*real)(int, void *, size_t, off_t);
	int e;

	if ((e = fault(PREAD)) != 0)
		return errno = e, -1;
	if (real == NULL)
		real = next("pread");
	return real(fd, p, n, off);
}
