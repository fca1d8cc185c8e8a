/*
 * num: strict parsing of numbers, by hand.  Every parser first checks
 * the whole string against its grammar and only then computes a value,
 * so that no form outside the grammar (a sign, a blank, 0x10, 1e3) is
 * ever taken, and overflow is found while the digits are read.
 */
#include "num.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <string.h>

#define JOBS_MAX	1000000L
#define LOAD_MAX	1000000L
#define LOAD_MIN	0.01

static int
digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The one reader of decimal digits; num_signed and num_long narrow it. */
int
num_int64(const char *s, int64_t min, int64_t max, int64_t *out)
{
	uint64_t u = 0;
	int64_t v;
	int neg, over = 0;

	if (s == NULL)
		return -EINVAL;
	neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (!digit(*s))
		return -EINVAL;
	/* -INT64_MIN is out of range: INT64_MIN itself is refused. */
	for (; digit(*s); s++) {
		if (u > ((uint64_t)INT64_MAX - (uint64_t)(*s - '0')) / 10)
			over = 1;
		else
			u = u * 10 + (uint64_t)(*s - '0');
	}
	if (*s != '\0')
		return -EINVAL;
	v = neg ? -(int64_t)u : (int64_t)u;
	if (over || v < min || v > max)
		return -ERANGE;
	*out = v;
	return 0;
}

int
num_signed(const char *s, long min, long max, long *out)
{
	int64_t v;
	int r;

	/* long is never wider than int64_t. */
	if ((r = num_int64(s, min, max, &v)) < 0)
		return r;
	*out = (long)v;
	return 0;
}

int
num_long(const char *s, long min, long max, long *out)
{
	/* num_signed without the sign. */
	if (s == NULL || !digit(*s))
		return -EINVAL;
	return num_signed(s, min, max, out);
}

int
num_radix(const char *s, int base, unsigned long max, unsigned long *out)
{
	static const char xdigits[] = "0123456789abcdef";
	unsigned long v = 0;
	const char *d;
	int over = 0;

	if (s == NULL || *s == '\0' || (base != 8 && base != 16))
		return -EINVAL;
	for (; *s != '\0'; s++) {
		d = memchr(xdigits, *s >= 'A' && *s <= 'F' ? *s - 'A' + 'a' :
		    *s, (size_t)base);
		if (d == NULL)
			return -EINVAL;
		if ((unsigned long)(d - xdigits) > max ||
		    v > (max - (unsigned long)(d - xdigits)) / (unsigned)base)
			over = 1;
		else
			v = v * (unsigned)base + (unsigned long)(d - xdigits);
	}
	if (over)
		return -ERANGE;
	*out = v;
	return 0;
}

/*
 * Digits with at most one '.' and at least one digit, from s: its end in
 * *end, the whole part in *whole (ULONG_MAX when it is more) and the
 * fraction in *frac, so that a caller can compare with a limit exactly.
 */
static int
decimal(const char *s, const char **end, unsigned long *whole,
    long double *frac)
{
	long double scale = 1;
	const char *p = s;
	unsigned long w = 0;
	int n = 0;

	*frac = 0;
	for (; digit(*p); p++, n++)
		w = w > (ULONG_MAX - 9) / 10 ? ULONG_MAX :
		    w * 10 + (unsigned long)(*p - '0');
	if (*p == '.')
		for (p++; digit(*p); p++, n++) {
			scale /= 10;
			*frac += (*p - '0') * scale;
		}
	if (n == 0)
		return -EINVAL;
	*end = p;
	*whole = w;
	return 0;
}

int
num_duration(const char *s, int64_t *ns)
{
	static const struct {
		const char	*unit;
		long double	 ns;
	} units[] = {
		{ "ms", 1e6L }, { "s", 1e9L }, { "m", 60e9L }, { "h", 3600e9L },
		{ "d", 86400e9L },
	};
	long double total = 0, v, frac;
	const char *p = s, *end;
	unsigned long whole;
	size_t i, n = 0;

	if (*p == '\0')
		return -EINVAL;
	while (*p != '\0') {
		if (decimal(p, &end, &whole, &frac) < 0)
			return -EINVAL;
		v = (long double)whole + frac;
		p = end;
		for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
			n = strlen(units[i].unit);
			if (strncmp(p, units[i].unit, n) == 0 &&
			    !(p[n] >= 'a' && p[n] <= 'z') &&
			    !(p[n] >= 'A' && p[n] <= 'Z'))
				break;
		}
		if (i < sizeof(units) / sizeof(units[0])) {
			v *= units[i].ns;
			p += n;
		} else if (*p == '\0')
			v *= 1e9L;
		else
			return -EINVAL;
		total += v;
	}
	if (!isfinite(total) || total > 1e18L)
		return -ERANGE;
	*ns = (int64_t)total;
	return 0;
}

