/*
 * Command templates (src/tmpl.c): compile, then expand as a shell line,
 * as an argv and as a --tagstring text.  Properties: when a template
 * runs without a shell, the shell line, read by a POSIX shell's quoting
 * rules, gives exactly the argv (tmpl.h: "Both expansions always mean
 * the same command"); a template without replacement strings ends its
 * argv with the value itself; under -m/-X the line is no longer than
 * tmpl_base_len plus every value's tmpl_arg_cost, the budget -X packs by.
 *
 * Input: a flags byte, a numbers byte, then fields split by 0x1e: the
 * template's words (split by 0x1f), -I's string when a flag asks, then
 * the values.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "input.h"
#include "options.h"
#include "shell.h"
#include "tmpl.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int	LLVMFuzzerInitialize(int *, char ***);

#define F_QUOTE		0x01	/* -q */
#define F_ALWAYS	0x02	/* --shell */
#define F_NEVER		0x04	/* --no-shell */
#define F_XARGS		0x08	/* -m, or -X with F_CONTEXT */
#define F_CONTEXT	0x10
#define F_ECHO		0x20	/* a real program first, to run direct */
#define F_REPLACE	0x40	/* -I STR */
#define F_PLUS		0x80	/* --plus */
#define MAXV		8

static const char *const names[] = { "a", "col", "x y", "{}", "1", "" };

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	/* Program look-ups must not depend on who runs the harness. */
	setenv("PATH", "/usr/bin:/bin", 1);
	return 0;
}

/* Split p[0..n) at sep into at most max NUL-ended copies. */
static size_t
fields(const char *p, size_t n, char sep, char **out, size_t *lens,
    size_t max)
{
	const char *e, *end = p + n;
	size_t k = 0;

	while (k < max) {
		e = memchr(p, sep, (size_t)(end - p));
		if (e == NULL)
			e = end;
		out[k] = xmemdup(p, (size_t)(e - p));
		lens[k++] = (size_t)(e - p);
		if (e == end)
			break;
		p = e + 1;
	}
	return k;
}

static int
has_brace(char *const *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strchr(w[i], '{') != NULL)
			return 1;
	return 0;
}

