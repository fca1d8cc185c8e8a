/*
 * colsep: the separator of --colsep, as literal bytes or as a POSIX
 * ERE translated from Perl's syntax.  The translation works on the
 * pattern's characters one by one; brackets are rebuilt whole, since
 * POSIX takes no escapes inside them.
 */
#include "colsep.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

#define ERE_META	".[]()*+?{}|^$\\"

/*
 * One escaped byte at s, just after its backslash: octal NNN (one to
 * three digits) or hex xHH (one or two).  Returns the byte and sets *n
 * to the characters used, or -1 when s is neither.
 */
static int
esc_byte(const char *s, size_t *n)
{
	static const char hex[] = "0123456789abcdef";
	const char *d;
	unsigned v = 0;
	size_t i = 0;

	if (*s >= '0' && *s <= '7') {
		while (i < 3 && s[i] >= '0' && s[i] <= '7')
			v = v * 8 + (unsigned)(s[i++] - '0');
	} else if (*s == 'x') {
		while (i < 2 && s[i + 1] != '\0' &&
		    (d = strchr(hex, s[i + 1] | 0x20)) != NULL) {
			v = v * 16 + (unsigned)(d - hex);
			i++;
		}
		if (i++ == 0)
			return -1;
	} else {
		return -1;
	}
	*n = i;
	return (int)(v & 0xff);
}

/*
 * What Perl's \s \d \w \S \D \W \t \n \r become in an ERE, inside a
 * bracket expression (inbr) or outside, or NULL.  A negated class
 * cannot be said inside POSIX brackets.
 */
static const char *
re_class(char c, int inbr)
{
	switch (c) {
	case 's':
		return inbr ? "[:space:]" : "[[:space:]]";
	case 'd':
		return inbr ? "0-9" : "[0-9]";
	case 'w':
		return inbr ? "[:alnum:]_" : "[[:alnum:]_]";
	case 'S':
		return inbr ? NULL : "[^[:space:]]";
	case 'D':
		return inbr ? NULL : "[^0-9]";
	case 'W':
		return inbr ? NULL : "[^[:alnum:]_]";
	case 't':
		return "\t";
	case 'n':
		return "\n";
	case 'r':
		return "\r";
	}
	return NULL;
}

/*
 * The literal bytes that s stands for, when it is only plain characters
 * and escapes (\t \n \r \NNN \xHH, or a backslash before punctuation).
 * Returns 0 when s needs a regex.
 */
static int
lit_decode(const char *s, struct buf *out)
{
	size_t n;
	int c;

	for (; *s != '\0'; s++) {
		if (*s != '\\') {
			if (strchr(ERE_META, *s) != NULL)
				return 0;
			buf_addc(out, *s);
			continue;
		}
		s++;
		if ((c = esc_byte(s, &n)) >= 0) {
			buf_addc(out, (char)c);
			s += n - 1;
		} else if (*s == 't' || *s == 'n' || *s == 'r') {
			buf_addc(out, *s == 't' ? '\t' :
			    *s == 'n' ? '\n' : '\r');
		} else if (*s != '\0' && ispunct((unsigned char)*s)) {
			buf_addc(out, *s);
		} else {
			return 0;
		}
	}
	return 1;
}

/*
 * Translate the Perl bracket expression at s[*ip] == '['.  POSIX
 * takes no escapes inside brackets: a literal ']' must come first, '-'
 * last, '^' anywhere but first.  Returns 0, or -EINVAL on \S \D \W.
 */
