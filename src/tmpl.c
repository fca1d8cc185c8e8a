/*
 * tmpl: expands COMMAND, compiled once into words of segments (literal
 * text or a replacement string; tmpl_compile.c), per job into a shell
 * line or an argv, without allocating beyond the caller's buffer, and
 * estimates the sizes -X and -s need.  Words are the blank-separated
 * runs of the template (with -q, COMMAND's own words).
 * One walk over the words drives three emitters that must agree: LINE
 * writes literal text verbatim and each value quoted; QLINE (-q) quotes
 * each resulting word as a whole, as GNU parallel spells it; ARGV writes
 * the very words the shell would make of LINE's output.  A multi-valued
 * string ({} {.} {/} {//} {/.}) splits its word between values.  Under
 * context replace (-X, -N, -L) its group instead, the run of the word
 * between blanks (the whole word but with -q), repeats once per value,
 * each repetition a word of its own, as GNU parallel does.
 *
 * What a replacement string does to its value ({.}, --plus's forms) is
 * modifier.c's.
 *
 * A value that is absent, {n} past the last argument or column, expands
 * to nothing, not to '': a word of nothing else gives no argument (with
 * -q, ''), as in GNU parallel.  A job without arguments has one empty
 * one, so that {} and {1} are '' there; under -N0 it has none, and no
 * replacement string gives anything, even with -q.  {##} when the total
 * is unknown is ''.
 *
 * A plain value that could complete a reserved word at a command
 * position (line start, after ; & | ( ) newline backquote, or after then,
 * do, if...) is quoted anyway: fanout {} ::: if runs 'if', never "if".
 */
#include "tmpl.h"
#include "tmpl_compile.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "input.h"
#include "modifier.h"
#include "quote.h"
#include "util.h"

#define NUM_COST	20	/* digits of a long, for size estimates */
#define RESERVED_MAX	8	/* strlen("function") */

static const char *const reserved[] = {
	"!", "{", "}", "[[", "]]", "case", "coproc", "do", "done", "elif",
	"else", "esac", "fi", "for", "function", "if", "in", "select", "then",
	"time", "until", "while",
};
/* Reserved words after which a command starts. */
static const char *const before_cmd[] = {
	"!", "{", "do", "elif", "else", "if", "then", "time", "until", "while",
};

static int
one_of(const char *const *set, size_t nset, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < nset; i++)
		if (strlen(set[i]) == n && memcmp(set[i], s, n) == 0)
			return 1;
	return 0;
}

int
tmpl_reserved(const char *s, size_t n)
{
	return one_of(reserved, ARRAY_SIZE(reserved), s, n);
}

int
tmpl_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Bytes that end a shell word outside quotes. */
static int
word_end(char c)
{
	return c != '\0' && strchr(" \t\n;&|()<>`", c) != NULL;
}

/*
 * How many values the replacement strings see: a job's arguments, or
 * when it has none one empty value (none at all under -N0).
 */
static size_t
nvalues(const struct tmpl *t, const struct args *a)
{
	size_t n = a != NULL ? a->n : 0;

	return n > 0 || t->no_values ? n : 1;
}

/* Argument i of a (or '' past the last) through modifier mod. */
static void
arg_view(const struct args *a, size_t i, const struct mod *mod,
    const char **p, size_t *n, struct buf *scratch)
{
	if (a == NULL || i >= a->n) {
		*p = "";
		*n = 0;
	} else {
		*p = a->v[i].p;
		*n = a->v[i].len;
	}
	if (mod != NULL)
		mod_apply(mod, p, n, scratch);
}

/*
 * Emitters.  begin/end bracket each output word; brk is a word break
 * inside one template word (between the values of {}).
 */
enum emit_mode { EMIT_LINE, EMIT_QLINE, EMIT_ARGV, EMIT_TEXT };

struct emit {
	struct buf	*out;
	enum emit_mode	 mode;
	size_t		 line;		/* where the line starts in out */
	size_t		 sep;		/* where the blanks before it start */
	size_t		 word;		/* where the output word starts */
	int		 value;		/* QLINE: the word holds a value */
	int		 filled;	/* the word has text or a value */
	int		 keep_absent;	/* -q: an absent value is '' */
	size_t		 nwords;	/* words ended so far */
	struct buf	 scratch;	/* a modified value */
};

/*
 * Whether line[0, w) leaves the word at w in a command position.  A
 * false yes only adds quotes, so anything that might be one counts.
 */
static int
cmd_position(const char *line, size_t w)
{
	size_t i, j;

	for (i = w; i > 0 && tmpl_blank(line[i - 1]); i--)
		;
	if (i == 0)
		return 1;
	if (line[i - 1] != '\0' && strchr(";&|()\n`{}!", line[i - 1]))
		return 1;
	for (j = i; j > 0 && !word_end(line[j - 1]); j--)
		;
	return one_of(before_cmd, ARRAY_SIZE(before_cmd), line + j, i - j);
}

