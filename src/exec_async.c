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
 */
#include "budget.h"
#include "engine.h"
#include "exec.h"
#include "job.h"
#include "loop.h"
#include "options.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

enum watch_kind { W_OUT, W_ERR, W_PID, W_EXT, W_WAKE };

/* Where a job is on its way to a pid. */
enum spawn_state { S_RUNNING, S_QUEUED, S_SPAWNING, S_SPAWNED };

#define SPAWNERS_MAX	16
#define SPAWNER_STACK	(256 * 1024)

struct ajob;

struct awatch {
	enum watch_kind	 kind;
	struct ajob	*a;		/* W_OUT, W_ERR, W_PID */
	size_t		 ext;		/* W_EXT: index in exec's watches */
};

struct ajob {
	struct exec	*e;
	struct job	*job;
	int		 fd[3];		/* out, err, pidfd; -1 when closed */
	struct awatch	 w[3];
	int		 exited;	/* reaped: never signal again */
	int		 held;		/* queued for a spawner, no pid yet */
	struct ajob	*next;		/* free list, polled list, done list */
	/* Under the pool's mutex while state is not S_RUNNING. */
	enum spawn_state state;
	struct ajob	*qnext;		/* the spawners' queue, handed back */
	int		 wr[2];		/* the job's ends of its pipes */
	int		 spawn_r;	/* 0, -errno, or the signal that ended it */
	pid_t		 spawn_pid;
	int		 spawn_pidfd;
	int		 end_signo;	/* kept: ends it before it has a pid */
	int		 stopped;	/* kept: stop it once it has a pid */
};

/*
 * The spawners and their queue.  The loop's thread queues jobs and
 * takes back the spawned; spawners take from the queue.
 */
struct pool {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;		/* the queue has a job, or quit */
	pthread_cond_t	 kept;		/* a signal was kept, or quit */
	struct ajob	*qhead, **qtail;
	struct ajob	*back;		/* spawned, for the loop's thread */
	int		 wake_pending;
	int		 idle;		/* spawners waiting for a job */
	int		 quit;
	int		 wake[2];	/* read, write: the same for an eventfd */
	pthread_t	 tid[SPAWNERS_MAX];
	int		 n, max;
};

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

static void
wake_poke(struct pool *p)
{
#ifdef __linux__
	uint64_t one = 1;

	(void)!write(p->wake[1], &one, sizeof(one));
#else
	(void)!write(p->wake[1], "", 1);
#endif
}

static void
wake_clear(struct pool *p)
{
	char junk[64];

	while (read(p->wake[0], junk, sizeof(junk)) > 0)
		;
}

static void
pool_close(struct pool *p)
{
	if (p->wake[1] >= 0 && p->wake[1] != p->wake[0])
		close(p->wake[1]);
	if (p->wake[0] >= 0)
		close(p->wake[0]);
	p->wake[0] = p->wake[1] = -1;
}

/*
 * The wake-up descriptor, watched by the loop from the start.  An
 * eventfd where there is one: fanout's pipes are then only the jobs'.
 */
