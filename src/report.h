/*
 * report: everything fanout tells about the jobs besides their output:
 * the failure list at the end, the joblog (GNU parallel's format), the
 * JSON Lines report, the summary table and the progress display.
 *
 * Single-threaded: the scheduler's thread only.  report_job() is called
 * once per job, after its output has been delivered, so a log line never
 * claims output that was lost.
 */
#ifndef FANOUT_REPORT_H
#define FANOUT_REPORT_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct job;
struct report;

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
};

/* Opens the files the options name.  0 or -errno with *what naming it. */
int	report_new(struct report **, const struct config *,
	    const char **what);
void	report_free(struct report *);
/* A job is finished for good and its output delivered. */
int	report_job(struct report *, const struct job *,
	    const struct run_stats *);
/* Whether report_tick() wants calling about 10 times a second. */
int	report_wants_ticks(const struct report *);
/* A moment passed (progress redraw); cheap when there is nothing to do. */
void	report_tick(struct report *, const struct run_stats *);
/* The end of the run: failure list, summary, closing lines. */
void	report_end(struct report *, const struct run_stats *);
/* The command line shown for a job in messages and logs. */
const char *report_command(const struct job *);

#endif
