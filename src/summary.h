/*
 * summary: the run in figures.  It is fed every finished job and gives,
 * at the end, the --summary table (stderr) and the last object of the
 * --report file:
 *
 *	jobs done, failed, timed out, retried (and skipped by --resume);
 *	wall time; the sum of job runtimes and the speed-up it implies;
 *	job runtime p50, p90, p99, max (exact up to HIST_EXACT jobs, then
 *	within about 1.6%: see hist.h) and a histogram of the runtimes,
 *	ten rows on a log scale from the shortest to the longest (in the
 *	report as "runtime_histogram": [{"le_s", "count"}...], each bin
 *	counting the runtimes above the last bound up to le_s); the three
 *	slowest jobs; fanout's
 *	own CPU time and peak memory; the mode and -j.
 *
 * Memory stays bounded whatever the number of jobs.
 *
 * fanout's own usage (summary_self()) is this process, all its threads,
 * plus its live worker processes (the process mode's: children running
 * the same executable), read from /proc at the end of the run.
 *
 * Single-threaded; the scheduler's thread.
 */
#ifndef FANOUT_SUMMARY_H
#define FANOUT_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#define SUMMARY_HIST_ROWS	10	/* the runtime histogram's rows */
#define SUMMARY_LABEL		11	/* a bin's label: "<= 2m05.3s" */
#define SUMMARY_BAR		80	/* a bar's longest */

struct buf;
struct job;
struct summary;

/* What the scheduler knows about the run, for the summary and the end. */
struct run_stats {
	long	 started;	/* jobs started (first attempts) */
	long	 done;		/* jobs finished for good */
	long	 failed;
	long	 timed_out;
	long	 retried;	/* attempts beyond the first */
	long	 running;
	long	 total;		/* -1 when unknown */
	int64_t	 start_ns;	/* CLOCK_MONOTONIC at the start */
	const char *hosts;	/* -S: "host:running/done ...", or NULL */
};

/* fanout's own resource usage so far. */
struct self_usage {
	int64_t	 user_ns, sys_ns;
	long	 maxrss_kb;	/* our peak + our workers' peaks */
	int	 workers;	/* worker processes counted */
};

struct summary *summary_new(const char *mode, long jobs);
void	summary_free(struct summary *);
/* A job finished for good; cmd is its command line. */
void	summary_add(struct summary *, const struct job *, const char *cmd);
/* Jobs skipped because an earlier run did them (--resume). */
void	summary_skipped(struct summary *, long n);
/*
 * The table for --summary, appended to b.  width: the terminal's, for
 * the runtime histogram's bars, or 0 when not on a terminal (the table
 * then keeps to 72 columns).
 */
void	summary_table(struct summary *, const struct run_stats *,
	    int64_t wall_ns, int width, struct buf *b);
/*
 * The {"summary": {...}} object with a newline, appended to b; lat_p50
 * and lat_p99 are the start latency's quantiles (compare.h).
 */
void	summary_json(struct summary *, const struct run_stats *,
	    int64_t wall_ns, int64_t lat_p50, int64_t lat_p99, struct buf *b);
void	summary_self(struct self_usage *);
/*
 * The upper bounds of the runtime histogram's bins for runtimes from
 * min to max, into le[SUMMARY_HIST_ROWS]; returns their number (1 when
 * max is at most 1us or min).
 */
size_t	summary_bins(int64_t min, int64_t max, int64_t *le);
/* A bin's label, "<= DURATION", padded to SUMMARY_LABEL. */
void	summary_bin_label(struct buf *, int64_t le);
/*
 * A bar bar characters wide: '#' for count's share of most, at least one
 * for a bin that is not empty (the tail is what the picture is for),
 * then blanks.
 */
void	summary_bar(struct buf *, uint64_t count, uint64_t most, int bar);
/* A duration for people: 850us, 12.5ms, 3.042s, 2m05.3s, 1h02m03s. */
void	summary_dur(struct buf *, int64_t ns);

#endif
