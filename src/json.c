/*
 * json: string escaping with UTF-8 validation, numbers and times.  The
 * validator follows the Unicode table of well-formed byte sequences
 * (Table 3-7), so that nothing a strict parser refuses can get out: what
 * does not fit is replaced byte by byte with U+FFFD.
 */
#include "json.h"
#include "util.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/*
 * The length of the well-formed UTF-8 sequence at p (at most n bytes),
 * or 0 when the byte at p does not start one.
 */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	unsigned char c = p[0], lo = 0x80, hi = 0xbf;
	size_t len, i;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		len = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		if (c == 0xe0)
			lo = 0xa0;	/* no overlong forms */
		else if (c == 0xed)
			hi = 0x9f;	/* no surrogates */
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;	/* nothing above U+10FFFF */
	} else
		return 0;
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

void
json_str(struct buf *b, const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const unsigned char *end = p + len, *run;
	size_t n;

	buf_addc(b, '"');
	while (p < end) {
		/* Copy a run of bytes that need no escaping at once. */
		run = p;
		while (p < end && *p >= 0x20 && *p < 0x80 && *p != '"' &&
		    *p != '\\')
			p++;
		if (p > run)
			buf_add(b, run, (size_t)(p - run));
		if (p == end)
			break;
		switch (*p) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\b':
			buf_adds(b, "\\b");
			break;
		case '\f':
			buf_adds(b, "\\f");
			break;
		default:
			if (*p < 0x20) {
				buf_addf(b, "\\u%04x", *p);
				break;
			}
			n = utf8_len(p, (size_t)(end - p));
			if (n == 0) {
				buf_adds(b, "\\ufffd");
				break;
			}
			buf_add(b, p, n);
			p += n;
			continue;
		}
		p++;
	}
	buf_addc(b, '"');
}

void
json_cstr(struct buf *b, const char *s)
{
	if (s == NULL)
		buf_adds(b, "null");
	else
		json_str(b, s, strlen(s));
}

void
json_secs(struct buf *b, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	buf_addf(b, "%lld.%06lld", (long long)(ns / 1000000000),
	    (long long)(ns % 1000000000 / 1000));
}

void
json_time(struct buf *b, int64_t wall_ns)
{
	time_t t = (time_t)(wall_ns / 1000000000);
	char s[32];
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(s, sizeof(s), "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
		buf_adds(b, "null");
		return;
	}
	buf_addf(b, "\"%s.%03dZ\"", s, (int)(wall_ns % 1000000000 / 1000000));
}

void
json_bool(struct buf *b, int v)
{
	buf_adds(b, v ? "true" : "false");
}
