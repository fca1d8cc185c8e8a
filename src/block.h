/*
 * block: --pipe's blocks, cut from a stream at record boundaries.
 *
 * A record ends with --recend (default a newline) and begins with
 * --recstart (default nothing); with both, a boundary is where one ends
 * and the next begins; with neither, every byte is a boundary.  With
 * --regexp both are Perl-flavoured regular expressions (colsep.h's
 * translation).  A block is about size bytes: it ends at the last
 * boundary within size bytes of its start, or, when a record is longer
 * than that, at the end of that record, so that no record is ever cut.
 * With records > 0 a block holds exactly that many records instead (the
 * last one fewer).  The header's records (--header) are taken once and
 * come first in every block; --rrs drops the separators.
 *
 * The blocks, concatenated without their headers, are the stream byte
 * for byte (unless --rrs): any byte passes, NUL included, and a final
 * record without an end is the last block's last record.
 *
 * A block is held in memory until it is handed out, so memory is about
 * one block plus one read, or the longest record when it is longer.
 *
 * Single-threaded: only the scheduler's thread reads.
 */
#ifndef FANOUT_BLOCK_H
#define FANOUT_BLOCK_H

#include <stddef.h>

struct block_rules {
	const char	*recend;	/* bytes, or an ERE source with regexp */
	size_t		 recend_len;
	const char	*recstart;
	size_t		 recstart_len;
	int		 regexp;
	int		 rrs;		/* --rrs: drop the separators */
	size_t		 size;		/* about so many bytes a block */
	long		 records;	/* exactly so many; 0: by size */
	long		 header;	/* records atop every block */
};

/* A block: the header's bytes, then its own. */
struct block {
	const char	*head;
	size_t		 head_len;
	const char	*p;
	size_t		 len;
};

struct blocker;

/*
 * Cut path's bytes (NULL or "-": standard input) by ru.  0, or -errno:
 * -EINVAL for a bad --regexp with the reason in msg (msgsize bytes),
 * else the file's errno.
 */
int	block_open(struct blocker **, const struct block_rules *ru,
	    const char *path, char *msg, size_t msgsize);
/*
 * The next block: 1 and *b (valid until the next call that is not
 * block_keep); 0 at the end; -EAGAIN when more input is needed: wait
 * until block_fd() is readable, call block_fill(), and ask again.
 */
int	block_next(struct blocker *, struct block *b);
/* Take back the block just handed out: the next call gives it again. */
void	block_keep(struct blocker *);
int	block_fd(const struct blocker *);
/* Read what is there now, without blocking on a pipe.  0 or -errno. */
int	block_fill(struct blocker *);
void	block_close(struct blocker *);

#endif
