/*
 * exec_process: jobs supervised by a pool of pre-forked worker processes,
 * one per slot, each forked the first time its slot is used and replaced
 * after it dies.  A slot runs one job at a time, so worker k is simply the
 * worker of slot k.  The coordinator (the scheduler's thread) holds one
 * end of each worker's socket in its event loop; the worker holds the
 * other end and, of the descriptors fanout opened, nothing else (no
 * other worker's socket, so a worker's death is an EOF; no spill file,
 * joblog or input, whose life it would prolong).  The worker's side and
 * the messages between the two are in exec_worker.h.
 *
 * The coordinator is a child subreaper, so when a worker dies its job is
 * reparented to us: we SIGKILL the job's group (its pid came in
 * M_STARTED, or, when the worker died before sending it, is found among
 * our children; it is still unreaped, so the group cannot have been
 * reused) and report it JOB_LOST once it is reaped.  Being a subreaper
 * also makes the coordinator the parent of every orphan a job leaves
 * behind; all our children are workers or such strays, so waitpid(-1)
 * is ours to call, and a sweep reaps them now and then.  Finished jobs
 * are collected while a batch of events is processed and handed back
 * after it, as in exec_async.
 */
#include "engine.h"
#include "exec.h"
#include "exec_worker.h"
#include "job.h"
#include "loop.h"
#include "num.h"
#include "options.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define SOCK_BUF	(4 * MSG_MAX)
#define MS		1000000LL
#define SWEEP_NS	(100 * MS)	/* how often strays are reaped */
#define MAX_EXT	EXEC_WATCH_MAX

enum token_kind { T_WORKER, T_EXT };

/* What the loop hands back; first in each thing registered. */
struct token {
	enum token_kind	 kind;
	size_t		 ext;		/* T_EXT: index in the watches */
};

struct worker {
	struct token	 tok;
	pid_t		 pid;		/* 0: none (not forked, or reaped) */
	int		 fd;		/* our end of its socket, or -1 */
	struct job	*job;		/* in hand, or NULL */
	pid_t		 job_pid;	/* from M_STARTED, or 0 */
	int		 job_reaped;	/* job_pid reaped by our sweep */
	struct job	*lost_job;	/* its worker died; awaits reaping */
	struct worker	*lost_next;
};

struct exec {
	const struct config	*cfg;
	struct exec_hooks	 hooks;
	struct loop		*loop;
	struct worker		**w;		/* by slot - 1 */
	size_t			 nw, capw;
	struct job		**done;		/* finished, to hand back */
	size_t			 ndone, capdone;
	struct worker		*lost;		/* lost jobs not yet reaped */
	struct buf		 msg;		/* an M_START being sent */
	char			*rbuf;		/* a message received */
	int64_t			 sweep_ns;	/* next sweep for strays */
	struct token		 ext[MAX_EXT];
	struct exec_watches	 watches;
	struct worker_keep	 keep;		/* what workers keep open */
};

static int
process_init(struct exec **ep, const struct config *cfg,
    const struct exec_hooks *hooks)
{
	struct exec *e;
	void *data[MAX_EXT];
	size_t i;
	int r;

	/* A lost worker's job must come to us, to be ended and reaped. */
	if (prctl(PR_SET_CHILD_SUBREAPER, 1) < 0)
		return -errno;
	e = xcalloc(1, sizeof(*e));
	e->cfg = cfg;
	e->hooks = *hooks;
	if ((r = loop_new(&e->loop)) < 0) {
		free(e);
		return r;
	}
	for (i = 0; i < MAX_EXT; i++) {
		e->ext[i].kind = T_EXT;
		e->ext[i].ext = i;
		data[i] = &e->ext[i];
	}
	exec_watches_init(&e->watches, data);
	exec_worker_keep(&e->keep);
	e->rbuf = xmalloc(MSG_MAX);
	*ep = e;
	return 0;
}

