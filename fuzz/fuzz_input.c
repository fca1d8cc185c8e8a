/*
 * Input records (src/input.c): -d, -0, --csv, --colsep (literal, or a
 * Perl-ish pattern translated to a POSIX ERE), --header, -E, --trim, -r,
 * -n, -L, -X packing, a second (held) source and --link, read from a
 * file.
 * Properties: with plain settings the records, joined again with the
 * delimiter (and a literal --colsep between columns), are exactly the
 * file's bytes; trimmed values have no blank at either end; when the
 * number of jobs is known in advance it is the number handed out.
 *
 * Input: three flag bytes, the delimiter byte (without -0 or -d, its
 * low bit asks for --csv), then fields split by 0x1e: --colsep, -E (when
 * flags ask), the first source, the second.  Under --csv too, the
 * number of jobs known in advance must be the number handed out.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "input.h"
#include "options.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define A_NUL		0x01	/* -0 */
#define A_DELIM		0x02	/* -d BYTE */
#define A_COLSEP	0x04
#define A_HEADER	0x08
#define A_TRIML		0x10
#define A_TRIMR		0x20
#define A_SKIP		0x40	/* -r */
#define A_TWO		0x80	/* a second source */

#define B_EOF		0x10	/* -E */
#define B_LINK		0x20
#define B_XARGS		0x40
#define B_SLURP		0x80

#define MAXJOBS		20000

static int	fds[2] = { -1, -1 };
static char	paths[2][64];

static size_t
cost_fn(void *ctx, const struct arg *a)
{
	(void)ctx;
	return a->len + 1;
}

static void
set_file(int i, const char *p, size_t n)
{
	if (fds[i] < 0) {
		if ((fds[i] = memfd_create("fuzz_input", 0)) < 0)
			abort();
		snprintf(paths[i], sizeof(paths[i]), "/proc/self/fd/%d",
		    fds[i]);
	}
	if (ftruncate(fds[i], 0) < 0 || pwrite_all(fds[i], p, n, 0) < 0)
		abort();
}

/* Cut the next 0x1e-separated field from *p. */
static char *
field(const char **p, const char *end, size_t *len)
{
	const char *e = memchr(*p, '\x1e', (size_t)(end - *p));
	char *f;

	if (e == NULL)
		e = end;
	f = xmemdup(*p, (size_t)(e - *p));
	*len = (size_t)(e - *p);
	*p = e < end ? e + 1 : end;
	return f;
}

