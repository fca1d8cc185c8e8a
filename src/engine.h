/*
 * engine: the pieces every executor is built from, so that the three
 * modes decode a wait status, report a job that could not run, read a
 * job's pipes and finish them after it exits in one way.  Pipes and the
 * spawn itself, with the one policy for a shortage, are spawn.h's.
 *
 * Every function here may be called from any thread (a worker thread, a
 * forked worker) on a job that thread holds; none exits the program.
 */
#ifndef FANOUT_ENGINE_H
#define FANOUT_ENGINE_H

#include <stddef.h>
#include <sys/types.h>

struct job;

/*
 * Reap job->pid, with its rusage in job->ru, and set job->end and
 * job->status from how it ended: JOB_EXITED and the exit code,
 * JOB_SIGNALED and the signal, or JOB_LOST when it was not ours to reap
 * (someone else took it).  flags are waitpid's (WNOHANG).  Returns the
 * pid, 0 when it has not exited (WNOHANG; nothing set), or -1 (lost).
 */
pid_t	engine_reap(struct job *, int flags);

/*
 * A signal for a job that has no pid yet, kept for when it has one: one
 * that ends the job in *end_signo (the first stands), a stop or SIGCONT
 * in *stopped.  Returns 1 when it ends the job: a back-off waiting to
 * spawn it should be cut short.  (exec.h: signal() before a pid.)
 */
int	engine_keep_signal(int *end_signo, int *stopped, int signo);

/* The job could not be executed: err is spawn_job's -errno. */
void	engine_spawn_failed(struct job *, int err);

/*
 * A signal ended the job before it had a pid: it never runs, and is
 * reported as if it had run and died of signo.
 */
void	engine_killed_unspawned(struct job *, int signo);

/*
 * Output is read in chunks of at most ENGINE_CHUNK bytes.  Once the job
 * has exited, at most ENGINE_DRAIN_MAX more bytes per stream are taken:
 * a descendant that keeps the pipe open and writing must not hold the
 * engine.  What a descendant writes after that is lost.
 */
#define ENGINE_CHUNK		65536
#define ENGINE_DRAIN_MAX	(16 * ENGINE_CHUNK)

/*
 * Read once from a job's non-blocking pipe into buf (cap bytes).
 * Returns the bytes read, 0 when there are none now, or -1 at end of
 * file or on an error: then the caller closes fd.
 */
ssize_t	engine_read(int fd, char *buf, size_t cap);

/*
 * Where an engine puts what it read of a job's stream (1 or 2).  The
 * bytes are at buf, as handed to engine_drain.
 */
typedef void engine_sink(void *ctx, int stream, char *p, size_t n);

/*
 * After the job has exited: give sink what fd holds now, without
 * blocking, up to ENGINE_DRAIN_MAX bytes.  The caller closes fd after.
 */
void	engine_drain(int fd, int stream, char *buf, size_t cap,
	    engine_sink *sink, void *ctx);

/*
 * Count n bytes of the job's stream (1 or 2) and, unless job->live,
 * hold them in its spool.  Returns 1 when the job is live (the caller
 * delivers them through hooks.output), 0 when held, or -ENOMEM when the
 * spool had no memory: nothing was counted or held, try again later.
 */
int	engine_take(struct job *, int stream, const char *p, size_t n);

#endif
