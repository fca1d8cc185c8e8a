/*
 * options_value: the values of -d, --termseq and --halt, parsed alone so
 * that they can be tested alone (fuzz/fuzz_options.c).  Pure: nothing is
 * printed here; options.c names the option in its message.
 */
#include "options.h"
#include "num.h"
#include "sig.h"
#include "util.h"

#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

/*
 * One character of s, or one escape: the bytes it took, or -EINVAL.  An
 * escape takes as many digits as it may (\x two, \NNN three).
 */
static int
one_char(const char *s, char *out)
{
	static const char named[] = "n\nt\tr\r\\\\";
	const char *hit;
	char digits[4];
	unsigned long v;
	size_t n = 0, max;
	int base;

	if (s[0] == '\0')
		return -EINVAL;
	if (s[0] != '\\') {
		*out = s[0];
		return 1;
	}
	if (s[1] != '\0' && (hit = strchr(named, s[1])) != NULL &&
	    (hit - named) % 2 == 0) {
		*out = hit[1];
		return 2;
	}
	base = s[1] == 'x' ? 16 : 8;
	max = base == 16 ? 2 : 3;
	for (s += base == 16 ? 2 : 1; n < max && s[n] != '\0' &&
	    strchr(base == 16 ? "0123456789abcdefABCDEF" : "01234567",
	    s[n]) != NULL; n++)
		digits[n] = s[n];
	digits[n] = '\0';
	if (n == 0 || num_radix(digits, base, 255, &v) < 0)
		return -EINVAL;
	*out = (char)v;
	return (int)n + (base == 16 ? 2 : 1);
}

int
options_delim(const char *val, char **out, size_t *len)
{
	return val[0] == '\0' ? -EINVAL : options_unescape(val, out, len);
}

int
options_delim_newline(const struct config *cfg)
{
	return cfg->delimlen == 1 && cfg->delim[0] == '\n';
}

int
options_unescape(const char *val, char **out, size_t *len)
{
	char *p = xmalloc(strlen(val) + 1);
	size_t i = 0;
	int n;

	for (; *val != '\0'; val += n)
		if ((n = one_char(val, &p[i++])) < 0) {
			free(p);
			return -EINVAL;
		}
	p[i] = '\0';
	*out = p;
	*len = i;
	return 0;
}

/* A signal by its number or its name (with or without "SIG"), or -1. */
static int
signal_number(const char *name)
{
	long v;

	if (num_long(name, 1, NSIG - 1, &v) == 0)
		return (int)v;
	return sig_number(name);
}

int
options_termseq(const char *val, struct termstep *steps, size_t cap,
    size_t *nsteps)
{
	char *copy = xstrdup(val), *tok, *save = NULL;
	size_t n = 0;
	int i = 0, r = 0;
	long ms;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && r == 0;
	    tok = strtok_r(NULL, ",", &save), i++) {
		if (i % 2 == 0) {
			if (n >= cap) {
				r = -E2BIG;
				break;
			}
			steps[n].signo = signal_number(tok);
			if (steps[n].signo < 0)
				r = -EINVAL;
			steps[n++].ms = 25;
		} else {
			if (num_long(tok, 0, 86400000, &ms) < 0)
				r = -EINVAL;
			else
				steps[n - 1].ms = (int)ms;
		}
	}
	free(copy);
	if (r == 0 && n == 0)
		r = -EINVAL;
	if (r == 0)
		*nsteps = n;
	return r;
}

int
options_halt(const char *val, struct config *cfg)
{
	const char *p = val, *eq;
	char num[32];
	size_t len;
	long n;

	if (strcmp(val, "never") == 0 || strcmp(val, "0") == 0) {
		cfg->halt_when = HALT_NEVER;
		return 0;
	}
	/* GNU's old numeric forms: 1, 2 on a failure; -1, -2 a success. */
	if (strcmp(val, "1") == 0 || strcmp(val, "2") == 0 ||
	    strcmp(val, "-1") == 0 || strcmp(val, "-2") == 0) {
		p = val + (val[0] == '-');
		cfg->halt_when = p[0] == '1' ? HALT_SOON : HALT_NOW;
		cfg->halt_what = val[0] == '-' ? HALT_SUCCESS : HALT_FAIL;
		cfg->halt_count = 1;
		return 0;
	}
	if (strncmp(p, "now,", 4) == 0)
		cfg->halt_when = HALT_NOW, p += 4;
	else if (strncmp(p, "soon,", 5) == 0)
		cfg->halt_when = HALT_SOON, p += 5;
	else
		return -EINVAL;
	if (strncmp(p, "fail=", 5) == 0)
		cfg->halt_what = HALT_FAIL;
	else if (strncmp(p, "success=", 8) == 0)
		cfg->halt_what = HALT_SUCCESS;
	else if (strncmp(p, "done=", 5) == 0)
		cfg->halt_what = HALT_DONE;
	else
		return -EINVAL;
	eq = strchr(p, '=') + 1;
	len = strlen(eq);
	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, eq, len + 1);
	if (num[len - 1] == '%') {
		num[len - 1] = '\0';
		if (num_long(num, 1, 100, &n) < 0)
			return -EINVAL;
		cfg->halt_pct = (double)n;
	} else {
		if (num_long(num, 1, LONG_MAX, &n) < 0)
			return -EINVAL;
		cfg->halt_count = n;
	}
	return 0;
}

