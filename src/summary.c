/*
 * summary: runtimes go into a bounded histogram, their sum into a
 * double, and the three slowest jobs into a tiny sorted array (their
 * commands cut to a screen's width), so the memory does not grow with
 * the number of jobs past the histogram's exact part.
 */
#include "summary.h"
#include "hist.h"
#include "job.h"
#include "json.h"
#include "util.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#define SLOWEST		3
#define CMD_SHOWN	60
#define HIST_PLAIN	72	/* the histogram's width off a terminal */

struct slow {
	long	 seq;
	int64_t	 ns;
	char	*cmd;
};

/* -S: what each host did. */
struct host_count {
	char	*name;
	long	 done, failed;
	int64_t	 ns;		/* its jobs' runtimes, summed */
};

struct summary {
	const char	*mode;
	struct host_count *hosts;
	size_t		 nhosts;
	long		 jobs;
	struct hist	 runtimes;
	struct slow	 slow[SLOWEST];
	size_t		 nslow;
	long		 skipped;
};

struct summary *
summary_new(const char *mode, long jobs)
{
	struct summary *s = xcalloc(1, sizeof(*s));

	s->mode = mode;
	s->jobs = jobs;
	return s;
}

void
summary_free(struct summary *s)
{
	size_t i;

	if (s == NULL)
		return;
	hist_free(&s->runtimes);
	for (i = 0; i < s->nslow; i++)
		free(s->slow[i].cmd);
	for (i = 0; i < s->nhosts; i++)
		free(s->hosts[i].name);
	free(s->hosts);
	free(s);
}

static char *
cut(const char *cmd)
{
	struct buf b = { 0 };
	size_t n = strlen(cmd);

	if (n <= CMD_SHOWN)
		return xstrdup(cmd);
	buf_add(&b, cmd, CMD_SHOWN - 3);
	buf_adds(&b, "...");
	return b.p;
}

/* -S: count the job for its host; a few hosts, looked up in turn. */
static void
count_host(struct summary *s, const struct job *job, int64_t ns)
{
	const char *name = job->host_name ? job->host_name : ":";
	struct host_count *h;
	size_t i;

	for (i = 0; i < s->nhosts; i++)
		if (strcmp(s->hosts[i].name, name) == 0)
			break;
	if (i == s->nhosts) {
		s->hosts = xrealloc(s->hosts, (i + 1) * sizeof(*s->hosts));
		memset(&s->hosts[i], 0, sizeof(*s->hosts));
		s->hosts[i].name = xstrdup(name);
		s->nhosts++;
	}
	h = &s->hosts[i];
	h->done++;
	h->failed += job_failed(job);
	h->ns += ns;
}

void
summary_add(struct summary *s, const struct job *job, const char *cmd)
{
	int64_t ns = job->end_ns - job->start_ns;
	size_t i;

	if (ns < 0)
		ns = 0;
	if (job->host >= 0)
		count_host(s, job, ns);
	hist_add(&s->runtimes, ns);
	if (s->nslow == SLOWEST && ns <= s->slow[SLOWEST - 1].ns)
		return;
	if (s->nslow == SLOWEST)
		free(s->slow[--s->nslow].cmd);
	for (i = s->nslow; i > 0 && s->slow[i - 1].ns < ns; i--)
		s->slow[i] = s->slow[i - 1];
	s->slow[i].seq = job->seq;
	s->slow[i].ns = ns;
	s->slow[i].cmd = cut(cmd);
	s->nslow++;
}

void
summary_skipped(struct summary *s, long n)
{
	s->skipped += n;
}

void
summary_dur(struct buf *b, int64_t ns)
{
	int64_t s;

	if (ns < 0)
		ns = 0;
	if (ns < 1000000)
		buf_addf(b, "%lldus", (long long)((ns + 500) / 1000));
	else if (ns < 1000000000)
		buf_addf(b, "%.1fms", (double)ns / 1e6);
	else if (ns < 60 * 1000000000LL)
		buf_addf(b, "%.3fs", (double)ns / 1e9);
	else if (ns < 3600 * 1000000000LL)
		buf_addf(b, "%lldm%04.1fs", (long long)(ns / 60000000000LL),
		    (double)(ns % 60000000000LL) / 1e9);
	else {
		s = ns / 1000000000;
		buf_addf(b, "%lldh%02lldm%02llds", (long long)(s / 3600),
		    (long long)(s / 60 % 60), (long long)(s % 60));
	}
}

