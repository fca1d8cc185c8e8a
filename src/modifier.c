/*
 * modifier: a replacement string's body parsed once into a struct mod,
 * then applied to each value.
 *
 * Path rules, ours where GNU's are defects: {/} is basename(1), trailing
 * slashes ignored ("/a/b/" -> "b", "/" -> "/"); {//} is dirname(1)
 * ("c.txt" -> ".", "/a/b/" -> "/a", "/x" -> "/", "" -> "."); {.} drops
 * the last ".ext" of the basename when the dot follows something other
 * than dots ("dir/.x.y" -> "dir/.x", "a." -> "a"; ".bashrc", "..",
 * "a.b/c" and anything ending in "/" stay whole); {..} and {...} drop
 * two and three such extensions, or none when there are fewer; {/.} is
 * {.} of {/}.  The {+...} forms are the rest: {+/} what precedes {/}
 * and its slash ("a/b/c" -> "a/b", "c" -> ""), {+.} what follows the dot
 * {.} cut at ("a.b.gz" -> "gz"; "" when {.} cut nothing).
 *
 * Patterns are matched with regexec().  The shortest prefix or suffix
 * ({#RE}, {%RE}) is found by trying each length with RE anchored at
 * both ends, the longest by one search with RE anchored at one end.
 */
#include "modifier.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "colsep.h"
#include "util.h"

/* Without it (musl), values cannot be searched: patterns are refused. */
#ifdef REG_STARTEND
#define HAVE_STARTEND	1
#else
#define HAVE_STARTEND	0
#define REG_STARTEND	0
#endif

/* The path views, in the order GNU's table lists them. */
static const struct {
	const char	*body;
	int		 base, dir, noext, ext;
} paths[] = {
	{ ".", 0, 0, 1, 0 }, { "/", 1, 0, 0, 0 }, { "//", 0, 1, 0, 0 },
	{ "/.", 1, 0, 1, 0 },
	/* --plus only, from here on. */
	{ "..", 0, 0, 2, 0 }, { "...", 0, 0, 3, 0 }, { "/..", 1, 0, 2, 0 },
	{ "/...", 1, 0, 3, 0 }, { "+/", 0, 2, 0, 0 }, { "+.", 0, 0, 0, 1 },
	{ "+..", 0, 0, 0, 2 }, { "+...", 0, 0, 0, 3 },
};
#define NPATHS_PLAIN	4

/* Where the basename of s[0, n) starts and ends, trailing '/'s ignored. */
static void
base_span(const char *s, size_t n, size_t *b, size_t *e)
{
	*e = n;
	while (*e > 1 && s[*e - 1] == '/')
		(*e)--;
	for (*b = *e; *b > 0 && s[*b - 1] != '/'; (*b)--)
		;
}

static void
path_base(const char **p, size_t *n)
{
	size_t b, e;

	base_span(*p, *n, &b, &e);
	if (b == e && e > 0) {		/* only slashes: "/" */
		*n = 1;
		return;
	}
	*p += b;
	*n = e - b;
}

static void
path_dir(const char **p, size_t *n)
{
	size_t b, e;

	base_span(*p, *n, &b, &e);
	if (b == e && e > 0) {		/* only slashes: "/" */
		*n = 1;
		return;
	}
	if (b == 0) {
		*p = ".";
		*n = 1;
		return;
	}
	for (e = b; e > 1 && (*p)[e - 1] == '/'; e--)
		;
	*n = e;
}

/* {+/}: what precedes the basename and its one slash. */
static void
path_before_base(const char **p, size_t *n)
{
	size_t b, e;

	base_span(*p, *n, &b, &e);
	*n = b > 0 && b < e ? b - 1 : 0;
}

/*
 * Where the k-th last extension's dot is in s[0, n), or n when the
 * basename has fewer than k extensions that follow something other
 * than dots, or the value ends in '/'.
 */
