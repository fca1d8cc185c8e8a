/*
 * compare: the parent of --compare's passes.  It is single-threaded and
 * starts no engine, so fork() then execv() is safe here; the child runs
 * only async-signal-safe calls in between.  Every file it makes is an
 * unlinked temp file, so nothing is left behind, even after kill -9.
 */
#include "compare.h"
#include "compare_table.h"
#include "exec.h"
#include "hist.h"
#include "json.h"
#include "num.h"
#include "options.h"
#include "progress.h"
#include "sig.h"
#include "spool.h"
#include "summary.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

struct cmp {
	const struct config	*cfg;
	struct mode_row		 rows[COMPARE_MODES_MAX];
	size_t			 nrows;
	char			**argv;		/* the passes' */
	size_t			 mode_at;	/* the mode's index */
	int			 in_fd;		/* passes' stdin */
	int			 stats_fd, err_fd, null_fd;
	char			 stats_arg[32];
	char			*subst;		/* rewritten word */
};

/*
 * The stats line: "fanout-stats 1", then key=value for each of these in
 * this order, the range of each the range of its field's type.
 */
#define STATS_HEAD	"fanout-stats 1"
static const struct {
	const char	*key;
	int64_t		 min, max;
} stats_field[] = {
	{ "done", LONG_MIN, LONG_MAX },
	{ "failed", LONG_MIN, LONG_MAX },
	{ "jobs_user_ns", INT64_MIN, INT64_MAX },
	{ "jobs_sys_ns", INT64_MIN, INT64_MAX },
	{ "lat_p50_ns", INT64_MIN, INT64_MAX },
	{ "lat_p99_ns", INT64_MIN, INT64_MAX },
	{ "rss_kb", LONG_MIN, LONG_MAX },
	{ "workers", LONG_MIN, LONG_MAX },
};
#define NSTATS	ARRAY_SIZE(stats_field)
#define RUNTIMES_HEAD	"fanout-runtimes 1"
/* The runtimes line's longest: every bucket, each with a 20-digit count. */
#define RUNTIMES_MAX	(sizeof(RUNTIMES_HEAD) + HIST_NBUCKET * 27)

int
compare_stats_write(int fd, const struct compare_stats *cs,
    const struct hist *runtimes)
{
	const int64_t v[NSTATS] = { cs->done, cs->failed, cs->jobs_user_ns,
	    cs->jobs_sys_ns, cs->lat_p50_ns, cs->lat_p99_ns, cs->rss_kb,
	    cs->workers };
	uint64_t *count = xcalloc(HIST_NBUCKET, sizeof(*count));
	struct buf line = { 0 };
	size_t i;
	int r;

	buf_adds(&line, STATS_HEAD);
	for (i = 0; i < NSTATS; i++)
		buf_addf(&line, " %s=%lld", stats_field[i].key,
		    (long long)v[i]);
	buf_adds(&line, "\n" RUNTIMES_HEAD);
	hist_buckets(runtimes, count);
	for (i = 0; i < HIST_NBUCKET; i++)
		if (count[i] > 0)
			buf_addf(&line, " %zu=%llu", i,
			    (unsigned long long)count[i]);
	buf_addc(&line, '\n');
	r = pwrite_all(fd, line.p, line.len, 0);
	buf_free(&line);
	free(count);
	return r;
}

/*
 * Add the runtimes line that follows the stats line at off to h,
 * strictly.  0 or -1.
 */
static int
runtimes_read(int fd, off_t off, struct hist *h)
{
	struct stat st;
	char *text, *tok, *save, *eq;
	int64_t i, n;
	ssize_t got;
	size_t len;
	int r = -1;

	if (fstat(fd, &st) < 0 || st.st_size < off ||
	    st.st_size - off > (off_t)RUNTIMES_MAX)
		return -1;
	len = (size_t)(st.st_size - off);
	text = xmalloc(len + 1);
	if ((got = pread(fd, text, len, off)) != (ssize_t)len)
		goto out;
	text[len] = '\0';
	if (strncmp(text, RUNTIMES_HEAD, strlen(RUNTIMES_HEAD)) != 0 ||
	    len == 0 || text[len - 1] != '\n')
		goto out;
	for (tok = strtok_r(text + strlen(RUNTIMES_HEAD), " \n", &save);
	    tok != NULL; tok = strtok_r(NULL, " \n", &save)) {
		if ((eq = strchr(tok, '=')) == NULL)
			goto out;
		*eq = '\0';
		if (num_int64(tok, 0, HIST_NBUCKET - 1, &i) < 0 ||
		    num_int64(eq + 1, 1, INT64_MAX, &n) < 0)
			goto out;
		hist_add_bucket(h, (size_t)i, (uint64_t)n);
	}
	r = 0;
out:
	free(text);
	return r;
}

