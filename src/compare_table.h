/*
 * compare_table: --compare's figures, from the passes' raw measures to
 * what is shown: the medians over the runs of each mode (the mean of the
 * middle two for an even number of runs), min and max wall time, the
 * worst failure count, and which mode is fastest: the one whose range
 * of wall times lies wholly below every other mode's (so none when the
 * ranges overlap, and none for a single mode).  Then the aligned table
 * for stdout, which says so when no mode is fastest, the modes' runtime
 * histograms under it, and the {"compare": {...}} JSON lines.
 *
 * Pure: no I/O.
 */
#ifndef FANOUT_COMPARE_TABLE_H
#define FANOUT_COMPARE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "compare.h"
#include "hist.h"

#define COMPARE_MODES_MAX	8

struct buf;

/* One pass: one mode, one run. */
struct pass {
	int64_t		 wall_ns;	/* fork() to wait4() */
	int64_t		 user_ns, sys_ns; /* wait4()'s, less the jobs' */
	struct compare_stats cs;	/* what the pass reported */
};

/* A mode: its runs, then the figures compare_settle() derives. */
struct mode_row {
	const char	*name;
	struct pass	*runs;
	size_t		 nruns;
	int64_t		 wall_med, wall_min, wall_max, user, sys;
	int64_t		 lat50, lat99;	/* medians of p50, p99 */
	long		 rss_kb, failed, done;
	int		 fastest;
	struct hist	 runtimes;	/* of every run's jobs */
};

/* Fill each row's figures from its runs; mark the fastest, if any. */
void	compare_settle(struct mode_row *, size_t nrows);
/* The table for stdout, appended to out. */
void	compare_table(const struct mode_row *, size_t nrows, long slots,
	    long runs, struct buf *out);
/*
 * The histograms of the modes' job runtimes, all on the same bins (as
 * --summary's, from the shortest runtime of any mode to the longest) and
 * the same scale, appended to out: side by side, one row per bin and one
 * column per mode, when that fits in width columns; else one under
 * another.  Nothing when no job ran.
 */
void	compare_hist(const struct mode_row *, size_t nrows, int width,
	    struct buf *out);
/*
 * One {"compare": {...}} line per mode, appended to out; its
 * "runtime_histogram" is compare_hist()'s counts on the same bins, in
 * the shape of the summary's (summary.h), [] when no job ran.
 */
void	compare_json(const struct mode_row *, size_t nrows, long slots,
	    struct buf *out);

#endif