/*
 * Whether the plain value v, written bare, could make a reserved word:
 * complete one when it ends the word (last), else start one.
 */
static int
needs_guard(const struct emit *e, const char *v, size_t vn, int last)
{
	const char *line;
	size_t end, w, i;

	if (vn > RESERVED_MAX)
		return 0;
	end = e->out->len - e->line;
	line = end > 0 ? e->out->p + e->line : "";
	for (w = end; w > 0 && !word_end(line[w - 1]); w--)
		if (end - w + 1 + vn > RESERVED_MAX)
			return 0;
	for (i = 0; i < ARRAY_SIZE(reserved); i++) {
		if ((last ? strlen(reserved[i]) == end - w + vn :
		    strlen(reserved[i]) >= end - w + vn) &&
		    memcmp(reserved[i], line + w, end - w) == 0 &&
		    memcmp(reserved[i] + end - w, v, vn) == 0)
			return cmd_position(line, w);
	}
	return 0;
}

static void
em_sep(struct emit *e, const char *p, size_t n)
{
	if (e->mode != EMIT_ARGV)
		buf_add(e->out, p, n);
}

/* A word starts after the blanks p[0, n). */
static void
em_begin(struct emit *e, const char *p, size_t n)
{
	e->sep = e->out->len;
	em_sep(e, p, n);
	e->word = e->out->len;
	e->value = 0;
	e->filled = 0;
}

static void
em_end(struct emit *e)
{
	struct buf *o = e->out;
	int force;

	/*
	 * A word of absent values only is no word, as the shell drops an
	 * empty unquoted one: LINE's blanks around it say the same.
	 */
	if (!e->filled && (e->mode == EMIT_QLINE || e->mode == EMIT_ARGV)) {
		o->len = e->sep;
		return;
	}
	switch (e->mode) {
	case EMIT_LINE:
	case EMIT_TEXT:
		break;
	case EMIT_QLINE:
		force = e->nwords == 0 && e->value &&
		    one_of(reserved, ARRAY_SIZE(reserved), o->p + e->word,
		    o->len - e->word);
		quote_inplace(o, e->word, force);
		break;
	case EMIT_ARGV:
		buf_addc(o, '\0');
		break;
	}
	e->nwords++;
}

static void
em_text(struct emit *e, const char *p, size_t n)
{
	buf_add(e->out, p, n);
	e->filled = 1;
}

/* A word break; tab: a tab after the blank, where GNU keeps one. */
static void
em_brk(struct emit *e, int tab)
{
	em_end(e);
	em_begin(e, " \t", tab ? 2 : 1);
}

static void
em_value(struct emit *e, const char *p, size_t n, int last)
{
	const char *nul;
	size_t start;

	/*
	 * Neither an argv string nor a shell line can hold a NUL: a value
	 * ends there, alike in every expansion but plain text (tags).
	 */
	if (e->mode != EMIT_TEXT && (nul = memchr(p, '\0', n)) != NULL)
		n = (size_t)(nul - p);
	e->filled = 1;
	switch (e->mode) {
	case EMIT_LINE:
		if (quote_is_plain(p, n) && needs_guard(e, p, n, last)) {
			start = e->out->len;
			buf_add(e->out, p, n);
			quote_inplace(e->out, start, 1);
		} else
			quote_append(e->out, p, n);
		break;
	case EMIT_QLINE:
		buf_add(e->out, p, n);
		e->value = 1;
		break;
	case EMIT_TEXT:
	case EMIT_ARGV:
		buf_add(e->out, p, n);
		break;
	}
}

static void
em_num(struct emit *e, long v)
{
	char num[32];
	int n;

	n = snprintf(num, sizeof(num), "%ld", v);
	em_value(e, num, (size_t)n, 1);		/* digits: never reserved */
}

/* Value i of nvals, or nothing when absent (with -q, ''). */
static void
em_arg(struct emit *e, const struct args *a, size_t i, size_t nvals,
    const struct mod *mod, int last)
{
	const char *p;
	size_t n;

	if (i >= nvals) {
		if (e->keep_absent)
			em_value(e, "", 0, last);
		return;
	}
	arg_view(a, i, mod, &p, &n, &e->scratch);
	em_value(e, p, n, last);
}

/*
 * Segment s, the last of its word or group when last; k is the value of
 * a context repetition, or SIZE_MAX.
 */