/*
 * Read back the pass's stats line, strictly (num.h), and add its
 * runtimes to h.  0 or -1.
 */
static int
stats_read(int fd, struct compare_stats *cs, struct hist *h)
{
	char line[512], *tok, *save, *eq, *nl;
	int64_t v[NSTATS];
	ssize_t n;
	size_t i;

	n = pread(fd, line, sizeof(line) - 1, 0);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	if ((nl = strchr(line, '\n')) == NULL ||
	    runtimes_read(fd, nl + 1 - line, h) < 0)
		return -1;
	nl[1] = '\0';
	if (strncmp(line, STATS_HEAD " ", strlen(STATS_HEAD " ")) != 0)
		return -1;
	tok = strtok_r(line + strlen(STATS_HEAD " "), " \n", &save);
	for (i = 0; i < NSTATS; i++, tok = strtok_r(NULL, " \n", &save)) {
		if (tok == NULL || (eq = strchr(tok, '=')) == NULL)
			return -1;
		*eq = '\0';
		if (strcmp(tok, stats_field[i].key) != 0 ||
		    num_int64(eq + 1, stats_field[i].min, stats_field[i].max,
		    &v[i]) < 0)
			return -1;
	}
	cs->done = (long)v[0];
	cs->failed = (long)v[1];
	cs->jobs_user_ns = v[2];
	cs->jobs_sys_ns = v[3];
	cs->lat_p50_ns = v[4];
	cs->lat_p99_ns = v[5];
	cs->rss_kb = (long)v[6];
	cs->workers = (long)v[7];
	return 0;
}

static _Noreturn void
too_large(const char *name)
{
	util_die(0, "--compare: %s is larger than 1 GiB, the most a "
	    "comparison reads; compare on a sample (head -n ...)", name);
}

