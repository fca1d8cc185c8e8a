/*
 * exec_thread: a pool of worker threads, one per slot, started lazily.
 * A worker spawns its job, blocks in poll() on that job's two pipes and
 * its pidfd (or polls waitpid on its own pid, never waitpid(-1)), and
 * hands results to the scheduler's thread through a completion queue and
 * one byte on a wake pipe.  Hooks run only on the scheduler's thread,
 * inside wait().
 *
 * Ownership: the scheduler hands a job to a worker under the worker's
 * mutex; from then until the completion is queued, only the worker
 * touches the job's result fields and spools.  The queue's mutex orders
 * the worker's writes before the scheduler's reads.  A job's pid may be
 * signalled by the scheduler only under the worker's mutex and only
 * until the worker has reaped it, so a reused pid is never signalled.
 *
 * A shortage while spawning (no pipes, no processes, no memory) is
 * waited out in the worker, by the policy in spawn.h.  A signal that
 * arrives meanwhile has no pid to reach; it is kept in the worker, and
 * the spawn, also made under the mutex, looks at it first: a job ended
 * before it got a pid never runs.  A worker never exits the program:
 * what it cannot get it waits for, and what fails it reports.
 *
 * Workers block every signal: the scheduler's thread alone takes them.
 */
#include "engine.h"
#include "exec.h"
#include "job.h"
#include "options.h"
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CHUNK		ENGINE_CHUNK
#define STACK_SIZE	(256 * 1024)

enum event_kind { EV_OUTPUT, EV_DONE };

struct event {
	enum event_kind	 kind;
	struct job	*job;
	int		 stream;
	size_t		 len;
	struct event	*next;
	char		 data[];	/* EV_OUTPUT */
};

struct worker {
	struct exec	*e;
	pthread_t	 tid;
	int		 started;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	struct job	*job;		/* handed over, or running */
	struct job	*mine;		/* the worker thread's view of job */
	pid_t		 pid;		/* signallable while > 0 */
	int		 end_signo;	/* ends it before it has a pid */
	int		 stopped;	/* stop it once it has a pid */
	struct event	*done;		/* every job's EV_DONE */
	int		 quit;
};

struct exec {
	const struct config	*cfg;
	struct exec_hooks	 hooks;
	struct worker		**workers;	/* by slot; a worker never moves */
	long			 nworkers;
	pthread_mutex_t		 qmu;
	struct event		*qhead, **qtail;
	int			 wake[2];
	int			 wake_pending;	/* under qmu */
};

static void
queue_push(struct exec *e, struct event *ev)
{
	int poke;

	ev->next = NULL;
	pthread_mutex_lock(&e->qmu);
	*e->qtail = ev;
	e->qtail = &ev->next;
	poke = !e->wake_pending;
	e->wake_pending = 1;
	pthread_mutex_unlock(&e->qmu);
	if (poke)
		(void)!write(e->wake[1], "", 1);
}

static struct event *
queue_take(struct exec *e)
{
	struct event *list;
	char junk[64];

	pthread_mutex_lock(&e->qmu);
	list = e->qhead;
	e->qhead = NULL;
	e->qtail = &e->qhead;
	if (e->wake_pending) {
		while (read(e->wake[0], junk, sizeof(junk)) > 0)
			;
		e->wake_pending = 0;
	}
	pthread_mutex_unlock(&e->qmu);
	return list;
}

/*
 * Count and hold, or queue for the scheduler's thread, what the job
 * wrote.  Short of memory, wait as for any shortage: the job's pipe
 * holds the rest meanwhile.
 */
static void
post_output(void *ctx, int stream, char *p, size_t n)
{
	struct worker *w = ctx;
	struct job *job = w->mine;
	struct event *ev;
	int ms = 0, r;

	while ((r = engine_take(job, stream, p, n)) < 0)
		spawn_backoff(&ms);
	if (r == 0)
		return;
	ms = 0;
	while ((ev = malloc(sizeof(*ev) + n)) == NULL)
		spawn_backoff(&ms);
	ev->kind = EV_OUTPUT;
	ev->job = job;
	ev->stream = stream;
	ev->len = n;
	memcpy(ev->data, p, n);
	queue_push(w->e, ev);
}

/*
 * The job is over: free the worker for the next one, then tell.  The
 * event is the worker's own, allocated with it, so telling cannot fail;
 * the worker gets its next job only after the scheduler has taken this.
 */
static void
post_done(struct worker *w, struct job *job)
{
	struct event *ev = w->done;
	struct exec *e = w->e;

	job->end_ns = clock_mono_ns();
	pthread_mutex_lock(&w->mu);
	w->job = NULL;
	pthread_mutex_unlock(&w->mu);
	ev->kind = EV_DONE;
	ev->job = job;
	queue_push(e, ev);
}

