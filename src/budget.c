/*
 * budget: the descriptor limit and the sizes derived from it, and the
 * room for values in one command line.
 */
#include "budget.h"
#include "input.h"
#include "options.h"
#include "quote.h"
#include "spawn.h"
#include "tmpl.h"
#include "util.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

extern char **environ;

/*
 * Descriptors kept beside those open at setup: the engine's own (its
 * event loop, wake-up pipes, a worker's socket pair while it forks), one
 * job's pipe ends while it is spawned, --pipe's block cut ahead
 * (input_ahead()), and files opened for a moment (a --results file, a
 * --joblog line).
 */
#define FDS_RESERVE	9

/* The descriptors open now, below limit. */
static int
open_fds(rlim_t limit)
{
	int fd, n = 0;

	for (fd = 0; fd < (int)limit; fd++)
		if (fcntl(fd, F_GETFD) >= 0)
			n++;
	return n;
}

/* What is left of limit for jobs, beside fanout's own descriptors. */
static rlim_t
fds_free(rlim_t limit)
{
	rlim_t own = FDS_RESERVE;

	/* Counting would cost more than it tells under a large limit. */
	own += limit < 4096 ? (rlim_t)open_fds(limit) : 64;
	return limit > own ? limit - own : 0;
}

long
budget_jobs(long jobs, int unbounded, int per_job, unsigned long long *limit)
{
	struct rlimit rl;
	rlim_t need, start;
	long fit;

	*limit = 0;
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return jobs;
	start = rl.rlim_cur;
	need = (rlim_t)jobs * (rlim_t)(per_job + BUDGET_SPILL_FDS) + 64 +
	    FDS_RESERVE;
	if (unbounded || rl.rlim_cur < need) {
		rlim_t want = unbounded ? rl.rlim_max : need;

		if (want > rl.rlim_max)
			want = rl.rlim_max;
		if (want > rl.rlim_cur) {
			rl.rlim_cur = want;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
	}
	/* The raise is for fanout's descriptors, not for the jobs. */
	if (rl.rlim_cur > start)
		spawn_set_nofile(start);
	*limit = (unsigned long long)rl.rlim_cur;
	fit = (long)(fds_free(rl.rlim_cur) /
	    (rlim_t)(per_job + BUDGET_SPILL_FDS));
	if (fit < 1)
		fit = 1;
	if (unbounded)
		return fit > BUDGET_JOBS_MAX ? BUDGET_JOBS_MAX : fit;
	return fit < jobs ? fit : jobs;
}

#define PROCS_SPARE	4096

/* The tasks (threads) of processes whose real uid is uid, or -1. */
static long
user_tasks(uid_t uid)
{
	char path[300], buf[2048], *p;
	struct dirent *d;
	long n = 0, uid_seen, threads;
	ssize_t len;
	DIR *dir;
	int fd;

	if ((dir = opendir("/proc")) == NULL)
		return -1;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] < '1' || d->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/status", d->d_name);
		if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
			continue;	/* gone meanwhile */
		len = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (len <= 0)
			continue;
		buf[len] = '\0';
		uid_seen = (p = strstr(buf, "\nUid:")) ? atol(p + 5) : -1;
		threads = (p = strstr(buf, "\nThreads:")) ? atol(p + 9) : 1;
		if (uid_seen == (long)uid)
			n += threads;
	}
	closedir(dir);
	return n;
}

long
budget_procs(long jobs, int tasks, unsigned long long *limit, long *used)
{
	struct rlimit rl;
	long fit;

	*limit = 0;
	*used = 0;
	/*
	 * Root is not held to it.  The count reads every process's status,
	 * so a limit with room for PROCS_SPARE tasks beside the jobs' (a
	 * distribution's default for a user) is taken to fit, uncounted.
	 */
	if (getrlimit(RLIMIT_NPROC, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur >= (rlim_t)jobs * (rlim_t)tasks + PROCS_SPARE ||
	    getuid() == 0)
		return jobs;
	if ((*used = user_tasks(getuid())) < 0)
		return jobs;
	*limit = (unsigned long long)rl.rlim_cur;
	fit = (rlim_t)*used >= rl.rlim_cur ? 0 :
	    (long)(rl.rlim_cur - (rlim_t)*used) / tasks;
	return fit < jobs ? fit : jobs;
}

int
budget_no_room(int need)
{
	struct rlimit rl;
	int open;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= 4096)
		return 0;
	open = open_fds(rl.rlim_cur);
	return (rlim_t)(open + need) > rl.rlim_cur ? open : 0;
}