/* Copy all of from into a temp file, at most COMPARE_INPUT_MAX bytes. */
static int
slurp(struct cmp *c, int from, const char *name)
{
	char chunk[65536];
	long long total = 0;
	struct stat st;
	off_t at;
	ssize_t n;
	int fd, r;

	/* A file too large is refused before a byte is copied. */
	if (fstat(from, &st) == 0 && S_ISREG(st.st_mode) &&
	    (at = lseek(from, 0, SEEK_CUR)) >= 0 &&
	    st.st_size - at > COMPARE_INPUT_MAX)
		too_large(name);
	if ((fd = spool_tmpfile(c->cfg->tmpdir)) < 0)
		util_die(fd, "--compare: cannot make a temp file in '%s'",
		    c->cfg->tmpdir);
	for (;;) {
		n = read(from, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			util_die(-errno, "--compare: cannot read %s", name);
		if (n == 0)
			break;
		total += n;
		if (total > COMPARE_INPUT_MAX)
			too_large(name);
		if ((r = write_all(fd, chunk, (size_t)n)) < 0)
			util_die(r, "--compare: cannot copy %s to '%s'", name,
			    c->cfg->tmpdir);
	}
	return fd;
}

/*
 * Whether path names one of our descriptors (/dev/stdin, /dev/fd/N from
 * a shell's <(...)): a pass has other descriptors, so it cannot read it.
 */
static int
names_descriptor(const char *path)
{
	return strcmp(path, "/dev/stdin") == 0 ||
	    strncmp(path, "/dev/fd/", 8) == 0 ||
	    strncmp(path, "/proc/self/fd/", 14) == 0;
}

/*
 * The passes read the input again.  Standard input, or one source that
 * is not a regular file (a pipe, <(...)), is read once here and handed
 * to each pass as its standard input; regular files are read by the
 * passes themselves.
 */
static void
input_prepare(struct cmp *c, const char **subst_path)
{
	const struct config *cfg = c->cfg;
	const char *stream = NULL;
	struct stat st;
	size_t i, n = 0;
	int fd;

	*subst_path = NULL;
	if (cfg->nsources == 0)
		stream = "-", n++;
	for (i = 0; i < cfg->nsources; i++) {
		if (cfg->sources[i].kind != SOURCE_FILE)
			continue;
		if (strcmp(cfg->sources[i].path, "-") == 0) {
			stream = "-";
			n++;
		} else if (names_descriptor(cfg->sources[i].path) ||
		    (stat(cfg->sources[i].path, &st) == 0 &&
		    !S_ISREG(st.st_mode))) {
			stream = cfg->sources[i].path;
			n++;
		}
	}
	if (n > 1)
		util_die(0, "--compare: more than one input source is a pipe "
		    "or standard input; save all but one to files first");
	if (stream == NULL) {
		c->in_fd = c->null_fd;
		return;
	}
	if (strcmp(stream, "-") == 0) {
		c->in_fd = slurp(c, 0, "standard input");
		return;
	}
	if ((fd = open(stream, O_RDONLY | O_CLOEXEC)) < 0)
		util_die(-errno, "--compare: cannot open '%s'", stream);
	c->in_fd = slurp(c, fd, stream);
	close(fd);
	*subst_path = stream;
}

/* The passes' argv: ours, minus what is not passed, plus the mode. */
static void
argv_build(struct cmp *c)
{
	const struct config *cfg = c->cfg;
	const char *subst;
	size_t n = 0;
	int i;

	input_prepare(c, &subst);
	c->argv = xcalloc((size_t)cfg->argc + 6, sizeof(*c->argv));
	c->argv[n++] = cfg->argv[0];
	c->argv[n++] = (char *)"--mode";
	c->mode_at = n++;
	snprintf(c->stats_arg, sizeof(c->stats_arg), "--stats-fd=%d",
	    c->stats_fd);
	c->argv[n++] = c->stats_arg;
	for (i = 1; i < cfg->argc; i++) {
		char *w = cfg->argv[i];

		if (cfg->not_passed[i])
			continue;
		if (subst != NULL && subst >= w && subst < w + strlen(w)) {
			/* That source is now the pass's standard input. */
			struct buf b = { 0 };

			buf_add(&b, w, (size_t)(subst - w));
			buf_addc(&b, '-');
			c->subst = b.p;
			w = c->subst;
			subst = NULL;
		}
		c->argv[n++] = w;
	}
	c->argv[n] = NULL;
}

/* What the pass wrote on its stderr, for when it failed. */
static void
show_stderr(struct cmp *c)
{
	char buf[2048];
	ssize_t n;

	n = pread(c->err_fd, buf, sizeof(buf), 0);
	if (n > 0)
		(void)!write_all(2, buf, (size_t)n);
}

/* Run one pass of mode; its jobs' runtimes are added to rt. */
static void
run_pass(struct cmp *c, const char *mode, struct pass *p, struct hist *rt)
{
	struct rusage ru;
	struct buf sig = { 0 };
	int64_t t0;
	pid_t pid;
	int st;

	c->argv[c->mode_at] = (char *)mode;
	if (lseek(c->in_fd, 0, SEEK_SET) < 0 && errno != ESPIPE)
		util_die(-errno, "--compare: cannot rewind the input");
	if (ftruncate(c->stats_fd, 0) < 0 || ftruncate(c->err_fd, 0) < 0 ||
	    lseek(c->err_fd, 0, SEEK_SET) < 0)
		util_die(-errno, "--compare: cannot reset a temp file");
	t0 = clock_mono_ns();
	if ((pid = fork()) < 0)
		util_die(-errno, "--compare: cannot start a pass");
	if (pid == 0) {
		/* Only async-signal-safe calls until exec. */
		if (dup2(c->in_fd, 0) < 0 || dup2(c->null_fd, 1) < 0 ||
		    dup2(c->err_fd, 2) < 0 ||
		    fcntl(c->stats_fd, F_SETFD, 0) < 0)
			_exit(127);
		execv("/proc/self/exe", c->argv);
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) < 0)
		if (errno != EINTR)
			util_die(-errno, "--compare: waiting for a pass");
	p->wall_ns = clock_mono_ns() - t0;
	if (WIFSIGNALED(st) || WEXITSTATUS(st) > 101 ||
	    stats_read(c->stats_fd, &p->cs, rt) < 0) {
		show_stderr(c);
		if (WIFSIGNALED(st)) {
			sig_addname(&sig, WTERMSIG(st));
			util_die(0, "--compare: the %s pass died of %s",
			    mode, sig.p);
		}
		util_die(0, "--compare: the %s pass failed (exit %d)", mode,
		    WEXITSTATUS(st));
	}
	/* wait4 counts the pass, its workers and its jobs: less the jobs. */
	p->user_ns = timeval_ns(&ru.ru_utime) - p->cs.jobs_user_ns;
	p->sys_ns = timeval_ns(&ru.ru_stime) - p->cs.jobs_sys_ns;
	if (p->user_ns < 0)
		p->user_ns = 0;
	if (p->sys_ns < 0)
		p->sys_ns = 0;
}

