/*
 * quote: shell quoting exactly as GNU parallel spells it, so that
 * --dry-run output matches.  A value made only of [A-Za-z0-9_+./-] is
 * left bare; the empty value is ''; anything else is wrapped in single
 * quotes, each embedded ' written as '"'"', and then the '' that this
 * leaves at either end when the value starts or ends with ' is dropped
 * (so ' alone is "'").  Inside single quotes every byte but ' is literal
 * to a POSIX shell, newlines and bytes >= 0x80 included, so the result
 * is always one word holding exactly the value's bytes (NUL aside,
 * which no command line can carry).  Pure functions, no allocation but
 * growing the caller's buffer.
 */
#include "quote.h"

#include <errno.h>
#include <string.h>

#include "util.h"

/* The shell gives none of these a meaning, wherever they stand. */
static int
plain_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '_' || c == '+' || c == '.' ||
	    c == '/' || c == '-';
}

int
quote_is_plain(const char *s, size_t len)
{
	size_t i;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++)
		if (!plain_byte((unsigned char)s[i]))
			return 0;
	return 1;
}

static size_t
count_quotes(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (s[i] == '\'')
			n++;
	return n;
}

/*
 * The quoted form is "'" + s with each ' as '"'"' + "'", less two bytes
 * at the front when s starts with ' and two at the end when it ends
 * with one: those are the empty '' that GNU strips.
 */
size_t
quote_len(const char *s, size_t len)
{
	size_t n;

	if (len == 0)
		return 2;
	if (quote_is_plain(s, len))
		return len;
	n = len + 2 + 4 * count_quotes(s, len);
	if (s[0] == '\'')
		n -= 2;
	if (s[len - 1] == '\'')
		n -= 2;
	return n;
}

void
quote_append(struct buf *b, const char *s, size_t len)
{
	size_t i, full;
	char *d, *d0;

	if (len == 0) {
		buf_add(b, "''", 2);
		return;
	}
	if (quote_is_plain(s, len)) {
		buf_add(b, s, len);
		return;
	}
	full = len + 2 + 4 * count_quotes(s, len);
	buf_reserve(b, full);
	d0 = d = b->p + b->len;
	*d++ = '\'';
	for (i = 0; i < len; i++) {
		if (s[i] == '\'') {
			memcpy(d, "'\"'\"'", 5);
			d += 5;
		} else
			*d++ = s[i];
	}
	*d++ = '\'';
	if (s[len - 1] == '\'')
		full -= 2;
	if (s[0] == '\'') {
		memmove(d0, d0 + 2, full - 2);
		full -= 2;
	}
	b->len += full;
	b->p[b->len] = '\0';
}

/*
 * Writing backwards lets the quoted form overwrite its own source: the
 * output position of byte i is always past i, so every byte is read
 * before anything lands on it.
 */
void
quote_inplace(struct buf *b, size_t start, int force)
{
	const char *s;
	size_t len, out, skip, i;
	char *d, *base;

	buf_reserve(b, 0);		/* so that b->p is never NULL */
	len = b->len - start;
	s = b->p + start;
	if (len > 0 && !force && quote_is_plain(s, len))
		return;
	out = len == 0 || quote_is_plain(s, len) ? len + 2 :
	    quote_len(s, len);
	buf_reserve(b, out - len);
	base = b->p + start;
	s = base;
	d = base + out;
	skip = len > 0 && s[len - 1] == '\'' ? 2 : 0;
#define PUT(c) do {						\
	if (skip > 0)						\
		skip--;						\
	else if (d > base)					\
		*--d = (c);					\
} while (0)
	PUT('\'');
	for (i = len; i-- > 0;) {
		if (s[i] == '\'') {
			/* '"'"' reads the same backwards. */
			PUT('\''); PUT('"'); PUT('\''); PUT('"'); PUT('\'');
		} else
			PUT(s[i]);
	}
	PUT('\'');
#undef PUT
	b->len = start + out;
	b->p[b->len] = '\0';
}

int
quote_split(const char *s, struct buf *out)
{
	int n = 0, inword = 0;
	char q = 0;

	for (; *s != '\0'; s++) {
		if (q == '\'') {
			if (*s == '\'')
				q = 0;
			else
				buf_addc(out, *s);
			continue;
		}
		if (q == '"') {
			if (*s == '"')
				q = 0;
			else if (*s == '\\' && s[1] != '\0' &&
			    strchr("\\\"$`", s[1]) != NULL)
				buf_addc(out, *++s);
			else
				buf_addc(out, *s);
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\n') {
			if (inword)
				buf_addc(out, '\0');
			inword = 0;
			continue;
		}
		if (*s == '#' && !inword) {
			while (s[1] != '\0' && s[1] != '\n')
				s++;
			continue;
		}
		if (!inword)
			n++;
		inword = 1;
		if (*s == '\'' || *s == '"')
			q = *s;
		else if (*s == '\\' && s[1] != '\0')
			buf_addc(out, *++s);
		else
			buf_addc(out, *s);
	}
	if (q != 0)
		return -EINVAL;
	if (inword)
		buf_addc(out, '\0');
	return n;
}
