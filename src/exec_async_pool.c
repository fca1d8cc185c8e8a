/*
 * exec_async_pool: async mode's spawners (exec_async_pool.h).  A spawner
 * takes a job off the queue, spawns it, waiting out a shortage as a
 * thread mode's worker does, and hands it back to the loop's thread
 * through the wake-up descriptor.
 */
#include "budget.h"
#include "exec_async_pool.h"
#include "job.h"
#include "loop.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/eventfd.h>
#endif

#define SPAWNER_STACK	(256 * 1024)

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

void
pool_wake_clear(struct pool *p)
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
int
pool_init(struct pool *p, struct loop *loop, void *wake, long jobs,
    int pidfd)
{
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
	if ((r = loop_add(loop, p->wake[0], wake)) < 0) {
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
	(void)budget_procs(jobs + p->max, 1, &limit, &used);
	if (limit != 0)
		p->max = 0;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	/* Timed: the back-off's deadlines (spawn_one). */
	spawn_cond_init(&p->kept);
	p->pidfd = pidfd;
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
		until = spawn_backoff_until(&ms);
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
	struct pool *p = arg;
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
		if (r == 0 && p->pidfd) {
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
int
pool_grow(struct pool *p)
{
	int r;

	if (p->idle > 0 || p->n >= p->max)
		return p->n > 0 ? 0 : -EAGAIN;
	/* Spawners take no signal: the loop's thread takes them. */
	r = util_thread(&p->tid[p->n], SPAWNER_STACK, spawner_main, p);
	if (r == 0)
		p->n++;
	return p->n > 0 ? 0 : r;
}

/* After pool_stop: free the jobs still queued or handed back. */
void
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

void
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