static struct worker *
worker_of(struct exec *e, long slot)
{
	size_t i = (size_t)slot - 1;
	struct worker *w;

	if (slot < 1)
		BUG("slot %ld", slot);
	if (i >= e->nw) {
		e->w = xgrow(e->w, &e->capw, i + 1, sizeof(*e->w));
		while (e->nw <= i)
			e->w[e->nw++] = NULL;
	}
	if ((w = e->w[i]) == NULL) {
		w = e->w[i] = xcalloc(1, sizeof(*w));
		w->tok.kind = T_WORKER;
		w->fd = -1;
	}
	return w;
}

static int
worker_fork(struct exec *e, struct worker *w)
{
	int sv[2], size = SOCK_BUF, r;
	size_t i;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) < 0)
		return -errno;
	/* A record must fit the send buffer: make sure MSG_MAX does. */
	for (i = 0; i < 2; i++)
		setsockopt(sv[i], SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(sv[0]);
		close(sv[1]);
		return r;
	}
	if (pid == 0) {
		/* The worker: of our descriptors, only its own end. */
		exec_worker_main(sv[1], &e->keep);
	}
	close(sv[1]);
	w->pid = pid;
	w->fd = sv[0];
	if ((r = loop_add(e->loop, w->fd, &w->tok)) < 0) {
		close(w->fd);
		w->fd = -1;
		kill(pid, SIGKILL);
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		w->pid = 0;
		return r;
	}
	return 0;
}

/* Close our end and reap the worker; kill it first unless it will go. */
static void
worker_close(struct exec *e, struct worker *w, int kill_it)
{
	if (w->fd >= 0) {
		loop_del(e->loop, w->fd);
		close(w->fd);
		w->fd = -1;
	}
	if (w->pid > 0) {
		if (kill_it)
			kill(w->pid, SIGKILL);
		while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR)
			;
		w->pid = 0;
	}
}

static void
done_add(struct exec *e, struct job *job)
{
	e->done = xgrow(e->done, &e->capdone, e->ndone + 1,
	    sizeof(*e->done));
	e->done[e->ndone++] = job;
}

static void
lost_done(struct exec *e, struct job *job, pid_t pid)
{
	if (pid > 0)
		job->pid = pid;
	job->end = JOB_LOST;
	job->status = -1;
	job->end_ns = clock_mono_ns();
	done_add(e, job);
}

/* Append the whole of a /proc file to b.  0 or -errno. */
static int
proc_read(const char *path, struct buf *b)
{
	ssize_t n;
	int fd, r = 0;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -errno;
	for (;;) {
		buf_reserve(b, 4096);
		n = read(fd, b->p + b->len, 4096);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -errno : 0;
			break;
		}
		b->len += (size_t)n;
	}
	b->p[b->len] = '\0';
	close(fd);
	return r;
}

/* Whether the NUL-separated list [p, end) holds the string s. */
static int
env_has(const char *p, const char *end, const char *s)
{
	for (; p < end; p += strlen(p) + 1)
		if (strcmp(p, s) == 0)
			return 1;
	return 0;
}

/* Whether our child pid leads its own group and runs job's attempt. */
static int
orphan_is(pid_t pid, const struct job *job, struct buf *b)
{
	char path[64], seq[64], att[64];
	const char *p;
	int ppid, pgrp;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	buf_clear(b);
	/* The name may hold spaces and ')': skip to the last ')'. */
	if (proc_read(path, b) < 0 || (p = strrchr(b->p, ')')) == NULL ||
	    sscanf(p + 1, " %*c %d %d", &ppid, &pgrp) != 2 ||
	    ppid != getpid() || pgrp != pid)
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/environ", (int)pid);
	snprintf(seq, sizeof(seq), "FANOUT_SEQ=%ld", job->seq);
	snprintf(att, sizeof(att), "FANOUT_ATTEMPT=%d", job->attempt);
	buf_clear(b);
	return proc_read(path, b) == 0 &&
	    env_has(b->p, b->p + b->len, seq) &&
	    env_has(b->p, b->p + b->len, att);
}

