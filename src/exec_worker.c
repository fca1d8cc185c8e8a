/*
 * exec_worker: a forked worker of exec_process.  It gets a job in
 * M_START, spawns it with the engine kit, forwards its output and its end,
 * and waits for the next.
 *
 * A worker ignores the signals a terminal sends (it shares fanout's
 * process group; the coordinator owns signal policy), and leaves only by
 * _exit: the stdio buffers it copied at fork must not be flushed twice.
 * A spawn failure that is a passing shortage (EAGAIN, EMFILE...) is
 * waited out in the worker by spawn.h's policy, because start() returned
 * long before the worker knew; a signal that would end the job arriving
 * meanwhile ends it as if it had run and died of it.
 */
#include "exec_worker.h"
#include "job.h"
#include "num.h"
#include "spawn.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define MS		1000000LL

uint32_t
exec_worker_type(const char *p)
{
	uint32_t t;

	memcpy(&t, p, sizeof(t));
	return t;
}

int
exec_worker_send(int fd, const void *a, size_t alen, const void *b,
    size_t blen, int pass)
{
	struct iovec iov[2] = {
		{ (void *)a, alen },
		{ (void *)b, blen },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = blen ? 2 : 1 };
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	struct cmsghdr *c;
	ssize_t n;

	if (pass >= 0) {
		memset(&ctl, 0, sizeof(ctl));
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		c = CMSG_FIRSTHDR(&mh);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &pass, sizeof(int));
	}

	do
		n = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (n < 0 && errno == EINTR);
	return n < 0 ? -errno : 0;
}

/*
 * Everything here runs in the forked
 * child, which is single-threaded, so malloc is safe; but it must never
 * call exit() or util_die(), and returns from nothing: it ends in _exit.
 */

struct wk {
	int		 sock;
	char		*rbuf;		/* a message received */
	char		*obuf;		/* an M_OUT being filled or sent */
	size_t		 held;		/* output bytes in obuf */
	int		 held_stream;	/* theirs: 1 or 2 */
	int		 batch;		/* fill obuf before sending */
	char		*str;		/* the job's strings */
	size_t		 strcap;
	char		**vec;		/* its argv, then its envp */
	size_t		 veccap;
	struct job	 job;		/* its result; pid once spawned */
	int		 fd[3];		/* stdout, stderr, pidfd; -1: closed */
	int		 in;		/* the job's stdin passed along, or -1 */
	int		 reaped;
	int		 stopped;	/* stopped before it was spawned */
};

/* A malformed message: only a bug of ours can send one. */
static _Noreturn void
wk_fail(void)
{
	_exit(70);
}

static void *
wk_grow(void *p, size_t *cap, size_t n, size_t sz)
{
	size_t c = *cap ? *cap : 64;
	void *np;
	int ms = 0;

	if (n <= *cap)
		return p;
	while (c < n)
		c *= 2;
	/* Short of memory, wait as for any shortage: the job is not lost. */
	while ((np = realloc(p, c * sz)) == NULL)
		spawn_backoff(&ms);
	*cap = c;
	return np;
}

static void
wk_send(struct wk *w, const void *p, size_t len)
{
	/* Failing, the coordinator is gone, and so is our purpose. */
	if (exec_worker_send(w->sock, p, len, NULL, 0, -1) < 0)
		_exit(0);
}

/* A message's length, or 0 when none is waiting (with MSG_DONTWAIT). */
static size_t
wk_recv(struct wk *w, int flags)
{
	struct iovec iov = { w->rbuf, MSG_MAX };
	union {
		char		buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr	align;
	} ctl;
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = ctl.buf, .msg_controllen = sizeof(ctl.buf),
	};
	struct cmsghdr *c;
	ssize_t n;

	do
		n = recvmsg(w->sock, &mh, flags | MSG_CMSG_CLOEXEC);
	while (n < 0 && errno == EINTR);
	if (n > 0 && (c = CMSG_FIRSTHDR(&mh)) != NULL &&
	    c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
		if (w->in >= 0)
			close(w->in);
		memcpy(&w->in, CMSG_DATA(c), sizeof(int));
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	if (n <= 0)
		_exit(0);	/* EOF: released, or the coordinator died */
	if ((size_t)n < sizeof(struct msg_small))
		wk_fail();
	return (size_t)n;
}

/*
 * Take the signal requests waiting on the socket.  Before the job is
 * spawned, a stop is remembered and a signal that would end it is
 * returned: the job must then not run at all.
 */
