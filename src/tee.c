/*
 * tee: --pipe --tee's writer (tee.h).  Its state is under mu: the
 * scheduler's calls change it briefly and write a byte into the wake
 * pipe; the thread copies under mu and lets go of it only to poll.  A
 * job's slot is never reused (each job joins once), so an id stays
 * valid until tee_stop(); only the thread closes a job's pipe while it
 * runs, so that no descriptor it polls is closed under it.
 *
 * Through a pipe or a buffer the copy goes in rounds: once every job's
 * pipe has room and the stream has bytes, a round takes up to ROUND
 * bytes (tee(2) into the first job's pipe says how many: n), gives the
 * same n bytes to every job, and ends when each has all n; only then
 * does the next begin.  buf holds the part of the round, [base, n),
 * that some job still lacks; a job's done is how much of the round it
 * has.  Through a regular file there are no rounds: each job's pipe is
 * fed from its own offset as it takes more.
 */
#include "tee.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "util.h"

/* The most bytes a round takes; buf's size. */
#define ROUND	(256 * 1024)

enum tee_how {
	TEE_PIPE,		/* tee(2) and splice(2) */
	TEE_FILE,		/* sendfile(2), an offset per job */
	TEE_BUF,		/* read(2) and write(2) */
};

struct tee_job {
	int		 wr;		/* its stdin's write end; -1: closed */
	uint64_t	 fed;		/* bytes written into the pipe */
	off_t		 off;		/* TEE_FILE: its offset in the stream */
	uint64_t	 done;		/* of the round, what it has */
	int		 room;		/* writable since the last round */
	int		 gone;		/* the job ended */
};

struct tee {
	pthread_t	 thread;
	pthread_mutex_t	 mu;
	int		 wake[2];	/* to the thread: look again */
	int		 src;		/* the stream, our own descriptor */
	enum tee_how	 how;
	off_t		 start;		/* TEE_FILE: where the stream begins */
	struct tee_job	*job;
	long		 njob, cap;
	char		*buf;
	uint64_t	 n, base;	/* the round; buf holds [base, n) */
	int		 readable;	/* the stream polled readable */
	int		 go, eof, ending, stopping;
	struct pollfd	*pfd;		/* the thread's: wake, then the rest */
	long		*pjob;		/* which job each pfd is; -1: src */
};

/* A write error other than a full pipe: the job is dropped. */
static int
tee_full(void)
{
	return errno == EAGAIN || errno == EINTR;
}

