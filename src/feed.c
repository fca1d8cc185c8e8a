/*
 * feed: --fifo's writer thread, one per running --fifo job (feed.h).
 * The thread owns a dup of the block's file and reads it with sendfile(2)
 * at its own offset, so that a retry, which starts a new feed, reads the
 * same block from the start.  It waits only in poll(2), always with the
 * stop pipe's read end among the descriptors, so feed_stop() never
 * waits long.  It calls only open, poll, sendfile and close: it never
 * holds a lock of libc's (no malloc, no stdio), so that process mode,
 * which forks a worker while feeds run, gives the worker a sane libc;
 * every descriptor it opens is close-on-exec, and the worker closes all
 * but its own at once, so no copy of a fifo's write end outlives the
 * feed to keep a job from its end of file.
 */
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

/* The pauses between tries to open a fifo nobody reads yet, in ms. */
#define OPEN_FIRST_MS	1
#define OPEN_MAX_MS	50

struct feed {
	pthread_t	 thread;
	int		 stop[2];	/* a byte in it: give up */
	int		 src;		/* the block, our own descriptor */
	const char	*path;
	uint64_t	 len;
};

/* Wait for fd's events, or for the stop pipe; 1 when stopped. */
static int
feed_wait(struct feed *f, int fd, int ms)
{
	struct pollfd p[2] = {
		{ .fd = f->stop[0], .events = POLLIN },
		{ .fd = fd, .events = POLLOUT },
	};

	if (poll(p, fd >= 0 ? 2 : 1, ms) < 0 && errno != EINTR)
		return 1;	/* cannot wait: give up rather than spin */
	return p[0].revents != 0;
}

static void *
feed_run(void *arg)
{
	struct feed *f = arg;
	off_t off = 0;
	ssize_t n;
	size_t want;
	int fd, ms = OPEN_FIRST_MS;

	for (;;) {
		fd = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			break;
		/* ENXIO: no reader yet; a shortage: wait and try again. */
		if (errno != ENXIO && errno != EINTR && errno != EMFILE &&
		    errno != ENFILE && errno != ENOMEM)
			return NULL;
		if (feed_wait(f, -1, ms))
			return NULL;
		if (ms < OPEN_MAX_MS)
			ms *= 2;
	}
	while ((uint64_t)off < f->len) {
		want = f->len - (uint64_t)off > (1 << 30) ? (1 << 30) :
		    (size_t)(f->len - (uint64_t)off);
		n = sendfile(fd, f->src, &off, want);
		if (n > 0)
			continue;
		if (n == 0)
			break;		/* the file shrank */
		if (errno == EINTR)
			continue;
		/* EPIPE: the job closed the fifo; the rest is dropped. */
		if (errno != EAGAIN || feed_wait(f, fd, -1))
			break;
	}
	close(fd);
	return NULL;
}

int
feed_start(struct feed **fp, const char *path, int src, uint64_t len)
{
	struct feed *f;
	sigset_t all, old;
	int r;

	*fp = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -ENOMEM;
	f->path = path;
	f->len = len;
	f->stop[0] = f->stop[1] = -1;
	if (pipe2(f->stop, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    (f->src = fcntl(src, F_DUPFD_CLOEXEC, 0)) < 0) {
		r = -errno;
		goto fail;
	}
	/* The thread takes no signal: the scheduler's thread handles them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = -pthread_create(&f->thread, NULL, feed_run, f);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (r < 0) {
		close(f->src);
		goto fail;
	}
	*fp = f;
	return 0;
fail:
	if (f->stop[0] >= 0) {
		close(f->stop[0]);
		close(f->stop[1]);
	}
	free(f);
	return r;
}

void
feed_stop(struct feed *f)
{
	if (f == NULL)
		return;
	/* The pipe is empty and ours alone: the byte always fits. */
	(void)!write(f->stop[1], "", 1);
	pthread_join(f->thread, NULL);
	close(f->stop[0]);
	close(f->stop[1]);
	close(f->src);
	free(f);
}
