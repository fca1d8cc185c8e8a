/*
 * reader: the record reader under the input sources.  A reader holds
 * one descriptor and one buffer, and cuts the bytes into records at the
 * delimiter (newline, -0, -d; with --csv not inside double quotes, as
 * RFC 4180 has it): a record is NUL-ended in place, so every
 * value stays a C string without a copy.  A final record without a
 * delimiter still counts.  Under -L a record ending in a blank goes on
 * into the next one, the delimiter between them removed, as GNU
 * parallel joins such lines.  The rules that decide which records count
 * (-E ends the source, -r skips blank ones) live here too, so that
 * reading and counting ahead always agree.
 *
 * A reader's buffer moves only when it is compacted, before a read that
 * may move it; the owner learns by how much through moved(), so that
 * the offsets it keeps into the buffer stay true.
 *
 * Single-threaded: only the scheduler's thread reads.
 */
#ifndef FANOUT_READER_H
#define FANOUT_READER_H

#include <stddef.h>
#include <sys/types.h>

#include "util.h"

/* What makes a record, and which records count. */
struct reader_rules {
	const char	*delim;		/* the bytes that end a record */
	size_t		 delimlen;	/* at least 1 */
	int		 csv;		/* --csv: no delimiter inside quotes */
	const char	*eof_str;	/* -E: the record that ends input */
	size_t		 eoflen;	/* SIZE_MAX: no -E */
	int		 skip_blank;	/* -r */
	int		 join;		/* -L: a trailing blank joins */
};

struct reader {
	int		 fd;		/* -1 when none */
	int		 owned;		/* we opened it: close it */
	int		 pollable;	/* not a regular file */
	int		 eof;		/* read(2) returned 0 */
	const struct reader_rules *ru;
	int		 quoted;	/* --csv: scan is inside quotes */
	struct buf	 b;
	size_t		 pos;		/* first byte not yet taken */
	size_t		 scan;		/* no delimiter in [pos, scan) */
	size_t		 keep;		/* bytes before it are garbage */
	size_t		 join;		/* a delimiter to remove, or SIZE_MAX */
	/* Called with the shift after a compaction; may be NULL. */
	void		(*moved)(void *ctx, size_t shift);
	void		*ctx;
};

/*
 * What reader_count() found from c->pos on, as records would be taken
 * (-E, -r, -L joining).  Start from the zero value and pos.
 */
struct reader_count {
	size_t	 pos;
	size_t	 nrec;
	int	 open;		/* the last record goes on */
	int	 end;		/* all of the source was counted */
};

/*
 * Open path for reading, or standard input when path is NULL or "-",
 * its records cut by ru, which must outlive the reader.  0, or -errno with *failed naming
 * what failed ("open" or "read").
 */
int	reader_open(struct reader *, const char *path,
	    const struct reader_rules *ru, const char **failed);
/*
 * The first whole delimiter of ru in p[0, n), or NULL.  Under --csv
 * one inside double quotes does not count; *quoted carries whether p
 * starts inside quotes, and says whether p[0, n - delimlen + 1) ends
 * inside them: the last delimlen - 1 bytes, where a delimiter may yet
 * begin, are not looked at.
 */
char	*reader_delim(const struct reader_rules *ru, const char *p, size_t n,
	    int *quoted);
/*
 * One read(2).  With wait, an interrupted or would-block read is
 * retried after poll(); without, it is no progress.  Unless movable,
 * the bytes stay where they are.  0 or -errno.
 */
int	reader_fill(struct reader *, int wait, int movable);
/* Move the live bytes to the front now (calls moved()). */
void	reader_compact(struct reader *);
/*
 * The next raw record, NUL-ended in place: 1 and *off, *len; 0 at the
 * end; -EAGAIN when a read is needed and may_block is not set.  Records
 * -L joins come as one; an -E record after a joining one ends it.
 */
int	reader_record(struct reader *, size_t *off, size_t *len,
	    int may_block);
void	reader_close(struct reader *);

/* Whether the record p[0, len) is blank (spaces, tabs, CR, LF). */
int	reader_blank(const char *p, size_t len);
/* Whether the record ends the input (-E). */
int	reader_is_end(const struct reader_rules *, const char *p,
	    size_t len);
/*
 * Whether the record p[0, len) goes on into the next one: under -L it
 * ends in a blank, as Perl's \s has it (GNU parallel's test), and is
 * not one -r skips.
 */
int	reader_joins(const struct reader_rules *, const char *p, size_t len);
/*
 * Count the records of p[c->pos, len) without touching them; eof says
 * that nothing follows len.  Stops before an incomplete last record.
 */
void	reader_count(const struct reader_rules *, const char *p, size_t len,
	    int eof, struct reader_count *c);
/*
 * Count, with pread(2) from offset off (so that no offset moves), the
 * records of the regular file fd that follow what c has seen, starting
 * with the bytes tail[0, ntail) of an unfinished record.  0 or -errno.
 */
int	reader_count_file(const struct reader_rules *, int fd, off_t off,
	    const char *tail, size_t ntail, struct reader_count *c);

#endif