/* Held output in memory: about 64 MiB in all, 16 KiB..1 MiB a stream. */
size_t
budget_spool_limit(long jobs)
{
	size_t limit = (64u << 20) / ((size_t)jobs * 4 + 32);

	if (limit > (1u << 20))
		limit = 1u << 20;
	if (limit < (16u << 10))
		limit = 16u << 10;
	return limit;
}

size_t
budget_hold_max(long jobs, int per_job, int per_held)
{
	struct rlimit rl;
	rlim_t left, busy = (rlim_t)jobs * (rlim_t)(per_job +
	    BUDGET_SPILL_FDS);
	size_t max = (size_t)jobs * 2 + 16;

	/*
	 * A finished job -k holds keeps its spill files, and per_held
	 * more: as many as the descriptors the running jobs leave, at
	 * least one (else nothing would start again).
	 */
	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= 4096)
		return max;
	left = fds_free(rl.rlim_cur);
	left = left > busy ? (left - busy) /
	    (rlim_t)(BUDGET_SPILL_FDS + per_held) : 0;
	if (left < 1)
		left = 1;
	return left < max ? (size_t)left : max;
}

/*
 * A value's cost against the argument limit: its bytes in the command
 * line, or for a program run directly in its argv, pointers included.
 */
static size_t
arg_cost(void *tmpl, const struct arg *a)
{
	return tmpl_arg_cost(tmpl, a->p, a->len);
}

/*
 * -s counts as xargs does: the bytes of the command line, each word with
 * its terminating NUL.  Measure the real line for one value, for two,
 * and for two with the second one byte longer, to find the fixed part,
 * how many times a value's bytes appear (a word may hold several {}),
 * and what each value adds besides them.
 */
static size_t
xargs_cost(void *ctx, const struct arg *a)
{
	const struct budget_args *x = ctx;

	return quote_len(a->p, a->len) * x->copies + x->per_value;
}

/* The line's length for the values v[0, n). */
static size_t
line_len(const struct tmpl *t, struct arg *v, size_t n, struct buf *b)
{
	struct args a = { .v = v, .n = n, .nrecords = n, .in_fd = -1 };
	struct tmpl_ctx ctx = { &a, 1, 1, -1 };

	buf_clear(b);
	tmpl_line(t, &ctx, b);
	return b->len;
}

static size_t
xargs_base(const struct tmpl *t, struct budget_args *x)
{
	struct arg v[2] = { { "x", 1 }, { "x", 1 } };
	struct buf b = { 0 };
	size_t one, two, longer;

	one = line_len(t, v, 1, &b);
	two = line_len(t, v, 2, &b);
	v[1] = (struct arg){ "xx", 2 };
	longer = line_len(t, v, 2, &b);
	buf_free(&b);
	/*
	 * line(n) = fixed + n * (per_value + copies * value bytes); xargs
	 * counts the line and its final NUL.
	 */
	x->copies = longer - two;
	x->per_value = two - one - x->copies;
	return one - x->per_value - x->copies + 1;
}

void
budget_limits(const struct tmpl *t, const struct config *cfg,
    struct budget_limits *bl)
{
	long argmax = sysconf(_SC_ARG_MAX);
	size_t i;

	bl->env = 0;
	for (i = 0; environ[i] != NULL; i++)
		bl->env += strlen(environ[i]) + 1 + sizeof(char *);
	bl->system = argmax > 0 ? (size_t)argmax : 131072;
	bl->usable = bl->system > bl->env + 4096 ?
	    bl->system - bl->env - 4096 : 4096;
	/* A shell line is one argument: the kernel caps it at 128 KiB. */
	if (!tmpl_direct(t) && bl->usable > 131072 - 1)
		bl->usable = 131072 - 1;
	bl->used = cfg->max_chars > 0 ? (size_t)cfg->max_chars : bl->usable;
}

void
budget_set_args(struct budget_args *ba, struct input *in,
    const struct tmpl *t, const struct config *cfg)
{
	struct budget_limits bl;
	size_t budget, base = tmpl_base_len(t);

	if (!cfg->xargs_fill)
		return;
	budget_limits(t, cfg, &bl);
	budget = bl.used;
	/*
	 * -s counts exactly, from the line of a short value; when a
	 * modifier may lengthen values, as their upper bound instead.
	 */
	if (cfg->max_chars > 0 && !tmpl_lengthens(t)) {
		base = xargs_base(t, ba);
		budget = budget > base ? budget - base : 1;
		input_set_budget(in, xargs_cost, ba, budget);
		return;
	}
	budget = budget > base ? budget - base : 1;
	input_set_budget(in, arg_cost, (void *)t, budget);
}
