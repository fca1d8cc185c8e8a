/*
 * compare: --compare[=MODES] --runs K.  The parent reads the whole input
 * once (standard input, or a source that is not a regular file, goes to
 * an unlinked temp file; at most COMPARE_INPUT_MAX bytes), then runs the
 * job list K times per mode, the modes interleaved (run 1: a b c, run 2:
 * b c a, ...), each pass a child fanout: /proc/self/exe with the same
 * arguments minus --compare, --runs, --report and --mode, plus
 * "--mode M --stats-fd N", its stdout on /dev/null and its stderr in a
 * temp file (shown if the pass fails).  The parent times each pass and
 * takes its rusage from wait4(), which covers the child and everything
 * it waited for: workers and jobs.
 *
 * The pass reports back on descriptor N (an unlinked temp file the
 * parent reads after wait4) one line, "fanout-stats 1" then key=value
 * pairs (struct compare_stats), and a second, "fanout-runtimes 1" then
 * I=COUNT for each non-empty bucket I of the histogram of its jobs'
 * runtimes (hist_buckets()), which the parent adds up per mode for the
 * runtime histograms under the table.  fanout's own CPU is wait4's total
 * minus the jobs' own rusage the pass summed up; its peak memory is the
 * pass's own peak RSS plus its workers' (summary_self()).  The start
 * latency of a job is the time from its slot becoming free (the
 * executor noticed the slot's previous job end; the start of the run
 * for a slot's first job) to the scheduler handing it to the executor.
 *
 * The table goes to stdout, and with --summary the modes' runtime
 * histograms under it (compare_hist()); --report FILE gets one
 * {"compare": {...}} object per mode, with its runtime histogram.
 */
#ifndef FANOUT_COMPARE_H
#define FANOUT_COMPARE_H

#include <stdint.h>

#define COMPARE_INPUT_MAX	(1LL << 30)	/* 1 GiB */

struct config;
struct hist;

/* What a pass hands back to its parent. */
struct compare_stats {
	long	 done, failed;
	int64_t	 jobs_user_ns, jobs_sys_ns;	/* all attempts */
	int64_t	 lat_p50_ns, lat_p99_ns;	/* start latency */
	long	 rss_kb;			/* summary_self() */
	long	 workers;
};

/* The pass's side: write the stats and runtimes lines on fd.  0 or -errno. */
int	compare_stats_write(int fd, const struct compare_stats *,
	    const struct hist *runtimes);

/*
 * The parent: run the comparison; returns fanout's exit status: 0, or
 * when a pass had failed jobs the status of a run with the most of them
 * (1-100, 101 past that), each such pass named on stderr.
 */
int	compare_run(const struct config *);

#endif