int
num_percent(const char *s, long max, double *out)
{
	const char *end;
	unsigned long whole;
	long double frac;

	/* Unlike a duration's, a percentage's digits start and end it. */
	if (!digit(s[0]) || decimal(s, &end, &whole, &frac) < 0 ||
	    end[-1] == '.' || end[0] != '%' || end[1] != '\0')
		return -EINVAL;
	/* A digit that is not 0 makes frac > 0 (short of thousands of 0s). */
	if ((whole == 0 && frac == 0) || whole > (unsigned long)max ||
	    (whole == (unsigned long)max && frac > 0))
		return -ERANGE;
	*out = (double)((long double)whole + frac);
	return 0;
}

/*
 * When s ends in one of the characters of set, after more: 1, and the
 * rest of s in num; else 0 (num untouched), or -EINVAL when it is longer
 * than num holds.
 */
static int
split_last(const char *s, const char *set, char *num, size_t size)
{
	size_t len = strlen(s);

	if (len < 2 || strchr(set, s[len - 1]) == NULL)
		return 0;
	if (len > size)
		return -EINVAL;
	memcpy(num, s, len - 1);
	num[len - 1] = '\0';
	return 1;
}

int
num_jobs(const char *s, long ncpu, long *jobs, int *unbounded)
{
	char num[32];
	long n;
	int r;

	if ((r = split_last(s, "%", num, sizeof(num))) < 0)
		return r;
	if (r > 0) {
		if (num_long(num, 0, JOBS_MAX, &n) < 0)
			return -EINVAL;
		n = ncpu * n / 100;
	} else if (s[0] == '+' || s[0] == '-') {
		if (num_long(s + 1, 0, JOBS_MAX, &n) < 0)
			return -EINVAL;
		n = s[0] == '+' ? ncpu + n : ncpu - n;
	} else {
		if (num_long(s, 0, JOBS_MAX, &n) < 0)
			return -EINVAL;
		if (n == 0) {
			*unbounded = 1;
			*jobs = JOBS_MAX;
			return 0;
		}
	}
	*unbounded = 0;
	*jobs = n < 1 ? 1 : n;
	return 0;
}

int
num_decimal(const char *s, double max, double *out)
{
	const char *end;
	unsigned long whole;
	long double frac, v;

	/* Digits start and end it: not ".5", nor "5.". */
	if (s == NULL || !digit(s[0]) || decimal(s, &end, &whole, &frac) < 0 ||
	    end[-1] == '.' || *end != '\0')
		return -EINVAL;
	v = (long double)whole + frac;
	if (whole == ULONG_MAX || v > (long double)max)
		return -ERANGE;
	*out = (double)v;
	return 0;
}

int
num_load(const char *s, long ncpu, double *out)
{
	char num[32];
	double v;
	long n;
	int r;

	if ((r = split_last(s, "%", num, sizeof(num))) < 0)
		return r;
	if (r > 0) {
		if ((r = num_decimal(num, LOAD_MAX, &v)) < 0)
			return r;
		v = (double)ncpu * v / 100;
	} else if (s[0] == '+' || s[0] == '-') {
		if ((r = num_long(s + 1, 0, LOAD_MAX, &n)) < 0)
			return r;
		v = (double)(s[0] == '+' ? ncpu + n : ncpu - n);
	} else if ((r = num_decimal(s, LOAD_MAX, &v)) < 0)
		return r;
	if (v > LOAD_MAX)
		return -ERANGE;
	*out = v < LOAD_MIN ? LOAD_MIN : v;
	return 0;
}

int
num_size(const char *s, int64_t *bytes)
{
	static const char units[] = "KMGTPEkmgtpe";
	long double v, scale = 1;
	const char *unit = NULL;
	char num[64];
	size_t n = strlen(s);
	double d;
	int binary, i, k, r;

	/* GNU's 1Ki, 1ki, 1KI: an 'i' after the unit makes it 1024s. */
	binary = n > 2 && (s[n - 1] == 'i' || s[n - 1] == 'I') &&
	    strchr(units, s[n - 2]) != NULL;
	n -= (size_t)binary;
	if (n > 1 && strchr(units, s[n - 1]) != NULL)
		unit = &s[--n];
	if (n >= sizeof(num))
		return -EINVAL;
	memcpy(num, s, n);
	num[n] = '\0';
	if (unit != NULL) {
		/* The first six are powers of 1024, the last six of 1000. */
		k = (int)(strchr(units, *unit) - units);
		for (i = 0; i <= k % 6; i++)
			scale *= k < 6 || binary ? 1024 : 1000;
	}
	if ((r = num_decimal(num, 1e19, &d)) < 0)
		return r;
	v = (long double)d * scale;
	if (v >= 9223372036854775807.0L)
		return -ERANGE;
	*bytes = (int64_t)v;
	return 0;
}
