/*
 * spawn: posix_spawn with the file actions and attributes every job
 * needs.  The attribute and /dev/null descriptor are prepared once;
 * spawn_job only builds the per-job file actions.
 */
#include "spawn.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static posix_spawnattr_t attr;
static int	 devnull = -1;
static const char *job_shell = "/bin/sh";
static sigset_t	 sigdef;

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
	int r;

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
#define FA_CACHE	32

struct fa_entry {
	int			 out, err;
	int			 used;
	posix_spawn_file_actions_t fa;
};

static _Thread_local struct fa_entry fa_cache[FA_CACHE];

static posix_spawn_file_actions_t *
file_actions(int out, int err)
{
	struct fa_entry *c = &fa_cache[((unsigned)out * 31u + (unsigned)err)
	    % FA_CACHE];

	if (c->used && c->out == out && c->err == err)
		return &c->fa;
	if (c->used)
		posix_spawn_file_actions_destroy(&c->fa);
	c->used = 0;
	if (posix_spawn_file_actions_init(&c->fa) != 0)
		return NULL;
	if (posix_spawn_file_actions_adddup2(&c->fa, devnull, 0) != 0 ||
	    (out >= 0 && posix_spawn_file_actions_adddup2(&c->fa, out, 1)) ||
	    (err >= 0 && posix_spawn_file_actions_adddup2(&c->fa, err, 2))) {
		posix_spawn_file_actions_destroy(&c->fa);
		return NULL;
	}
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

static int
spawn_once(const char *path, char *const argv[], char *const envp[],
    int out, int err, pid_t *pid)
{
	posix_spawn_file_actions_t *fa = file_actions(out, err);

	if (fa == NULL)
		return -ENOMEM;
	return -posix_spawn(pid, path, fa, &attr, argv, envp);
}

int
spawn_job(const char *path, char *const argv[], char *const envp[],
    int out, int err, pid_t *pid)
{
	char **sh_argv;
	size_t n;
	int r;

	r = spawn_once(path, argv, envp, out, err, pid);
	if (r != -ENOEXEC)
		return r;
	/*
	 * A script without "#!" that the kernel refuses: a shell would run
	 * it as a shell script, so do the same.
	 */
	for (n = 0; argv[n] != NULL; n++)
		;
	sh_argv = xcalloc(n + 2, sizeof(*sh_argv));
	sh_argv[0] = (char *)job_shell;
	sh_argv[1] = (char *)path;
	memcpy(sh_argv + 2, argv + 1, n * sizeof(*sh_argv));
	r = spawn_once(job_shell, sh_argv, envp, out, err, pid);
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
#ifdef SYS_pidfd_open
	return (int)syscall(SYS_pidfd_open, pid, 0);
#else
	(void)pid;
	errno = ENOSYS;
	return -1;
#endif
}