static void
modes_parse(struct cmp *c)
{
	const char *list = *c->cfg->compare ? c->cfg->compare : exec_names();
	char *copy = xstrdup(list), *tok, *save = NULL;
	const struct exec_ops *ops;
	size_t i;

	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if ((ops = exec_find(tok)) == NULL)
			continue;
		for (i = 0; i < c->nrows; i++)
			if (strcmp(c->rows[i].name, ops->name) == 0)
				break;
		if (i == c->nrows && c->nrows < COMPARE_MODES_MAX)
			c->rows[c->nrows++].name = ops->name;
	}
	free(copy);
}

/* -j as given: 0 for "as many as the limits allow". */
static long
slots(const struct config *cfg)
{
	return cfg->jobs_unbounded ? 0 : cfg->jobs;
}

static void
write_report(struct cmp *c)
{
	const char *path = c->cfg->report;
	struct buf b = { 0 };
	int fd, r;

	compare_json(c->rows, c->nrows, slots(c->cfg), &b);
	if (strcmp(path, "-") == 0)
		fd = 2;
	else if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
	    0666)) < 0)
		util_die(-errno, "--report: cannot write '%s'", path);
	r = write_all(fd, b.p, b.len);
	if (fd != 2 && close(fd) < 0 && r == 0)
		r = -errno;
	if (r < 0)
		util_die(r, "--report: cannot write '%s'", path);
	buf_free(&b);
}

/*
 * A comparison of passes whose jobs failed compares failures: say which
 * passes had them, and give the status a plain run with the most failed
 * jobs would have (1-100 that many, 101 more), so that a script sees it.
 */
static int
failures_report(const struct cmp *c)
{
	const struct mode_row *m;
	long worst = 0, n;
	size_t i, k;

	for (i = 0; i < c->nrows; i++) {
		m = &c->rows[i];
		for (k = 0; k < m->nruns; k++) {
			if ((n = m->runs[k].cs.failed) <= 0)
				continue;
			util_warn(0, "--compare: the %s pass, run %zu of %zu, "
			    "had %ld failed job%s", m->name, k + 1, m->nruns,
			    n, n == 1 ? "" : "s");
			if (n > worst)
				worst = n;
		}
	}
	return worst > 100 ? 101 : (int)worst;
}

int
compare_run(const struct config *cfg)
{
	struct cmp cmp = { 0 }, *c = &cmp;
	struct buf out = { 0 };
	size_t run, i, nruns = (size_t)cfg->runs;
	int r, status;

	c->cfg = cfg;
	modes_parse(c);
	if (c->nrows == 0)
		util_die(0, "--compare: no mode to run");
	if ((c->null_fd = open("/dev/null", O_RDWR | O_CLOEXEC)) < 0)
		util_die(-errno, "--compare: cannot open /dev/null");
	if ((c->stats_fd = spool_tmpfile(cfg->tmpdir)) < 0 ||
	    (c->err_fd = spool_tmpfile(cfg->tmpdir)) < 0)
		util_die(c->stats_fd < 0 ? c->stats_fd : c->err_fd,
		    "--compare: cannot make a temp file in '%s'", cfg->tmpdir);
	argv_build(c);
	for (i = 0; i < c->nrows; i++)
		c->rows[i].runs = xcalloc(nruns, sizeof(*c->rows[i].runs));
	/* Interleaved, each run one mode later: no mode is always first. */
	for (run = 0; run < nruns; run++)
		for (i = 0; i < c->nrows; i++) {
			struct mode_row *m = &c->rows[(run + i) % c->nrows];

			run_pass(c, m->name, &m->runs[m->nruns++],
			    &m->runtimes);
		}
	compare_settle(c->rows, c->nrows);
	compare_table(c->rows, c->nrows, slots(c->cfg), c->cfg->runs, &out);
	if (cfg->summary)
		compare_hist(c->rows, c->nrows, progress_cols(1), &out);
	if ((r = write_all(1, out.p, out.len)) < 0 && r != -EPIPE)
		util_die(r, "cannot write output");
	if (cfg->report != NULL)
		write_report(c);
	buf_free(&out);
	status = failures_report(c);
	for (i = 0; i < c->nrows; i++) {
		free(c->rows[i].runs);
		hist_free(&c->rows[i].runtimes);
	}
	free(c->argv);
	free(c->subst);
	if (c->in_fd != c->null_fd)
		close(c->in_fd);
	close(c->null_fd);
	close(c->stats_fd);
	close(c->err_fd);
	return status;
}
