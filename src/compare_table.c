/*
 * compare_table: medians and the table.  The table is built in two
 * passes: every cell is formatted first, then each column is as wide as
 * its widest cell, the mode left-aligned and the figures right-aligned.
 */
#include "compare_table.h"
#include "json.h"
#include "summary.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum field { F_WALL, F_USER, F_SYS, F_LAT50, F_LAT99, F_RSS };

static int64_t
field(const struct pass *p, enum field f)
{
	switch (f) {
	case F_WALL:
		return p->wall_ns;
	case F_USER:
		return p->user_ns;
	case F_SYS:
		return p->sys_ns;
	case F_LAT50:
		return p->cs.lat_p50_ns;
	case F_LAT99:
		return p->cs.lat_p99_ns;
	case F_RSS:
		break;
	}
	return p->cs.rss_kb;
}

/* The median over a mode's runs (the mean of the middle two if even). */
static int64_t
median(const struct mode_row *m, enum field f)
{
	int64_t *v = xcalloc(m->nruns, sizeof(*v)), r;
	size_t i, h = m->nruns / 2;

	for (i = 0; i < m->nruns; i++)
		v[i] = field(&m->runs[i], f);
	qsort(v, m->nruns, sizeof(*v), cmp_int64);
	r = m->nruns % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
	free(v);
	return r;
}

void
compare_settle(struct mode_row *rows, size_t nrows)
{
	struct mode_row *m;
	const struct pass *p;
	size_t i, k;

	for (i = 0; i < nrows; i++) {
		m = &rows[i];
		m->wall_med = median(m, F_WALL);
		m->user = median(m, F_USER);
		m->sys = median(m, F_SYS);
		m->lat50 = median(m, F_LAT50);
		m->lat99 = median(m, F_LAT99);
		m->rss_kb = (long)median(m, F_RSS);
		m->wall_min = m->wall_max = m->runs[0].wall_ns;
		for (k = 0; k < m->nruns; k++) {
			p = &m->runs[k];
			if (p->wall_ns < m->wall_min)
				m->wall_min = p->wall_ns;
			if (p->wall_ns > m->wall_max)
				m->wall_max = p->wall_ns;
			if (p->cs.failed > m->failed)
				m->failed = p->cs.failed;
			if (p->cs.done > m->done)
				m->done = p->cs.done;
		}
	}
	/*
	 * A median alone names a winner even when the runs of two modes
	 * interleave, which on a busy machine is noise: a mode is fastest
	 * only if its slowest run beat every other mode's fastest run.
	 */
	for (i = 0; nrows > 1 && i < nrows; i++) {
		for (k = 0; k < nrows; k++)
			if (k != i && rows[i].wall_max >= rows[k].wall_min)
				break;
		if (k == nrows)
			rows[i].fastest = 1;
	}
}

/* Whether compare_settle() marked a mode fastest. */
static int
any_fastest(const struct mode_row *rows, size_t nrows)
{
	size_t i;

	for (i = 0; i < nrows; i++)
		if (rows[i].fastest)
			return 1;
	return 0;
}

#define NCOL	10

static const char *const heads[NCOL] = {
	"mode", "wall", "min-max", "jobs/s", "user", "sys", "peak RSS",
	"failed", "start p50", "start p99",
};

/* The cells of a mode's row, each a NUL-terminated string in b. */
static void
row_cells(const struct mode_row *m, struct buf *b, size_t off[NCOL])
{
	size_t k = 0;

	off[k++] = b->len;
	buf_adds(b, m->name);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->wall_med);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->wall_min);
	buf_addc(b, '-');
	summary_dur(b, m->wall_max);
	buf_addc(b, '\0');
	off[k++] = b->len;
	buf_addf(b, "%.1f", m->wall_med > 0 ? (double)m->done * 1e9 /
	    (double)m->wall_med : 0.0);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->user);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->sys);
	buf_addc(b, '\0');
	off[k++] = b->len;
	buf_addf(b, "%.1f MiB", (double)m->rss_kb / 1024);
	buf_addc(b, '\0');
	off[k++] = b->len;
	buf_addf(b, "%ld", m->failed);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->lat50);
	buf_addc(b, '\0');
	off[k++] = b->len;
	summary_dur(b, m->lat99);
	buf_addc(b, '\0');
}

