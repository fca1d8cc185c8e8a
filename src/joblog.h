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
 * Reading (for --resume, --resume-failed, --retry-failed) accepts GNU's
 * logs and ours: the first line is skipped when it is a header (GNU
 * always skips it; fanout also accepts a log without one, as GNU's
 * --joblog +FILE writes); any other line that is not nine TAB-separated
 * fields with numbers where numbers go is an error.
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
 * the end.  The header is written when the file is empty.  0 or -errno.
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

/* The line for a job, appended to b (the format above, with "\n"). */
void	joblog_line(struct buf *b, const struct job *, const char *cmd);

/* What an earlier run's log says. */
enum joblog_want {
	JOBLOG_LOGGED,		/* --resume: every logged Seq is done */
	JOBLOG_SUCCEEDED,	/* --resume-failed: only Exitval 0, Signal 0 */
};

struct joblog_cmd {
	long	 seq;
	char	*cmd;
	size_t	 line;		/* its line: the last one is kept */
};

struct joblog_seen {
	uint64_t		*bits;	/* Seqs that are done */
	size_t			 nwords;
	struct joblog_cmd	*failed;	/* never succeeded, by Seq */
	size_t			 nfailed, cap;
};

/*
 * Read path.  A missing file is an empty log (0, nothing seen).  On a
 * malformed line returns -EINVAL with *bad_line set (from 1).  With
 * keep_failed, the commands of the Seqs that never succeeded are kept,
 * the last logged one for each, sorted by Seq.  0 or -errno.
 */
int	joblog_read(struct joblog_seen *, const char *path,
	    enum joblog_want, int keep_failed, size_t *bad_line);
int	joblog_seen_has(const struct joblog_seen *, long seq);
void	joblog_seen_free(struct joblog_seen *);

#endif
