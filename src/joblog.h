/*
 * joblog: GNU parallel's job log, written and read back.
 *
 * The format, byte for byte as GNU parallel 20221122 writes it: a header
 *
 *	Seq	Host	Starttime	JobRuntime	Send	Receive	Exitval	Signal	Command
 *
 * then one TAB-separated line per finished job: Seq; Host ":" (this
 * machine); Starttime as epoch seconds with 3 decimals; JobRuntime as
 * printf("%10.3f") seconds (right-aligned in 10 columns); Send 0;
 * Receive, the job's stdout bytes; Exitval and Signal (see
 * joblog_status()); Command, the command line as run, newlines written
 * as NUL bytes (as GNU does, so that a line stays a line).
 *
 * Each line goes out in one write(2) to a descriptor opened O_APPEND, so
 * a crash or kill -9 never leaves half a line, and two runs appending to
 * the same file never tear each other's lines.
 *
 * Reading an earlier run's log back is history.h's.
 *
 * Single-threaded; the scheduler's thread.
 */
#ifndef FANOUT_JOBLOG_H
#define FANOUT_JOBLOG_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct job;
struct joblog;

/*
 * Open path for writing ("-" is standard output).  A new run truncates
 * it; with append set (--joblog +FILE, --resume...) lines are added at
 * the end.  The header is written when the file is empty, and always on
 * standard output, whatever append says.  0 or -errno.
 */
int	joblog_open(struct joblog **, const char *path, int append);
/* Append the finished job's line in a single write.  0 or -errno. */
int	joblog_write(struct joblog *, const struct job *, const char *cmd);
void	joblog_close(struct joblog *);

/*
 * How a job is logged, as GNU does: exited with N gives N and 0; killed
 * by signal S gives 0 and S; a timed-out job gives -1 and the signal
 * that ended it (0 if it exited); could not be executed gives 126 or
 * 127 and 0; a worker lost gives -1 and 0.
 */
void	joblog_status(const struct job *, int *exitval, int *signo);

/*
 * The columns from Seq to Signal, appended to b with sep between them;
 * pad: JobRuntime right-aligned in 10 columns, as in the log.
 */
void	joblog_columns(struct buf *b, const struct job *, char sep, int pad);
/* The line for a job, appended to b (the format above, with "\n"). */
void	joblog_line(struct buf *b, const struct job *, const char *cmd);

#endif