static size_t
ext_dot(const char *s, size_t n, int k)
{
	size_t b, d = n, j;

	if (n == 0 || s[n - 1] == '/')
		return n;
	for (b = n; b > 0 && s[b - 1] != '/'; b--)
		;
	while (k-- > 0) {
		while (d > b && s[d - 1] != '.')
			d--;
		if (d == b)
			return n;
		d--;			/* the dot */
	}
	for (j = b; j < d && s[j] == '.'; j++)
		;
	return j < d ? d : n;
}

static void
path_apply(const struct mod *m, const char **p, size_t *n)
{
	size_t d;

	if (m->base)
		path_base(p, n);
	if (m->dir == 1)
		path_dir(p, n);
	else if (m->dir == 2)
		path_before_base(p, n);
	if (m->noext)
		*n = ext_dot(*p, *n, m->noext);
	if (m->ext) {
		d = ext_dot(*p, *n, m->ext);
		*p += d < *n ? d + 1 : *n;
		*n -= d < *n ? d + 1 : *n;
	}
}

/*
 * The first match of m->re in p[0, n) at or after from: 1 with it in
 * [*so, *eo), else 0.
 */
static int
re_find(const struct mod *m, const char *p, size_t n, size_t from,
    size_t *so, size_t *eo)
{
	regmatch_t rm;

	rm.rm_so = (regoff_t)from;
	rm.rm_eo = (regoff_t)n;
	if (regexec(&m->re, p, 1, &rm,
	    REG_STARTEND | (from > 0 ? REG_NOTBOL : 0)) != 0)
		return 0;
	*so = (size_t)rm.rm_so;
	*eo = (size_t)rm.rm_eo;
	return 1;
}

/*
 * Whether m->re, anchored at both ends, matches p[from, to) whole:
 * tried on a view that starts at from, so that ^ holds there.
 */
static int
re_whole(const struct mod *m, const char *p, size_t from, size_t to)
{
	size_t so, eo;

	return re_find(m, p + from, to - from, 0, &so, &eo);
}

static void
set_case(char *s, size_t n, int upper)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (upper && s[i] >= 'a' && s[i] <= 'z')
			s[i] = (char)(s[i] - 'a' + 'A');
		else if (!upper && s[i] >= 'A' && s[i] <= 'Z')
			s[i] = (char)(s[i] - 'A' + 'a');
	}
}

/*
 * MOD_REPLACE, MOD_UPPER, MOD_LOWER: the value rebuilt in out with each
 * match (the first only, unless m->all) replaced or its case changed.
 * An empty match replaces nothing in a case change; in a replacement
 * it inserts STR, and the search goes on one byte further, as Perl's.
 */
static void
rebuild(const struct mod *m, const char *p, size_t n, struct buf *out)
{
	size_t from = 0, so, eo;

	while (from <= n && re_find(m, p, n, from, &so, &eo)) {
		buf_add(out, p + from, so - from);
		if (m->kind == MOD_REPLACE)
			buf_add(out, m->str, m->slen);
		else {
			buf_add(out, p + so, eo - so);
			set_case(out->p + out->len - (eo - so), eo - so,
			    m->kind == MOD_UPPER);
		}
		from = eo;
		if (so == eo) {
			if (eo < n)
				buf_addc(out, p[eo]);
			from = eo + 1;
		}
		if (!m->all)
			break;
	}
	if (from < n)
		buf_add(out, p + from, n - from);
}

/* {#RE} {##RE} {%RE} {%%RE}: the cut, as the bytes kept. */
static void
cut(const struct mod *m, const char **p, size_t *n)
{
	size_t i, so, eo;

	if (m->kind == MOD_CUT_PREFIX) {
		if (m->longest) {
			if (re_find(m, *p, *n, 0, &so, &eo)) {
				*p += eo;
				*n -= eo;
			}
			return;
		}
		for (i = 0; i <= *n; i++) {
			if (re_whole(m, *p, 0, i)) {
				*p += i;
				*n -= i;
				return;
			}
		}
		return;
	}
	if (m->longest) {
		if (re_find(m, *p, *n, 0, &so, &eo))
			*n = so;
		return;
	}
	for (i = *n + 1; i-- > 0;) {
		if (re_whole(m, *p, i, *n)) {
			*n = i;
			return;
		}
	}
}