static int
re_bracket(const char *s, size_t *ip, struct buf *out)
{
	struct buf body = { 0 };
	size_t i = *ip + 1, n;
	int neg = 0, rbr = 0, dash = 0, caret = 0, c;
	const char *cls, *e;

	if (s[i] == '^') {
		neg = 1;
		i++;
	}
	if (s[i] == ']') {
		rbr = 1;
		i++;
	}
	for (; s[i] != ']'; i++) {
		if (s[i] == '\0') {
			/* Unterminated: let regcomp say so. */
			buf_adds(out, s + *ip);
			*ip = i - 1;
			buf_free(&body);
			return 0;
		}
		if (s[i] == '[' && s[i + 1] != '\0' &&
		    strchr(":.=", s[i + 1]) != NULL) {
			char end[3] = { s[i + 1], ']', '\0' };

			e = strstr(s + i + 2, end);
			if (e != NULL) {
				buf_add(&body, s + i, (size_t)(e - s) + 2 - i);
				i = (size_t)(e + 1 - s);
				continue;
			}
		}
		if (s[i] == '\\' && s[i + 1] != '\0') {
			i++;
			c = -1;
			if (s[i] == 'x' || s[i] == '0')
				c = esc_byte(s + i, &n);
			if (c >= 0) {
				i += n - 1;
			} else if ((cls = re_class(s[i], 1)) != NULL) {
				buf_adds(&body, cls);
				continue;
			} else {
				c = strchr("SDW", s[i]) != NULL ? 0 :
				    (unsigned char)s[i];
			}
			if (c == 0) {
				buf_free(&body);
				return -EINVAL;
			}
			if (c == ']')
				rbr = 1;
			else if (c == '-')
				dash = 1;
			else if (c == '^')
				caret = 1;
			else
				buf_addc(&body, (char)c);
			continue;
		}
		if (s[i] == '^' && body.len == 0)
			caret = 1;
		else
			buf_addc(&body, s[i]);
	}
	*ip = i;
	if (!neg && !rbr && body.len == 0 && !dash && caret) {
		buf_adds(out, "\\^");
	} else {
		buf_adds(out, neg ? "[^" : "[");
		if (rbr)
			buf_addc(out, ']');
		if (body.len > 0)
			buf_add(out, body.p, body.len);
		if (caret)
			buf_addc(out, '^');
		if (dash)
			buf_addc(out, '-');
		buf_addc(out, ']');
	}
	buf_free(&body);
	return 0;
}

/*
 * How many copies of itself a pattern may make regcomp() build, at
 * most: the C library copies what '+' and a bound {n,m} repeat, so
 * stacked or nested ones ("a++++", "a{99}{99}{99}") take exponential
 * memory.  Each '+' counts 2, each bound its largest count; outside
 * brackets and escapes; saturating at COLSEP_COPIES_MAX + 1.
 */
static size_t
copies(const char *s)
{
	size_t i, n = 1, w, v, k;

	for (i = 0; s[i] != '\0' && n <= COLSEP_COPIES_MAX; i++) {
		w = 1;
		if (s[i] == '\\' && s[i + 1] != '\0')
			i++;
		else if (s[i] == '[') {
			i += s[i + 1] == '^';
			i += s[i + 1] == ']';
			while (s[i + 1] != '\0' && s[i + 1] != ']')
				i += s[i + 1] == '\\' && s[i + 2] != '\0' ? 2 : 1;
			i += s[i + 1] == ']';
		} else if (s[i] == '+')
			w = 2;
		else if (s[i] == '{') {
			for (k = i + 1, v = 0; (s[k] >= '0' && s[k] <= '9') ||
			    s[k] == ','; k++)
				if (s[k] != ',' && v <= COLSEP_COPIES_MAX)
					v = v * 10 + (size_t)(s[k] - '0');
			if (s[k] == '}' && k > i + 1)
				w = v > 1 ? v : 1;
		}
		n = w > (COLSEP_COPIES_MAX + 1) / n ? COLSEP_COPIES_MAX + 1 :
		    n * w;
	}
	return n;
}