static int
plain_sep(const char *s)
{
	return s != NULL && strpbrk(s, ".[]()*+?{}|^$\\") == NULL;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *p = (const char *)data + 4, *end = (const char *)data +
	    size, *msg;
	char *colsep = NULL, *eof = NULL, *src[2];
	size_t len[2], clen = 0, elen = 0, i, nsrc, njobs = 0;
	struct source sources[2];
	struct config cfg;
	struct input *in = NULL;
	struct args a;
	struct buf joined = { 0 };
	unsigned fa, fb;
	long total;
	char delim[2] = { 0 };
	int r, simple;

	if (size < 4)
		return 0;
	fa = data[0];
	fb = data[1];
	memset(&cfg, 0, sizeof(cfg));
	/* A one-byte record end, so that the file can be rebuilt below. */
	delim[0] = fa & A_NUL ? '\0' : fa & A_DELIM ? (char)data[3] : '\n';
	cfg.delim = delim;
	cfg.delimlen = 1;
	if (fa & A_COLSEP) {
		colsep = field(&p, end, &clen);
		if (clen == 0 || clen > 24 || strlen(colsep) != clen)
			goto out;	/* options.c refuses these */
		cfg.colsep = colsep;
	}
	if (fb & B_EOF)
		eof = field(&p, end, &elen);
	cfg.eof_str = eof;
	cfg.header = (fa & A_HEADER) != 0;
	cfg.trim_left = (fa & A_TRIML) != 0;
	cfg.trim_right = (fa & A_TRIMR) != 0;
	cfg.skip_empty = (fa & A_SKIP) != 0;
	cfg.max_args = fb & 3;
	cfg.max_lines = cfg.max_args == 0 ? (fb >> 2) & 3 : 0;
	cfg.link = (fb & B_LINK) != 0;
	cfg.xargs_fill = (fb & B_XARGS) != 0;
	cfg.total = -1;
	/* --csv when the delimiter byte is free: data[3]'s low bit. */
	cfg.csv = !(fa & (A_NUL | A_DELIM)) && (data[3] & 1);
	nsrc = fa & A_TWO ? 2 : 1;
	src[0] = field(&p, end, &len[0]);
	src[1] = nsrc == 2 ? field(&p, end, &len[1]) : NULL;
	memset(sources, 0, sizeof(sources));
	for (i = 0; i < nsrc; i++) {
		set_file((int)i, src[i], len[i]);
		sources[i].kind = SOURCE_FILE;
		sources[i].path = paths[i];
	}
	cfg.sources = sources;
	cfg.nsources = nsrc;

	r = input_open(&in, &cfg, &msg);
	if (r < 0) {
		/* Only a --colsep can be wrong here (for --csv, too long). */
		if (r != -EINVAL || colsep == NULL || msg == NULL)
			abort();
		goto out_src;
	}
	if (cfg.xargs_fill)
		input_set_budget(in, cost_fn, NULL, data[2] + 1);
	if ((fb & B_SLURP) && input_slurp(in) < 0)
		abort();
	total = input_total(in);
	simple = nsrc == 1 && !cfg.csv && !cfg.header && !cfg.trim_left &&
	    !cfg.trim_right && !cfg.skip_empty && cfg.max_lines == 0 &&
	    eof == NULL && (colsep == NULL || plain_sep(colsep));
	while ((r = input_next(in, &a)) != 0) {
		if (r == -EAGAIN) {
			if (input_fill(in) < 0)
				abort();
			continue;
		}
		if (r < 0)
			abort();
		if (a.n == 0 && !cfg.header)
			abort();	/* a job without any value */
		for (i = 0; i < a.n; i++) {
			const struct arg *v = &a.v[i];

			if (v->p[v->len] != '\0')
				abort();
			if (cfg.trim_left && v->len > 0 &&
			    (v->p[0] == ' ' || v->p[0] == '\t'))
				abort();
			if (cfg.trim_right && v->len > 0 &&
			    (v->p[v->len - 1] == ' ' ||
			    v->p[v->len - 1] == '\t'))
				abort();
		}
		if (simple && !cfg.xargs_fill && cfg.max_args == 0) {
			/* One record: its columns, joined by the separator. */
			for (i = 0; i < a.n; i++) {
				if (i > 0)
					buf_adds(&joined, colsep);
				buf_add(&joined, a.v[i].p, a.v[i].len);
			}
			buf_addc(&joined, delim[0]);
		} else if (simple && colsep == NULL) {
			/* Several records, one value each. */
			for (i = 0; i < a.n; i++) {
				buf_add(&joined, a.v[i].p, a.v[i].len);
				buf_addc(&joined, delim[0]);
			}
		}
		if (++njobs >= MAXJOBS)
			goto done;
	}
	if (total >= 0 && !cfg.xargs_fill && (size_t)total != njobs)
		abort();	/* the count it promised is not what came */
	if (simple && (colsep == NULL || (!cfg.xargs_fill &&
	    cfg.max_args == 0))) {
		/* The file, with its last record ended. */
		if (len[0] > 0 && src[0][len[0] - 1] != delim[0])
			src[0][len[0]++] = delim[0];	/* over the '\0' */
		if (joined.len != len[0] || (len[0] > 0 &&
		    memcmp(joined.p, src[0], len[0]) != 0))
			abort();
	}
done:
	input_close(in);
out_src:
	for (i = 0; i < nsrc; i++)
		free(src[i]);
out:
	buf_free(&joined);
	free(colsep);
	free(eof);
	return 0;
}
