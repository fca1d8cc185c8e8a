/*
 * exec_async: every running job supervised by one thread and one event
 * loop.  Each job contributes up to three descriptors to the loop: the
 * read ends of its stdout and stderr pipes and a pidfd that becomes
 * readable when it exits.  Without pidfds (old kernels) exited jobs are
 * found by polling waitpid(pid, WNOHANG) on each running job, never
 * waitpid(-1), so children that are not ours are left alone.
 *
 * A job is finished when its process has exited: what is already in its
 * pipes is taken without blocking, the pipes are closed, and descendants
 * that keep them open cannot stall anything.  Finished jobs are collected
 * while a batch of events is processed and handed back after it, so no
 * event of the batch can refer to a job that is gone.
 *
 * While other jobs run, a job is spawned by the spawners of the pool
 * (exec_async_pool.h), so that the loop's thread never waits for a
 * spawn; it is queued there and taken back when the pool wakes the loop.
 */
#include "engine.h"
#include "exec.h"
#include "exec_async_pool.h"
#include "job.h"
#include "loop.h"
#include "options.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_EXT	EXEC_WATCH_MAX

struct exec {
	const struct config	*cfg;
	struct exec_hooks	 hooks;
	struct loop		*loop;
	int			 have_pidfd;
	struct ajob		*free;		/* recycled job state */
	struct ajob		*done;		/* finished, to hand back */
	struct ajob		*polled;	/* running without a pidfd */
	size_t			 npolled;
	struct awatch		 ext[MAX_EXT];
	struct exec_watches	 watches;
	struct awatch		 wakew;
	struct pool		 pool;
	int			 inflight;	/* queued or spawning */
	int			 nused;		/* jobs between get and put */
};

static int
async_init(struct exec **ep, const struct config *cfg,
    const struct exec_hooks *hooks)
{
	struct exec *e = xcalloc(1, sizeof(*e));
	void *data[MAX_EXT];
	size_t i;
	int fd, r;

	e->cfg = cfg;
	e->hooks = *hooks;
	if ((r = loop_new(&e->loop)) < 0) {
		free(e);
		return r;
	}
	for (i = 0; i < MAX_EXT; i++) {
		e->ext[i].kind = W_EXT;
		e->ext[i].ext = i;
		data[i] = &e->ext[i];
	}
	exec_watches_init(&e->watches, data);
	fd = spawn_pidfd(getpid());
	if (fd >= 0) {
		e->have_pidfd = 1;
		close(fd);
	}
	e->wakew.kind = W_WAKE;
	if ((r = pool_init(&e->pool, e->loop, &e->wakew, e->cfg->jobs,
	    e->have_pidfd)) < 0) {
		loop_free(e->loop);
		free(e);
		return r;
	}
	*ep = e;
	return 0;
}

static struct ajob *
ajob_get(struct exec *e, struct job *job)
{
	struct ajob *a = e->free;
	int i;

	if (a != NULL)
		e->free = a->next;
	else
		a = xcalloc(1, sizeof(*a));
	memset(a, 0, sizeof(*a));
	e->nused++;
	a->e = e;
	a->job = job;
	a->wr[0] = a->wr[1] = -1;
	for (i = 0; i < 3; i++) {
		a->fd[i] = -1;
		a->w[i].kind = (enum watch_kind)i;
		a->w[i].a = a;
	}
	job->priv = a;
	return a;
}

static void
ajob_close(struct exec *e, struct ajob *a, int i)
{
	if (a->fd[i] < 0)
		return;
	/*
	 * Deregister before closing: a close alone does not always take
	 * the file out of epoll at once, and a stale event would name a
	 * recycled job.
	 */
	loop_del(e->loop, a->fd[i]);
	close(a->fd[i]);
	a->fd[i] = -1;
}

static void
ajob_put(struct exec *e, struct ajob *a)
{
	int i;

	for (i = 0; i < 3; i++)
		ajob_close(e, a, i);
	a->job->priv = NULL;
	a->next = e->free;
	e->free = a;
	e->nused--;
}

static void
finish(struct exec *e, struct ajob *a)
{
	a->job->end_ns = clock_mono_ns();
	a->next = e->done;
	e->done = a;
}

/*
 * The job has its pid, or will never have one (r: spawn_job's -errno, or
 * the kept signal that ended it first).  On the loop's thread.
 */