/* Seconds and ticks from a /proc/PID/stat line: fields 14 and 15. */
static int
proc_times(const char *pid, int64_t *user, int64_t *sys)
{
	char path[64], line[1024], *p;
	unsigned long long ut, st;
	long tck = sysconf(_SC_CLK_TCK);
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%s/stat", pid);
	if ((f = fopen(path, "re")) == NULL)
		return -1;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	/* The name may hold spaces and ')': skip to the last ')'. */
	if (p == NULL || (p = strrchr(line, ')')) == NULL || tck <= 0)
		return -1;
	ok = sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u "
	    "%llu %llu", &ut, &st) == 2;
	if (!ok)
		return -1;
	*user += (int64_t)(ut * (1000000000ULL / (unsigned long long)tck));
	*sys += (int64_t)(st * (1000000000ULL / (unsigned long long)tck));
	return 0;
}

static long
proc_hwm_kb(const char *pid)
{
	char path[64], line[256];
	long kb = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "VmHWM: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

/* Whether /proc/PID/exe is the same file as ours: a worker. */
static int
is_worker(const char *pid, const char *self)
{
	char path[64], exe[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%s/exe", pid);
	n = readlink(path, exe, sizeof(exe) - 1);
	if (n <= 0)
		return 0;
	exe[n] = '\0';
	return strcmp(exe, self) == 0;
}

/* Count the workers among the children listed in f, one pid at a time. */
static void
add_workers(struct self_usage *u, FILE *f, const char *self)
{
	char *tok = NULL;
	size_t cap = 0;
	ssize_t n;

	/*
	 * Read by pid, not by buffer: the list grows with -j (a thousand
	 * workers pass 4 KiB) and no pid may be cut in two.
	 */
	while ((n = getdelim(&tok, &cap, ' ', f)) > 0) {
		if (tok[n - 1] == ' ' || tok[n - 1] == '\n')
			tok[--n] = '\0';
		if (n == 0 || !is_worker(tok, self) ||
		    proc_times(tok, &u->user_ns, &u->sys_ns) < 0)
			continue;
		u->maxrss_kb += proc_hwm_kb(tok);
		u->workers++;
	}
	free(tok);
}

void
summary_self(struct self_usage *u)
{
	char self[PATH_MAX], path[64];
	struct rusage ru;
	struct dirent *d;
	ssize_t n;
	DIR *dir;
	FILE *f;

	memset(u, 0, sizeof(*u));
	if (getrusage(RUSAGE_SELF, &ru) == 0) {
		u->user_ns = timeval_ns(&ru.ru_utime);
		u->sys_ns = timeval_ns(&ru.ru_stime);
		u->maxrss_kb = ru.ru_maxrss;
	}
	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0 ||
	    (dir = opendir("/proc/self/task")) == NULL)
		return;
	self[n] = '\0';
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%.20s/children",
		    d->d_name);
		if ((f = fopen(path, "re")) == NULL)
			continue;
		add_workers(u, f, self);
		fclose(f);
	}
	closedir(dir);
}

/* x^(1/n) for x >= 1, without libm: bisection to double precision. */
static double
nth_root(double x, int n)
{
	double lo = 1, hi = x, mid, p;
	int i, k;

	for (i = 0; i < 80 && lo < hi; i++) {
		mid = lo + (hi - lo) / 2;
		for (p = 1, k = 0; k < n; k++)
			p *= mid;
		if (p < x)
			lo = mid;
		else
			hi = mid;
	}
	return hi;
}

/*
 * The runtime histogram: SUMMARY_HIST_ROWS bins whose upper bounds are
 * spaced evenly on a log scale from the shortest runtime (at least 1us: a
 * log scale cannot start at 0) to the longest, the last bound; so that a
 * few slow jobs stand apart from many fast ones, and fast jobs in a slow
 * run are not all one bar.  One bin when every runtime falls in it.
 */
size_t
summary_bins(int64_t min, int64_t max, int64_t *le)
{
	double lo, r, edge;
	size_t i, n;

	lo = min > 1000 ? (double)min : 1000;
	if ((double)max <= lo) {
		le[0] = max;
		return 1;
	}
	n = SUMMARY_HIST_ROWS;
	r = nth_root((double)max / lo, (int)n);
	for (i = 0, edge = lo; i < n - 1; i++) {
		edge *= r;
		le[i] = (int64_t)(edge + 0.5);
	}
	le[n - 1] = max;
	return n;
}

