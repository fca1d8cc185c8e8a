/*
 * sources: the input sources (standard input, -a and :::: files, :::
 * words) and their combinations, under the input (input.h), which packs
 * combinations into jobs.
 *
 * Every source yields records, each filtered (-E ends its source, -r
 * and -L drop blank ones, --header takes the first as column names),
 * split into columns (--colsep; at TAB under --header) and trimmed
 * (--trim).  Sources form
 * groups: a source linked to the previous one (":::+", "::::+", --link)
 * joins its group, whose element i is record i mod n of each member;
 * the group ends with its shortest member, or its longest under --link.
 * A combination takes one element of every group, the first group
 * varying slowest; its values are the columns of each source in order.
 * Among several sources, an empty one (-E may empty it) has one record
 * of empty values, as in GNU parallel, unless all of them are empty.
 *
 * When the first group is a single file or standard input it is
 * streamed, its records read as combinations are taken; every other
 * source is held, read whole by sources_open().
 *
 * The values of the combinations taken are pending, numbered from 0 in
 * the order taken, until sources_release() drops them.  The bytes of a
 * pending value belong to the sources; a pointer to them from
 * sources_value() stays valid until the next sources_next(),
 * sources_release(), sources_slurp(), sources_peek() or movable
 * sources_fill(), any of which may move the stream's buffer.
 *
 * Single-threaded: only the scheduler's thread calls these.
 */
#ifndef FANOUT_SOURCES_H
#define FANOUT_SOURCES_H

#include <stddef.h>

struct config;
struct sources;

/* What is still to come, counted ahead without taking it. */
struct sources_count {
	size_t	 combos;	/* combinations */
};

/*
 * Open the sources named by cfg (standard input when it names none),
 * read the held ones and the streamed one's --header line.  0, or
 * -errno with the reason, naming the file that failed, in msg (msgsize
 * bytes).
 */
int	sources_open(struct sources **, const struct config *cfg,
	    char *msg, size_t msgsize);
void	sources_close(struct sources *);

/* How many sources there are: 1 when cfg names none. */
size_t	sources_len(const struct sources *);

/*
 * The column names from --header, in value order, or NULL.  Under
 * --header 0, each file source's path at its source's place (NULL for
 * the others).  Valid for the life of the sources.
 */
const char *const *sources_names(const struct sources *, size_t *n);

/*
 * Take the next combination: its values become the last pending ones.
 * 1; 0 when none is left; -EAGAIN when the
 * stream needs a read that could block (see sources_fd()); another
 * -errno on a read error.
 */
int	sources_next(struct sources *);
/* The number of pending values. */
size_t	sources_pending(const struct sources *);
/* Pending value i: its bytes, NUL-ended, and its length in *len. */
const char *sources_value(const struct sources *, size_t i, size_t *len);
/*
 * The first n pending values are no longer needed; the others stay
 * pending, renumbered from 0.  The buffers may forget what no pending
 * value points into.
 */
void	sources_release(struct sources *, size_t n);

/*
 * The streamed source's descriptor while a read of it could block (a
 * pipe, FIFO, socket or terminal) and it has not ended; else -1.
 */
int	sources_fd(const struct sources *);
/*
 * One read(2) from the streamed source, when sources_fd() has one.
 * Unless movable, the buffered bytes stay where they are, so pending
 * values keep their pointers.  0, or -errno (-EAGAIN is fine).
 */
int	sources_fill(struct sources *, int movable);

/*
 * What is left, when it is known without reading: 1 and *c when no
 * source is streamed or none has a record; 0 when the stream must be
 * read to know.
 */
int	sources_known(const struct sources *, struct sources_count *c);
/*
 * Read the stream ahead, not taking anything, until more than limit
 * bytes wait in its buffer or it ends, and count what waits: 1 when *c
 * is all that is left (sources_known() cases included), 0 when more
 * follows; -EAGAIN when the stream could block, so nothing is read
 * ahead; another -errno on a read error.
 */
int	sources_peek(struct sources *, size_t limit, struct sources_count *c);
/*
 * Read all of the stream now, blocking if need be, and count it: 1
 * and *c; 0 when nothing is streamed; -errno on a read error.
 */
int	sources_slurp(struct sources *, struct sources_count *c);
/*
 * Count the stream ahead with pread(2) when it is a regular file, so
 * that no offset moves and nothing is held: 1 and *c; 0 when nothing
 * is streamed or the stream is not a regular file; -errno when
 * counting failed.
 */
int	sources_count_file(struct sources *, struct sources_count *c);

#endif
