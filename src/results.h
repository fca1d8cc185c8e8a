/*
 * results: --results DIR, each finished job's output saved in files
 * instead of printed:
 *
 *	DIR/<seq>/stdout	the job's standard output, byte for byte
 *	DIR/<seq>/stderr	its standard error
 *	DIR/<seq>/status	one line: exit=N signal=N start=EPOCH.mmm
 *				runtime=SECS.mmm command=LINE
 *
 * exit and signal are the joblog's Exitval and Signal (joblog_status());
 * start and runtime are seconds with 3 decimals; command is the command
 * line with '\' written "\\" and a newline "\n", so that status stays
 * one line.  Paths are made from the sequence number only, never from
 * input values.  DIR is created if missing; an existing DIR is reused:
 * a job's three files are replaced, nothing else is touched.  Its old
 * status is removed first and the new one written last (to a temporary
 * name, synced, then renamed, once the output files are synced), so a
 * job whose status exists has its output saved, even after a crash:
 * --resume relies on it.  The directories are synced after the rename,
 * so a saved status stays.  DIR's missing parents are made too.
 *
 * A name with replacement strings is instead expanded for each job, as
 * the command is (job->res_name), and laid out as GNU parallel does:
 *
 *	NAME		the job's standard output, NAME.err its standard
 *			error, NAME.seq its sequence number (no newline)
 *	NAME/		ending in '/': NAME/stdout, NAME/stderr, NAME/seq
 *
 * relative to the working directory at results_open(); missing parent
 * directories are made.  These paths come from input values, as the
 * user asked; --resume cannot read them back.
 *
 * Single-threaded; the scheduler's thread (through order).
 */
#ifndef FANOUT_RESULTS_H
#define FANOUT_RESULTS_H

struct job;
struct results;

/*
 * A name that ends in .csv, .tsv or .json (any case) is instead one
 * file, written anew, with one row per job as GNU parallel writes them:
 * a header line (CSV, TSV), then Seq, Host, Starttime, JobRuntime,
 * Send, Receive, Exitval, Signal (the joblog's), Command, V1..Vn (in
 * JSON an array "V"), Stdout, Stderr.  A CSV/TSV field is quoted when
 * it holds '"', a blank, the separator or a NUL; JSON strings are
 * json.h's.  --resume cannot read these back.  The names "-.csv",
 * "-.tsv" and "-.json" write the table to stdout instead, as GNU
 * parallel does: it is then all that fanout prints there.
 */
enum results_kind { RESULTS_DIR, RESULTS_CSV, RESULTS_TSV, RESULTS_JSON };

enum results_kind results_kind(const char *name);

/*
 * Create or reuse dir (or the table, anew).  named: dir has replacement
 * strings (it is job->res_name, expanded, for each job); nothing is
 * made yet.  dir must outlive the results.  0 or -errno.
 */
int	results_open(struct results **, const char *dir, int named);
/*
 * Save the job's held output and status; empties its spools.
 * 0 or -errno, with results_what() saying what could not be written.
 */
int	results_save(struct results *, struct job *, const char *cmd);
const char *results_what(const struct results *);
void	results_close(struct results *);

/*
 * For --resume with --results: whether DIR/<seq>/status exists (and,
 * with need_ok, says exit=0 signal=0).
 */
int	results_was_run(const char *dir, long seq, int need_ok);

#endif
