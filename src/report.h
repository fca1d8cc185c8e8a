/*
 * report: everything fanout tells about the jobs besides their output:
 * the failure list at the end, the joblog (GNU parallel's format,
 * joblog.h), the JSON Lines report, the summary table (summary.h), the
 * progress line (progress.h), and the figures a --compare pass hands
 * back to its parent (compare.h).  It also answers --resume's question
 * (did an earlier run do this job?).  It is a sink: it learns what it
 * reports from its callers and includes nothing above it.
 *
 * The scheduler's steps: report_new() once the total is known;
 * report_skip() for each new job; report_started() after each start;
 * report_attempt() when the executor hands an attempt back;
 * report_job() once per job, after its output has been delivered, so a
 * log line never claims output that was lost; report_tick() on every
 * turn of the loop; report_end() at the end.
 *
 * The JSON Lines report (--report FILE, "-" for stderr) has one object
 * per finished job:
 *
 *	seq, command, args (the input values), exit (the exit code, null
 *	when the job did not exit: signal, worker lost), signal ("SIGKILL"
 *	or null), timed_out, attempts, start (RFC 3339 UTC, milliseconds),
 *	runtime_s, user_s, sys_s (the job's rusage), maxrss_kb, host (":"
 *	for this machine, as in the joblog), slot, stdout_bytes,
 *	stderr_bytes, mode
 *
 * and a last {"summary": {...}} object (summary.h).  Strings are valid
 * JSON whatever the bytes (json.h: invalid UTF-8 becomes U+FFFD).
 *
 * Single-threaded: the scheduler's thread only.
 */
#ifndef FANOUT_REPORT_H
#define FANOUT_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "summary.h"

struct config;
struct job;
struct report;

/*
 * Read what --resume or --resume-failed need, and open the files the
 * options name.  counted: the number of jobs for the progress line when
 * the run's total is not known (input_count()), or -1.  0 or -errno; on
 * error *what says what failed, naming the option and the file
 * (-EINVAL: a message alone).  *rp is set even on error, so that *what
 * stays valid; free it.
 */
int	report_new(struct report **rp, const struct config *, long counted,
	    const char **what);
void	report_free(struct report *);
/* Whether job seq is done already (--resume...): then skip it. */
int	report_skip(struct report *, long seq);
/* A job (first attempt or retry) was handed to the executor. */
void	report_started(struct report *, const struct job *);
/* The executor handed an attempt back (retried or not). */
void	report_attempt(struct report *, const struct job *);
/*
 * A job is finished for good and its output delivered.  0 or -errno,
 * with report_what() naming what could not be written.
 */
int	report_job(struct report *, const struct job *,
	    const struct run_stats *);
const char *report_what(const struct report *);
/* Whether --progress, --bar or --eta draws a line, live or at the end. */
int	report_shows_progress(const struct report *);
/* Whether report_tick() wants calling about 10 times a second. */
int	report_wants_ticks(const struct report *);
/* A moment passed (progress redraw); cheap when there is nothing to do. */
void	report_tick(struct report *, const struct run_stats *);
/*
 * fanout is about to write job output to fd (1 or 2); eol: whether its
 * last byte ends a line.
 */
void	report_writing(struct report *, int fd, int eol);
/*
 * The end of the run: progress line, failure list, summary, report.
 * stopped says why the run ended early ("halted by --halt"), and the
 * failure list then opens with it and the jobs done, failed, cut short
 * and never started; NULL when the run went to its end.
 */
void	report_end(struct report *, const struct run_stats *,
	    const char *stopped);
/*
 * GNU parallel's notes on stderr, with fanout's prefix: on a job --halt
 * counts, what (policy_halt_counts()) and its command line cmd; on a
 * job killed at its time limit, its command line.
 */
void	report_halt_job(struct report *, const char *what, const char *cmd);
void	report_timed_out(struct report *, const char *cmd);
/* The command line shown for a job in messages and logs. */
const char *report_command(const struct job *);

#endif