/*
 * The pid of a lost worker's job that it never reported: the worker
 * died between spawning it and sending M_STARTED.  Reaped, the worker
 * left the job to us (we are a subreaper): it is a child of ours that
 * leads its own process group (spawn_job makes every job do so) and
 * carries this attempt's FANOUT_SEQ and FANOUT_ATTEMPT.  Our children
 * are listed under our only thread: no thread may exist where workers
 * are forked.  0 when there is none (never spawned, or reaped already).
 */
static pid_t
orphan_find(const struct job *job)
{
	struct buf kids = { 0 }, b = { 0 };
	char path[64], *tok, *save;
	pid_t found = 0;
	long pid;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
	    (int)getpid());
	if (proc_read(path, &kids) == 0)
		for (tok = strtok_r(kids.p, " \n", &save);
		    tok != NULL && found == 0;
		    tok = strtok_r(NULL, " \n", &save))
			if (num_long(tok, 1, INT_MAX, &pid) == 0 &&
			    orphan_is((pid_t)pid, job, &b))
				found = (pid_t)pid;
	buf_free(&kids);
	buf_free(&b);
	return found;
}

/* The worker died, or spoke nonsense: end its job as lost. */
static void
worker_lost(struct exec *e, struct worker *w)
{
	struct job *job = w->job;
	siginfo_t si;

	/* Once the worker is reaped, its living job is our child. */
	worker_close(e, w, 1);
	if (job == NULL)
		return;
	w->job = NULL;
	job->priv = NULL;
	if (w->job_pid == 0)
		w->job_pid = orphan_find(job);
	memset(&si, 0, sizeof(si));
	if (w->job_pid > 0 && !w->job_reaped &&
	    waitid(P_PID, (id_t)w->job_pid, &si,
	    WEXITED | WNOHANG | WNOWAIT) == 0) {
		/* Ours and unreaped, so its group is still its own. */
		kill(-w->job_pid, SIGKILL);
		w->lost_job = job;
		w->lost_next = e->lost;
		e->lost = w;
		return;
	}
	/* Reaped already (by the worker, or our sweep), or never known. */
	lost_done(e, job, w->job_pid);
}

/* Whose pid this was, now that waitpid(-1) took it. */
static void
claim(struct exec *e, pid_t pid, const struct rusage *ru)
{
	struct worker **pp, *w;
	size_t i;

	for (pp = &e->lost; (w = *pp) != NULL; pp = &w->lost_next)
		if (w->job_pid == pid) {
			*pp = w->lost_next;
			w->lost_job->ru = *ru;
			lost_done(e, w->lost_job, pid);
			w->lost_job = NULL;
			w->job_pid = 0;
			return;
		}
	for (i = 0; i < e->nw; i++) {
		if ((w = e->w[i]) == NULL)
			continue;
		if (w->pid == pid) {
			w->pid = 0;	/* dead: its EOF follows */
			return;
		}
		if (w->job != NULL && w->job_pid == pid) {
			w->job_reaped = 1;	/* its worker died */
			return;
		}
	}
	/* An orphan a job left behind. */
}

static void
sweep(struct exec *e)
{
	struct rusage ru;
	pid_t p;
	int st;

	for (;;) {
		p = wait4(-1, &st, WNOHANG, &ru);
		if (p < 0 && errno == EINTR)
			continue;
		if (p <= 0)
			return;
		claim(e, p, &ru);
	}
}

