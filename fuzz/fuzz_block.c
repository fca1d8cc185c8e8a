/*
 * --pipe's blocks (src/block.c).  Properties, for any stream and any
 * literal --recend/--recstart, block size and -N: every block is
 * non-empty; the blocks, concatenated, are the stream byte for byte;
 * with only a --recend, every block but the last ends with it, and with
 * -N holds exactly N of them; and the cutting always comes to an end.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "block.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t
count(const char *p, size_t n, const char *sep, size_t seplen)
{
	size_t c = 0;
	const char *q;

	while (seplen > 0 && (q = memmem(p, n, sep, seplen)) != NULL) {
		c++;
		n -= (size_t)(q - p) + seplen;
		p = q + seplen;
	}
	return c;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct block_rules ru = { 0 };
	struct blocker *b;
	struct block blk;
	struct buf all = { 0 }, last = { 0 };
	char path[64], msg[256];
	const char *s;
	size_t elen, slen, n, ends;
	int fd, r, blocks = 0;

	if (size < 4)
		return 0;
	elen = data[0] % 4;
	slen = data[1] % 3;
	ru.size = 1 + data[2] % 64;
	ru.records = data[3] % 5;
	if (size < 4 + elen + slen)
		return 0;
	ru.recend = (const char *)data + 4;
	ru.recend_len = elen;
	ru.recstart = ru.recend + elen;
	ru.recstart_len = slen;
	s = ru.recstart + slen;
	n = size - 4 - elen - slen;
	if ((fd = memfd_create("stream", MFD_CLOEXEC)) < 0)
		return 0;
	if (write_all(fd, s, n) < 0)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (block_open(&b, &ru, path, msg, sizeof(msg)) < 0)
		abort();
	for (;;) {
		r = block_next(b, &blk);
		if (r == 0)
			break;
		if (r == -EAGAIN) {
			if (block_fill(b) < 0)
				abort();
			/* Fills that never make a block: a hang. */
			if (++blocks > 1000)
				abort();
			continue;
		}
		if (r != 1 || blk.len == 0 || blk.head_len != 0)
			abort();
		if (last.len > 0 && elen > 0 && slen == 0) {
			/* The block before this one was not the last. */
			if (memcmp(last.p + last.len - elen, ru.recend,
			    elen) != 0)
				abort();
			ends = count(last.p, last.len, ru.recend, elen);
			if (ru.records > 0 && ends != (size_t)ru.records)
				abort();
		}
		buf_clear(&last);
		buf_add(&last, blk.p, blk.len);
		buf_add(&all, blk.p, blk.len);
		blocks = 0;
	}
	if (all.len != n || (n > 0 && memcmp(all.p, s, n) != 0))
		abort();
	block_close(b);
	close(fd);
	buf_free(&all);
	buf_free(&last);
	return 0;
}
