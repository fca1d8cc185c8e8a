/*
 * semaphore: slots are tried in order with a non-blocking flock(2); when
 * all are held, the whole round is tried again after a short sleep that
 * doubles up to SEM_POLL_MAX_MS.  A blocking lock on one slot would miss
 * another slot freed first.
 */
#include "semaphore.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "options.h"
#include "util.h"

#define SEM_POLL_MAX_MS	50

/* The directory of the slots, made when missing; dies if not ours. */
static void
sem_dir(struct buf *dir)
{
	const char *base = getenv("XDG_RUNTIME_DIR");
	struct stat st;

	if (base != NULL && base[0] == '/' && stat(base, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		buf_addf(dir, "%s/fanout-sem", base);
	else {
		base = getenv("TMPDIR");
		buf_addf(dir, "%s/fanout-sem-%ld", base != NULL &&
		    base[0] == '/' ? base : "/tmp", (long)getuid());
	}
	if (mkdir(dir->p, 0700) < 0 && errno != EEXIST)
		util_die(-errno, "--semaphore: cannot make %s", dir->p);
	if (lstat(dir->p, &st) < 0)
		util_die(-errno, "--semaphore: %s", dir->p);
	if (!S_ISDIR(st.st_mode) || st.st_uid != getuid() ||
	    (st.st_mode & 077) != 0)
		util_die(0, "--semaphore: %s must be a directory of yours "
		    "that no one else may use (mode 0700)", dir->p);
}

/* --id, else the terminal's name, else "default"; never a path. */
static char *
sem_id(const struct config *cfg)
{
	const char *tty;
	char *id, *p;

	if (cfg->sem_id != NULL) {
		if (cfg->sem_id[0] == '\0' || strchr(cfg->sem_id, '/') ||
		    cfg->sem_id[0] == '.')
			util_die(0, "--id: '%s' is not a name (no '/', not "
			    "empty, not starting with '.')", cfg->sem_id);
		return xstrdup(cfg->sem_id);
	}
	tty = isatty(0) ? ttyname(0) : NULL;
	id = xstrdup(tty != NULL ? tty : "default");
	for (p = id; *p != '\0'; p++)
		if (*p == '/')
			*p = '_';
	return id;
}

static int
slot_open(const struct buf *dir, const char *id, long k)
{
	struct buf path = { 0 };
	int fd;

	buf_addf(&path, "%s/%s.%ld", dir->p, id, k);
	fd = open(path.p, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0)
		util_die(-errno, "--semaphore: cannot open %s", path.p);
	buf_free(&path);
	return fd;
}

/*
 * A locked slot's descriptor; -1 when the timeout passed and the
 * command runs anyway.  Exits 1 when a negative timeout passed.
 */
static int
acquire(const struct config *cfg, const struct buf *dir, const char *id,
    long slots)
{
	int64_t t = cfg->sem_timeout_ns, end = 0;
	long k;
	int fd, ms = 1;

	if (t != 0)
		end = clock_mono_ns() + (t < 0 ? -t : t);
	for (;;) {
		for (k = 0; k < slots; k++) {
			fd = slot_open(dir, id, k);
			if (flock(fd, LOCK_EX | LOCK_NB) == 0)
				return fd;
			if (errno != EWOULDBLOCK && errno != EINTR)
				util_die(-errno, "--semaphore: cannot lock "
				    "slot %ld of '%s'", k, id);
			close(fd);
		}
		if (end != 0 && clock_mono_ns() >= end) {
			if (t > 0) {
				util_warn(0, "--semaphore: no slot of '%s' "
				    "came free in time: running anyway", id);
				return -1;
			}
			util_warn(0, "--semaphore: no slot of '%s' came free "
			    "in time: not running the command", id);
			exit(1);
		}
		util_sleep_ms(ms);
		ms = ms * 2 > SEM_POLL_MAX_MS ? SEM_POLL_MAX_MS : ms * 2;
	}
}

/* --wait: take and drop each slot of id that exists. */
static int
wait_all(const struct buf *dir, const char *id)
{
	size_t idlen = strlen(id);
	struct dirent *e;
	char *end;
	DIR *d;
	long k;
	int fd;

	if ((d = opendir(dir->p)) == NULL)
		util_die(-errno, "--semaphore: cannot read %s", dir->p);
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, id, idlen) != 0 ||
		    e->d_name[idlen] != '.')
			continue;
		k = strtol(e->d_name + idlen + 1, &end, 10);
		if (*end != '\0' || end == e->d_name + idlen + 1 || k < 0)
			continue;
		fd = slot_open(dir, id, k);
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR)
			;
		close(fd);
	}
	closedir(d);
	return 0;
}

/* The command's exit status, 128+N for a death by signal N. */
static int
run(const struct config *cfg)
{
	struct buf line = { 0 };
	posix_spawnattr_t attr;
	sigset_t def, none;
	pid_t pid;
	size_t i;
	int st, r;
	char *argv[4];

	for (i = 0; i < cfg->ncmd; i++) {
		if (i > 0)
			buf_addc(&line, ' ');
		buf_adds(&line, cfg->cmd[i]);
	}
	argv[0] = (char *)cfg->shell;
	argv[1] = (char *)"-c";
	argv[2] = line.p;
	argv[3] = NULL;
	sigemptyset(&def);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGQUIT);
	sigaddset(&def, SIGPIPE);
	sigemptyset(&none);
	posix_spawnattr_init(&attr);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
	    POSIX_SPAWN_SETSIGMASK);
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setsigmask(&attr, &none);
	r = posix_spawn(&pid, cfg->shell, NULL, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	buf_free(&line);
	if (r != 0)
		util_die(-r, "--semaphore: cannot run %s", cfg->shell);
	/* As system(3): the terminal's Ctrl-C is the command's to take. */
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			util_die(-errno, "--semaphore: waiting for the command");
	return WIFSIGNALED(st) ? 128 + WTERMSIG(st) : WEXITSTATUS(st);
}

int
semaphore_run(const struct config *cfg)
{
	struct buf dir = { 0 };
	char *id = sem_id(cfg);
	long slots = cfg->jobs_given ? cfg->jobs : 1;
	pid_t pid;
	int fd, status = 0;

	sem_dir(&dir);
	if (cfg->sem_wait) {
		status = wait_all(&dir, id);
		goto out;
	}
	fd = acquire(cfg, &dir, id, slots);
	if (!cfg->sem_fg) {
		/* The holder keeps the lock; this process returns. */
		if ((pid = fork()) < 0)
			util_die(-errno, "--semaphore: cannot fork");
		if (pid > 0) {
			if (fd >= 0)
				close(fd);
			goto out;
		}
		_exit(run(cfg));
	}
	status = run(cfg);
	if (fd >= 0)
		close(fd);
out:
	buf_free(&dir);
	free(id);
	return status;
}