static int
wk_messages(struct wk *w)
{
	struct msg_small m;
	size_t n;
	int end = 0;

	while ((n = wk_recv(w, MSG_DONTWAIT)) > 0) {
		memcpy(&m, w->rbuf, sizeof(m));
		if (m.type != M_SIGNAL || n != sizeof(m))
			wk_fail();
		if (w->job.pid > 0) {
			/* A reaped leader's pid may be anyone's now. */
			if (!w->reaped)
				kill(-w->job.pid, m.arg);
		} else if (engine_keep_signal(&end, &w->stopped, m.arg))
			return end;
	}
	return 0;
}

/* Wait out a shortage for ms, minding signal requests meanwhile. */
static int
wk_backoff(struct wk *w, int ms)
{
	int64_t until = clock_mono_ns() + ms * MS, left;
	struct pollfd p = { .fd = w->sock, .events = POLLIN };
	int signo;

	while ((left = until - clock_mono_ns()) > 0) {
		if (poll(&p, 1, (int)((left + MS - 1) / MS)) > 0 &&
		    (signo = wk_messages(w)) != 0)
			return signo;
	}
	return 0;
}

static int
wk_spawn(struct wk *w, const char *path, char **argv, char **envp,
    int ungroup)
{
	int r;

	r = spawn_job_piped(path, argv, envp, w->in, ungroup, w->fd,
	    &w->job.pid);
	if (r < 0) {
		w->job.pid = 0;
		return r;
	}
	w->fd[2] = spawn_pidfd(w->job.pid);
	return 0;
}

static void
wk_close(struct wk *w, int i)
{
	if (w->fd[i] >= 0) {
		close(w->fd[i]);
		w->fd[i] = -1;
	}
}

/* Send what obuf holds as one M_OUT. */
static void
wk_flush(struct wk *w)
{
	struct msg_small m = { .type = M_OUT, .arg = w->held_stream };

	if (w->held == 0)
		return;
	memcpy(w->obuf, &m, sizeof(m));
	wk_send(w, w->obuf, sizeof(m) + w->held);
	w->held = 0;
}

/*
 * Count n bytes of the job's stream, read into obuf after what it holds,
 * and forward them.  Output the coordinator holds until the job ends
 * (not live) waits in obuf until it is nearly full: a job writing in
 * small pieces costs the coordinator a wakeup per 48 KiB or more, not
 * per piece.  Live output goes at once.
 */
static void
wk_sink(void *ctx, int stream, char *p, size_t n)
{
	struct wk *w = ctx;

	/* A live job only counts: nothing is held here. */
	engine_take(&w->job, stream, p, n);
	w->held += n;
	w->held_stream = stream;
	if (!w->batch || CHUNK - w->held < CHUNK / 4)
		wk_flush(w);
}

/* Forward one chunk of what the pipe holds now; close it at its end. */
static void
wk_pump(struct wk *w, int i)
{
	char *p;
	ssize_t n;

	/* One M_OUT carries one stream. */
	if (w->held > 0 && w->held_stream != i + 1)
		wk_flush(w);
	p = w->obuf + sizeof(struct msg_small) + w->held;
	n = engine_read(w->fd[i], p, CHUNK - w->held);
	if (n > 0)
		wk_sink(w, i + 1, p, (size_t)n);
	else if (n < 0)
		wk_close(w, i);
}

/* Tell the coordinator the job ended; what it knows is in w->job. */
static void
wk_done(struct wk *w)
{
	struct msg_done d = { .type = M_DONE };

	wk_flush(w);
	if (w->in >= 0) {
		close(w->in);
		w->in = -1;
	}

	d.end = (int32_t)w->job.end;
	d.status = w->job.status;
	d.spawn_err = w->job.spawn_err;
	d.pid = w->reaped ? w->job.pid : 0;
	d.end_ns = clock_mono_ns();
	d.out_bytes = w->job.out_bytes;
	d.err_bytes = w->job.err_bytes;
	d.ru = w->job.ru;
	wk_send(w, &d, sizeof(d));
}

/* Reap the job if it has exited, and report it.  1 when it has. */
static int
wk_reap(struct wk *w)
{
	int i;

	if (engine_reap(&w->job, WNOHANG) == 0) {
		/* A pidfd readable before the exit is reapable: poll. */
		wk_close(w, 2);
		return 0;
	}
	w->reaped = 1;
	/* engine_drain reads each piece into the same place: send each. */
	wk_flush(w);
	w->batch = 0;
	for (i = 0; i < 2; i++) {
		if (w->fd[i] >= 0)
			engine_drain(w->fd[i], i + 1,
			    w->obuf + sizeof(struct msg_small), CHUNK,
			    wk_sink, w);
		wk_close(w, i);
	}
	wk_close(w, 2);
	wk_done(w);
	return 1;
}

