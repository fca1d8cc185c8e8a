/*
 * tmpl: compiles COMMAND once into words of segments (literal text or a
 * replacement string) and expands them per job into a shell line or an
 * argv, without allocating beyond the caller's buffer.  Words are the
 * blank-separated runs of the template (with -q, COMMAND's own words).
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

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "input.h"
#include "modifier.h"
#include "options.h"
#include "quote.h"
#include "util.h"

enum seg_kind { SEG_TEXT, SEG_ALL, SEG_ARG, SEG_SEQ, SEG_SLOT, SEG_TOTAL };

struct seg {
	enum seg_kind	 kind;
	const struct mod *mod;		/* SEG_ALL, SEG_ARG; NULL: none */
	size_t		 off, len;	/* SEG_TEXT: bytes in text */
	size_t		 argn;		/* SEG_ARG: 0-based */
	int		 from_end;	/* SEG_ARG: {-n}, argn from the last */
	size_t		 group;		/* context replace: the segments of
					   the group it starts, 0 if none */
};

struct word {
	size_t	 sep_off, sep_len;	/* the blanks before it, in text */
	size_t	 seg0, nseg;
};

struct tmpl {
	char		*text;
	struct seg	*segs;
	struct word	*words;
	size_t		 nwords;
	size_t		 tail_off, tail_len;	/* blanks after the last word */
	int		 raw;		/* no COMMAND: the args are the line */
	int		 qwords;	/* -q */
	int		 no_values;	/* -N0: no string gives a value */
	int		 needs_total;
	char		*direct;
	size_t		 base_len;
	struct mod	**mods;		/* the segments' modifiers */
	size_t		 nmods;
	int		 lengthens;	/* one may lengthen its value */
	size_t		 max_pos;	/* the highest n of a {n} */
	size_t		 nreps;		/* replacement strings written */
};

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

static int
blank(char c)
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

	for (i = w; i > 0 && blank(line[i - 1]); i--)
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
static size_t
word_base(const struct tmpl *t, const struct word *w, struct buf *scratch)
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

/* Compilation. */

/* The strings config's renamed[] may rename, in its order. */
static const struct {
	const char	*body;		/* between the braces */
	enum seg_kind	 kind;
} renamable[] = {
	{ ".", SEG_ALL }, { "/", SEG_ALL }, { "/.", SEG_ALL },
	{ "//", SEG_ALL }, { "#", SEG_SEQ }, { "%", SEG_SLOT },
};

/* A name a string goes by: -I's for {} (which -1), or renamed[which]. */
struct rename {
	const char	*s;
	size_t		 len;
	int		 which;
};

struct build {
	struct tmpl		*t;
	struct buf		 text;
	size_t			 nsegs, segcap, wordcap;
	/* {}'s name and the renamed ones, the longest first, as GNU. */
	struct rename		 ren[1 + ARRAY_SIZE(renamable)];
	size_t			 nren;
	int			 gone[ARRAY_SIZE(renamable)];
	const char *const	*names;
	size_t			 nnames;
	size_t			 nreps;
	int			 plus;		/* --plus */
	int			 err;		/* the first error, msg says */
	char			*msg;
	size_t			 msgsize;
};

static void
word_open(struct build *b, size_t sep_off, size_t sep_len)
{
	struct tmpl *t = b->t;
	struct word *w;

	t->words = xgrow(t->words, &b->wordcap, t->nwords + 1,
	    sizeof(*t->words));
	w = &t->words[t->nwords++];
	memset(w, 0, sizeof(*w));
	w->sep_off = sep_off;
	w->sep_len = sep_len;
	w->seg0 = b->nsegs;
}