void
compare_table(const struct mode_row *rows, size_t nrows, long slots,
    long runs, struct buf *out)
{
	struct buf cells = { 0 };
	size_t (*off)[NCOL] = xcalloc(nrows, sizeof(*off));
	size_t w[NCOL], i, k, n;
	const char *cell;

	for (k = 0; k < NCOL; k++)
		w[k] = strlen(heads[k]);
	for (i = 0; i < nrows; i++)
		row_cells(&rows[i], &cells, off[i]);
	for (i = 0; i < nrows; i++)
		for (k = 0; k < NCOL; k++)
			if ((n = strlen(cells.p + off[i][k])) > w[k])
				w[k] = n;
	n = nrows ? (size_t)rows[0].done : 0;
	buf_addf(out, "%zu job%s, -j %ld, %ld run%s per mode; medians\n", n,
	    n == 1 ? "" : "s", slots, runs, runs == 1 ? "" : "s");
	for (k = 0; k < NCOL; k++)
		buf_addf(out, k == 0 ? "%-*s" : "  %*s", (int)w[k], heads[k]);
	buf_addc(out, '\n');
	for (i = 0; i < nrows; i++) {
		for (k = 0; k < NCOL; k++) {
			cell = cells.p + off[i][k];
			buf_addf(out, k == 0 ? "%-*s" : "  %*s", (int)w[k],
			    cell);
		}
		if (rows[i].fastest)
			buf_adds(out, "  <- fastest");
		buf_addc(out, '\n');
	}
	if (nrows > 1 && !any_fastest(rows, nrows))
		buf_adds(out, "no mode is clearly fastest: their wall time "
		    "ranges overlap\n");
	buf_free(&cells);
	free(off);
}

/*
 * The bins every mode's runtimes are counted on (summary_bins(), from
 * the shortest runtime of any mode to the longest) into le, and each
 * mode's counts into count[mode]; their number, 0 when no job ran.
 */
static size_t
common_bins(const struct mode_row *rows, size_t nrows, int64_t *le,
    uint64_t (*count)[SUMMARY_HIST_ROWS])
{
	int64_t min = 0, max = 0;
	uint64_t jobs = 0;
	size_t i, n;

	for (i = 0; i < nrows; i++) {
		const struct hist *h = &rows[i].runtimes;

		if (h->count == 0)
			continue;
		if (jobs == 0 || h->min < min)
			min = h->min;
		if (jobs == 0 || h->max > max)
			max = h->max;
		jobs += h->count;
	}
	if (jobs == 0)
		return 0;
	n = summary_bins(min, max, le);
	for (i = 0; i < nrows; i++)
		hist_bins(&rows[i].runtimes, le, count[i], n);
	return n;
}

void
compare_json(const struct mode_row *rows, size_t nrows, long slots,
    struct buf *b)
{
	const struct mode_row *m;
	int64_t le[SUMMARY_HIST_ROWS];
	uint64_t (*count)[SUMMARY_HIST_ROWS] = xcalloc(nrows, sizeof(*count));
	size_t i, k, nbins = common_bins(rows, nrows, le, count);

