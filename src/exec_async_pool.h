/*
 * exec_async_pool: async mode's spawners, shared by the engine
 * (exec_async.c: the loop's thread, which queues jobs and takes back the
 * spawned) and its pool (exec_async_pool.c: the threads that spawn them)
 * alone; the rest of fanout sees exec.h.  A spawner knows of a job only
 * its struct ajob, and of the engine only what pool_init() hands it.
 */
#ifndef FANOUT_EXEC_ASYNC_POOL_H
#define FANOUT_EXEC_ASYNC_POOL_H

#include <pthread.h>
#include <stddef.h>
#include <sys/types.h>

struct exec;
struct job;
struct loop;

enum watch_kind { W_OUT, W_ERR, W_PID, W_EXT, W_WAKE };

/* Where a job is on its way to a pid. */
enum spawn_state { S_RUNNING, S_QUEUED, S_SPAWNING, S_SPAWNED };

#define SPAWNERS_MAX	16

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
 * takes back the spawned; spawners take from the queue.  Under mu, the
 * loop's thread appends a job at qtail (state S_QUEUED) and signals cv,
 * or unlinks a queued one; takes the list at back, and clears the
 * wake-up descriptor (pool_wake_clear) when wake_pending is set; and
 * broadcasts kept when it keeps a signal in a job's end_signo or
 * stopped.  A spawner sets state S_SPAWNING, then S_SPAWNED with
 * spawn_r, spawn_pid and spawn_pidfd, links the job at back, and pokes
 * the wake-up descriptor unless wake_pending already says so.
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
	int		 pidfd;		/* open a pidfd for each spawned */
};

/*
 * The wake-up descriptor, added to loop with wake as its data (the loop's
 * thread then calls take_spawned), and a spawner's budget for a run of
 * jobs at once; pidfd: whether a spawner opens a pidfd for what it
 * spawned.  0 or -errno, with nothing left open.
 */
int	pool_init(struct pool *p, struct loop *loop, void *wake, long jobs,
	    int pidfd);
/*
 * One more spawner while every one is busy, up to one per core.  With
 * the pool's mutex held.  0, or -errno when none could be started and
 * there is none at all.
 */
int	pool_grow(struct pool *p);
/* The wake-up descriptor emptied: with the mutex held, wake_pending set. */
void	pool_wake_clear(struct pool *p);
/* The spawners told to quit and joined; the wake-up descriptor closed. */
void	pool_stop(struct pool *p);
/* After pool_stop: free the jobs still queued or handed back. */
void	pool_drop(struct pool *p);

#endif
