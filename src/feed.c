/*
 * feed: the feeds, one thread per running job that is fed a block
 * (feed.h), and at the end of the file --round-robin's dealer; both
 * write with feed_some(), from the same struct feed_src (a temp file's
 * block or a range of the input file), and follow the same rules for
 * threads.
 * A feed reads the block's file with sendfile(2) at an offset of its
 * own, so that a retry, which starts a new feed, reads the same block
 * again, and --pipepart's feeds share the input file's descriptor
 * without ever moving its offset.  It waits only in poll(2),
 * always with the stop pipe's read end among the descriptors, so
 * feed_stop() never waits long.  It calls only open, poll, write,
 * sendfile and close: it never holds a lock of libc's (no malloc, no
 * stdio), so that process mode, which forks a worker while feeds run,
 * gives the worker a sane libc; every descriptor it opens is
 * close-on-exec, and the worker closes all but its own at once, so no
 * copy of a fifo's or a pipe's write end outlives the feed to keep a
 * job from its end of file.
 */
#include "feed.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
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
	int		 wr;		/* the pipe; -1: open the fifo path */
	const char	*path;
	struct feed_src	 src;
	int		 cut;		/* the file ended before the block */
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

/* Whether *done bytes are s's whole block. */
static int
feed_done(const struct feed_src *s, uint64_t done)
{
	return done >= s->head_len + s->len;
}

/*
 * One write of what is left of s's block into fd, *done bytes of it
 * written already: the head with write(2), then the file's range with
 * sendfile(2) from an offset of our own.  The bytes written, added to
 * *done; 0 when the file ended early (it shrank), which ends the
 * block; or -errno (-EAGAIN: fd is full).
 */
static ssize_t
feed_some(int fd, const struct feed_src *s, uint64_t *done)
{
	uint64_t left;
	off_t off;
	ssize_t n;

	if (*done < s->head_len)
		n = write(fd, s->head + *done, s->head_len - (size_t)*done);
	else {
		left = s->head_len + s->len - *done;
		off = (off_t)(s->off + (*done - s->head_len));
		n = sendfile(fd, s->fd, &off,
		    left > (1 << 30) ? (1 << 30) : (size_t)left);
	}
	if (n < 0)
		return -errno;
	*done += (uint64_t)n;
	return n;
}

/* Open the fifo once its reader has: the descriptor, or -1 (stopped). */
static int
feed_open(struct feed *f)
{
	int fd, ms = OPEN_FIRST_MS;

	for (;;) {
		fd = open(f->path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0)
			return fd;
		/* ENXIO: no reader yet; a shortage: wait and try again. */
		if (errno != ENXIO && errno != EINTR && errno != EMFILE &&
		    errno != ENFILE && errno != ENOMEM)
			return -1;
		if (feed_wait(f, -1, ms))
			return -1;
		if (ms < OPEN_MAX_MS)
			ms *= 2;
	}
}

static void *
feed_run(void *arg)
{
	struct feed *f = arg;
	uint64_t done = 0;
	ssize_t n;
	int fd;

	if ((fd = f->wr) < 0 && (fd = feed_open(f)) < 0)
		return NULL;
	while (!feed_done(&f->src, done)) {
		n = feed_some(fd, &f->src, &done);
		if (n > 0 || n == -EINTR)
			continue;
		f->cut = n == 0;
		/* EPIPE: the job closed its end; the rest is dropped. */
		if (n != -EAGAIN || feed_wait(f, fd, -1))
			break;
	}
	close(fd);
	return NULL;
}

