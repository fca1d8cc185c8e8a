/*
 * columns: one record's values.  A record is split at --colsep
 * (colsep.h), or as CSV (--csv), and each value trimmed (--trim).  Under no separator or a
 * literal one the values stay in the record's own buffer: separators
 * are overwritten with NUL in place, so every value is NUL-ended
 * without a copy.  A regular expression's values, and CSV's unquoted
 * ones, are copied into the columns' buffer instead, since an empty
 * match leaves no byte to overwrite.
 *
 * Values are spans, an offset into a buffer and a length rather than
 * pointers, so that their buffer may move (a reader compacts) and the
 * owner can shift them.
 *
 * Single-threaded: only the scheduler's thread splits.
 */
#ifndef FANOUT_COLUMNS_H
#define FANOUT_COLUMNS_H

#include <stddef.h>

#include "colsep.h"
#include "util.h"

/*
 * Where a span's bytes are: in its record's buffer, or in the columns'
 * buffer.  Kinds from SPAN_OTHER on are the caller's to define.
 */
enum { SPAN_REC, SPAN_COLS, SPAN_OTHER };

struct span {
	size_t		 kind;
	size_t		 off;
	size_t		 len;
};

struct spans {
	struct span	*v;
	size_t		 n;
	size_t		 cap;
};

struct columns {
	struct colsep	 colsep;
	int		 csv;		/* --csv: RFC 4180 fields */
	int		 trim_left, trim_right;
	struct buf	 buf;		/* SPAN_COLS values, NUL-ended */
};

/* Append a span to sv. */
void	columns_push(struct spans *sv, size_t kind, size_t off, size_t len);

/*
 * Compile --colsep sep and note --csv and --trim.  Under --csv sep must
 * be one byte: a field in double quotes may hold it, the delimiter, and
 * "" for a quote; the quotes go, and a CR ending the record goes too.
 * 0, or -EINVAL with the reason in msg (msgsize bytes).
 */
int	columns_init(struct columns *, const char *sep, int csv,
	    int trim_left, int trim_right, char *msg, size_t msgsize);
void	columns_free(struct columns *);

/*
 * Split the record base[off, off + len), NUL-ended and writable, into
 * its values, trimmed, appended to out: at least one.
 */
void	columns_split(struct columns *, char *base, size_t off, size_t len,
	    struct spans *out);

/* The bytes of a SPAN_REC or SPAN_COLS value; base is its record's. */
char	*columns_ptr(const struct columns *, char *base,
	    const struct span *);

#endif
