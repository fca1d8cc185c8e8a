/*
 * Shell quoting (src/quote.c).  Properties: the quoted form of any
 * bytes, read back by a POSIX shell's quoting rules, is one word holding
 * exactly those bytes; quote_len is its length; quote_is_plain values
 * are left bare; quote_inplace writes what quote_append writes, after a
 * prefix that it leaves alone, and with force wraps a plain value in ''.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quote.h"
#include "shell.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void
check_one_word(const char *q, size_t qlen, const char *s, size_t len)
{
	struct shell_words w;

	if (shell_split(q, qlen, &w) < 0)
		abort();	/* the shell would see syntax */
	if (w.n != 1 || w.len[0] != len || memcmp(w.p, s, len) != 0)
		abort();	/* not exactly the value's bytes */
	shell_free(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char bare[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789_+./-";
	const char *s = (const char *)data;
	struct buf a = { 0 }, b = { 0 };
	size_t plen, i;
	int plain, force;

	quote_append(&a, s, size);
	check_one_word(a.p, a.len, s, size);
	if (quote_len(s, size) != a.len)
		abort();
	plain = quote_is_plain(s, size);
	if (plain != (size > 0 && a.len == size && memcmp(a.p, s, size) == 0))
		abort();
	for (i = 0; plain && i < size; i++)
		if (s[i] == '\0' || strchr(bare, s[i]) == NULL)
			abort();	/* left bare, yet the shell reads it */

	/* In place, after a prefix of the input's own first bytes. */
	for (force = 0; force <= 1; force++) {
		plen = size > 0 ? data[0] % 8 : 0;
		buf_clear(&b);
		buf_add(&b, "prefix!!", plen);
		buf_add(&b, s, size);
		quote_inplace(&b, plen, force);
		if (memcmp(b.p, "prefix!!", plen) != 0)
			abort();
		if (force && plain) {
			if (b.len != plen + size + 2 || b.p[plen] != '\'' ||
			    memcmp(b.p + plen + 1, s, size) != 0 ||
			    b.p[b.len - 1] != '\'')
				abort();
		} else if (b.len - plen != a.len ||
		    memcmp(b.p + plen, a.p, a.len) != 0)
			abort();
		if (b.p[b.len] != '\0')
			abort();
		check_one_word(b.p + plen, b.len - plen, s, size);
	}
	buf_free(&a);
	buf_free(&b);
	return 0;
}
