/*
 * spawn: posix_spawn with the file actions and attributes every job
 * needs.  The attribute and /dev/null descriptor are prepared once;
 * spawn_job only builds the per-job file actions.
 */
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static posix_spawnattr_t attr;
static int	 devnull = -1;
static const char *job_shell = "/bin/sh";
static sigset_t	 sigdef;
static struct rlimit job_nofile;	/* when job_nofile_set */
static int	 job_nofile_set;

int
spawn_init(const char *shell)
{
	static const int sigs[] = {
		SIGPIPE, SIGINT, SIGTERM, SIGQUIT, SIGTSTP, SIGTTIN, SIGTTOU,
		SIGUSR1, SIGUSR2, SIGCHLD, SIGALRM, SIGCONT,
	};
	struct sigaction sa;
	sigset_t empty;
	size_t i;
	int r, s;

	job_shell = shell;
	devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (devnull < 0)
		return -errno;
	sigemptyset(&sigdef);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		sigaddset(&sigdef, sigs[i]);
	/* nohup: a SIGHUP ignored at our start stays ignored for jobs. */
	if (sigaction(SIGHUP, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN)
		sigaddset(&sigdef, SIGHUP);
	/*
	 * glibc's spawned child asks the disposition of every signal left
	 * out of the set, then resets it to the default anyway: two system
	 * calls a signal, about fifty a job.  A signal at its default now
	 * joins the set and costs one; one ignored at our start stays out,
	 * so that it stays ignored for jobs, as before.
	 */
	for (s = 1; s < NSIG; s++)
		if (sigismember(&sigdef, s) == 0 &&
		    sigaction(s, NULL, &sa) == 0 && sa.sa_handler == SIG_DFL)
			sigaddset(&sigdef, s);
	sigemptyset(&empty);
	if ((r = posix_spawnattr_init(&attr)) != 0)
		return -r;
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP |
	    POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setsigdefault(&attr, &sigdef);
	posix_spawnattr_setsigmask(&attr, &empty);
	return 0;
}

int
spawn_open_tty(void)
{
	int fd = open("/dev/tty", O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0)
		return -errno;
	close(devnull);
	devnull = fd;
	return 0;
}

int
spawn_devnull(void)
{
	return devnull;
}

void
spawn_sigdefault(void)
{
	int s;

	for (s = 1; s < NSIG; s++)
		if (sigismember(&sigdef, s) == 1)
			signal(s, SIG_DFL);
}

/*
 * Prepared file actions, by the pair of descriptors they install.  glibc
 * checks each action against the descriptor limit (two getrlimit calls)
 * and allocates; descriptor numbers recur from job to job, so a small
 * per-thread cache saves that on nearly every spawn.
 */
#define FA_BITS		5
#define FA_CACHE	(1 << FA_BITS)

struct fa_entry {
	int			 in, out, err;
	int			 used;
	posix_spawn_file_actions_t fa;
};

static _Thread_local struct fa_entry fa_cache[FA_CACHE];

static posix_spawn_file_actions_t *
file_actions(int in, int out, int err)
{
	/*
	 * Fibonacci hashing: the top bits of the product depend on every
	 * bit of the key.  The key modulo 32 would depend on err - out
	 * alone (31 is -1 modulo 32), and a job's stdout and stderr pipes
	 * are usually numbered two apart: every job in one slot.
	 */
	uint32_t key = (uint32_t)in * 961u + (uint32_t)out * 31u +
	    (uint32_t)err;
	struct fa_entry *c = &fa_cache[(key * 2654435769u) >> (32 - FA_BITS)];

	if (c->used && c->in == in && c->out == out && c->err == err)
		return &c->fa;
	if (c->used)
		posix_spawn_file_actions_destroy(&c->fa);
	c->used = 0;
	if (posix_spawn_file_actions_init(&c->fa) != 0)
		return NULL;
	if (posix_spawn_file_actions_adddup2(&c->fa, in >= 0 ? in : devnull,
	    0) != 0 ||
	    (out >= 0 && posix_spawn_file_actions_adddup2(&c->fa, out, 1)) ||
	    (err >= 0 && posix_spawn_file_actions_adddup2(&c->fa, err, 2))) {
		posix_spawn_file_actions_destroy(&c->fa);
		return NULL;
	}
	c->in = in;
	c->out = out;
	c->err = err;
	c->used = 1;
	return &c->fa;
}

void
spawn_forget(void)
{
	size_t i;

	for (i = 0; i < FA_CACHE; i++)
		if (fa_cache[i].used) {
			posix_spawn_file_actions_destroy(&fa_cache[i].fa);
			fa_cache[i].used = 0;
		}
}

void
spawn_set_nofile(rlim_t soft)
{
	if (getrlimit(RLIMIT_NOFILE, &job_nofile) < 0)
		return;
	job_nofile.rlim_cur = soft;
	job_nofile_set = 1;
}

/* Make fd the descriptor to, kept open across execve. */
static int
child_dup(int fd, int to)
{
	if (fd == to)
		return fcntl(fd, F_SETFD, 0);
	return dup2(fd, to);
}

/*
 * The child's side of spawn_limited: what posix_spawn does with our
 * attribute and file actions, plus the descriptor limit.  Only
 * async-signal-safe calls.  Returns errno when the job cannot run.
 */
static int
child_exec(const char *path, char *const argv[], char *const envp[],
    int in, int out, int err)
{
	struct sigaction sa = { 0 };
	sigset_t none;
	int s;

	if (setpgid(0, 0) < 0)
		return errno;
	/* Every handler fanout installs is for a signal in sigdef. */
	sa.sa_handler = SIG_DFL;
	for (s = 1; s < NSIG; s++)
		if (sigismember(&sigdef, s) == 1)
			sigaction(s, &sa, NULL);
	if (child_dup(in >= 0 ? in : devnull, 0) < 0 ||
	    (out >= 0 && child_dup(out, 1) < 0) ||
	    (err >= 0 && child_dup(err, 2) < 0) ||
	    setrlimit(RLIMIT_NOFILE, &job_nofile) < 0)
		return errno;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	execve(path, argv, envp);
	return errno;
}

/*
 * posix_spawn cannot set a limit in the child, so when jobs need another
 * RLIMIT_NOFILE than fanout's, spawn by hand with vfork: like glibc's
 * posix_spawn it shares our memory and suspends only this thread until
 * the child has called execve or _exit, so the cost stays that of a
 * posix_spawn.  The child runs on this thread's stack and must not
 * return from here; it reports a failure through child_err.  Every
 * signal stays blocked until the child has restored the defaults, so no
 * handler of ours runs in it.
 */
static int
spawn_limited(const char *path, char *const argv[], char *const envp[],
    int in, int out, int err, pid_t *pid)
{
	volatile int child_err = 0;
	sigset_t all, old;
	pid_t p;
	int e;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	p = vfork();
	if (p == 0) {
		child_err = child_exec(path, argv, envp, in, out, err);
		_exit(127);
	}
	e = errno;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (p < 0)
		return -e;
	if (child_err != 0) {
		/* It never ran the job: reap it here, as posix_spawn does. */
		while (waitpid(p, NULL, 0) < 0 && errno == EINTR)
			;
		return -child_err;
	}
	*pid = p;
	return 0;
}

static int
spawn_once(const char *path, char *const argv[], char *const envp[],
    int in, int out, int err, pid_t *pid)
{
	posix_spawn_file_actions_t *fa;

	if (job_nofile_set)
		return spawn_limited(path, argv, envp, in, out, err, pid);
	if ((fa = file_actions(in, out, err)) == NULL)
		return -ENOMEM;
	return -posix_spawn(pid, path, fa, &attr, argv, envp);
}

int
spawn_job(const char *path, char *const argv[], char *const envp[],
    int in, int out, int err, pid_t *pid)
{
	char **sh_argv;
	size_t n;
	int r;

	r = spawn_once(path, argv, envp, in, out, err, pid);
	if (r != -ENOEXEC)
		return r;
	/*
	 * A script without "#!" that the kernel refuses: a shell would run
	 * it as a shell script, so do the same.
	 */
	for (n = 0; argv[n] != NULL; n++)
		;
	/*
	 * Workers call this: a shortage of memory is returned, to be
	 * waited out like any other, never fatal here.
	 */
	if ((sh_argv = calloc(n + 2, sizeof(*sh_argv))) == NULL)
		return -ENOMEM;
	sh_argv[0] = (char *)job_shell;
	sh_argv[1] = (char *)path;
	memcpy(sh_argv + 2, argv + 1, n * sizeof(*sh_argv));
	r = spawn_once(job_shell, sh_argv, envp, in, out, err, pid);
	free(sh_argv);
	return r;
}

int
spawn_err_transient(int err)
{
	return err == -EAGAIN || err == -ENOMEM || err == -EMFILE ||
	    err == -ENFILE;
}

int
spawn_err_status(int err)
{
	return err == -ENOENT || err == -ENOTDIR ? 127 : 126;
}

int
spawn_pidfd(pid_t pid)
{
#if defined(SYS_pidfd_open) && !defined(FANOUT_NO_PIDFD)
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}

/* A pipe for a job's output: only our end, the read end, is non-blocking. */
static int
job_pipe(int fds[2])
{
	int r;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return -errno;
	/* A new pipe's read end has no other status flags to keep. */
	if (fcntl(fds[0], F_SETFL, O_NONBLOCK) < 0) {
		r = -errno;
		close(fds[0]);
		close(fds[1]);
		return r;
	}
	return 0;
}

void
spawn_close(int fd[2])
{
	int i;

	for (i = 0; i < 2; i++)
		if (fd[i] >= 0) {
			close(fd[i]);
			fd[i] = -1;
		}
}

int
spawn_pipes(int ungroup, int rd[2], int wr[2])
{
	int out[2], err[2];
	int r;

	rd[0] = rd[1] = wr[0] = wr[1] = -1;
	if (ungroup)
		return 0;
	if ((r = job_pipe(out)) < 0)
		return r;
	if ((r = job_pipe(err)) < 0) {
		close(out[0]);
		close(out[1]);
		return r;
	}
	rd[0] = out[0];
	rd[1] = err[0];
	wr[0] = out[1];
	wr[1] = err[1];
	return 0;
}

int
spawn_job_on(const char *path, char *const argv[], char *const envp[],
    int in, int wr[2], pid_t *pid)
{
	int r;

	r = spawn_job(path, argv, envp, in, wr[0], wr[1], pid);
	/* The job's ends are the job's alone: ours would hide its EOF. */
	spawn_close(wr);
	return r;
}

int
spawn_job_piped(const char *path, char *const argv[], char *const envp[],
    int in, int ungroup, int fd[2], pid_t *pid)
{
	int wr[2];
	int r;

	if ((r = spawn_pipes(ungroup, fd, wr)) < 0)
		return r;
	if ((r = spawn_job_on(path, argv, envp, in, wr, pid)) < 0)
		spawn_close(fd);
	return r;
}

int
spawn_backoff_ms(int last_ms)
{
	if (last_ms <= 0)
		return SPAWN_BACKOFF_MIN_MS;
	return last_ms >= SPAWN_BACKOFF_MAX_MS / 2 ? SPAWN_BACKOFF_MAX_MS :
	    last_ms * 2;
}

void
spawn_backoff(int *ms)
{
	*ms = spawn_backoff_ms(*ms);
	util_sleep_ms(*ms);
}

void
spawn_cond_init(pthread_cond_t *cv)
{
	pthread_condattr_t ca;

	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(cv, &ca);
	pthread_condattr_destroy(&ca);
}

struct timespec
spawn_backoff_until(int *ms)
{
	struct timespec until;

	*ms = spawn_backoff_ms(*ms);
	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += *ms / 1000;
	until.tv_nsec += (long)(*ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	return until;
}

int
spawn_sig_stops(int signo)
{
	return signo == SIGSTOP || signo == SIGTSTP || signo == SIGTTIN ||
	    signo == SIGTTOU;
}

int
spawn_sig_ends(int signo)
{
	return !spawn_sig_stops(signo) && signo != 0 && signo != SIGCONT &&
	    signo != SIGCHLD && signo != SIGURG && signo != SIGWINCH;
}