static void
wk_supervise(struct wk *w)
{
	struct pollfd p[4];
	int i;

	for (;;) {
		p[0].fd = w->sock;
		for (i = 0; i < 3; i++)
			p[i + 1].fd = w->fd[i];
		for (i = 0; i < 4; i++)
			p[i].events = POLLIN;
		/* Without a pidfd, look for the exit every 10 ms. */
		if (poll(p, 4, w->fd[2] >= 0 ? -1 : 10) < 0 && errno != EINTR)
			_exit(72);
		if (p[0].revents)
			wk_messages(w);
		for (i = 0; i < 2; i++)
			if (p[i + 1].revents && w->fd[i] >= 0)
				wk_pump(w, i);
		if ((w->fd[2] < 0 || p[3].revents) && wk_reap(w))
			return;
	}
}

/* Take in the job that begins with the M_START of length n in rbuf. */
static void
wk_take(struct wk *w, size_t n, struct msg_start *h)
{
	size_t got, need, i;
	char *p, *end, *nul;

	memcpy(h, w->rbuf, sizeof(*h));
	if (n < sizeof(*h) || n - sizeof(*h) > h->len ||
	    h->len > SIZE_MAX / 2 || h->argc == 0 ||
	    h->argc > h->len || h->envc > h->len)
		wk_fail();
	w->str = wk_grow(w->str, &w->strcap, h->len, 1);
	got = n - sizeof(*h);
	memcpy(w->str, w->rbuf + sizeof(*h), got);
	while (got < h->len) {
		n = wk_recv(w, 0);
		if (exec_worker_type(w->rbuf) != M_MORE ||
		    n - sizeof(struct msg_small) > h->len - got)
			wk_fail();
		n -= sizeof(struct msg_small);
		memcpy(w->str + got, w->rbuf + sizeof(struct msg_small), n);
		got += n;
	}
	/* path, argv..., NULL, envp..., NULL */
	need = 1 + (size_t)h->argc + 1 + (size_t)h->envc + 1;
	w->vec = wk_grow(w->vec, &w->veccap, need, sizeof(*w->vec));
	p = w->str;
	end = w->str + h->len;
	for (i = 0; i < need; i++) {
		if (i == 1 + h->argc || i == need - 1) {
			w->vec[i] = NULL;
			continue;
		}
		if (p >= end || (nul = memchr(p, '\0', end - p)) == NULL)
			wk_fail();
		w->vec[i] = p;
		p = nul + 1;
	}
	if (p != end)
		wk_fail();
}

static void
wk_run(struct wk *w, size_t n)
{
	struct msg_start h;
	struct msg_small m = { .type = M_STARTED };
	char **argv, **envp;
	int delay = 0, r, signo;

	wk_take(w, n, &h);
	argv = w->vec + 1;
	envp = argv + h.argc + 1;
	/* Live: engine_take only counts; the coordinator holds output. */
	memset(&w->job, 0, sizeof(w->job));
	w->job.live = 1;
	w->held = 0;
	w->batch = !(h.flags & F_LIVE);
	w->reaped = 0;
	w->stopped = 0;
	while ((r = wk_spawn(w, w->vec[0], argv, envp,
	    h.flags & F_UNGROUP)) < 0 && spawn_err_transient(r)) {
		delay = spawn_backoff_ms(delay);
		if ((signo = wk_backoff(w, delay)) != 0) {
			engine_killed_unspawned(&w->job, signo);
			wk_done(w);
			return;
		}
	}
	if (r < 0) {
		engine_spawn_failed(&w->job, r);
		wk_done(w);
		return;
	}
	m.arg = w->job.pid;
	wk_send(w, &m, sizeof(m));
	if (w->stopped)
		kill(-w->job.pid, SIGSTOP);
	wk_supervise(w);
}

/*
 * Call fn on every open descriptor above 2: from /proc's list, or
 * without /proc on every number below the limit.
 */