void
mod_apply(const struct mod *m, const char **p, size_t *n,
    struct buf *scratch)
{
	switch (m->kind) {
	case MOD_NONE:
		break;
	case MOD_PATH:
		path_apply(m, p, n);
		break;
	case MOD_DEFAULT:
		if (*n == 0) {
			*p = m->str;
			*n = m->slen;
		}
		break;
	case MOD_SUBSTR:
		if (m->from >= *n) {
			*n = 0;
			break;
		}
		*p += m->from;
		*n -= m->from;
		if (m->len < *n)
			*n = m->len;
		break;
	case MOD_CUT_PREFIX:
	case MOD_CUT_SUFFIX:
		cut(m, p, n);
		break;
	case MOD_REPLACE:
	case MOD_UPPER:
	case MOD_LOWER:
		buf_clear(scratch);
		rebuild(m, *p, *n, scratch);
		*p = scratch->len > 0 ? scratch->p : "";
		*n = scratch->len;
		break;
	}
}

int
mod_narrows(const struct mod *m)
{
	return m->kind != MOD_DEFAULT && m->kind != MOD_REPLACE;
}

/* A number of up to 9 digits at s[0, n) ending at a non-digit: its end. */
static size_t
digits(const char *s, size_t n, size_t *v)
{
	size_t i;

	for (*v = 0, i = 0; i < n && i < 9 && s[i] >= '0' && s[i] <= '9'; i++)
		*v = *v * 10 + (size_t)(s[i] - '0');
	return i > 0 && (i == n || s[i] < '0' || s[i] > '9') ? i : 0;
}

/*
 * Compile pat[0, n) into m->re, wrapped as anchors say: "^(RE)",
 * "(RE)$", "^(RE)$" or "(RE)".  Perl's back-references would count the
 * wrapping group: refused.
 */
static int
re_compile(struct mod *m, const char *pat, size_t n, const char *pre,
    const char *post, char *msg, size_t msgsize)
{
	struct buf b = { 0 };
	char *s = xmemdup(pat, n), err[256];
	size_t i;
	int r = 0;

	for (i = 0; i + 1 < n; i++) {
		if (s[i] == '\\' && s[i + 1] >= '1' && s[i + 1] <= '9') {
			snprintf(msg, msgsize, "--plus: '%s': "
			    "back-references are not supported", s);
			r = -EINVAL;
			goto out;
		}
		if (s[i] == '\\')
			i++;
	}
	if (!HAVE_STARTEND) {
		snprintf(msg, msgsize, "--plus: '%s': patterns need "
		    "regexec()'s REG_STARTEND, which this system lacks", s);
		r = -EINVAL;
		goto out;
	}
	buf_adds(&b, pre);
	if ((r = colsep_translate(s, &b)) < 0) {
		if (r == -E2BIG)
			snprintf(msg, msgsize, "--plus: '%s': too many nested "
			    "repetitions ('+')", s);
		else
			snprintf(msg, msgsize, "--plus: '%s': \\0, or \\S, "
			    "\\D, \\W inside [...], are not supported", s);
		r = -EINVAL;
		goto out;
	}
	buf_adds(&b, post);
	if ((r = regcomp(&m->re, b.p, REG_EXTENDED)) != 0) {
		regerror(r, &m->re, err, sizeof(err));
		snprintf(msg, msgsize,
		    "--plus: invalid regular expression '%s': %s", s, err);
		r = -EINVAL;
		goto out;
	}
	m->has_re = 1;
out:
	free(s);
	buf_free(&b);
	return r;
}

