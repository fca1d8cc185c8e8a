/*
 * Unit tests of the strict integer parsers (src/num.c): num_long,
 * num_signed and num_int64 share one reader of digits, so each is probed
 * at its edges here; t0105-numbers.bats tests them through the options.
 * Prints one line per failure and a closing count; exits 1 on failure.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>

#include "check.h"
#include "num.h"

/* num_int64 over [min, max]: its return, and the value when it is 0. */
static int
i64(const char *s, int64_t min, int64_t max, int64_t *v)
{
	*v = 12345;
	return num_int64(s, min, max, v);
}

static void
test_int64(void)
{
	int64_t v;

	CHECK(i64("0", INT64_MIN, INT64_MAX, &v) == 0 && v == 0);
	CHECK(i64("-7", INT64_MIN, INT64_MAX, &v) == 0 && v == -7);
	CHECK(i64("+7", INT64_MIN, INT64_MAX, &v) == 0 && v == 7);
	CHECK(i64("9223372036854775807", INT64_MIN, INT64_MAX, &v) == 0 &&
	    v == INT64_MAX);
	CHECK(i64("-9223372036854775807", INT64_MIN, INT64_MAX, &v) == 0 &&
	    v == -INT64_MAX);
	/* Past 32 bits: what a long may not hold. */
	CHECK(i64("5000000000", 0, INT64_MAX, &v) == 0 && v == 5000000000LL);
	CHECK(i64("9223372036854775808", INT64_MIN, INT64_MAX, &v) ==
	    -ERANGE && v == 12345);
	CHECK(i64("-9223372036854775808", INT64_MIN, INT64_MAX, &v) ==
	    -ERANGE);
	CHECK(i64("99999999999999999999999", INT64_MIN, INT64_MAX, &v) ==
	    -ERANGE);
	CHECK(i64("11", 0, 10, &v) == -ERANGE && v == 12345);
	CHECK(i64("-1", 0, 10, &v) == -ERANGE);
	/* The form: digits after at most one sign, and nothing else. */
	CHECK(i64("", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64("-", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64("--1", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64(" 1", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64("1 ", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64("0x10", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64("1e3", INT64_MIN, INT64_MAX, &v) == -EINVAL);
	CHECK(i64(NULL, INT64_MIN, INT64_MAX, &v) == -EINVAL && v == 12345);
}

static void
test_long(void)
{
	long v = 12345;

	CHECK(num_long("42", 0, 100, &v) == 0 && v == 42);
	CHECK(num_long("+42", 0, 100, &v) == -EINVAL);
	CHECK(num_long("-1", -5, 100, &v) == -EINVAL);
	CHECK(num_long("101", 0, 100, &v) == -ERANGE && v == 42);
	CHECK(num_long(NULL, 0, 100, &v) == -EINVAL);
	CHECK(num_signed("-3", -5, 5, &v) == 0 && v == -3);
	CHECK(num_signed("+3", -5, 5, &v) == 0 && v == 3);
	CHECK(num_signed("-6", -5, 5, &v) == -ERANGE && v == 3);
	CHECK(num_signed("+", -5, 5, &v) == -EINVAL);
	CHECK(num_signed("9223372036854775808", LONG_MIN, LONG_MAX, &v) ==
	    -ERANGE);
}

int
main(void)
{
	test_int64();
	test_long();
	return check_done("num");
}
