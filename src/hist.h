/*
 * hist: quantiles of a stream of non-negative values (nanoseconds) in
 * bounded memory.  The first HIST_EXACT values are kept as they are, so
 * quantiles are exact for runs of up to that many jobs; past it, every
 * value goes into a fixed table of logarithmic buckets (32 per power of
 * two, about 15 KiB), and a quantile is the middle of its bucket: within
 * about 1.6% of the true value.  min, max, count and sum stay exact.
 *
 * Quantiles use the nearest-rank definition: the smallest value with at
 * least q of all values at or below it.
 *
 * Not thread-safe; the zero value is an empty histogram.
 */
#ifndef FANOUT_HIST_H
#define FANOUT_HIST_H

#include <stddef.h>
#include <stdint.h>

#define HIST_EXACT	65536
#define HIST_NBUCKET	(32 + (64 - 5) * 32)

struct hist {
	int64_t		*exact;		/* the first values */
	size_t		 cap;
	int		 sorted;
	uint64_t	*bucket;	/* after */
	uint64_t	 count;
	int64_t		 min, max;
	double		 sum;
};

/* Add a value; negative values count as 0. */
void	hist_add(struct hist *, int64_t);
/*
 * The q-quantile (0 < q <= 1), or 0 when empty.  May sort in place; from
 * then on hist_add() keeps the exact values sorted, so asking after every
 * value costs a move of at most HIST_EXACT values each time, not a sort.
 */
int64_t	hist_quantile(struct hist *, double q);
/*
 * Count the values into n bins given by their upper bounds, le[0] <
 * le[1] < ... < le[n-1]: bin i counts the values v with le[i-1] < v <=
 * le[i], bin 0 every v <= le[0], and the last bin also any v above
 * le[n-1].  Past HIST_EXACT a value counts by its bucket's middle (held
 * between min and max).  The counts add up to count.
 */
void	hist_bins(const struct hist *, const int64_t *le, uint64_t *count,
	    size_t n);
/*
 * The values counted into the logarithmic buckets, count[HIST_NBUCKET]:
 * a histogram in a form another process can add up (hist_add_bucket()).
 */
void	hist_buckets(const struct hist *, uint64_t *count);
/* Add n values, all the middle of bucket i (< HIST_NBUCKET). */
void	hist_add_bucket(struct hist *, size_t i, uint64_t n);
/* Whether quantiles are exact. */
int	hist_is_exact(const struct hist *);
void	hist_free(struct hist *);

#endif