/* The bins of this run's runtimes; their number, 0 when no job ran. */
static size_t
runtime_bins(struct summary *s, int64_t *le, uint64_t *count)
{
	const struct hist *h = &s->runtimes;
	size_t n;

	if (h->count == 0)
		return 0;
	n = summary_bins(h->min, h->max, le);
	hist_bins(h, le, count, n);
	return n;
}

static void
table_row(struct buf *b, const char *name)
{
	buf_addf(b, "fanout:   %-10s", name);
}

void
summary_bin_label(struct buf *b, int64_t le)
{
	size_t at = b->len;

	buf_adds(b, "<= ");
	summary_dur(b, le);
	while (b->len - at < SUMMARY_LABEL)
		buf_addc(b, ' ');
}

void
summary_bar(struct buf *b, uint64_t count, uint64_t most, int bar)
{
	int len, k;

	len = count == 0 ? 0 : (int)((double)count * bar / (double)most);
	if (count > 0 && len < 1)
		len = 1;
	for (k = 0; k < bar; k++)
		buf_addc(b, k < len ? '#' : ' ');
}

/*
 * The histogram's rows: "<= BOUND", a bar (summary_bar()) and the count.
 * ASCII, never in the last column.
 */
static void
table_hist(struct summary *s, int width, struct buf *b)
{
	int64_t le[SUMMARY_HIST_ROWS];
	uint64_t count[SUMMARY_HIST_ROWS], most = 0;
	size_t i, n = runtime_bins(s, le, count);
	int cw, bar;

	for (i = 0; i < n; i++)
		if (count[i] > most)
			most = count[i];
	cw = snprintf(NULL, 0, "%llu", (unsigned long long)most);
	/* "fanout:   NAME      ", label, ' ', bar, ' ', count. */
	bar = (width > 0 ? width : HIST_PLAIN) - 1 - 20 - SUMMARY_LABEL - 3 -
	    cw;
	if (bar > SUMMARY_BAR)
		bar = SUMMARY_BAR;
	if (bar < 10)
		bar = 10;
	for (i = 0; i < n; i++) {
		table_row(b, i == 0 ? "histogram" : "");
		summary_bin_label(b, le[i]);
		buf_addc(b, ' ');
		summary_bar(b, count[i], most, bar);
		buf_addf(b, " %*llu\n", cw, (unsigned long long)count[i]);
	}
}

void
summary_table(struct summary *s, const struct run_stats *st,
    int64_t wall_ns, int width, struct buf *b)
{
	static const double qs[] = { 0.5, 0.9, 0.99 };
	static const char *const qn[] = { "p50", "p90", "p99" };
	struct self_usage u;
	double total = s->runtimes.sum;
	size_t i;

	buf_adds(b, "fanout: summary\n");
	table_row(b, "jobs");
	buf_addf(b, "%ld done, %ld failed, %ld timed out, %ld retried",
	    st->done, st->failed, st->timed_out, st->retried);
	if (s->skipped > 0)
		buf_addf(b, ", %ld skipped (already done)", s->skipped);
	buf_addc(b, '\n');
	table_row(b, "wall time");
	summary_dur(b, wall_ns);
	buf_addc(b, '\n');
	table_row(b, "job time");
	summary_dur(b, (int64_t)total);
	buf_addf(b, " in all, speed-up %.2fx\n",
	    wall_ns > 0 ? total / (double)wall_ns : 0.0);
	table_row(b, "runtime");
	for (i = 0; i < ARRAY_SIZE(qs); i++) {
		buf_addf(b, "%s ", qn[i]);
		summary_dur(b, hist_quantile(&s->runtimes, qs[i]));
		buf_adds(b, ", ");
	}
	buf_adds(b, "max ");
	summary_dur(b, s->runtimes.max);
	if (!hist_is_exact(&s->runtimes))
		buf_adds(b, " (approximate)");
	buf_addc(b, '\n');
	table_hist(s, width, b);
	for (i = 0; i < s->nslow; i++) {
		table_row(b, i == 0 ? "slowest" : "");
		summary_dur(b, s->slow[i].ns);
		buf_addf(b, "  job %ld: %s\n", s->slow[i].seq, s->slow[i].cmd);
	}
	for (i = 0; i < s->nhosts; i++) {
		table_row(b, i == 0 ? "hosts" : "");
		buf_addf(b, "%s  %ld done, %ld failed, job time ",
		    s->hosts[i].name, s->hosts[i].done, s->hosts[i].failed);
		summary_dur(b, s->hosts[i].ns);
		buf_addc(b, '\n');
	}
	summary_self(&u);
	table_row(b, "fanout");
	buf_adds(b, "user ");
	summary_dur(b, u.user_ns);
	buf_adds(b, ", sys ");
	summary_dur(b, u.sys_ns);
	buf_addf(b, ", peak RSS %.1f MiB", (double)u.maxrss_kb / 1024);
	if (u.workers > 0)
		buf_addf(b, " (with %d worker%s)", u.workers,
		    u.workers == 1 ? "" : "s");
	buf_addc(b, '\n');
	table_row(b, "mode");
	buf_addf(b, "%s, -j %ld\n", s->mode, s->jobs);
}