static void
expand_seg(const struct tmpl *t, const struct seg *s,
    const struct tmpl_ctx *c, struct emit *e, size_t k, int last)
{
	size_t a, nvals = nvalues(t, c->args);

	switch (s->kind) {
	case SEG_TEXT:
		em_text(e, t->text + s->off, s->len);
		break;
	case SEG_ALL:
		if (k != SIZE_MAX) {
			em_arg(e, c->args, k, nvals, s->mod, last);
			break;
		}
		for (a = 0; a < nvals; a++) {
			if (a > 0)
				em_brk(e, 0);
			em_arg(e, c->args, a, nvals, s->mod,
			    last || a + 1 < nvals);
		}
		break;
	case SEG_ARG:
		em_arg(e, c->args, !s->from_end ? s->argn :
		    s->argn < nvals ? nvals - 1 - s->argn : SIZE_MAX, nvals,
		    s->mod, last);
		break;
	case SEG_SEQ:
		em_num(e, c->seq);
		break;
	case SEG_SLOT:
		em_num(e, c->slot);
		break;
	case SEG_TOTAL:
		if (c->total < 0)
			em_value(e, "", 0, 1);
		else
			em_num(e, c->total);
		break;
	}
}

/*
 * Word w.  A context group repeats once per value (once with none, its
 * values then absent), a word break between repetitions.  As in GNU
 * parallel, a tab just before the group repeats with it.
 */
static void
expand_word(const struct tmpl *t, const struct word *w,
    const struct tmpl_ctx *c, struct emit *e)
{
	const struct seg *s;
	size_t i, j, k, nrep = nvalues(t, c->args);
	int tab;

	for (i = 0; i < w->nseg; i++) {
		s = &t->segs[w->seg0 + i];
		if (s->group == 0) {
			expand_seg(t, s, c, e, SIZE_MAX, i + 1 == w->nseg);
			continue;
		}
		/*
		 * Without -q, that tab ends the blanks before the word;
		 * with -q, it is the group's first segment (mark_groups()).
		 */
		tab = i == 0 && w->sep_len > 0 &&
		    t->text[w->sep_off + w->sep_len - 1] == '\t';
		for (k = 0; k < nrep || k == 0; k++) {
			if (k > 0)
				em_brk(e, tab);
			for (j = 0; j < s->group; j++)
				expand_seg(t, s + j, c, e, k,
				    j + 1 == s->group);
		}
		i += s->group - 1;
	}
}

static void
expand(const struct tmpl *t, const struct tmpl_ctx *c, struct emit *e)
{
	const struct word *w;
	size_t i;

	e->line = e->out->len;
	e->keep_absent = t->qwords && !t->no_values;
	for (i = 0; i < t->nwords; i++) {
		w = &t->words[i];
		em_begin(e, t->text + w->sep_off, w->sep_len);
		e->filled = w->nseg == 0;	/* -q's empty word: '' */
		expand_word(t, w, c, e);
		em_end(e);
	}
	em_sep(e, t->text + t->tail_off, t->tail_len);
}

void
tmpl_line(const struct tmpl *t, const struct tmpl_ctx *c, struct buf *out)
{
	struct emit e = { .out = out };
	size_t i;

	if (t->raw) {
		for (i = 0; c->args && i < c->args->n; i++) {
			if (i > 0)
				buf_addc(out, ' ');
			buf_add(out, c->args->v[i].p, c->args->v[i].len);
		}
		buf_reserve(out, 0);	/* keep the NUL promise when empty */
		return;
	}
	e.mode = t->qwords ? EMIT_QLINE : EMIT_LINE;
	expand(t, c, &e);
	buf_free(&e.scratch);
}

void
tmpl_text(const struct tmpl *t, const struct tmpl_ctx *c, struct buf *out)
{
	struct emit e = { .out = out, .mode = EMIT_TEXT };

	expand(t, c, &e);
	buf_free(&e.scratch);
	buf_reserve(out, 0);
}

size_t
tmpl_argv(const struct tmpl *t, const struct tmpl_ctx *c, struct buf *out)
{
	struct emit e = { .out = out, .mode = EMIT_ARGV };

	if (t->raw)
		return 0;
	expand(t, c, &e);
	buf_free(&e.scratch);
	return e.nwords;
}

const char *
tmpl_direct(const struct tmpl *t)
{
	return t->direct;
}

int
tmpl_needs_total(const struct tmpl *t)
{
	return t->needs_total;
}

int
tmpl_lengthens(const struct tmpl *t)
{
	return t->lengthens;
}

int
tmpl_has_reps(const struct tmpl *t)
{
	return t->nreps > 0;
}

size_t
tmpl_max_position(const struct tmpl *t)
{
	return t->max_pos;
}

/*
 * A value's bytes quoted, counting the 2 of a guard (see needs_guard())
 * when it is plain and could be part of a reserved word.
 */
