/*
 * Option values (src/num.c, src/options.c): durations, whole numbers,
 * signed numbers, percentages, -j, -d, --termseq and --halt.  The first byte picks the parser, the rest is
 * the value.  Properties: what a parser accepts matches the grammar the
 * manual gives, checked here by a separate, simpler reading (durations:
 * decimal numbers with units, nothing like 0x10 or 1e3); the value is
 * the one that reading gives; and a value written back in its plain
 * form parses to the same result.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "num.h"
#include "options.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* "[+-]?[0-9]+" from p to end. */
static int
all_digits(const char *p, const char *end, int sign)
{
	if (sign && p < end && (*p == '+' || *p == '-'))
		p++;
	if (p == end)
		return 0;
	for (; p < end; p++)
		if (!isdigit((unsigned char)*p))
			return 0;
	return 1;
}

/*
 * Durations read another way: runs of [0-9.] and runs of letters
 * alternate, each number a decimal with one '.' at most, each letter run
 * exactly a unit; the last number may go without.  Returns 0 and the
 * value in nanoseconds, or -1.
 */
static int
ref_duration(const char *s, long double *out)
{
	static const char *const unit[] = { "ms", "s", "m", "h", "d" };
	static const long double mul[] = { 1e6L, 1e9L, 60e9L, 3600e9L,
	    86400e9L };
	long double total = 0, v;
	const char *p = s, *q;
	size_t i, k, dots, digits;

	if (*p == '\0')
		return -1;
	while (*p != '\0') {
		for (q = p, dots = digits = 0; *q == '.' || isdigit(
		    (unsigned char)*q); q++)
			*q == '.' ? dots++ : digits++;
		if (digits == 0 || dots > 1)
			return -1;
		v = 0;
		for (k = 0; p + k < q && p[k] != '.'; k++)
			v = v * 10 + (p[k] - '0');
		if (dots) {
			long double scale = 1;

			for (k++; p + k < q; k++) {
				scale /= 10;
				v += (p[k] - '0') * scale;
			}
		}
		p = q;
		for (q = p; isalpha((unsigned char)*q); q++)
			;
		if (q == p) {
			if (*p != '\0')
				return -1;	/* neither a unit nor the end */
			total += v * 1e9L;
			break;
		}
		for (i = 0; i < 5; i++)
			if (strlen(unit[i]) == (size_t)(q - p) &&
			    memcmp(unit[i], p, (size_t)(q - p)) == 0)
				break;
		if (i == 5)
			return -1;
		total += v * mul[i];
		p = q;
	}
	*out = total;
	return 0;
}

static void
check_duration(const char *s)
{
	long double ref;
	int64_t ns, again;
	char back[64];
	int r, rr;

	r = num_duration(s, &ns);
	rr = ref_duration(s, &ref);
	if (rr < 0) {
		if (r == 0)
			abort();	/* accepted outside the grammar */
		return;
	}
	if (r == -ERANGE) {
		if (ref < 1e18L * (1 - 1e-9L))
			abort();
		return;
	}
	if (r < 0)
		abort();	/* refused a well-formed duration */
	if (ref > 1e18L * (1 + 1e-9L) || ns < 0)
		abort();
	if (fabsl((long double)ns - ref) > 2 + ref * 1e-12L)
		abort();	/* not the value the text says */
	/* Written back as seconds with nine decimals. */
	snprintf(back, sizeof(back), "%lld.%09llds", (long long)(ns /
	    1000000000), (long long)(ns % 1000000000));
	if (num_duration(back, &again) < 0)
		abort();
	/* Nine decimals of seconds are more than a double holds. */
	if (llabs((long long)(again - ns)) >
	    2 + (long long)(ns / 1000000000000))
		abort();
}

/* Digits only for num_long; a sign is num_signed's alone. */
static void
check_long(const char *s, int sign)
{
	char back[32];
	long v, w;

	if ((sign ? num_signed(s, LONG_MIN, LONG_MAX, &v) :
	    num_long(s, LONG_MIN, LONG_MAX, &v)) < 0)
		return;
	if (!all_digits(s, s + strlen(s), sign))
		abort();
	snprintf(back, sizeof(back), "%ld", v);
	if (num_signed(back, LONG_MIN, LONG_MAX, &w) < 0 || w != v)
		abort();
	if (v >= 0 && (num_long(back, 0, LONG_MAX, &w) < 0 || w != v))
		abort();
}

/* digits[.digits]% above 0, at most max; the value as the text says. */
static void
check_percent(const char *s, long max)
{
	size_t len = strlen(s), ip;
	char back[64];
	double v, w;

	if (num_percent(s, max, &v) < 0)
		return;
	ip = strspn(s, "0123456789");
	if (ip == 0 || s[len - 1] != '%' || (s[ip] == '.' &&
	    (ip + 2 >= len || !all_digits(s + ip + 1, s + len - 1, 0))) ||
	    (s[ip] != '.' && ip != len - 1))
		abort();
	if (!(v > 0) || v > (double)max || fabs(v - strtod(s, NULL)) >
	    1e-9 * v)
		abort();
	snprintf(back, sizeof(back), "%.6f%%", v);
	if (v >= 1e-6 && (num_percent(back, max + 1, &w) < 0 ||
	    fabs(w - v) > 1e-6))
		abort();
}

