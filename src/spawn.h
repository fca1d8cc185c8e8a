/*
 * spawn: the only place that creates job processes.  posix_spawn (glibc
 * uses clone(CLONE_VM|CLONE_VFORK), so the cost does not grow with
 * fanout's memory) with: the job in its own new process group; stdin
 * from /dev/null, or a --pipe block's file; stdout and stderr as asked; default dispositions for
 * every signal fanout changed (but a SIGHUP ignored at fanout's start,
 * under nohup, stays ignored); an empty signal mask.  Every descriptor
 * fanout opens is close-on-exec, so a job inherits only 0, 1, 2 and what
 * fanout itself inherited.  Once spawn_set_nofile() was called, jobs are
 * spawned with vfork and execve instead, to the same effect plus their
 * descriptor limit.
 *
 * Thread-safe after spawn_init().
 */
#ifndef FANOUT_SPAWN_H
#define FANOUT_SPAWN_H

#include <pthread.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <time.h>

/*
 * Call once at start, before any signal handler is installed and before
 * any thread: records whether SIGHUP was ignored.  shell runs scripts
 * the kernel refuses (ENOEXEC).  0 or -errno.
 */
int	spawn_init(const char *shell);

/*
 * -o: every job's stdin is the controlling terminal instead, from now
 * on; call before any job or worker starts.  0, or -errno (no terminal)
 * and the jobs' stdin stays /dev/null.
 */
int	spawn_open_tty(void);

/*
 * The descriptor spawn_init opened (/dev/null, or spawn_open_tty's
 * terminal: every job's stdin), which
 * spawn_job needs: a forked worker that closes fanout's descriptors must
 * keep it.
 */
int	spawn_devnull(void);

/*
 * Start path with argv and envp.  in, out and err are the descriptors
 * that become the job's 0, 1 and 2 (in -1: /dev/null; out and err -1:
 * fanout's own).  Returns 0 and sets *pid,
 * or -errno when the program could not be executed (ENOENT, EACCES,
 * E2BIG...) or a resource is short (EAGAIN, ENOMEM, EMFILE).  Never
 * exits, so workers may call it.
 */
int	spawn_job(const char *path, char *const argv[], char *const envp[],
	    int in, int out, int err, pid_t *pid);

/*
 * spawn_job with the job's stdin from in, its stdout and stderr on two new pipes, or on
 * fanout's own when ungroup (then fd[] is -1).  Returns 0 with fd[0] and
 * fd[1] the pipes' read ends (close-on-exec, non-blocking) and *pid set,
 * or -errno with nothing left open.  Running out of pipes (EMFILE,
 * ENFILE) is a shortage like any of spawning's: spawn_err_transient.
 */
int	spawn_job_piped(const char *path, char *const argv[],
	    char *const envp[], int in, int ungroup, int fd[2], pid_t *pid);

/*
 * spawn_job_piped in two steps, for an engine that must do something
 * with the read ends before the job exists (watch them).  spawn_pipes
 * makes the pipes (rd[] our read ends, close-on-exec and non-blocking;
 * wr[] the job's ends; all -1 when ungroup): 0, or -errno with nothing
 * open.  spawn_job_on spawns with wr[] as the job's 1 and 2 and closes
 * them, whatever the outcome: as spawn_job.  spawn_close closes what of
 * fd[] is open and sets it to -1.
 */
int	spawn_pipes(int ungroup, int rd[2], int wr[2]);
int	spawn_job_on(const char *path, char *const argv[],
	    char *const envp[], int in, int wr[2], pid_t *pid);
void	spawn_close(int fd[2]);

/*
 * The one policy for a shortage (spawn_err_transient): never the job's
 * failure; wait and try again, first after SPAWN_BACKOFF_MIN_MS, then
 * twice as long each time up to SPAWN_BACKOFF_MAX_MS.  spawn_backoff_ms
 * gives the next wait after last_ms (0 before the first).
 */
#define SPAWN_BACKOFF_MIN_MS	10
#define SPAWN_BACKOFF_MAX_MS	1000

int	spawn_backoff_ms(int last_ms);
/*
 * Sleep the next wait after *ms, and set *ms to it: for a worker with
 * nothing else to watch meanwhile.  Async-signal-safe.
 */
void	spawn_backoff(int *ms);
/*
 * For a thread that waits out the back-off in pthread_cond_timedwait(),
 * so that a signal kept for its job can cut the wait short:
 * spawn_cond_init() makes a condition variable whose waits run on
 * CLOCK_MONOTONIC (a deadline must not move with the wall clock), and
 * spawn_backoff_until() gives the end of the next wait after *ms on
 * that clock, setting *ms to it.
 */
void	spawn_cond_init(pthread_cond_t *);
struct timespec spawn_backoff_until(int *ms);

/*
 * A signal for a job that is still waiting out a shortage has no process
 * to reach.  One whose default action ends a process (spawn_sig_ends)
 * means the job must never run: it is reported as if it had run and
 * died of that signal.  A stop (spawn_sig_stops) is applied as soon as
 * the job is spawned, unless a SIGCONT came after it.
 */
int	spawn_sig_ends(int signo);
int	spawn_sig_stops(int signo);

/*
 * A descriptor that becomes readable when child pid exits (pidfd_open),
 * or -1 with errno set where the kernel has none: then poll waitpid.
 */
int	spawn_pidfd(pid_t pid);

/*
 * Jobs get soft as their RLIMIT_NOFILE soft limit: the one fanout was
 * started with, once fanout raised its own for the descriptors it needs.
 * Call before any spawn, thread or worker.  Until it is called a spawn
 * costs no system call for this; after, one more in the child.
 */
void	spawn_set_nofile(rlim_t soft);

/* Free this thread's prepared file actions (before it ends). */
void	spawn_forget(void);

/* Whether -errno from spawn_job is a shortage worth retrying later. */
int	spawn_err_transient(int err);

/* The exit status a shell gives a program that failed to execute. */
int	spawn_err_status(int err);

/* Signals the default dispositions are restored for (workers use it). */
void	spawn_sigdefault(void);

#endif