static void
spawned(struct exec *e, struct ajob *a, int r, pid_t pid, int pidfd)
{
	struct job *job = a->job;

	a->held = 0;
	if (r != 0) {
		ajob_close(e, a, 0);
		ajob_close(e, a, 1);
		if (r > 0)
			engine_killed_unspawned(job, r);
		else
			engine_spawn_failed(job, r);
		a->exited = 1;
		finish(e, a);
		return;
	}
	job->pid = pid;
	/* What was kept while it had no pid (exec.h). */
	if (a->end_signo != 0)
		kill(-pid, a->end_signo);
	else if (a->stopped)
		kill(-pid, SIGSTOP);
	/* Without a pidfd the job's exit is found by polling. */
	a->fd[2] = pidfd;
	if (a->fd[2] >= 0 && loop_add(e->loop, a->fd[2], &a->w[2]) < 0) {
		close(a->fd[2]);
		a->fd[2] = -1;
	}
	if (a->fd[2] < 0) {
		a->next = e->polled;
		e->polled = a;
		e->npolled++;
	}
}

/* The spawners' results, taken on the loop's thread. */
static void
take_spawned(struct exec *e)
{
	struct pool *p = &e->pool;
	struct ajob *a, *list;

	pthread_mutex_lock(&p->mu);
	list = p->back;
	p->back = NULL;
	if (p->wake_pending) {
		pool_wake_clear(p);
		p->wake_pending = 0;
	}
	pthread_mutex_unlock(&p->mu);
	while ((a = list) != NULL) {
		list = a->qnext;
		e->inflight--;
		spawned(e, a, a->spawn_r, a->spawn_pid, a->spawn_pidfd);
	}
}

static int
async_start(struct exec *e, struct job *job)
{
	struct pool *p = &e->pool;
	int rd[2], wr[2];
	struct ajob *a;
	pid_t pid = 0;
	int i, r;

	if ((r = spawn_pipes(job->ungroup, rd, wr)) < 0)
		return r;
	/*
	 * Watch the pipes before the job exists: when the loop cannot take
	 * them, nothing has run yet and the caller can simply try later.
	 */
	a = ajob_get(e, job);
	a->fd[0] = rd[0];
	a->fd[1] = rd[1];
	for (i = 0; i < 2; i++)
		if (a->fd[i] >= 0 &&
		    (r = loop_add(e->loop, a->fd[i], &a->w[i])) < 0) {
			/* Closes the read ends. */
			ajob_put(e, a);
			spawn_close(wr);
			return r;
		}
	/*
	 * A spawner, unless this is the only job: with none to watch, the
	 * loop's thread has nothing better to do than spawn it, and a
	 * thread's hand-over would cost a lone job a third of its start.
	 */
	pthread_mutex_lock(&p->mu);
	if (e->nused > 1 && pool_grow(p) == 0) {
		a->wr[0] = wr[0];
		a->wr[1] = wr[1];
		a->state = S_QUEUED;
		a->held = 1;
		a->qnext = NULL;
		*p->qtail = a;
		p->qtail = &a->qnext;
		pthread_cond_signal(&p->cv);
		pthread_mutex_unlock(&p->mu);
		e->inflight++;
		return 0;
	}
	pthread_mutex_unlock(&p->mu);
	/* Here, and a shortage is the caller's. */
	r = spawn_job_on(job->path, job->argv, job->envp, job->in_fd, wr,
	    &pid);
	if (r < 0 && spawn_err_transient(r)) {
		ajob_put(e, a);
		return r;
	}
	spawned(e, a, r, pid, r == 0 && e->have_pidfd ? spawn_pidfd(pid) :
	    -1);
	return 0;
}

static void
sink(void *ctx, int stream, char *p, size_t n)
{
	struct ajob *a = ctx;
	struct exec *e = a->e;
	int r;

	/* The scheduler's thread: out of memory is fatal here, as in xgrow. */
	if ((r = engine_take(a->job, stream, p, n)) < 0)
		util_die(r, "out of memory");
	if (r == 1)
		e->hooks.output(e->hooks.ctx, a->job, stream, p, n);
}

/* Read one chunk of what the pipe holds now; close it at its end. */
static void
pump(struct exec *e, struct ajob *a, int i)
{
	char chunk[ENGINE_CHUNK];
	ssize_t n;

	n = engine_read(a->fd[i], chunk, sizeof(chunk));
	if (n > 0)
		sink(a, i + 1, chunk, (size_t)n);
	else if (n < 0)
		ajob_close(e, a, i);
}

