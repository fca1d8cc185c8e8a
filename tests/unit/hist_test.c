/*
 * Unit tests of hist_bins() (src/hist.c): the bins' counts add up to the
 * values counted, each value lands in the bin its bounds give, and past
 * HIST_EXACT, where values are only kept by bucket, the same holds for
 * values far enough from a bound.
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

int
main(void)
{
	test_exact();
	test_buckets();
	return check_done("hist");
}
