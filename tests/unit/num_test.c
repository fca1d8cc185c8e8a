/*
 * Unit tests of the strict integer parsers (src/num.c): num_long,
 * num_signed and num_int64 share one reader of digits, so each is probed
 * at its edges here; t0105-numbers.bats tests them through the options.
 * Also the decimals, loads and sizes of --load and --memfree.
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

static void
test_decimal(void)
{
	double v = 7;

	CHECK(num_decimal("0.52", 10, &v) == 0 && v == 0.52);
	CHECK(num_decimal("3", 10, &v) == 0 && v == 3);
	CHECK(num_decimal("0", 10, &v) == 0 && v == 0);
	CHECK(num_decimal("10.5", 10, &v) == -ERANGE && v == 0);
	CHECK(num_decimal("99999999999999999999999", 1e30, &v) == -ERANGE);
	CHECK(num_decimal("", 10, &v) == -EINVAL);
	CHECK(num_decimal(".5", 10, &v) == -EINVAL);
	CHECK(num_decimal("5.", 10, &v) == -EINVAL);
	CHECK(num_decimal("-1", 10, &v) == -EINVAL);
	CHECK(num_decimal("1e3", 1e9, &v) == -EINVAL);
	CHECK(num_decimal("1.2.3", 10, &v) == -EINVAL);
	CHECK(num_decimal(" 1", 10, &v) == -EINVAL);
	CHECK(num_decimal(NULL, 10, &v) == -EINVAL && v == 0);
}

static void
test_load(void)
{
	double v = 7;

	CHECK(num_load("2.5", 4, &v) == 0 && v == 2.5);
	CHECK(num_load("50%", 4, &v) == 0 && v == 2);
	CHECK(num_load("12.5%", 8, &v) == 0 && v == 1);
	CHECK(num_load("+1", 4, &v) == 0 && v == 5);
	CHECK(num_load("-1", 4, &v) == 0 && v == 3);
	/* GNU parallel's: nothing under 0.01. */
	CHECK(num_load("0", 4, &v) == 0 && v == 0.01);
	CHECK(num_load("-9", 4, &v) == 0 && v == 0.01);
	CHECK(num_load("0%", 4, &v) == 0 && v == 0.01);
	CHECK(num_load("1000000", 4, &v) == 0 && v == 1e6);
	CHECK(num_load("1000001", 4, &v) == -ERANGE);
	CHECK(num_load("+1000000", 4, &v) == -ERANGE);
	v = 7;
	CHECK(num_load("x", 4, &v) == -EINVAL && v == 7);
	CHECK(num_load("", 4, &v) == -EINVAL);
	CHECK(num_load("-", 4, &v) == -EINVAL);
	CHECK(num_load("%", 4, &v) == -EINVAL);
	CHECK(num_load("-1.5", 4, &v) == -EINVAL);
	CHECK(num_load("+-1", 4, &v) == -EINVAL);
	CHECK(num_load("1e3", 4, &v) == -EINVAL);
	CHECK(num_load("2%%", 4, &v) == -EINVAL);
	CHECK(v == 7);
}

static void
test_size(void)
{
	int64_t v = 7;

	CHECK(num_size("0", &v) == 0 && v == 0);
	CHECK(num_size("512", &v) == 0 && v == 512);
	CHECK(num_size("1K", &v) == 0 && v == 1024);
	CHECK(num_size("1k", &v) == 0 && v == 1000);
	CHECK(num_size("2M", &v) == 0 && v == 2 << 20);
	CHECK(num_size("2m", &v) == 0 && v == 2000000);
	CHECK(num_size("1.5G", &v) == 0 && v == 3LL << 29);
	CHECK(num_size("3g", &v) == 0 && v == 3000000000LL);
	CHECK(num_size("1T", &v) == 0 && v == 1LL << 40);
	CHECK(num_size("1t", &v) == 0 && v == 1000000000000LL);
	CHECK(num_size("1P", &v) == 0 && v == 1LL << 50);
	CHECK(num_size("1p", &v) == 0 && v == 1000000000000000LL);
	CHECK(num_size("0.5k", &v) == 0 && v == 500);
	CHECK(num_size("8191P", &v) == 0 && v == 8191LL << 50);
	v = 7;
	CHECK(num_size("8192P", &v) == -ERANGE && v == 7);
	CHECK(num_size("99999999999999999999", &v) == -ERANGE);
	CHECK(num_size("", &v) == -EINVAL);
	CHECK(num_size("K", &v) == -EINVAL);
	CHECK(num_size("1KB", &v) == -EINVAL);
	CHECK(num_size("1KK", &v) == -EINVAL);
	CHECK(num_size("1Ki", &v) == 0 && v == 1024);
	CHECK(num_size("2mi", &v) == 0 && v == 2 << 20);
	CHECK(num_size("1E", &v) == 0 && v == 1LL << 60);
	CHECK(num_size("2e", &v) == 0 && v == 2000000000000000000LL);
	CHECK(num_size("8E", &v) == -ERANGE);
	CHECK(num_size("1i", &v) == -EINVAL);
	CHECK(num_size("Ki", &v) == -EINVAL);
	CHECK(num_size("1Kii", &v) == -EINVAL);
	CHECK(num_size("1x", &v) == -EINVAL);
	CHECK(num_size("-1M", &v) == -EINVAL);
	CHECK(num_size(" 1M", &v) == -EINVAL);
	CHECK(num_size("1 M", &v) == -EINVAL);
	CHECK(num_size("1e3", &v) == -EINVAL);
	CHECK(num_size("0x10", &v) == -EINVAL);
	v = 7;
	CHECK(num_size("1Z", &v) == -EINVAL);
	CHECK(v == 7);
}

int
main(void)
{
	test_int64();
	test_long();
	test_decimal();
	test_load();
	test_size();
	return check_done("num");
}
