/*
 * held: the records of a source read whole (a ::: list, a file beside
 * the streamed source), kept for as long as the input lasts, since
 * every combination may come back to them.  Each record is a run of
 * values, each copied NUL-ended into one buffer; records and values are
 * looked up by number.  The buffer grows, and so moves, while records
 * are added: a value is named by its offset in data, which stays true.
 *
 * Single-threaded: only the scheduler's thread uses it.
 */
#ifndef FANOUT_HELD_H
#define FANOUT_HELD_H

#include <stddef.h>

#include "util.h"

/* Start from the zero value.  Value c is data[coff[c], coff[c + 1] - 1). */
struct held {
	struct buf	 data;
	size_t		*coff;		/* ncols + 1 */
	size_t		 ncols, capcols;
	size_t		*rec;		/* first value of record i */
	size_t		 nrec, caprec;
};

/* Start a record. */
void	held_begin(struct held *);
/* Append the value p[0, len) to the record begun last. */
void	held_add(struct held *, const char *p, size_t len);
/* The values of record r (< nrec) are [*first, *end). */
void	held_values(const struct held *, size_t r, size_t *first,
	    size_t *end);
/* Value c's offset in data; its length in *len. */
size_t	held_value(const struct held *, size_t c, size_t *len);
void	held_free(struct held *);

#endif