static void
check_direct(const struct tmpl *t, const struct tmpl_ctx *ctx,
    const struct buf *line, int appended)
{
	struct shell_words sw;
	struct buf argv = { 0 };
	const char *a, *w;
	size_t n, i, alen, last = 0;

	n = tmpl_argv(t, ctx, &argv);
	if (shell_split(line->p, line->len, &sw) < 0)
		abort();	/* the shell would do more than the argv */
	if (sw.n != n)
		abort();
	a = argv.p;
	w = sw.p;
	for (i = 0; i < n; i++) {
		alen = strlen(a);
		if (alen != sw.len[i] || memcmp(a, w, alen) != 0)
			abort();	/* word i differs */
		last = (size_t)(a - argv.p);
		a += alen + 1;
		w += sw.len[i] + 1;
	}
	if ((size_t)(a - argv.p) != argv.len)
		abort();
	/* " {}" appended: the last word is the value, whole. */
	if (appended && ctx->args->n == 1 && n >= 2) {
		const struct arg *v = &ctx->args->v[0];

		if (strlen(argv.p + last) != v->len ||
		    memcmp(argv.p + last, v->p, v->len) != 0)
			abort();
	}
	shell_free(&sw);
	buf_free(&argv);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *f[2 + MAXV + 1], *words[32];
	size_t flen[2 + MAXV + 1], wlen[32], nf, nw, nv, i, cost;
	struct arg v[MAXV];
	struct args args;
	struct config cfg;
	struct tmpl_ctx ctx;
	struct tmpl *t = NULL, *tt = NULL;
	struct buf line = { 0 }, text = { 0 };
	char msg[512] = "";
	unsigned flags, nums;
	char *cmd[33];
	int r;

	if (size < 2 || size > 4096)
		return 0;
	flags = data[0];
	nums = data[1];
	nf = fields((const char *)data + 2, size - 2, '\x1e', f, flen,
	    ARRAY_SIZE(f));
	nw = fields(f[0], flen[0], '\x1f', words, wlen, ARRAY_SIZE(words));
	memset(&cfg, 0, sizeof(cfg));
	i = 0;
	if (flags & F_ECHO)
		cmd[i++] = (char *)"echo";
	memcpy(cmd + i, words, nw * sizeof(*words));
	cfg.cmd = cmd;
	cfg.ncmd = i + nw;
	if (cfg.ncmd == 1 && wlen[0] == 0 && !(flags & F_ECHO))
		cfg.ncmd = 0;	/* no COMMAND: the values are the line */
	cfg.quote_cmd = (flags & F_QUOTE) != 0;
	cfg.shell_use = flags & F_ALWAYS ? SHELL_ALWAYS :
	    flags & F_NEVER ? SHELL_NEVER : SHELL_AUTO;
	cfg.xargs_fill = (flags & F_XARGS) != 0;
	cfg.context_replace = cfg.xargs_fill && (flags & F_CONTEXT);
	cfg.plus = (flags & F_PLUS) != 0;
	cfg.shell = "/bin/sh";
	i = 1;
	if ((flags & F_REPLACE) && nf > 1 && flen[1] > 0)
		cfg.replace = f[i++];
	for (nv = 0; i < nf && nv < MAXV; i++, nv++) {
		/* A value cannot carry NUL into a command line. */
		for (size_t k = 0; k < flen[i]; k++)
			if (f[i][k] == '\0')
				f[i][k] = '\1';
		v[nv].p = f[i];
		v[nv].len = flen[i];
	}
	args.v = v;
	args.n = nv;
	args.nrecords = nv;
	ctx.args = &args;
	ctx.seq = nums & 1 ? LONG_MAX : (long)(nums >> 1);
	ctx.slot = nums & 2 ? LONG_MAX : 1;
	ctx.total = nums & 4 ? -1 : nums & 8 ? LONG_MAX : (long)nums;

	r = tmpl_compile(&t, &cfg, names, ARRAY_SIZE(names), msg,
	    sizeof(msg));
	if (r < 0) {
		/* --no-shell's misuse, a bad --plus pattern, {= Perl =}. */
		if (r != -EINVAL || msg[0] == '\0')
			abort();
		goto out;
	}
	tmpl_line(t, &ctx, &line);
	if (strlen(line.p) != line.len)
		abort();	/* a NUL inside a shell line */
	if (tmpl_direct(t) != NULL && cfg.shell_use != SHELL_NEVER)
		check_direct(t, &ctx, &line, !has_brace(cfg.cmd, cfg.ncmd) &&
		    cfg.replace == NULL && !cfg.quote_cmd);
	else if (tmpl_direct(t) != NULL) {
		struct buf argv = { 0 };

		tmpl_argv(t, &ctx, &argv);
		buf_free(&argv);
	}
	/*
	 * The -X budget.  Documented exception: {n} inside a -X context
	 * word counts as large as the value being added, so leave those out.
	 */
	if (cfg.xargs_fill && nv > 0 && (!cfg.context_replace ||
	    (!has_brace(cfg.cmd, cfg.ncmd) && cfg.replace == NULL))) {
		cost = tmpl_base_len(t);
		for (i = 0; i < nv; i++)
			cost += tmpl_arg_cost(t, v[i].p, v[i].len);
		if (line.len > cost)
			abort();	/* the line outgrew its budget */
	}
	(void)tmpl_needs_total(t);

	/* The same words as a --tagstring text. */
	if (nw > 0) {
		if (tmpl_compile_text(&tt, words[0], &cfg, names,
		    ARRAY_SIZE(names), msg, sizeof(msg)) == 0)
			tmpl_text(tt, &ctx, &text);
	}
out:
	tmpl_free(t);
	tmpl_free(tt);
	buf_free(&line);
	buf_free(&text);
	for (i = 0; i < nw; i++)
		free(words[i]);
	for (i = 0; i < nf; i++)
		free(f[i]);
	return 0;
}
