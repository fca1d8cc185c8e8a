/*
 * exec: the executor interface that the three modes implement.  Every job
 * is a child process in every mode; the modes differ in what waits for
 * it, reads its output and hands back the result:
 *
 *	process	pre-forked worker processes, one per slot, started lazily
 *	thread	worker threads, one per slot, started lazily
 *	async	one thread, one event loop
 *
 * The caller's steps: exec_find(name), ops->init(), then start() a job
 * whenever a slot is free and wait() in a loop; signal() to end jobs;
 * release() at the end.  Everything observable (output order, reports,
 * retries, timeouts, exit status) lives above this interface, so a mode
 * can change only how fast and at what cost, never what the user sees.
 *
 * Threads: every function here is called from the scheduler's thread,
 * and hooks are called only from inside wait(), on that same thread.
 *
 * Blocking: only wait() blocks, for at most its timeout.  start() and
 * signal() never wait for a job or a worker; process mode's may wait
 * for room in a worker's socket, which its worker empties at once.
 *
 * Shortage (EMFILE, ENFILE, EAGAIN, ENOMEM on a pipe, a spawn, a thread
 * or a worker): never a job's failure.  What start() itself runs short
 * of, it returns, and the job was not taken.  What a job's worker runs
 * short of later (thread and process modes spawn there, async in a
 * spawner thread) the worker waits out by spawn.h's back-off; the job
 * is held meanwhile and has no pid.
 *
 * Signals before a pid: a signal for a held job that has no pid yet is
 * kept.  One that would end a process (spawn_sig_ends) means the job is
 * never spawned; done() reports it JOB_SIGNALED by that signal, as if
 * it had run and died of it.  A stop is applied as soon as the job is
 * spawned, unless a SIGCONT came after it.  async hands the spawn to
 * its spawner threads, so a job it holds may have no pid yet too.  A
 * signal for a job after it was reaped does nothing.  tests/conform.c holds every engine to this.
 */
#ifndef FANOUT_EXEC_H
#define FANOUT_EXEC_H

#include <stddef.h>

struct config;
struct job;
struct exec;

struct exec_hooks {
	void	*ctx;
	/* Live output of a job with job->live set; stream is 1 or 2. */
	void	(*output)(void *ctx, struct job *, int stream,
		    const char *, size_t);
	/*
	 * The job has ended and is reaped: its result fields are final, its
	 * held output (when !live) is in job->out and job->err, and the
	 * executor no longer touches it.  A job ends when its process
	 * exits: what its pipes then hold is taken without waiting (up to
	 * ENGINE_DRAIN_MAX a stream), and what a descendant writes later is
	 * lost, so a descendant holding the pipes never delays done().
	 */
	void	(*done)(void *ctx, struct job *);
};

/* A descriptor wait() also watches for readability (input, signals). */
struct exec_watch {
	int	fd;
	int	ready;		/* out: set when readable */
};

struct exec_ops {
	const char *name;
	/*
	 * Descriptors fanout itself opens to start one job (its pipes and
	 * pidfd, or a worker's socket): a limit with fewer free can never
	 * start one.
	 */
	int	 job_fds;
	/*
	 * Descriptors fanout holds for each running job (its pipes and
	 * pidfd, or its worker's socket), its spilled output aside: what
	 * the descriptor budget counts a job at.
	 */
	int	 run_fds;
	/* Tasks per running job: the job, and a worker thread or process. */
	int	 job_tasks;
	/* 0 or -errno. */
	int	(*init)(struct exec **, const struct config *,
		    const struct exec_hooks *);
	/*
	 * Start a prepared job; never blocks.  A job that cannot be spawned
	 * still comes back through done() (JOB_SPAWN_FAILED, status 127 or
	 * 126).  Returns -errno only when the runner itself is short of a
	 * resource (EMFILE, ENFILE, EAGAIN, ENOMEM): then the job was not
	 * taken, and the caller backs off and tries again later.
	 */
	int	(*start)(struct exec *, struct job *);
	/*
	 * Block at most timeout_ms (-1: no limit) until something happens:
	 * output, a job ended, or a watched descriptor became readable.
	 * Returns the number of hooks called plus watches ready, or -errno.
	 */
	int	(*wait)(struct exec *, int timeout_ms, struct exec_watch *,
		    size_t nwatch);
	/*
	 * Send signo to the job's whole process group, or keep it while the
	 * job has no pid (see above).  Never signals a group whose leader
	 * was reaped.  0 or -errno.
	 */
	int	(*signal)(struct exec *, struct job *, int signo);
	void	(*release)(struct exec *);
};

/*
 * For engines built on a struct loop: the descriptors wait() is asked to
 * watch, kept registered across calls in fixed slots.  Slot i comes back
 * from loop_wait() as data[i].  A descriptor epoll refuses (a regular
 * file, /dev/null) is always ready, since reading it never blocks.
 */
#define EXEC_WATCH_MAX	4

struct loop;

struct exec_watches {
	int	 fd[EXEC_WATCH_MAX];	/* registered, or -1 */
	int	 always[EXEC_WATCH_MAX];
	void	*data[EXEC_WATCH_MAX];
};

void	exec_watches_init(struct exec_watches *, void *const data[]);
/*
 * Register this call's watches, dropping what changed first so that a
 * descriptor moving between slots is never registered twice.  Sets
 * w[i].ready for those always ready and returns their number, plus the
 * number of watches the loop had no memory for: those are not ready,
 * are tried again on the next call, and the caller must not block.
 */
int	exec_watches_set(struct loop *, struct exec_watches *,
	    struct exec_watch *w, size_t n);

/* The mode called name, or NULL. */
const struct exec_ops *exec_find(const char *name);
/* The names of all modes, space-separated, for messages. */
const char *exec_names(void);

extern const struct exec_ops exec_async_ops;
extern const struct exec_ops exec_thread_ops;
extern const struct exec_ops exec_process_ops;

#endif
