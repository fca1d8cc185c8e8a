/*
 * history: what an earlier run's joblog (joblog.h has the format) says,
 * for --resume, --resume-failed and --retry-failed.  It accepts GNU's
 * logs and ours: the first line is skipped when it is a header (GNU
 * always skips it; fanout also accepts a log without one, as GNU's
 * --joblog +FILE writes); any other line that is not nine TAB-separated
 * fields with numbers where numbers go is an error.
 *
 * Single-threaded; the scheduler's thread.
 */
#ifndef FANOUT_HISTORY_H
#define FANOUT_HISTORY_H

#include <stddef.h>
#include <stdint.h>

/* What an earlier run's log says. */
enum history_want {
	HISTORY_LOGGED,		/* --resume: every logged Seq is done */
	HISTORY_SUCCEEDED,	/* --resume-failed: only Exitval 0, Signal 0 */
};

struct history_cmd {
	long	 seq;
	char	*cmd;
	size_t	 line;		/* its line: the last one is kept */
};

struct history {
	uint64_t		*bits;	/* Seqs that are done */
	size_t			 nwords;
	struct history_cmd	*failed;	/* never succeeded, by Seq */
	size_t			 nfailed, cap;
};

/*
 * Read path.  A missing file is an empty log (0, nothing seen).  On a
 * malformed line returns -EINVAL with *bad_line set (from 1).  With
 * keep_failed, the commands of the Seqs that never succeeded are kept,
 * the last logged one for each, sorted by Seq.  0 or -errno.
 */
int	history_read(struct history *, const char *path,
	    enum history_want, int keep_failed, size_t *bad_line);
/*
 * history_read for an option: a missing file is an error when
 * must_exist (--retry-failed: nothing to retry is a mistake).  0 or
 * -errno with the message, naming the option and the file, in msg
 * (msgsize bytes; -EINVAL: the message alone says it).
 */
int	history_load(struct history *, const char *path,
	    enum history_want, int keep_failed, int must_exist, char *msg,
	    size_t msgsize);
int	history_has(const struct history *, long seq);
void	history_free(struct history *);

#endif