static void
check_jobs(const char *s, long ncpu)
{
	size_t len = strlen(s);
	int unbounded, sign, pct;
	long jobs;

	if (num_jobs(s, ncpu, &jobs, &unbounded) < 0)
		return;
	pct = len > 1 && s[len - 1] == '%';
	sign = s[0] == '+' || s[0] == '-';
	if (!all_digits(s + sign, s + len - pct, 0) || (pct && sign))
		abort();
	if (unbounded != (!sign && !pct && strspn(s, "0") == len))
		abort();
	if (!unbounded && (jobs < 1 || jobs > 1000000 + ncpu))
		abort();
}

static void
check_delim(const char *s)
{
	size_t len = strlen(s), n;
	char *d, c;
	long want;

	if (options_delim(s, &d, &n) < 0)
		return;
	c = d[0];
	free(d);
	/* Each byte or escape of s gives one byte. */
	if (n < 1 || n > len)
		abort();
	if (n > 1)
		return;
	if (s[0] != '\\') {
		if (len != 1 || c != s[0])
			abort();
		return;
	}
	if (len == 2 && strchr("nt\\r", s[1]) != NULL)
		want = s[1] == 'n' ? '\n' : s[1] == 't' ? '\t' :
		    s[1] == 'r' ? '\r' : '\\';
	else if (s[1] == 'x' && len >= 3 && len <= 4 &&
	    strspn(s + 2, "0123456789abcdefABCDEF") == len - 2)
		want = strtol(s + 2, NULL, 16);
	else if (len >= 2 && len <= 4 && strspn(s + 1, "01234567") == len - 1)
		want = strtol(s + 1, NULL, 8);
	else
		abort();	/* not an escape the manual lists */
	if (want > 255 || c != (char)want)
		abort();
}

static void
check_termseq(const char *s)
{
	struct termstep st[16], again[16];
	char back[16 * 24], *p = back;
	size_t n, m, i;

	if (options_termseq(s, st, 16, &n) < 0)
		return;
	if (n < 1 || n > 16)
		abort();
	for (i = 0; i < n; i++) {
		if (st[i].signo < 1 || st[i].signo >= NSIG || st[i].ms < 0 ||
		    st[i].ms > 86400000)
			abort();
		p += sprintf(p, "%s%d,%d", i ? "," : "", st[i].signo,
		    st[i].ms);
	}
	if (options_termseq(back, again, 16, &m) < 0 || m != n ||
	    memcmp(st, again, n * sizeof(*st)) != 0)
		abort();
}

static void
check_halt(const char *s)
{
	struct config a, b;
	char back[64];

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (options_halt(s, &a) < 0)
		return;
	if (a.halt_when == HALT_NEVER) {
		snprintf(back, sizeof(back), "never");
	} else {
		if (a.halt_pct != 0 && (a.halt_pct < 1 || a.halt_pct > 100))
			abort();
		if (a.halt_pct == 0 && a.halt_count < 1)
			abort();
		if (a.halt_pct != 0)
			snprintf(back, sizeof(back), "%s,%s=%d%%",
			    a.halt_when == HALT_NOW ? "now" : "soon",
			    a.halt_what == HALT_FAIL ? "fail" :
			    a.halt_what == HALT_SUCCESS ? "success" : "done",
			    (int)a.halt_pct);
		else
			snprintf(back, sizeof(back), "%s,%s=%ld",
			    a.halt_when == HALT_NOW ? "now" : "soon",
			    a.halt_what == HALT_FAIL ? "fail" :
			    a.halt_what == HALT_SUCCESS ? "success" : "done",
			    a.halt_count);
	}
	if (options_halt(back, &b) < 0 || a.halt_when != b.halt_when ||
	    (a.halt_when != HALT_NEVER && (a.halt_what != b.halt_what ||
	    a.halt_count != b.halt_count || a.halt_pct != b.halt_pct)))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[128];

	if (size < 2 || size - 2 >= sizeof(s))
		return 0;
	memcpy(s, data + 2, size - 2);
	s[size - 2] = '\0';
	switch (data[0] % 8) {
	case 0:
		check_duration(s);
		break;
	case 1:
		check_long(s, 0);
		break;
	case 6:
		check_long(s, 1);
		break;
	case 7:
		check_percent(s, data[1] % 2 ? 1000000 : data[1] + 1);
		break;
	case 2:
		check_jobs(s, data[1] % 64 + 1);
		break;
	case 3:
		check_delim(s);
		break;
	case 4:
		check_termseq(s);
		break;
	case 5:
		check_halt(s);
		break;
	}
	return 0;
}