/*
 * Spawn with the output on pipes in fd[], waiting out a shortage here:
 * the scheduler already counts this job as started, and a worker has
 * time to wait.  Returns 0 once spawned, -errno when the job cannot be,
 * or the signal that ended it before it was spawned: it never runs.
 */
static int
spawn_retrying(struct worker *w, struct job *job, int fd[2])
{
	struct timespec until;
	int ms = 0, r;

	/*
	 * Under the mutex, so that a signal either finds the pid or is
	 * kept for us to see before the next attempt; the wait lets go of
	 * it, and a signal cuts the wait short.
	 */
	pthread_mutex_lock(&w->mu);
	for (;;) {
		if (w->end_signo != 0) {
			r = w->end_signo;
			break;
		}
		r = spawn_job_piped(job->path, job->argv, job->envp,
		    job->in_fd, job->ungroup, fd, &job->pid);
		if (r == 0) {
			w->pid = job->pid;
			if (w->stopped)
				kill(-w->pid, SIGSTOP);
			break;
		}
		if (!spawn_err_transient(r))
			break;
		until = spawn_backoff_until(&ms);
		while (w->end_signo == 0 &&
		    pthread_cond_timedwait(&w->cv, &w->mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&w->mu);
	return r;
}

/* Read one chunk from a pipe; close it at its end. */
static void
pump(struct worker *w, int *fd, int stream)
{
	char chunk[CHUNK];
	ssize_t n;

	n = engine_read(*fd, chunk, sizeof(chunk));
	if (n > 0)
		post_output(w, stream, chunk, (size_t)n);
	else if (n < 0)
		util_close(fd);
}

/* After the job has exited: what its pipes hold now, then close them. */
static void
drain(struct worker *w, int fd[2])
{
	char chunk[CHUNK];
	int i;

	for (i = 0; i < 2; i++) {
		if (fd[i] >= 0)
			engine_drain(fd[i], i + 1, chunk, sizeof(chunk),
			    post_output, w);
		util_close(&fd[i]);
	}
}

static void
reap(struct worker *w, struct job *job)
{
	/* Under the mutex, so that no signal can race the pid's reuse. */
	pthread_mutex_lock(&w->mu);
	engine_reap(job, 0);
	w->pid = 0;
	pthread_mutex_unlock(&w->mu);
}

static void
run(struct worker *w, struct job *job)
{
	int fd[2], pidfd;
	siginfo_t si;
	struct pollfd pfd[3];
	int r, i, exited = 0;

	w->mine = job;
	r = spawn_retrying(w, job, fd);
	if (r != 0) {
		if (r > 0)
			engine_killed_unspawned(job, r);
		else
			engine_spawn_failed(job, r);
		post_done(w, job);
		return;
	}
	pidfd = spawn_pidfd(job->pid);
	while (!exited) {
		for (i = 0; i < 2; i++) {
			pfd[i].fd = fd[i];
			pfd[i].events = POLLIN;
		}
		pfd[2].fd = pidfd;
		pfd[2].events = POLLIN;
		/* Without a pidfd, look at our own child every 10 ms. */
		r = poll(pfd, 3, pidfd >= 0 ? -1 : 10);
		if (r < 0 && errno != EINTR)
			break;
		for (i = 0; r > 0 && i < 2; i++)
			if (pfd[i].revents)
				pump(w, &fd[i], i + 1);
		/* Exited?  Leave it a zombie until reap() takes the lock. */
		memset(&si, 0, sizeof(si));
		if (pidfd < 0 || (r > 0 && pfd[2].revents))
			if (waitid(P_PID, (id_t)job->pid, &si,
			    WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid != 0)
				exited = 1;
	}
	util_close(&pidfd);
	drain(w, fd);
	reap(w, job);
	post_done(w, job);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct job *job;

	for (;;) {
		pthread_mutex_lock(&w->mu);
		while (w->job == NULL && !w->quit)
			pthread_cond_wait(&w->cv, &w->mu);
		job = w->job;
		pthread_mutex_unlock(&w->mu);
		if (job == NULL)
			break;
		run(w, job);
	}
	spawn_forget();
	return NULL;
}

static int
thread_init(struct exec **ep, const struct config *cfg,
    const struct exec_hooks *hooks)
{
	struct exec *e = xcalloc(1, sizeof(*e));

	e->cfg = cfg;
	e->hooks = *hooks;
	e->qtail = &e->qhead;
	pthread_mutex_init(&e->qmu, NULL);
	if (pipe2(e->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(e);
		return -errno;
	}
	*ep = e;
	return 0;
}

static int
worker_start(struct exec *e, struct worker *w)
{
	int r;

	w->e = e;
	if (w->done == NULL)
		w->done = xmalloc(sizeof(*w->done));
	pthread_mutex_init(&w->mu, NULL);
	spawn_cond_init(&w->cv);
	/* Workers take no signal. */
	if ((r = util_thread(&w->tid, STACK_SIZE, worker_main, w)) < 0) {
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
		return r;
	}
	w->started = 1;
	return 0;
}

static int
thread_start(struct exec *e, struct job *job)
{
	struct worker *w;
	size_t cap;
	long i;
	int r;

	if (job->slot > e->nworkers) {
		cap = (size_t)e->nworkers;
		i = e->nworkers;
		e->workers = xgrow(e->workers, &cap, (size_t)job->slot,
		    sizeof(*e->workers));
		e->nworkers = (long)cap;
		memset(e->workers + i, 0, (cap - (size_t)i) *
		    sizeof(*e->workers));
	}
	if (e->workers[job->slot - 1] == NULL)
		e->workers[job->slot - 1] = xcalloc(1, sizeof(*w));
	w = e->workers[job->slot - 1];
	if (!w->started && (r = worker_start(e, w)) < 0)
		return r;
	pthread_mutex_lock(&w->mu);
	if (w->job != NULL)
		BUG("slot %ld is busy", job->slot);
	w->job = job;
	w->end_signo = 0;
	w->stopped = 0;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

static int
thread_wait(struct exec *e, int timeout_ms, struct exec_watch *watch,
    size_t nwatch)
{
	struct pollfd pfd[8];
	struct event *ev, *next;
	size_t i;
	int n, count = 0;

	if (nwatch + 1 > ARRAY_SIZE(pfd))
		BUG("too many watches");
	pfd[0].fd = e->wake[0];
	pfd[0].events = POLLIN;
	for (i = 0; i < nwatch; i++) {
		pfd[i + 1].fd = watch[i].fd;
		pfd[i + 1].events = POLLIN;
		watch[i].ready = 0;
	}
	n = poll(pfd, nwatch + 1, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < nwatch; i++)
		if (pfd[i + 1].revents) {
			watch[i].ready = 1;
			count++;
		}
	if (pfd[0].revents == 0)
		return count;
	for (ev = queue_take(e); ev != NULL; ev = next) {
		next = ev->next;
		/* An EV_DONE is its worker's, not ours to free. */
		if (ev->kind == EV_OUTPUT) {
			e->hooks.output(e->hooks.ctx, ev->job, ev->stream,
			    ev->data, ev->len);
			free(ev);
		} else
			e->hooks.done(e->hooks.ctx, ev->job);
		count++;
	}
	return count;
}

/*
 * A signal for the worker's job while it has no pid: not spawned yet, or
 * reaped already (then nothing reads this again).  Under w->mu.
 */
static void
hold_signal(struct worker *w, int signo)
{
	if (engine_keep_signal(&w->end_signo, &w->stopped, signo))
		pthread_cond_signal(&w->cv);
}

static int
thread_signal(struct exec *e, struct job *job, int signo)
{
	struct worker *w;
	int r = 0;

	if (job->slot < 1 || job->slot > e->nworkers ||
	    (w = e->workers[job->slot - 1]) == NULL)
		return 0;
	pthread_mutex_lock(&w->mu);
	if (w->job == job && w->pid > 0) {
		if (kill(-w->pid, signo) < 0 && errno != ESRCH)
			r = -errno;
	} else if (w->job == job)
		hold_signal(w, signo);
	pthread_mutex_unlock(&w->mu);
	return r;
}

static void
thread_release(struct exec *e)
{
	struct event *ev;
	long i;

	if (e == NULL)
		return;
	for (i = 0; i < e->nworkers; i++) {
		struct worker *w = e->workers[i];

		if (w == NULL || !w->started)
			continue;
		pthread_mutex_lock(&w->mu);
		w->quit = 1;
		pthread_cond_signal(&w->cv);
		pthread_mutex_unlock(&w->mu);
		pthread_join(w->tid, NULL);
		pthread_mutex_destroy(&w->mu);
		pthread_cond_destroy(&w->cv);
	}
	/* Before the workers go: a queued EV_DONE is one of theirs. */
	while ((ev = queue_take(e)) != NULL)
		while (ev != NULL) {
			struct event *next = ev->next;

			if (ev->kind == EV_OUTPUT)
				free(ev);
			ev = next;
		}
	for (i = 0; i < e->nworkers; i++)
		if (e->workers[i] != NULL) {
			free(e->workers[i]->done);
			free(e->workers[i]);
		}
	pthread_mutex_destroy(&e->qmu);
	close(e->wake[0]);
	close(e->wake[1]);
	free(e->workers);
	free(e);
}

const struct exec_ops exec_thread_ops = {
	.name = "thread",
	.job_fds = 5,
	.run_fds = 3,
	.job_tasks = 2,
	.init = thread_init,
	.start = thread_start,
	.wait = thread_wait,
	.signal = thread_signal,
	.release = thread_release,
};