/* Serialize the job and send it: M_START, then M_MORE if it is long. */
static int
send_job(struct exec *e, struct worker *w, const struct job *job)
{
	struct msg_start h = { .type = M_START };
	struct msg_small more = { .type = M_MORE };
	struct buf *b = &e->msg;
	size_t off, n;
	int r;

	if (b->len == 0) {
		buf_add(b, &h, sizeof(h));
		buf_add(b, job->path, strlen(job->path) + 1);
		for (; job->argv[h.argc] != NULL; h.argc++)
			buf_add(b, job->argv[h.argc],
			    strlen(job->argv[h.argc]) + 1);
		for (; job->envp[h.envc] != NULL; h.envc++)
			buf_add(b, job->envp[h.envc],
			    strlen(job->envp[h.envc]) + 1);
		h.flags = (job->live ? F_LIVE : 0) |
		    (job->ungroup ? F_UNGROUP : 0);
		h.len = b->len - sizeof(h);
		memcpy(b->p, &h, sizeof(h));
	}
	n = b->len < MSG_MAX ? b->len : MSG_MAX;
	if ((r = exec_worker_send(w->fd, b->p, n, NULL, 0, job->in_fd)) < 0)
		return r;
	for (off = n; off < b->len; off += n) {
		n = b->len - off;
		if (n > MSG_MAX - sizeof(more))
			n = MSG_MAX - sizeof(more);
		if ((r = exec_worker_send(w->fd, &more, sizeof(more),
		    b->p + off, n, -1)) < 0)
			return r;
	}
	return 0;
}

static int
process_start(struct exec *e, struct job *job)
{
	struct worker *w = worker_of(e, job->slot);
	int tries, r = 0;

	if (w->job != NULL || w->lost_job != NULL)
		BUG("slot %ld is busy", job->slot);
	buf_clear(&e->msg);
	for (tries = 0; tries < 2; tries++) {
		if (w->fd < 0 && (r = worker_fork(e, w)) < 0)
			return r;
		if ((r = send_job(e, w, job)) == 0)
			break;
		/*
		 * The idle worker died, or took part of a job: replace it.
		 * Only a death is worth a second try at once.
		 */
		worker_close(e, w, 1);
		if (r != -EPIPE && r != -ECONNRESET)
			break;
	}
	if (r < 0)
		return r;
	w->job = job;
	w->job_pid = 0;
	w->job_reaped = 0;
	job->priv = w;
	return 0;
}

/* Act on one message from w.  1 after M_DONE, 0, or -EPROTO. */
static int
worker_msg(struct exec *e, struct worker *w, size_t n)
{
	struct job *job = w->job;
	struct msg_small m;
	struct msg_done d;
	const char *p = e->rbuf + sizeof(m);
	int r;

	if (job == NULL || n < sizeof(m))
		return -EPROTO;
	memcpy(&m, e->rbuf, sizeof(m));
	switch (m.type) {
	case M_STARTED:
		w->job_pid = job->pid = m.arg;
		return 0;
	case M_OUT:
		n -= sizeof(m);
		if (m.arg != 1 && m.arg != 2)
			return -EPROTO;
		/* Out of memory is fatal on this thread, as in xgrow. */
		if ((r = engine_take(job, m.arg, p, n)) < 0)
			util_die(r, "out of memory");
		if (r == 1)
			e->hooks.output(e->hooks.ctx, job, m.arg, p, n);
		return 0;
	case M_DONE:
		if (n != sizeof(d))
			return -EPROTO;
		memcpy(&d, e->rbuf, sizeof(d));
		if (d.out_bytes != job->out_bytes ||
		    d.err_bytes != job->err_bytes)
			BUG("job %ld: output counts differ", job->seq);
		job->end = (enum job_end)d.end;
		job->status = d.status;
		if (d.end == JOB_SPAWN_FAILED)
			job->spawn_err = d.spawn_err;
		if (d.pid > 0) {
			job->pid = d.pid;
			job->ru = d.ru;
		}
		job->end_ns = d.end_ns;
		w->job = NULL;
		w->job_pid = 0;
		job->priv = NULL;
		done_add(e, job);
		return 1;
	}
	return -EPROTO;
}