int
feed_start(struct feed **fp, const char *path, int wr,
    const struct feed_src *src)
{
	struct feed *f;
	int r;

	*fp = NULL;
	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -ENOMEM;
	f->path = path;
	f->wr = path != NULL ? -1 : wr;
	f->src = *src;
	f->stop[0] = f->stop[1] = -1;
	if (pipe2(f->stop, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = -errno;
		goto fail;
	}
	if ((r = util_thread(&f->thread, 0, feed_run, f)) < 0)
		goto fail;
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

int
feed_stop(struct feed *f)
{
	int cut;

	if (f == NULL)
		return 0;
	/* The pipe is empty and ours alone: the byte always fits. */
	(void)!write(f->stop[1], "", 1);
	pthread_join(f->thread, NULL);
	cut = f->cut;
	close(f->stop[0]);
	close(f->stop[1]);
	free(f);
	return cut;
}

int
feed_pipe(int *rd, int *wr, size_t size)
{
	int p[2];

	if (pipe2(p, O_CLOEXEC) < 0)
		return -errno;
	/* Only the writer's end: the job reads as from any pipe. */
	if (fcntl(p[1], F_SETFL, O_NONBLOCK) < 0) {
		close(p[0]);
		close(p[1]);
		return -errno;
	}
	util_pipe_grow(p[1], size);
	*rd = p[0];
	*wr = p[1];
	return 0;
}

/*
 * --round-robin's dealer (feed.h).  Its state is under mu: the
 * scheduler's calls change it briefly and write a byte into the wake
 * pipe; the thread deals under mu and lets go of it only to poll.  A
 * job's slot is never reused (each job joins once), so an id stays
 * valid until feed_deal_stop().
 */
struct deal_job {
	int		 wr;		/* its stdin's write end; -1: closed */
	struct feed_src	 src;		/* the block being written; fd -1: none */
	int		 own;		/* src.fd is the dealer's to close */
	uint64_t	 done;		/* of the block */
	uint64_t	 fed;		/* bytes written into the pipe */
	int		 room;		/* the pipe took all we gave it */
	int		 gone;		/* the job ended */
	int		 cut;		/* a file ended before its block */
};

struct deal_block {
	struct feed_src	 src;
	int		 own;
};

struct deal {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	int		 wake[2];	/* to the thread: look again */
	int		 room[2];	/* from it: a block left the queue */
	struct deal_job	*job;
	long		 njob, cap;	/* joined; at most cap */
	struct deal_block *q;		/* a ring of cap blocks */
	long		 qhead, qlen;
	long		 turn;		/* the job to serve first next */
	int		 ending;	/* no more blocks will come */
	int		 stopping;
	struct pollfd	*pfd;		/* the thread's: wake, then jobs */
	long		*pjob;		/* which job each pfd is */
};

/* Write a byte into a pipe of ours; one already there says the same. */
static void
deal_poke(int fd)
{
	(void)!write(fd, "", 1);
}

static void
deal_drain(int fd)
{
	char buf[64];

	while (read(fd, buf, sizeof(buf)) > 0)
		continue;
}

/*
 * Done with a block: its descriptor is closed if the dealer owns it (a
 * temp file), never if it is shared (the caller's, feed.h).
 */
static void
deal_release(struct feed_src *src, int own)
{
	if (own)
		util_close(&src->fd);
	src->fd = -1;
}

/* Give job j the next queued block. */
static void
deal_take(struct deal *d, struct deal_job *j)
{
	struct deal_block *b = &d->q[d->qhead];

	j->src = b->src;
	j->own = b->own;
	j->done = 0;
	d->qhead = (d->qhead + 1) % d->cap;
	d->qlen--;
	deal_poke(d->room[1]);
}

/*
 * Write job j's block while its pipe takes it.  A write error other
 * than a full pipe (EPIPE, should the job's read end be gone) drops
 * its pipe: the rest of its block, and any after, go nowhere.
 */
static void
deal_send(struct deal_job *j)
{
	ssize_t n;

	while (j->src.fd >= 0) {
		if (feed_done(&j->src, j->done)) {
			deal_release(&j->src, j->own);
			break;
		}
		n = feed_some(j->wr, &j->src, &j->done);
		if (n > 0) {
			j->fed += (uint64_t)n;
			continue;
		}
		if (n == -EINTR)
			continue;
		if (n == -EAGAIN) {
			j->room = 0;
			break;
		}
		if (n == 0) {		/* the file shrank: the block ends */
			j->cut = 1;
			deal_release(&j->src, j->own);
			break;
		}
		deal_release(&j->src, j->own);
		util_close(&j->wr);
	}
}

/*
 * One round: each job with room in its pipe finishes its block and, in
 * turn from d->turn, takes one more; rounds go on while blocks are
 * taken.  A job with no block once the input has ended and the queue is
 * empty has its stdin closed; so has a job that ended.
 */
static void
deal_round(struct deal *d)
{
	struct deal_job *j;
	long i, k, first;
	int took;

	do {
		took = 0;
		first = d->turn;
		for (k = 0; k < d->njob; k++) {
			i = (first + k) % d->njob;
			j = &d->job[i];
			if (j->gone) {
				deal_release(&j->src, j->own);
				util_close(&j->wr);
			}
			if (j->wr < 0)
				continue;
			if (j->room)
				deal_send(j);
			if (j->wr >= 0 && j->src.fd < 0 && j->room &&
			    d->qlen > 0) {
				deal_take(d, j);
				d->turn = (i + 1) % d->njob;
				took = 1;
				deal_send(j);
			}
			if (j->wr >= 0 && j->src.fd < 0 && d->qlen == 0 &&
			    d->ending)
				util_close(&j->wr);
		}
	} while (took && d->qlen > 0);
}

static void *
deal_run(void *arg)
{
	struct deal *d = arg;
	struct deal_job *j;
	long i, n;

	pthread_mutex_lock(&d->mu);
	while (!d->stopping) {
		deal_round(d);
		/* A job waits for room when it has a block, or could take one. */
		n = 1;
		for (i = 0; i < d->njob; i++) {
			j = &d->job[i];
			if (j->wr < 0 || j->room ||
			    (j->src.fd < 0 && d->qlen == 0))
				continue;
			d->pfd[n].fd = j->wr;
			d->pfd[n].events = POLLOUT;
			d->pfd[n].revents = 0;
			d->pjob[n++] = i;
		}
		pthread_mutex_unlock(&d->mu);
		if (poll(d->pfd, (nfds_t)n, -1) < 0 && errno != EINTR)
			(void)poll(NULL, 0, 10);	/* not a spin */
		pthread_mutex_lock(&d->mu);
		if (d->pfd[0].revents)
			deal_drain(d->wake[0]);
		for (i = 1; i < n; i++)
			if (d->pfd[i].revents)
				d->job[d->pjob[i]].room = 1;
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

/* Close the queued blocks. */
static void
deal_drop(struct deal *d)
{
	for (; d->qlen > 0; d->qlen--) {
		deal_release(&d->q[d->qhead].src, d->q[d->qhead].own);
		d->qhead = (d->qhead + 1) % d->cap;
	}
}

/* The queue, the pipes and the memory: the thread is gone, or never was. */
static void
deal_free(struct deal *d)
{
	deal_drop(d);
	util_close(&d->wake[0]);
	util_close(&d->wake[1]);
	util_close(&d->room[0]);
	util_close(&d->room[1]);
	free(d->job);
	free(d->q);
	free(d->pfd);
	free(d->pjob);
	free(d);
}

int
feed_deal_start(struct deal **dp, long jobs, int *room_fd)
{
	struct deal *d;
	int r;

	*dp = NULL;
	if (jobs < 1)
		jobs = 1;
	d = xcalloc(1, sizeof(*d));
	d->cap = jobs;
	d->job = xcalloc((size_t)jobs, sizeof(*d->job));
	d->q = xcalloc((size_t)jobs, sizeof(*d->q));
	d->pfd = xcalloc((size_t)jobs + 1, sizeof(*d->pfd));
	d->pjob = xcalloc((size_t)jobs + 1, sizeof(*d->pjob));
	d->wake[0] = d->wake[1] = d->room[0] = d->room[1] = -1;
	if (pipe2(d->wake, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    pipe2(d->room, O_CLOEXEC | O_NONBLOCK) < 0) {
		r = -errno;
		goto fail;
	}
	d->pfd[0].fd = d->wake[0];
	d->pfd[0].events = POLLIN;
	pthread_mutex_init(&d->mu, NULL);
	if ((r = util_thread(&d->thread, 0, deal_run, d)) < 0) {
		pthread_mutex_destroy(&d->mu);
		goto fail;
	}
	*room_fd = d->room[0];
	*dp = d;
	return 0;
fail:
	deal_free(d);
	return r;
}

long
feed_deal_join(struct deal *d, int wr, const struct feed_src *src, int own)
{
	struct deal_job *j;
	long id;

	pthread_mutex_lock(&d->mu);
	if (d->njob == d->cap)
		BUG("--round-robin: more than %ld jobs joined", d->cap);
	id = d->njob++;
	j = &d->job[id];
	*j = (struct deal_job){ .wr = wr, .src = *src, .own = own,
	    .room = 1 };
	pthread_mutex_unlock(&d->mu);
	deal_poke(d->wake[1]);
	return id;
}

uint64_t
feed_deal_leave(struct deal *d, long id, int *cut)
{
	uint64_t fed;

	pthread_mutex_lock(&d->mu);
	d->job[id].gone = 1;
	fed = d->job[id].fed;
	*cut = d->job[id].cut;
	pthread_mutex_unlock(&d->mu);
	deal_poke(d->wake[1]);
	return fed;
}

int
feed_deal_full(struct deal *d)
{
	int full;

	deal_drain(d->room[0]);
	pthread_mutex_lock(&d->mu);
	full = d->qlen == d->cap;
	pthread_mutex_unlock(&d->mu);
	return full;
}

void
feed_deal_push(struct deal *d, const struct feed_src *src, int own)
{
	pthread_mutex_lock(&d->mu);
	if (d->qlen == d->cap)
		BUG("--round-robin: a block pushed on a full queue");
	d->q[(d->qhead + d->qlen++) % d->cap] =
	    (struct deal_block){ *src, own };
	pthread_mutex_unlock(&d->mu);
	deal_poke(d->wake[1]);
}

void
feed_deal_end(struct deal *d, int drop)
{
	pthread_mutex_lock(&d->mu);
	d->ending = 1;
	/* Queued blocks are no job's yet: the thread polls none of them. */
	if (drop)
		deal_drop(d);
	pthread_mutex_unlock(&d->mu);
	deal_poke(d->wake[1]);
}

void
feed_deal_stop(struct deal *d)
{
	long i;

	if (d == NULL)
		return;
	pthread_mutex_lock(&d->mu);
	d->stopping = 1;
	pthread_mutex_unlock(&d->mu);
	deal_poke(d->wake[1]);
	pthread_join(d->thread, NULL);
	pthread_mutex_destroy(&d->mu);
	for (i = 0; i < d->njob; i++) {
		deal_release(&d->job[i].src, d->job[i].own);
		util_close(&d->job[i].wr);
	}
	deal_free(d);
}