/* The forms that begin with ':'. */
static int
parse_colon(struct mod *m, const char *s, size_t n)
{
	size_t i, j;

	if (n >= 3 && s[1] == '-') {
		m->kind = MOD_DEFAULT;
		m->str = xmemdup(s + 2, n - 2);
		m->slen = n - 2;
		return 1;
	}
	if ((i = digits(s + 1, n - 1, &m->from)) == 0)
		return 0;
	m->kind = MOD_SUBSTR;
	m->len = SIZE_MAX;
	if (1 + i == n)
		return 1;
	if (s[1 + i] != ':' ||
	    (j = digits(s + 2 + i, n - 2 - i, &m->len)) == 0 ||
	    2 + i + j != n)
		return 0;
	return 1;
}

/*
 * {/RE/STR} {//RE/STR} {/#RE/STR} {/%RE/STR}: RE runs to the first '/'
 * after its first byte.
 */
static int
parse_replace(struct mod *m, const char *s, size_t n, char *msg,
    size_t msgsize)
{
	static const char *const pre[] = { "(", "^(", "(" };
	static const char *const post[] = { ")", ")", ")$" };
	const char *slash;
	size_t i = 1;

	if (n > 1 && s[1] == '/')
		m->all = 1, i = 2;
	else if (n > 1 && s[1] == '#')
		m->anchor = 1, i = 2;
	else if (n > 1 && s[1] == '%')
		m->anchor = 2, i = 2;
	if (i + 1 >= n ||
	    (slash = memchr(s + i + 1, '/', n - i - 1)) == NULL)
		return 0;
	m->kind = MOD_REPLACE;
	m->str = xmemdup(slash + 1, (size_t)(s + n - slash - 1));
	m->slen = (size_t)(s + n - slash - 1);
	return re_compile(m, s + i, (size_t)(slash - s) - i,
	    pre[m->anchor], post[m->anchor], msg, msgsize) < 0 ? -EINVAL : 1;
}

int
mod_parse(struct mod *m, const char *s, size_t n, int plus, char *msg,
    size_t msgsize)
{
	size_t i, k;
	int r;

	memset(m, 0, sizeof(*m));
	if (n == 0)
		return 1;
	for (i = 0; i < (plus ? ARRAY_SIZE(paths) : NPATHS_PLAIN); i++) {
		if (strlen(paths[i].body) == n &&
		    memcmp(paths[i].body, s, n) == 0) {
			m->kind = MOD_PATH;
			m->base = paths[i].base;
			m->dir = paths[i].dir;
			m->noext = paths[i].noext;
			m->ext = paths[i].ext;
			return 1;
		}
	}
	if (!plus)
		return 0;
	switch (s[0]) {
	case ':':
		return parse_colon(m, s, n);
	case '/':
		return parse_replace(m, s, n, msg, msgsize);
	case '#':
	case '%':
		m->kind = s[0] == '#' ? MOD_CUT_PREFIX : MOD_CUT_SUFFIX;
		break;
	case '^':
		m->kind = MOD_UPPER;
		break;
	case ',':
		m->kind = MOD_LOWER;
		break;
	default:
		return 0;
	}
	k = n > 1 && s[1] == s[0] ? 2 : 1;	/* ## %% ^^ ,, */
	if (k == n)
		return 0;
	if (m->kind == MOD_CUT_PREFIX || m->kind == MOD_CUT_SUFFIX)
		m->longest = k == 2;
	else
		m->all = k == 2;
	if (m->kind == MOD_CUT_PREFIX)
		r = re_compile(m, s + k, n - k, "^(", m->longest ? ")" : ")$",
		    msg, msgsize);
	else if (m->kind == MOD_CUT_SUFFIX)
		r = re_compile(m, s + k, n - k, m->longest ? "(" : "^(", ")$",
		    msg, msgsize);
	else
		r = re_compile(m, s + k, n - k, m->all ? "(" : "^(", ")",
		    msg, msgsize);
	return r < 0 ? r : 1;
}

void
mod_free(struct mod *m)
{
	if (m->has_re)
		regfree(&m->re);
	free(m->str);
	memset(m, 0, sizeof(*m));
}
