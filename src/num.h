/*
 * num: every number fanout reads from its command line, its environment
 * or its own files, parsed strictly in one place.  A number is decimal
 * digits and nothing else: no blanks, no sign (unless a parser says so),
 * no hex, no exponent, no locale.  strtol and strtod take all of those,
 * so none of the parsers here uses them.
 *
 * Pure functions, safe from any thread: each returns 0 and fills its
 * output, or -EINVAL (not the form) or -ERANGE (the form, out of range),
 * the output then untouched, and prints nothing.
 */
#ifndef FANOUT_NUM_H
#define FANOUT_NUM_H

#include <stdint.h>

/* Digits only, the value in [min, max]. */
int	num_long(const char *s, long min, long max, long *out);

/*
 * An optional '+' or '-' and digits, in [min, max]: for fields of the
 * files fanout reads back (a joblog's Exitval is -1 for a job that did
 * not run), never for option values.
 */
int	num_signed(const char *s, long min, long max, long *out);
/*
 * num_signed for int64_t, for values that may pass a 32-bit long's
 * range (nanoseconds in --compare's stats line).
 */
int	num_int64(const char *s, int64_t min, int64_t max, int64_t *out);

/* Digits of base 8 or 16 only (0-9, a-f, A-F), in [0, max]. */
int	num_radix(const char *s, int base, unsigned long max,
	    unsigned long *out);

/*
 * A duration: decimal numbers (digits, at most one '.') each followed
 * by a unit (ms s m h d; the last may omit it, meaning s), summed, in
 * nanoseconds, at most 1e18.  No sign, exponent, hex or blanks.
 */
int	num_duration(const char *s, int64_t *ns);

/*
 * A percentage: digits, maybe '.' and more digits, then '%'.  The value
 * must be above 0 and at most max, compared exactly (1000000.0001% is
 * more than 1000000%).
 */
int	num_percent(const char *s, long max, double *out);

/*
 * -j: N, N% or +N/-N of ncpu (at least 1), or 0 (as many as the limits
 * allow): *unbounded is set and *jobs is 1000000.
 */
int	num_jobs(const char *s, long ncpu, long *jobs, int *unbounded);

/*
 * A decimal: digits, maybe '.' and more digits (no sign, no exponent),
 * at most max: a load average as /proc/loadavg writes it.
 */
int	num_decimal(const char *s, double max, double *out);

/*
 * --load: as -j, of ncpu: N or N.N, N%, +N, -N; GNU parallel's, who
 * takes a result under 0.01 (0, or -N at least ncpu) as 0.01.  At most
 * 1000000.
 */
int	num_load(const char *s, long ncpu, double *out);

/*
 * A size in bytes, GNU parallel's unit prefixes: a decimal (as
 * num_decimal) and at most one of K M G T P E (1024, 1024^2, ...) or
 * k m g t p e (1000, 1000^2, ...), which an 'i' or 'I' may follow (Ki,
 * ki: 1024), rounded down; at most INT64_MAX.  0 is a size: the caller
 * says whether it may be.  Also the counts GNU reads with these
 * prefixes (-n 1k).
 */
int	num_size(const char *s, int64_t *bytes);

#endif