static void
worker_read(struct exec *e, struct worker *w)
{
	ssize_t n;
	int i, r;

	/* Bounded, so that one chatty worker cannot starve the others. */
	for (i = 0; i < 64; i++) {
		n = recv(w->fd, e->rbuf, MSG_MAX, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return;
		if (n <= 0 || (r = worker_msg(e, w, (size_t)n)) < 0) {
			worker_lost(e, w);
			return;
		}
		/* After M_DONE the worker waits for us: nothing follows. */
		if (r == 1)
			return;
	}
}

static int
process_wait(struct exec *e, int timeout_ms, struct exec_watch *w,
    size_t nwatch)
{
	void *ready[256];
	struct token *t;
	size_t i, ndone;
	int n, count = 0;
	int64_t now;

	count = exec_watches_set(e->loop, &e->watches, w, nwatch);
	if (count > 0)
		timeout_ms = 0;
	/* A lost job's end is found by polling; it was sent SIGKILL. */
	if (e->lost != NULL && (timeout_ms < 0 || timeout_ms > 10))
		timeout_ms = 10;
	n = loop_wait(e->loop, timeout_ms, ready, ARRAY_SIZE(ready));
	if (n < 0)
		return n;
	for (i = 0; i < (size_t)n; i++) {
		t = ready[i];
		if (t->kind == T_EXT) {
			w[t->ext].ready = 1;
			count++;
		} else if (((struct worker *)t)->fd >= 0)
			worker_read(e, (struct worker *)t);
	}
	now = clock_mono_ns();
	if (e->lost != NULL || now >= e->sweep_ns) {
		sweep(e);
		e->sweep_ns = now + SWEEP_NS;
	}
	/* Hand back only after the batch: its events may name these jobs. */
	ndone = e->ndone;
	e->ndone = 0;
	for (i = 0; i < ndone; i++) {
		e->hooks.done(e->hooks.ctx, e->done[i]);
		count++;
	}
	return count;
}

static int
signal_one(struct worker *w, int signo)
{
	struct msg_small m = { .type = M_SIGNAL, .arg = signo };
	int r;

	/* The worker signals only while the job's leader is unreaped. */
	if (w == NULL || w->job == NULL || w->fd < 0)
		return 0;
	r = exec_worker_send(w->fd, &m, sizeof(m), NULL, 0, -1);
	/* A dead worker: wait() will find its EOF and end the job. */
	if (r == -EPIPE || r == -ECONNRESET)
		return 0;
	return r;
}

static int
process_signal(struct exec *e, struct job *job, int signo)
{
	size_t i;
	int r, first = 0;

	if (job != NULL)
		return signal_one(job->priv, signo);
	for (i = 0; i < e->nw; i++)
		if ((r = signal_one(e->w[i], signo)) < 0 && first == 0)
			first = r;
	return first;
}

static void
process_release(struct exec *e)
{
	struct worker *w;
	size_t i;
	int st;

	if (e == NULL)
		return;
	/* All at once: each sees EOF and leaves, then we reap them. */
	for (i = 0; i < e->nw; i++)
		if ((w = e->w[i]) != NULL && w->fd >= 0) {
			loop_del(e->loop, w->fd);
			close(w->fd);
			w->fd = -1;
		}
	for (i = 0; i < e->nw; i++) {
		if ((w = e->w[i]) != NULL)
			worker_close(e, w, 0);
		free(w);
	}
	while (waitpid(-1, &st, WNOHANG) > 0)
		;
	free(e->w);
	free(e->done);
	free(e->rbuf);
	free(e->keep.fd);
	buf_free(&e->msg);
	loop_free(e->loop);
	free(e);
}

const struct exec_ops exec_process_ops = {
	.name = "process",
	.job_fds = 2,
	.run_fds = 1,
	.job_tasks = 2,
	.init = process_init,
	.start = process_start,
	.wait = process_wait,
	.signal = process_signal,
	.release = process_release,
};