int
colsep_translate(const char *s, struct buf *out)
{
	const char *cls;
	size_t i, n;
	int r, c;

	n = strlen(s);
	if (copies(s) > COLSEP_COPIES_MAX / (n > 0 ? n : 1))
		return -E2BIG;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '[') {
			if ((r = re_bracket(s, &i, out)) < 0)
				return r;
		} else if (s[i] != '\\' || s[i + 1] == '\0') {
			buf_addc(out, s[i]);
		} else if ((cls = re_class(s[i + 1], 0)) != NULL) {
			buf_adds(out, cls);
			i++;
		} else if ((s[i + 1] == 'x' || s[i + 1] == '0') &&
		    (c = esc_byte(s + i + 1, &n)) >= 0) {
			/* \1..\9 stay back-references, as in Perl. */
			if (c == 0)
				return -EINVAL;
			if (strchr(ERE_META, c) != NULL)
				buf_addc(out, '\\');
			buf_addc(out, (char)c);
			i += n;
		} else {
			buf_add(out, s + i, 2);
			i++;
		}
	}
	return 0;
}

int
colsep_regcomp(regex_t *re, const char *opt, const char *s, char *msg,
    size_t msgsize)
{
	struct buf b = { 0 };
	char err[256];
	int r;

	if ((r = colsep_translate(s, &b)) < 0) {
		buf_free(&b);
		if (r == -E2BIG)
			snprintf(msg, msgsize, "%s: '%s': too many "
			    "nested repetitions ('+', {n,m})", opt, s);
		else
			snprintf(msg, msgsize, "%s: '%s': \\0, or "
			    "\\S, \\D, \\W inside [...], are not supported",
			    opt, s);
		return -EINVAL;
	}
	r = regcomp(re, b.p, REG_EXTENDED);
	buf_free(&b);
	if (r != 0) {
		regerror(r, re, err, sizeof(err));
		snprintf(msg, msgsize,
		    "%s: invalid regular expression '%s': %s", opt, s, err);
		return -EINVAL;
	}
	return 0;
}

int
colsep_compile(struct colsep *cs, const char *sep, char *msg,
    size_t msgsize)
{
	struct buf b = { 0 };
	int r;

	memset(cs, 0, sizeof(*cs));
	if (sep == NULL)
		return 0;
	if (sep[0] == '\0') {
		snprintf(msg, msgsize, "--colsep: empty separator");
		return -EINVAL;
	}
	if (sep[1] == '\0')
		buf_addc(&b, sep[0]);
	if (b.len == 1 || lit_decode(sep, &b)) {
		cs->kind = COLSEP_LIT;
		cs->lit = b.p;
		cs->litlen = b.len;
		return 0;
	}
	buf_free(&b);
	if ((r = colsep_regcomp(&cs->re, "--colsep", sep, msg,
	    msgsize)) < 0)
		return r;
	cs->kind = COLSEP_RE;
	return 0;
}

int
colsep_match(const struct colsep *cs, const char *p, size_t len,
    size_t field, size_t *so, size_t *eo)
{
	size_t from = field;
	regmatch_t m;

	while (from <= len) {
#ifdef REG_STARTEND
		m.rm_so = (regoff_t)from;
		m.rm_eo = (regoff_t)len;
		if (regexec(&cs->re, p, 1, &m,
		    REG_STARTEND | (from ? REG_NOTBOL : 0)) != 0)
			return 0;
		*so = (size_t)m.rm_so;
		*eo = (size_t)m.rm_eo;
#else
		if (regexec(&cs->re, p + from, 1, &m,
		    from ? REG_NOTBOL : 0) != 0)
			return 0;
		*so = from + (size_t)m.rm_so;
		*eo = from + (size_t)m.rm_eo;
#endif
		if (*so == *eo && (*so == field || *so >= len)) {
			from = *so + 1;
			continue;
		}
		return 1;
	}
	return 0;
}

void
colsep_free(struct colsep *cs)
{
	free(cs->lit);
	if (cs->kind == COLSEP_RE)
		regfree(&cs->re);
	memset(cs, 0, sizeof(*cs));
}