void
summary_json(struct summary *s, const struct run_stats *st, int64_t wall_ns,
    int64_t lat_p50, int64_t lat_p99, struct buf *b)
{
	int64_t le[SUMMARY_HIST_ROWS];
	uint64_t count[SUMMARY_HIST_ROWS];
	struct self_usage u;
	double total = s->runtimes.sum;
	size_t i, n;

	summary_self(&u);
	buf_addf(b, "{\"summary\":{\"done\":%ld,\"failed\":%ld,"
	    "\"timed_out\":%ld,\"retried\":%ld,\"skipped\":%ld,\"wall_s\":",
	    st->done, st->failed, st->timed_out, st->retried, s->skipped);
	json_secs(b, wall_ns);
	buf_adds(b, ",\"job_time_s\":");
	json_secs(b, (int64_t)total);
	buf_addf(b, ",\"speedup\":%.3f,\"runtime_s\":{\"p50\":",
	    wall_ns > 0 ? total / (double)wall_ns : 0.0);
	json_secs(b, hist_quantile(&s->runtimes, 0.5));
	buf_adds(b, ",\"p90\":");
	json_secs(b, hist_quantile(&s->runtimes, 0.9));
	buf_adds(b, ",\"p99\":");
	json_secs(b, hist_quantile(&s->runtimes, 0.99));
	buf_adds(b, ",\"max\":");
	json_secs(b, s->runtimes.max);
	buf_adds(b, ",\"exact\":");
	json_bool(b, hist_is_exact(&s->runtimes));
	buf_adds(b, "},\"runtime_histogram\":[");
	n = runtime_bins(s, le, count);
	for (i = 0; i < n; i++) {
		buf_adds(b, i ? ",{\"le_s\":" : "{\"le_s\":");
		json_secs(b, le[i]);
		buf_addf(b, ",\"count\":%llu}", (unsigned long long)count[i]);
	}
	buf_adds(b, "],\"slowest\":[");
	for (i = 0; i < s->nslow; i++) {
		buf_addf(b, "%s{\"seq\":%ld,\"runtime_s\":", i ? "," : "",
		    s->slow[i].seq);
		json_secs(b, s->slow[i].ns);
		buf_adds(b, ",\"command\":");
		json_cstr(b, s->slow[i].cmd);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"hosts\":[");
	for (i = 0; i < s->nhosts; i++) {
		buf_adds(b, i ? ",{\"host\":" : "{\"host\":");
		json_cstr(b, s->hosts[i].name);
		buf_addf(b, ",\"done\":%ld,\"failed\":%ld,\"job_time_s\":",
		    s->hosts[i].done, s->hosts[i].failed);
		json_secs(b, s->hosts[i].ns);
		buf_addc(b, '}');
	}
	buf_adds(b, "],\"user_s\":");
	json_secs(b, u.user_ns);
	buf_adds(b, ",\"sys_s\":");
	json_secs(b, u.sys_ns);
	buf_addf(b, ",\"maxrss_kb\":%ld,\"mode\":", u.maxrss_kb);
	json_cstr(b, s->mode);
	buf_addf(b, ",\"slots\":%ld,\"start_latency_s\":{\"p50\":", s->jobs);
	json_secs(b, lat_p50);
	buf_adds(b, ",\"p99\":");
	json_secs(b, lat_p99);
	buf_adds(b, "}}}\n");
}