static size_t
quoted_cost(const char *v, size_t vn)
{
	size_t i, n = quote_len(v, vn);

	if (n != vn || vn > RESERVED_MAX)
		return n;
	for (i = 0; i < ARRAY_SIZE(reserved); i++)
		if (memmem(reserved[i], strlen(reserved[i]), v, vn) != NULL)
			return n + 2;
	return n;
}

/* The value p[0, n) through s's modifier, quoted. */
static size_t
mod_cost(const struct seg *s, const char *p, size_t n, struct buf *scratch)
{
	if (s->mod != NULL)
		mod_apply(s->mod, &p, &n, scratch);
	return quoted_cost(p, n);
}

/*
 * Sizes, as upper bounds.  Under -q a word is quoted whole, which costs
 * at most its pieces quoted alone plus 2 each (GNU drops the '' at the
 * ends of a quoted piece, not inside a word).  A number counts as
 * NUM_COST bytes.  {n} counts as the value being added (p), since any
 * value may be the n-th, or as what its modifier makes of it when that
 * is more; with no value being added (p NULL), as what its modifier
 * makes of none ('' or {n:-STR}'s STR).
 */
static size_t
arg_cost(const struct tmpl *t, const struct seg *s, const char *p,
    size_t len, struct buf *scratch)
{
	size_t slack = t->qwords ? 2 : 0, n, m;

	if (p == NULL)
		return mod_cost(s, "", 0, scratch) + slack;
	n = quoted_cost(p, len) + slack;
	if (s->mod != NULL && !mod_narrows(s->mod) &&
	    (m = mod_cost(s, p, len, scratch) + slack) > n)
		return m;
	return n;
}

/*
 * The bytes of the segments s[0, nseg), with p as the value of each {}
 * among them (a repetition of a context group), or with none (p NULL).
 */
static size_t
segs_fixed(const struct tmpl *t, const struct seg *s, size_t nseg,
    const char *p, size_t len, struct buf *scratch)
{
	size_t i, n = 0, slack = t->qwords ? 2 : 0;

	for (i = 0; i < nseg; i++, s++) {
		if (s->kind == SEG_TEXT)
			n += t->qwords ? quote_len(t->text + s->off, s->len) +
			    2 : s->len;
		else if (s->kind == SEG_ARG)
			n += arg_cost(t, s, p, len, scratch);
		else if (s->kind == SEG_ALL)
			/* '' when there is no argument. */
			n += p == NULL ? 2 : mod_cost(s, p, len, scratch) +
			    slack;
		else
			n += NUM_COST;
	}
	return n;
}

/* Word w's bytes without values, but for its context groups. */
size_t
tmpl_word_base(const struct tmpl *t, const struct word *w,
    struct buf *scratch)
{
	const struct seg *s;
	size_t i, n = t->qwords ? 2 : 0;

	for (i = 0; i < w->nseg; i++) {
		s = &t->segs[w->seg0 + i];
		if (s->group > 0)
			i += s->group - 1;
		else
			n += segs_fixed(t, s, 1, NULL, 0, scratch);
	}
	return n;
}

/*
 * What one more word of the command costs: in a shell line the blank
 * before it; in a direct job's argv its NUL and the pointer the kernel
 * counts for it.
 */
static size_t
word_cost(const struct tmpl *t)
{
	return t->direct != NULL ? 1 + sizeof(char *) : 1;
}

/*
 * Every word a value makes is counted: each {} of a word that joins the
 * values makes one more word, and a context group repeats whole, as a
 * word of its own.
 */
size_t
tmpl_arg_cost(const struct tmpl *t, const char *p, size_t len)
{
	struct buf scratch = { 0 };
	const struct word *w;
	const struct seg *s;
	size_t i, j, cost = 0, brk = word_cost(t);
	size_t slack = t->qwords ? 2 : 0;

	if (t->raw)
		return len + 1;
	for (i = 0; i < t->nwords; i++) {
		w = &t->words[i];
		for (j = 0; j < w->nseg; j++) {
			s = &t->segs[w->seg0 + j];
			if (s->group > 0) {
				cost += segs_fixed(t, s, s->group, p, len,
				    &scratch) + slack + brk;
				j += s->group - 1;
			} else if (s->kind == SEG_ALL)
				cost += mod_cost(s, p, len, &scratch) +
				    slack + brk;
			else if (s->kind == SEG_ARG)
				cost += arg_cost(t, s, p, len, &scratch);
		}
	}
	buf_free(&scratch);
	return cost;
}

size_t
tmpl_base_len(const struct tmpl *t)
{
	/* A direct job's argv: each word's NUL and pointer, and the NULL. */
	if (t->direct != NULL)
		return t->base_len + (t->nwords + 1) * word_cost(t);
	return t->base_len;
}
