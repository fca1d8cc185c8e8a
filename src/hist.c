/*
 * hist: exact values up to HIST_EXACT, then log-linear buckets.  Bucket
 * i < 32 holds the value i; above, a value with its highest set bit at
 * e (e >= 5) goes by its next five bits into one of 32 buckets per
 * power of two.
 */
#include "hist.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define SUB	32			/* buckets per power of two */
#define NBUCKET	HIST_NBUCKET

static size_t
bucket_of(uint64_t v)
{
	int e;

	if (v < SUB)
		return (size_t)v;
	e = 63 - __builtin_clzll(v);
	return SUB + (size_t)(e - 5) * SUB +
	    (size_t)((v >> (e - 5)) & (SUB - 1));
}

/* The middle of bucket i. */
static int64_t
bucket_mid(size_t i)
{
	uint64_t e, lo, width;

	if (i < SUB)
		return (int64_t)i;
	e = (i - SUB) / SUB + 5;
	width = (uint64_t)1 << (e - 5);
	lo = ((uint64_t)1 << e) + (uint64_t)((i - SUB) % SUB) * width;
	return (int64_t)(lo + width / 2);
}

static void
bucket_add(struct hist *h, int64_t v)
{
	h->bucket[bucket_of((uint64_t)v)]++;
}

/*
 * Once a quantile was asked for, the values stay sorted: a caller that
 * asks after every value (--timeout N%) pays a move of at most
 * HIST_EXACT values for each, not a sort.
 */
static void
insert_sorted(struct hist *h, int64_t v)
{
	size_t lo = 0, hi = (size_t)h->count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (h->exact[mid] <= v)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(h->exact + lo + 1, h->exact + lo,
	    ((size_t)h->count - lo) * sizeof(*h->exact));
	h->exact[lo] = v;
}

void
hist_add(struct hist *h, int64_t v)
{
	size_t i;

	if (v < 0)
		v = 0;
	if (h->count == 0 || v < h->min)
		h->min = v;
	if (h->count == 0 || v > h->max)
		h->max = v;
	h->sum += (double)v;
	if (h->bucket == NULL && h->count == HIST_EXACT) {
		/* Memory stays bounded: from here on, buckets. */
		h->bucket = xcalloc(NBUCKET, sizeof(*h->bucket));
		for (i = 0; i < h->count; i++)
			bucket_add(h, h->exact[i]);
		free(h->exact);
		h->exact = NULL;
		h->cap = 0;
	}
	if (h->bucket != NULL)
		bucket_add(h, v);
	else {
		h->exact = xgrow(h->exact, &h->cap, (size_t)h->count + 1,
		    sizeof(*h->exact));
		if (h->sorted)
			insert_sorted(h, v);
		else
			h->exact[h->count] = v;
	}
	h->count++;
}

int64_t
hist_quantile(struct hist *h, double q)
{
	uint64_t rank, seen = 0;
	int64_t v;
	size_t i;

	if (h->count == 0)
		return 0;
	/* ceil(q * count), without libm. */
	rank = (uint64_t)(q * (double)h->count);
	if ((double)rank < q * (double)h->count)
		rank++;
	if (rank < 1)
		rank = 1;
	if (rank > h->count)
		rank = h->count;
	if (h->bucket == NULL) {
		if (!h->sorted) {
			qsort(h->exact, (size_t)h->count, sizeof(*h->exact),
			    cmp_int64);
			h->sorted = 1;
		}
		return h->exact[rank - 1];
	}
	for (i = 0; i < NBUCKET; i++) {
		seen += h->bucket[i];
		if (seen >= rank)
			break;
	}
	v = bucket_mid(i < NBUCKET ? i : NBUCKET - 1);
	if (v < h->min)
		v = h->min;
	if (v > h->max)
		v = h->max;
	return v;
}

/* The bin of v: the first whose upper bound is at or above v. */
static size_t
bin_of(const int64_t *le, size_t n, int64_t v)
{
	size_t lo = 0, hi = n - 1, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (le[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void
hist_bins(const struct hist *h, const int64_t *le, uint64_t *count,
    size_t n)
{
	int64_t v;
	size_t i;

	if (n == 0)
		return;
	memset(count, 0, n * sizeof(*count));
	if (h->bucket == NULL) {
		for (i = 0; i < h->count; i++)
			count[bin_of(le, n, h->exact[i])]++;
		return;
	}
	for (i = 0; i < NBUCKET; i++) {
		if (h->bucket[i] == 0)
			continue;
		v = bucket_mid(i);
		if (v < h->min)
			v = h->min;
		if (v > h->max)
			v = h->max;
		count[bin_of(le, n, v)] += h->bucket[i];
	}
}

void
hist_buckets(const struct hist *h, uint64_t *count)
{
	size_t i;

	if (h->bucket != NULL) {
		memcpy(count, h->bucket, NBUCKET * sizeof(*count));
		return;
	}
	memset(count, 0, NBUCKET * sizeof(*count));
	for (i = 0; i < h->count; i++)
		count[bucket_of((uint64_t)h->exact[i])]++;
}

void
hist_add_bucket(struct hist *h, size_t i, uint64_t n)
{
	int64_t v = bucket_mid(i);

	while (n-- > 0)
		hist_add(h, v);
}

int
hist_is_exact(const struct hist *h)
{
	return h->bucket == NULL;
}

void
hist_free(struct hist *h)
{
	free(h->exact);
	free(h->bucket);
	h->exact = NULL;
	h->bucket = NULL;
	h->count = 0;
	h->cap = 0;
}