	for (i = 0; i < nrows; i++) {
		m = &rows[i];
		buf_adds(b, "{\"compare\":{\"mode\":");
		json_cstr(b, m->name);
		buf_addf(b, ",\"runs\":%zu,\"jobs\":%ld,\"slots\":%ld,"
		    "\"wall_s\":{\"median\":", m->nruns, m->done, slots);
		json_secs(b, m->wall_med);
		buf_adds(b, ",\"min\":");
		json_secs(b, m->wall_min);
		buf_adds(b, ",\"max\":");
		json_secs(b, m->wall_max);
		buf_adds(b, ",\"runs\":[");
		for (k = 0; k < m->nruns; k++) {
			if (k > 0)
				buf_addc(b, ',');
			json_secs(b, m->runs[k].wall_ns);
		}
		buf_addf(b, "]},\"jobs_per_s\":%.3f,\"user_s\":",
		    m->wall_med > 0 ? (double)m->done * 1e9 /
		    (double)m->wall_med : 0.0);
		json_secs(b, m->user);
		buf_adds(b, ",\"sys_s\":");
		json_secs(b, m->sys);
		buf_addf(b, ",\"maxrss_kb\":%ld,\"failed\":%ld,"
		    "\"start_latency_s\":{\"p50\":", m->rss_kb, m->failed);
		json_secs(b, m->lat50);
		buf_adds(b, ",\"p99\":");
		json_secs(b, m->lat99);
		buf_adds(b, "},\"fastest\":");
		json_bool(b, m->fastest);
		/* As the summary's, so that one reader takes both. */
		buf_adds(b, ",\"runtime_histogram\":[");
		for (k = 0; k < nbins; k++) {
			buf_adds(b, k ? ",{\"le_s\":" : "{\"le_s\":");
			json_secs(b, le[k]);
			buf_addf(b, ",\"count\":%llu}",
			    (unsigned long long)count[i][k]);
		}
		buf_adds(b, "]}}\n");
	}
	free(count);
}

/*
 * Side by side, a mode's column is "  ", a bar, ' ' and the count; bars
 * narrower than HIST_MIN put the modes one under another instead.
 */
#define HIST_MIN	10
#define HIST_SIDE_MAX	30	/* a bar's longest side by side */

void
compare_hist(const struct mode_row *rows, size_t nrows, int width,
    struct buf *out)
{
	int64_t le[SUMMARY_HIST_ROWS];
	uint64_t (*count)[SUMMARY_HIST_ROWS], most = 0;
	size_t i, k, n;
	int cw, bar;

	count = xcalloc(nrows, sizeof(*count));
	if ((n = common_bins(rows, nrows, le, count)) == 0) {
		free(count);
		return;
	}
	for (i = 0; i < nrows; i++)
		for (k = 0; k < n; k++)
			if (count[i][k] > most)
				most = count[i][k];
	cw = snprintf(NULL, 0, "%llu", (unsigned long long)most);
	buf_adds(out, "\njob runtimes, all runs\n");
	/* Never in the last column: width - 1 at most. */
	bar = (width - 1 - SUMMARY_LABEL - (int)nrows * (3 + cw)) /
	    (int)nrows;
	if (bar > HIST_SIDE_MAX)
		bar = HIST_SIDE_MAX;
	if (bar >= HIST_MIN) {
		buf_addf(out, "%-*s", SUMMARY_LABEL, "");
		for (i = 0; i < nrows; i++)
			buf_addf(out, "  %-*s", i + 1 < nrows ? bar + 1 + cw :
			    0, rows[i].name);
		buf_addc(out, '\n');
		for (k = 0; k < n; k++) {
			summary_bin_label(out, le[k]);
			for (i = 0; i < nrows; i++) {
				buf_adds(out, "  ");
				summary_bar(out, count[i][k], most, bar);
				buf_addf(out, " %*llu", cw,
				    (unsigned long long)count[i][k]);
			}
			buf_addc(out, '\n');
		}
	} else {
		bar = width - 1 - SUMMARY_LABEL - 2 - cw;
		if (bar > SUMMARY_BAR)
			bar = SUMMARY_BAR;
		if (bar < HIST_MIN)
			bar = HIST_MIN;
		for (i = 0; i < nrows; i++) {
			buf_addf(out, "%s\n", rows[i].name);
			for (k = 0; k < n; k++) {
				summary_bin_label(out, le[k]);
				buf_addc(out, ' ');
				summary_bar(out, count[i][k], most, bar);
				buf_addf(out, " %*llu\n", cw,
				    (unsigned long long)count[i][k]);
			}
		}
	}
	free(count);
}