/* Reap the job if it has exited.  Returns 1 when it has. */
static int
reap(struct exec *e, struct ajob *a)
{
	char chunk[ENGINE_CHUNK];
	int i;

	if (engine_reap(a->job, WNOHANG) == 0)
		return 0;
	a->exited = 1;
	for (i = 0; i < 2; i++) {
		if (a->fd[i] >= 0)
			engine_drain(a->fd[i], i + 1, chunk, sizeof(chunk),
			    sink, a);
		ajob_close(e, a, i);
	}
	ajob_close(e, a, 2);
	finish(e, a);
	return 1;
}

static void
poll_exits(struct exec *e)
{
	struct ajob *a = e->polled, *next;

	e->polled = NULL;
	for (; a != NULL; a = next) {
		next = a->next;
		if (reap(e, a)) {
			e->npolled--;
			continue;
		}
		a->next = e->polled;
		e->polled = a;
	}
}

static int
async_wait(struct exec *e, int timeout_ms, struct exec_watch *w,
    size_t nwatch)
{
	void *ready[256];
	struct ajob *a, *done;
	int i, n, count = 0;

	count = exec_watches_set(e->loop, &e->watches, w, nwatch);
	if (e->done != NULL || count > 0)
		timeout_ms = 0;
	if (e->npolled > 0 && (timeout_ms < 0 || timeout_ms > 10))
		timeout_ms = 10;
	n = loop_wait(e->loop, timeout_ms, ready, ARRAY_SIZE(ready));
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		struct awatch *aw = ready[i];

		switch (aw->kind) {
		case W_EXT:
			w[aw->ext].ready = 1;
			count++;
			break;
		case W_PID:
			reap(e, aw->a);
			break;
		case W_WAKE:
			take_spawned(e);
			break;
		default:
			/* The job may have finished earlier in this batch. */
			if (!aw->a->exited)
				pump(e, aw->a, aw->kind);
			break;
		}
	}
	if (e->npolled > 0)
		poll_exits(e);
	/* Hand back only after the batch: its events may name these jobs. */
	done = e->done;
	e->done = NULL;
	while ((a = done) != NULL) {
		struct job *job = a->job;

		done = a->next;
		ajob_put(e, a);
		e->hooks.done(e->hooks.ctx, job);
		count++;
	}
	return count;
}

/*
 * A signal for a job still on its way to a pid: taken off the queue when
 * it would end it, else kept for spawned() (exec.h).
 */
static void
hold_signal(struct exec *e, struct ajob *a, int signo)
{
	struct pool *p = &e->pool;
	struct ajob **pp;

	pthread_mutex_lock(&p->mu);
	if (a->state == S_QUEUED && spawn_sig_ends(signo)) {
		for (pp = &p->qhead; *pp != a; pp = &(*pp)->qnext)
			;
		if ((*pp = a->qnext) == NULL)
			p->qtail = pp;
		pthread_mutex_unlock(&p->mu);
		spawn_close(a->wr);
		e->inflight--;
		spawned(e, a, signo, 0, -1);
		return;
	}
	if (engine_keep_signal(&a->end_signo, &a->stopped, signo))
		pthread_cond_broadcast(&p->kept);
	pthread_mutex_unlock(&p->mu);
}

static int
async_signal(struct exec *e, struct job *job, int signo)
{
	struct ajob *a = job->priv;

	if (a == NULL || a->exited)
		return 0;
	if (a->held) {
		hold_signal(e, a, signo);
		return 0;
	}
	if (a->job->pid <= 0)
		return 0;
	if (kill(-a->job->pid, signo) < 0 && errno != ESRCH)
		return -errno;
	return 0;
}

static void
async_release(struct exec *e)
{
	struct ajob *a;

	if (e == NULL)
		return;
	pool_stop(&e->pool);
	/* What the caller did not wait for: only when it gives up. */
	pool_drop(&e->pool);
	while ((a = e->free) != NULL) {
		e->free = a->next;
		free(a);
	}
	loop_free(e->loop);
	free(e);
}

const struct exec_ops exec_async_ops = {
	.name = "async",
	.job_fds = 5,
	.run_fds = 3,
	.job_tasks = 1,
	.init = async_init,
	.start = async_start,
	.wait = async_wait,
	.signal = async_signal,
	.release = async_release,
};