static struct seg *
seg_add(struct build *b, enum seg_kind kind)
{
	struct tmpl *t = b->t;
	struct seg *s;

	t->segs = xgrow(t->segs, &b->segcap, b->nsegs + 1, sizeof(*t->segs));
	s = &t->segs[b->nsegs++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	t->words[t->nwords - 1].nseg++;
	return s;
}

/*
 * Literal bytes of one word are contiguous in text: extend the last,
 * unless one is blank and the other not, or either is a tab (-q's words
 * hold blanks, which end a context group, and a tab starts the next).
 */
static void
text_add(struct build *b, char c)
{
	struct word *w = &b->t->words[b->t->nwords - 1];
	struct seg *s = NULL;
	char prev;

	if (w->nseg > 0 && b->t->segs[b->nsegs - 1].kind == SEG_TEXT) {
		prev = b->text.p[b->text.len - 1];
		if (blank(prev) == blank(c) && prev != '\t' && c != '\t')
			s = &b->t->segs[b->nsegs - 1];
	}
	if (s == NULL) {
		s = seg_add(b, SEG_TEXT);
		s->off = b->text.len;
	}
	buf_addc(&b->text, c);
	s->len++;
}

/*
 * Whether s[0, n) is a modifier (modifier.h): 1 with sg->mod set (NULL
 * for none), 0 if not.  A pattern that does not compile is an error
 * (b->err), and is taken as literal text meanwhile.
 */
static int
mod_at(struct build *b, const char *s, size_t n, struct seg *sg)
{
	struct mod *m = xmalloc(sizeof(*m));
	struct tmpl *t = b->t;
	int r;

	r = mod_parse(m, s, n, b->plus, b->msg, b->msgsize);
	if (r < 0 && b->err == 0)
		b->err = r;
	if (r <= 0 || m->kind == MOD_NONE) {
		mod_free(m);
		free(m);
		sg->mod = NULL;
		return r > 0;
	}
	t->mods = xrealloc(t->mods, (t->nmods + 1) * sizeof(*t->mods));
	t->mods[t->nmods++] = m;
	t->lengthens |= !mod_narrows(m);
	sg->mod = m;
	return 1;
}

/*
 * The replacement string at s, if any: its length, with *sg filled.
 * -I renames {} only, --er and the like {.} and the others, whose
 * brace form then means nothing, as in GNU parallel; {n} and {-n} want
 * no leading zero; a --header name is matched exactly, after
 * everything else.  Each may end in a modifier.
 */
static size_t
match_rep(struct build *b, const char *s, size_t n, struct seg *sg)
{
	static const struct {
		const char	*body;
		enum seg_kind	 kind;
	} fixed[] = {
		{ "#", SEG_SEQ }, { "%", SEG_SLOT }, { "##", SEG_TOTAL },
	};
	const char *body, *close;
	size_t bl, i, k, v, neg;

	memset(sg, 0, sizeof(*sg));
	for (i = 0; i < b->nren; i++) {
		const struct rename *r = &b->ren[i];

		if (n < r->len || memcmp(s, r->s, r->len) != 0)
			continue;
		sg->kind = r->which < 0 ? SEG_ALL : renamable[r->which].kind;
		if (r->which >= 0 && sg->kind == SEG_ALL)
			mod_at(b, renamable[r->which].body,
			    strlen(renamable[r->which].body), sg);
		return r->len;
	}
	if (s[0] != '{' || (close = memchr(s, '}', n)) == NULL)
		return 0;
	body = s + 1;
	bl = (size_t)(close - body);
	for (i = 0; i < ARRAY_SIZE(renamable); i++)
		if (b->gone[i] && strlen(renamable[i].body) == bl &&
		    memcmp(renamable[i].body, body, bl) == 0)
			return 0;
	for (i = 0; i < ARRAY_SIZE(fixed); i++) {
		if (strlen(fixed[i].body) == bl &&
		    memcmp(fixed[i].body, body, bl) == 0) {
			sg->kind = fixed[i].kind;
			return bl + 2;
		}
	}
	sg->kind = SEG_ALL;
	if (bl > 0 && mod_at(b, body, bl, sg))
		return bl + 2;
	sg->kind = SEG_ARG;
	/* {n}, or {-n}: the n-th value from the last (GNU's). */
	neg = bl > 1 && body[0] == '-';
	if (bl > neg && body[neg] >= '1' && body[neg] <= '9') {
		for (v = 0, i = neg; i < bl && body[i] >= '0' &&
		    body[i] <= '9'; i++) {
			if (v > (SIZE_MAX - 9) / 10)
				goto names;
			v = v * 10 + (size_t)(body[i] - '0');
		}
		sg->argn = v - 1;
		sg->from_end = neg;
		/* GNU's {n} may end in white space, newlines too. */
		for (k = i; k < bl && isspace((unsigned char)body[k]); k++)
			;
		if (k == bl || mod_at(b, body + i, bl - i, sg)) {
			if (v > b->t->max_pos)
				b->t->max_pos = v;
			return bl + 2;
		}
	}
names:
	for (i = 0; b->names != NULL && i < b->nnames; i++) {
		size_t nl = b->names[i] != NULL ? strlen(b->names[i]) : 0;

		if (nl == 0 || nl > bl || memcmp(b->names[i], body, nl) != 0)
			continue;
		sg->argn = i;
		if (mod_at(b, body + nl, bl - nl, sg))
			return bl + 2;
	}
	return 0;
}

/* Text into the current word: replacement strings, else literal bytes. */
static size_t
parse_at(struct build *b, const char *s, size_t n)
{
	struct seg sg;
	size_t m;

	if (n > 2 && s[0] == '{' && s[1] == '=' &&
	    memmem(s + 2, n - 2, "=}", 2) != NULL && b->err == 0) {
		b->err = -EINVAL;
		snprintf(b->msg, b->msgsize, "'{= ... =}' is a Perl expression "
		    "and fanout has no Perl: --plus gives {/RE/STR}, {#RE}, "
		    "{%%RE}, {:-STR}, {^RE} and more (see fanout(1))");
	}
	if ((m = match_rep(b, s, n, &sg)) > 0) {
		*seg_add(b, sg.kind) = sg;
		b->nreps++;
		return m;
	}
	text_add(b, s[0]);
	return 1;
}

/* Without -q: COMMAND's words joined by spaces, then split on blanks. */
static void
parse_joined(struct build *b, char *const *cmd, size_t ncmd)
{
	struct buf j = { 0 };
	size_t i, sep_off, sep_len = 0;
	int in_word = 0;

	for (i = 0; i < ncmd; i++) {
		if (i > 0)
			buf_addc(&j, ' ');
		buf_adds(&j, cmd[i]);
	}
	sep_off = b->text.len;
	for (i = 0; i < j.len;) {
		if (blank(j.p[i])) {
			if (in_word) {
				in_word = 0;
				sep_off = b->text.len;
				sep_len = 0;
			}
			buf_addc(&b->text, j.p[i++]);
			sep_len++;
			continue;
		}
		if (!in_word) {
			word_open(b, sep_off, sep_len);
			in_word = 1;
		}
		i += parse_at(b, j.p + i, j.len - i);
	}
	b->t->tail_off = in_word ? b->text.len : sep_off;
	b->t->tail_len = in_word ? 0 : sep_len;
	buf_free(&j);
}

/* With -q: each of COMMAND's words is one word, blanks and all. */
static void
parse_quoted(struct build *b, char *const *cmd, size_t ncmd)
{
	size_t i, k, n;

	for (i = 0; i < ncmd; i++) {
		if (i > 0)
			buf_addc(&b->text, ' ');
		word_open(b, b->text.len - (i > 0), i > 0);
		n = strlen(cmd[i]);
		for (k = 0; k < n;)
			k += parse_at(b, cmd[i] + k, n - k);
	}
	b->t->tail_off = b->text.len;
	b->t->tail_len = 0;
}

/*
 * Decide, once, whether jobs may skip the shell (direct.h); sets
 * t->direct.  What the template's text means is ours to say, what the
 * environment holds is direct's.
 */
static int
choose_direct(struct tmpl *t, enum shell_use use, const char **msg)
{
	const struct word *w = t->nwords > 0 ? &t->words[0] : NULL;
	const struct seg *s;
	struct direct_scan scan;
	char *name;
	size_t i, j;
	int err;

	/* The program must be literal (with -q, possibly empty). */
	if (w == NULL || w->nseg > 1 ||
	    (w->nseg == 1 && t->segs[w->seg0].kind != SEG_TEXT))
		return direct_choose(&t->direct, NULL, 1, use, msg);
	direct_scan_init(&scan);
	for (i = 0; i < t->nwords && !t->qwords; i++) {
		direct_scan_word(&scan);
		for (j = 0; j < t->words[i].nseg; j++) {
			s = &t->segs[t->words[i].seg0 + j];
			if (s->kind == SEG_TEXT)
				direct_scan_text(&scan, t->text + s->off,
				    s->len);
			else
				direct_scan_value(&scan);
		}
	}
	s = w->nseg > 0 ? &t->segs[w->seg0] : NULL;
	name = s ? xmemdup(t->text + s->off, s->len) : xstrdup("");
	err = direct_choose(&t->direct, name, !scan.plain ||
	    one_of(reserved, ARRAY_SIZE(reserved), name, strlen(name)),
	    use, msg);
	free(name);
	return err;
}

/*
 * Into b->ren, kept longest first, as GNU matches them; of two as long,
 * the later (a renamed one before -I's).
 */
static void
rename_add(struct build *b, const char *s, int which)
{
	size_t i, len = strlen(s);

	if (len == 0)
		return;
	for (i = b->nren; i > 0 && b->ren[i - 1].len <= len; i--)
		b->ren[i] = b->ren[i - 1];
	b->ren[i].s = s;
	b->ren[i].len = len;
	b->ren[i].which = which;
	b->nren++;
}

static void
build_init(struct build *b, struct tmpl *t, const struct config *cfg,
    const char *const *names, size_t nnames, char *msg, size_t msgsize)
{
	size_t i;

	memset(b, 0, sizeof(*b));
	b->t = t;
	rename_add(b, cfg->replace ? cfg->replace : "{}", -1);
	for (i = 0; i < ARRAY_SIZE(renamable); i++)
		if (cfg->renamed[i] != NULL) {
			rename_add(b, cfg->renamed[i], (int)i);
			b->gone[i] = 1;
		}
	b->names = names;
	b->nnames = nnames;
	b->plus = cfg->plus;
	b->msg = msg;
	b->msgsize = msgsize;
}

/* Whether s is blanks inside a -q word, which end a context group. */
static int
seg_blank(const struct tmpl *t, const struct seg *s)
{
	return s->kind == SEG_TEXT && blank(t->text[s->off]);
}

/*
 * Under context replace, mark each group (a word's run of segments
 * between blanks, with a tab just before it, as GNU parallel has it)
 * that holds a multi-valued string: it repeats.
 */
static void
mark_groups(struct tmpl *t, const struct word *w)
{
	struct seg *s = &t->segs[w->seg0];
	size_t i, j, tab;
	int multi;

	for (i = 0; i < w->nseg; i = j) {
		multi = 0;
		for (j = i; j < w->nseg && !seg_blank(t, &s[j]); j++)
			multi |= s[j].kind == SEG_ALL;
		tab = i > 0 && t->text[s[i - 1].off] == '\t';
		if (multi)
			s[i - tab].group = j - i + tab;
		if (j == i)
			j++;
	}
}

/*
 * The text and what the segments need, once parsed: 0 or b->err.
 * context: context replace (-X, -N, -L), in texts too, as GNU's.
 */
static int
build_end(struct build *b, int context)
{
	struct tmpl *t = b->t;
	size_t i;

	buf_reserve(&b->text, 0);
	t->text = b->text.p;
	t->nreps = b->nreps;
	for (i = 0; i < b->nsegs; i++)
		if (t->segs[i].kind == SEG_TOTAL)
			t->needs_total = 1;
	for (i = 0; context && i < t->nwords; i++)
		mark_groups(t, &t->words[i]);
	return b->err;
}

int
tmpl_compile(struct tmpl **out, const struct config *cfg,
    const char *const *names, size_t nnames, char *msg, size_t msgsize)
{
	static char all[] = "{}";
	char *const implicit[] = { all };
	struct buf scratch = { 0 };
	const char *cmsg = NULL;
	struct build b;
	struct tmpl *t;
	struct word *w;
	size_t i;
	int err;

	*out = NULL;
	t = xcalloc(1, sizeof(*t));
	if (cfg->ncmd == 0 && !cfg->quote_cmd) {
		if (cfg->shell_use == SHELL_NEVER) {
			free(t);
			snprintf(msg, msgsize, "--no-shell needs a command: "
			    "input lines are run by the shell");
			return -EINVAL;
		}
		t->raw = 1;
		*out = t;
		return 0;
	}
	build_init(&b, t, cfg, names, nnames, msg, msgsize);
	t->qwords = cfg->quote_cmd;
	t->no_values = cfg->no_args;
	/* -q with no command: the values are the words, each quoted (GNU). */
	if (cfg->ncmd == 0)
		parse_joined(&b, implicit, 1);
	else if (t->qwords)
		parse_quoted(&b, cfg->cmd, cfg->ncmd);
	else
		parse_joined(&b, cfg->cmd, cfg->ncmd);
	if (b.nreps == 0 && !cfg->no_args && !cfg->pipe) {
		/*
		 * " {}" appended, after any trailing blanks; not under
		 * --pipe, as GNU: there the block is the input.
		 */
		buf_addc(&b.text, ' ');
		word_open(&b, t->tail_off, t->tail_len + 1);
		seg_add(&b, SEG_ALL);
		t->tail_off = b.text.len;
		t->tail_len = 0;
	}
	if ((err = build_end(&b, cfg->context_replace)) < 0) {
		tmpl_free(t);
		return err;
	}
	t->base_len = 2 + t->tail_len;	/* 2: a guard's quotes */
	for (i = 0; i < t->nwords; i++) {
		w = &t->words[i];
		t->base_len += w->sep_len + word_base(t, w, &scratch);
	}
	buf_free(&scratch);
	if ((err = choose_direct(t, cfg->shell_use, &cmsg)) < 0) {
		snprintf(msg, msgsize, "%s", cmsg ? cmsg : "bad command");
		tmpl_free(t);
		return err;
	}
	*out = t;
	return 0;
}

int
tmpl_compile_text(struct tmpl **out, const char *text,
    const struct config *cfg, const char *const *names, size_t nnames,
    char *msg, size_t msgsize)
{
	char *words[1] = { (char *)text };
	struct tmpl *t = xcalloc(1, sizeof(*t));
	struct build b;
	int err;

	*out = NULL;
	build_init(&b, t, cfg, names, nnames, msg, msgsize);
	parse_joined(&b, words, 1);
	if ((err = build_end(&b, cfg->context_replace)) < 0) {
		tmpl_free(t);
		return err;
	}
	*out = t;
	return 0;
}

void
tmpl_free(struct tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	free(t->text);
	free(t->segs);
	free(t->words);
	free(t->direct);
	for (i = 0; i < t->nmods; i++) {
		mod_free(t->mods[i]);
		free(t->mods[i]);
	}
	free(t->mods);
	free(t);
}
