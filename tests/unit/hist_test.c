/*
 * Unit tests of hist_bins() (src/hist.c): the bins' counts add up to the
 * values counted, each value lands in the bin its bounds give, and past
 * HIST_EXACT, where values are only kept by bucket, the same holds for
 * values far enough from a bound.  A histogram handed on as its buckets
 * (hist_buckets(), hist_add_bucket(), as --compare's passes do) adds up
 * to as many values in the same bins.
 * Prints one line per failure and a closing count; exits 1 on failure.
 */
#include <stdint.h>

#include "check.h"
#include "hist.h"

static uint64_t
sum(const uint64_t *c, size_t n)
{
	uint64_t s = 0;
	size_t i;

	for (i = 0; i < n; i++)
		s += c[i];
	return s;
}

static void
test_exact(void)
{
	static const int64_t le[] = { 10, 100, 1000 };
	struct hist h = { 0 };
	uint64_t c[3];

	hist_add(&h, 10);	/* on a bound: that bin */
	hist_add(&h, 0);
	hist_add(&h, 11);
	hist_add(&h, 1000);
	hist_add(&h, 5000);	/* above the last bound: the last bin */
	hist_bins(&h, le, c, 3);
	CHECK(c[0] == 2 && c[1] == 1 && c[2] == 2);
	CHECK(sum(c, 3) == h.count);
	hist_free(&h);
}

static void
test_buckets(void)
{
	static const int64_t le[] = { 2000000, 20000000, 200000000 };
	struct hist h = { 0 };
	uint64_t c[3], i;

	/* Three of every four fast (1ms), one slow (100ms): past exact. */
	for (i = 0; i < 4 * (uint64_t)HIST_EXACT; i++)
		hist_add(&h, i % 4 == 3 ? 100000000 : 1000000);
	CHECK(!hist_is_exact(&h));
	hist_bins(&h, le, c, 3);
	CHECK(c[0] == 3 * (uint64_t)HIST_EXACT);
	CHECK(c[1] == 0);
	CHECK(c[2] == (uint64_t)HIST_EXACT);
	CHECK(sum(c, 3) == h.count);
	hist_free(&h);
}

/* Into h2, the buckets of h; then both binned by le: the same counts. */
static void
check_handed_on(const struct hist *h, const int64_t *le, size_t n)
{
	static uint64_t count[HIST_NBUCKET];
	struct hist h2 = { 0 };
	uint64_t c[3], c2[3];
	size_t i;

	hist_buckets(h, count);
	for (i = 0; i < HIST_NBUCKET; i++)
		hist_add_bucket(&h2, i, count[i]);
	CHECK(h2.count == h->count);
	hist_bins(h, le, c, n);
	hist_bins(&h2, le, c2, n);
	for (i = 0; i < n; i++)
		CHECK(c[i] == c2[i]);
	hist_free(&h2);
}

static void
test_handed_on(void)
{
	static const int64_t le[] = { 2000000, 20000000, 200000000 };
	struct hist h = { 0 };
	uint64_t i;

	/* Exact values, then past HIST_EXACT: both hand on their buckets. */
	for (i = 0; i < 100; i++)
		hist_add(&h, i % 4 == 3 ? 100000000 : 1000000 + (int64_t)i);
	check_handed_on(&h, le, 3);
	for (i = 0; i < 2 * (uint64_t)HIST_EXACT; i++)
		hist_add(&h, i % 4 == 3 ? 100000000 : 1000000);
	CHECK(!hist_is_exact(&h));
	check_handed_on(&h, le, 3);
	hist_free(&h);
}

int
main(void)
{
	test_exact();
	test_buckets();
	test_handed_on();
	return check_done("hist");
}