static int
pool_init(struct exec *e)
{
	struct pool *p = &e->pool;
	unsigned long long limit;
	long cpus, used;
	int r;

	p->qtail = &p->qhead;
	p->wake[0] = p->wake[1] = -1;
#ifdef __linux__
	if ((p->wake[0] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0)
		return -errno;
	p->wake[1] = p->wake[0];
#else
	if (pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
#endif
	e->wakew.kind = W_WAKE;
	if ((r = loop_add(e->loop, p->wake[0], &e->wakew)) < 0) {
		pool_close(p);
		return r;
	}
	/* A spawner per core: more only queue behind the same cores. */
	cpus = sysconf(_SC_NPROCESSORS_ONLN);
	p->max = cpus < 1 ? 1 : cpus > SPAWNERS_MAX ? SPAWNERS_MAX :
	    (int)cpus;
	/*
	 * Spawners are tasks of the process limit beside the jobs': only
	 * where it leaves thousands to spare (budget.h), so that under a
	 * tight one a job costs one task as the budget counts it, and the
	 * loop's thread spawns as it always did.
	 */
	(void)budget_procs(e->cfg->jobs + p->max, 1, &limit, &used);
	if (limit != 0)
		p->max = 0;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	pthread_cond_init(&p->kept, NULL);
	return 0;
}

/*
 * Spawn a with its pipes, waiting out a shortage here as a thread
 * mode's worker does.  Called and returns with the pool's mutex held;
 * the spawn itself runs without it, so that the loop's thread never
 * waits for one.  Returns 0, -errno, or the kept signal that ended the
 * job before it was spawned.
 */
static int
spawn_one(struct pool *p, struct ajob *a, pid_t *pid)
{
	struct job *job = a->job;
	struct timespec until;
	int ms = 0, r;

	for (;;) {
		if (a->end_signo != 0)
			return a->end_signo;
		pthread_mutex_unlock(&p->mu);
		r = spawn_job(job->path, job->argv, job->envp, job->in_fd,
		    a->wr[0], a->wr[1], pid);
		pthread_mutex_lock(&p->mu);
		if (r == 0 || !spawn_err_transient(r))
			return r;
		ms = spawn_backoff_ms(ms);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += ms / 1000;
		until.tv_nsec += (long)(ms % 1000) * 1000000L;
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		/* A kept signal, or the end, cuts the wait short. */
		while (a->end_signo == 0 && !p->quit &&
		    pthread_cond_timedwait(&p->kept, &p->mu, &until) !=
		    ETIMEDOUT)
			;
		if (p->quit)
			return r;
	}
}

static void *
spawner_main(void *arg)
{
	struct exec *e = arg;
	struct pool *p = &e->pool;
	struct ajob *a;
	pid_t pid = 0;
	int poke, r;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		while (p->qhead == NULL && !p->quit) {
			p->idle++;
			pthread_cond_wait(&p->cv, &p->mu);
			p->idle--;
		}
		if (p->quit)
			break;
		a = p->qhead;
		if ((p->qhead = a->qnext) == NULL)
			p->qtail = &p->qhead;
		a->state = S_SPAWNING;
		r = spawn_one(p, a, &pid);
		/* The job's ends are the job's alone: ours would hide EOF. */
		spawn_close(a->wr);
		a->spawn_r = r;
		a->spawn_pid = r == 0 ? pid : 0;
		a->spawn_pidfd = -1;
		if (r == 0 && e->have_pidfd) {
			pthread_mutex_unlock(&p->mu);
			/* Before the loop's thread can reap it: pid is ours. */
			a->spawn_pidfd = spawn_pidfd(pid);
			pthread_mutex_lock(&p->mu);
		}
		a->state = S_SPAWNED;
		a->qnext = p->back;
		p->back = a;
		poke = !p->wake_pending;
		p->wake_pending = 1;
		if (poke)
			wake_poke(p);
	}
	pthread_mutex_unlock(&p->mu);
	spawn_forget();
	return NULL;
}

/*
 * One more spawner while every one is busy, up to one per core.  With
 * the pool's mutex held.  0, or -errno when none could be started and
 * there is none at all.
 */
static int
pool_grow(struct exec *e)
{
	struct pool *p = &e->pool;
	pthread_attr_t attr;
	sigset_t all, old;
	int r;

	if (p->idle > 0 || p->n >= p->max)
		return p->n > 0 ? 0 : -EAGAIN;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, SPAWNER_STACK);
	/* Spawners block every signal: the loop's thread takes them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	r = pthread_create(&p->tid[p->n], &attr, spawner_main, e);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (r == 0)
		p->n++;
	return p->n > 0 ? 0 : -r;
}

/* After pool_stop: free the jobs still queued or handed back. */
static void
pool_drop(struct pool *p)
{
	struct ajob *lists[2] = { p->qhead, p->back }, *a;
	int i;

	for (i = 0; i < 2; i++)
		while ((a = lists[i]) != NULL) {
			lists[i] = a->qnext;
			spawn_close(a->wr);
			if (a->state == S_SPAWNED && a->spawn_pidfd >= 0)
				close(a->spawn_pidfd);
			free(a);
		}
	p->qhead = p->back = NULL;
}

static void
pool_stop(struct pool *p)
{
	int i;

	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_cond_broadcast(&p->kept);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->n; i++)
		pthread_join(p->tid[i], NULL);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv);
	pthread_cond_destroy(&p->kept);
	pool_close(p);
}

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
	if ((r = pool_init(e)) < 0) {
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
		wake_clear(p);
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
	if (e->nused > 1 && pool_grow(e) == 0) {
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