/* TEE_FILE: feed job j from its offset while its pipe takes it. */
static void
tee_send_file(struct tee *t, struct tee_job *j)
{
	ssize_t k;

	while (j->wr >= 0) {
		k = sendfile(j->wr, t->src, &j->off, 1 << 20);
		if (k > 0) {
			j->fed += (uint64_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		if (k < 0 && errno == EAGAIN) {
			j->room = 0;
			return;
		}
		util_close(&j->wr);	/* the end of the file, or EPIPE */
	}
}

/* Read exactly len bytes that are in the stream already into buf. */
static void
tee_read_rest(struct tee *t, uint64_t len)
{
	uint64_t got = 0;
	ssize_t k;

	while (got < len) {
		k = read(t->src, t->buf + got, len - got);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {		/* cannot happen: the round shrinks */
			t->n = t->base + got;
			t->eof = 1;
			return;
		}
		got += (uint64_t)k;
	}
}

/*
 * Begin a round through tee(2) and splice(2): first and last are the
 * first and last jobs still fed.  A job whose pipe takes only part of
 * the round has the rest from buf, read from the stream.
 */
static void
tee_round_pipe(struct tee *t, long first, long last)
{
	struct tee_job *j;
	ssize_t k;
	uint64_t n;
	long i;
	int partial = 0;

	j = &t->job[first];
	k = first == last ?
	    splice(t->src, NULL, j->wr, NULL, ROUND, SPLICE_F_NONBLOCK) :
	    tee(t->src, j->wr, ROUND, SPLICE_F_NONBLOCK);
	if (k == 0)
		t->eof = 1;
	if (k < 0 && errno == EINVAL)
		t->how = TEE_BUF;	/* refused: copy through buf */
	else if (k < 0 && !tee_full())
		util_close(&j->wr);
	if (k <= 0)
		return;
	j->fed += (uint64_t)k;
	if (first == last)
		return;
	n = (uint64_t)k;
	j->done = n;
	for (i = first + 1; i < last; i++) {
		j = &t->job[i];
		if (j->wr < 0)
			continue;
		k = tee(t->src, j->wr, n, SPLICE_F_NONBLOCK);
		if (k < 0 && !tee_full())
			util_close(&j->wr);
		if (k < 0)
			k = 0;
		j->done = (uint64_t)k;
		j->fed += (uint64_t)k;
		partial |= j->done < n;
	}
	j = &t->job[last];
	k = 0;
	if (!partial) {
		k = splice(t->src, NULL, j->wr, NULL, n, SPLICE_F_NONBLOCK);
		if (k < 0 && !tee_full())
			util_close(&j->wr);
		if (k < 0)
			k = 0;
		j->fed += (uint64_t)k;
	}
	j->done = (uint64_t)k;
	t->n = n;
	t->base = (uint64_t)k;
	if (t->base < n)
		tee_read_rest(t, n - t->base);
}

/*
 * Begin a round; when nothing came, t->n stays 0 and the stream is
 * waited for again.
 */
static void
tee_round(struct tee *t)
{
	long i, first = -1, last = -1;
	ssize_t k;

	for (i = 0; i < t->njob; i++) {
		if (t->job[i].wr < 0)
			continue;
		if (first < 0)
			first = i;
		last = i;
		t->job[i].done = 0;
	}
	if (first < 0)
		return;
	if (t->how == TEE_PIPE) {
		tee_round_pipe(t, first, last);
		if (t->how == TEE_PIPE)
			return;
	}
	k = read(t->src, t->buf, ROUND);
	if (k < 0 && tee_full())
		return;
	if (k <= 0) {		/* the end, or an error that ends it */
		t->eof = 1;
		return;
	}
	t->n = (uint64_t)k;
	t->base = 0;
}

/* Write the round's rest from buf; 1 once every job has it all. */
static int
tee_write(struct tee *t)
{
	struct tee_job *j;
	ssize_t k;
	long i;
	int all = 1;

	for (i = 0; i < t->njob; i++) {
		j = &t->job[i];
		while (j->wr >= 0 && j->done < t->n) {
			k = write(j->wr, t->buf + (j->done - t->base),
			    t->n - j->done);
			if (k > 0) {
				j->done += (uint64_t)k;
				j->fed += (uint64_t)k;
			} else if (k < 0 && errno == EAGAIN) {
				all = 0;
				break;
			} else if (k < 0 && errno != EINTR)
				util_close(&j->wr);
		}
	}
	return all;
}

static long
tee_live(const struct tee *t)
{
	long i, n = 0;

	for (i = 0; i < t->njob; i++)
		n += t->job[i].wr >= 0;
	return n;
}

/* Copy as far as it goes without waiting. */
static void
tee_work(struct tee *t)
{
	long i;
	int ready;

	if (t->how == TEE_FILE) {
		for (i = 0; i < t->njob; i++)
			tee_send_file(t, &t->job[i]);
		return;
	}
	for (;;) {
		if (t->n > 0 && !tee_write(t))
			return;
		t->n = 0;
		if (t->eof || tee_live(t) == 0) {
			/* The end, or nobody left to read it. */
			t->eof = 1;
			for (i = 0; i < t->njob; i++)
				util_close(&t->job[i].wr);
			return;
		}
		ready = t->readable;
		for (i = 0; i < t->njob; i++)
			if (t->job[i].wr >= 0 && !t->job[i].room)
				ready = 0;
		if (!ready)
			return;
		t->readable = 0;
		tee_round(t);
		for (i = 0; i < t->njob; i++)
			t->job[i].room = 0;
	}
}

/* What the thread waits for next: the number of pfd's entries. */
static nfds_t
tee_watch(struct tee *t)
{
	struct tee_job *j;
	nfds_t n = 1;
	long i;
	int room = 1;

	if (!t->go || t->eof)
		return 1;
	for (i = 0; i < t->njob; i++) {
		j = &t->job[i];
		if (j->wr < 0)
			continue;
		if (t->how == TEE_FILE ? j->room :
		    t->n > 0 ? j->done >= t->n : j->room)
			continue;
		room = 0;
		t->pfd[n] = (struct pollfd){ .fd = j->wr, .events = POLLOUT };
		t->pjob[n++] = i;
	}
	if (room && t->how != TEE_FILE && t->n == 0) {
		t->pfd[n] = (struct pollfd){ .fd = t->src, .events = POLLIN };
		t->pjob[n++] = -1;
	}
	return n;
}

static void *
tee_run(void *arg)
{
	struct tee *t = arg;
	struct tee_job *j;
	char drain[64];
	nfds_t i, n;

	pthread_mutex_lock(&t->mu);
	while (!t->stopping) {
		for (i = 0; i < (nfds_t)t->njob; i++) {
			j = &t->job[i];
			if (j->gone || t->ending)
				util_close(&j->wr);
		}
		if (t->go && !t->ending)
			tee_work(t);
		n = tee_watch(t);
		t->pfd[0].revents = 0;
		pthread_mutex_unlock(&t->mu);
		if (poll(t->pfd, n, -1) < 0 && errno != EINTR)
			(void)poll(NULL, 0, 10);	/* not a spin */
		pthread_mutex_lock(&t->mu);
		if (t->pfd[0].revents)
			while (read(t->wake[0], drain, sizeof(drain)) > 0)
				continue;
		for (i = 1; i < n; i++) {
			if (!t->pfd[i].revents)
				continue;
			if (t->pjob[i] < 0)
				t->readable = 1;
			else
				t->job[t->pjob[i]].room = 1;
		}
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

/* Write a byte into the wake pipe; one already there says the same. */
static void
tee_poke(struct tee *t)
{
	(void)!write(t->wake[1], "", 1);
}

static void
tee_free(struct tee *t)
{
	long i;

	for (i = 0; i < t->njob; i++)
		util_close(&t->job[i].wr);
	util_close(&t->wake[0]);
	util_close(&t->wake[1]);
	util_close(&t->src);
	free(t->job);
	free(t->buf);
	free(t->pfd);
	free(t->pjob);
	free(t);
}

int
tee_start(struct tee **tp, int src, long jobs)
{
	struct stat st;
	struct tee *t;
	int r;

	*tp = NULL;
	if (jobs < 1)
		jobs = 1;
	t = xcalloc(1, sizeof(*t));
	t->cap = jobs;
	t->job = xcalloc((size_t)jobs, sizeof(*t->job));
	t->buf = xmalloc(ROUND);
	t->pfd = xcalloc((size_t)jobs + 2, sizeof(*t->pfd));
	t->pjob = xcalloc((size_t)jobs + 2, sizeof(*t->pjob));
	t->wake[0] = t->wake[1] = -1;
	if (pipe2(t->wake, O_CLOEXEC | O_NONBLOCK) < 0 ||
	    (t->src = fcntl(src, F_DUPFD_CLOEXEC, 0)) < 0 ||
	    fstat(t->src, &st) < 0) {
		r = -errno;
		goto fail;
	}
	t->how = S_ISFIFO(st.st_mode) ? TEE_PIPE :
	    S_ISREG(st.st_mode) ? TEE_FILE : TEE_BUF;
	if (t->how == TEE_FILE && (t->start = lseek(t->src, 0,
	    SEEK_CUR)) < 0)
		t->start = 0;
	t->pfd[0] = (struct pollfd){ .fd = t->wake[0], .events = POLLIN };
	pthread_mutex_init(&t->mu, NULL);
	if ((r = util_thread(&t->thread, 0, tee_run, t)) < 0) {
		pthread_mutex_destroy(&t->mu);
		goto fail;
	}
	*tp = t;
	return 0;
fail:
	tee_free(t);
	return r;
}

long
tee_join(struct tee *t, int wr)
{
	long id;

	pthread_mutex_lock(&t->mu);
	if (t->njob == t->cap)
		BUG("--tee: more than %ld jobs joined", t->cap);
	id = t->njob++;
	t->job[id] = (struct tee_job){ .wr = wr, .off = t->start,
	    .room = 1 };
	pthread_mutex_unlock(&t->mu);
	tee_poke(t);
	return id;
}

void
tee_go(struct tee *t)
{
	pthread_mutex_lock(&t->mu);
	t->go = 1;
	pthread_mutex_unlock(&t->mu);
	tee_poke(t);
}

uint64_t
tee_leave(struct tee *t, long id)
{
	uint64_t fed;

	pthread_mutex_lock(&t->mu);
	t->job[id].gone = 1;
	fed = t->job[id].fed;
	pthread_mutex_unlock(&t->mu);
	tee_poke(t);
	return fed;
}

void
tee_end(struct tee *t)
{
	pthread_mutex_lock(&t->mu);
	t->ending = 1;
	pthread_mutex_unlock(&t->mu);
	tee_poke(t);
}

void
tee_stop(struct tee *t)
{
	if (t == NULL)
		return;
	pthread_mutex_lock(&t->mu);
	t->stopping = 1;
	pthread_mutex_unlock(&t->mu);
	tee_poke(t);
	pthread_join(t->thread, NULL);
	pthread_mutex_destroy(&t->mu);
	tee_free(t);
}
