/*
 * tmpl_compile: COMMAND compiled once into words of segments (literal
 * text or a replacement string), as tmpl.c expands them per job.  The
 * replacement strings are matched here, -I's name and the renamed ones
 * longest first as GNU parallel does, with their modifiers
 * (modifier.c); context replace (-X, -N, -L) marks each group of a
 * word; and whether a job may skip the shell is chosen once (direct.c).
 */
#include "tmpl.h"
#include "tmpl_compile.h"

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "direct.h"
#include "modifier.h"
#include "options.h"
#include "util.h"

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
		if (tmpl_blank(prev) == tmpl_blank(c) && prev != '\t' &&
		    c != '\t')
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
		if (tmpl_blank(j.p[i])) {
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
	    tmpl_reserved(name, strlen(name)),
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
	return s->kind == SEG_TEXT && tmpl_blank(t->text[s->off]);
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
		t->base_len += w->sep_len + tmpl_word_base(t, w, &scratch);
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