static void
fd_each(void (*fn)(int fd, void *arg), void *arg)
{
	struct dirent *d;
	DIR *dir;
	long fd, max;

	if ((dir = opendir("/proc/self/fd")) != NULL) {
		while ((d = readdir(dir)) != NULL) {
			if (num_long(d->d_name, 0, INT_MAX, &fd) == 0 &&
			    fd > 2 && fd != dirfd(dir))
				fn((int)fd, arg);
		}
		closedir(dir);
		return;
	}
	if ((max = sysconf(_SC_OPEN_MAX)) < 0)
		max = 1024;
	if (max > INT_MAX)
		max = INT_MAX;
	for (fd = 3; fd < max; fd++)
		if (fcntl((int)fd, F_GETFD) >= 0)
			fn((int)fd, arg);
}

/*
 * fanout creates every descriptor close-on-exec, and one it inherited
 * across exec cannot carry the flag, so the flag tells fanout's own
 * from those that pass through to jobs.
 */
static int
inherited(int fd)
{
	int fl = fcntl(fd, F_GETFD);

	return fl >= 0 && !(fl & FD_CLOEXEC);
}

static void
add_inherited(int fd, void *arg)
{
	struct worker_keep *k = arg;

	if (inherited(fd)) {
		k->fd = xgrow(k->fd, &k->cap, k->n + 1, sizeof(*k->fd));
		k->fd[k->n++] = fd;
	}
}

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

void
exec_worker_keep(struct worker_keep *k)
{
	memset(k, 0, sizeof(*k));
	fd_each(add_inherited, k);
	qsort(k->fd, k->n, sizeof(*k->fd), cmp_int);
}

/* The walk's way: close fd unless it is sock, spawn's or inherited. */
static void
close_ours(int fd, void *arg)
{
	int sock = *(int *)arg;

	if (fd != sock && fd != spawn_devnull() && !inherited(fd))
		close(fd);
}

/* The least of fd, sock and spawn's /dev/null at least lo, or -1. */
static int
kept_from(int lo, int fd, int sock)
{
	int d = spawn_devnull(), best = fd >= lo ? fd : -1;

	if (sock >= lo && (best < 0 || sock < best))
		best = sock;
	if (d >= lo && (best < 0 || d < best))
		best = d;
	return best;
}

/*
 * Let go of what the coordinator held when it forked us: other workers'
 * sockets (held here, they would hide those workers' deaths), its event
 * loop, the joblog, the report, the input, and other jobs' unlinked
 * spill files, whose disk space we would pin for as long as we live.
 * Kept: 0, 1 and 2 (an ungrouped job writes straight to them), our
 * socket, spawn's /dev/null, and what fanout inherited (keep).  Each
 * run of descriptors between two kept goes in one close_range(2): a
 * thousand workers each looking at a thousand descriptors took seconds.
 * Without it, each open descriptor is looked at.
 */
static void
wk_close_all(int sock, const struct worker_keep *keep)
{
#ifdef SYS_close_range
	size_t i = 0;
	int lo = 3, next;

	for (;;) {
		while (i < keep->n && keep->fd[i] < lo)
			i++;
		next = kept_from(lo, i < keep->n ? keep->fd[i] : -1, sock);
		if ((next < 0 || next > lo) && syscall(SYS_close_range,
		    (unsigned)lo, next < 0 ? ~0U : (unsigned)next - 1, 0) < 0)
			break;
		if (next < 0)
			return;
		lo = next + 1;
	}
#endif
	fd_each(close_ours, &sock);
}

_Noreturn void
exec_worker_main(int sock, const struct worker_keep *keep)
{
	static const int ign[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGUSR1, SIGPIPE,
	};
	struct wk w;
	size_t i, n;

	wk_close_all(sock, keep);
	/*
	 * Our handlers only feed the coordinator's self-pipe; here the
	 * defaults come back (SIGCHLD's among them, for wait4), then the
	 * signals a terminal sends to the whole group are ignored.  Jobs
	 * get default dispositions from spawn_job whatever ours are.
	 */
	spawn_sigdefault();
	for (i = 0; i < ARRAY_SIZE(ign); i++)
		signal(ign[i], SIG_IGN);
	memset(&w, 0, sizeof(w));
	w.sock = sock;
	w.fd[0] = w.fd[1] = w.fd[2] = w.in = -1;
	w.rbuf = malloc(MSG_MAX);
	w.obuf = malloc(MSG_MAX);
	if (w.rbuf == NULL || w.obuf == NULL)
		_exit(71);
	for (;;) {
		n = wk_recv(&w, 0);
		switch (exec_worker_type(w.rbuf)) {
		case M_START:
			wk_run(&w, n);
			break;
		case M_SIGNAL:
			/* For a job that has ended since. */
			break;
		default:
			wk_fail();
		}
	}
}
