/*
 * modifier: what a replacement string does to its value, the part of
 * its body after any position or column name: "" for the value itself,
 * the path views {.} {/} {//} {/.}, and with --plus GNU parallel's
 * further forms:
 *
 *   {..} {...}         without the last two, three extensions
 *   {/..} {/...}       the same of the basename
 *   {+/} {+.} {+..} {+...}
 *                      what {/} {.} {..} {...} leave out: the part before
 *                      the basename, the extension(s) without the dot
 *   {:-STR}            STR when the value is empty
 *   {:N} {:N:M}        without the first N bytes; M bytes from byte N
 *   {#RE} {##RE}       without the shortest, longest prefix matching RE
 *   {%RE} {%%RE}       without the shortest, longest suffix matching RE
 *   {/RE/STR}          the first match of RE replaced by STR; {//RE/STR}
 *                      every match, {/#RE/STR} a prefix, {/%RE/STR} a
 *                      suffix
 *   {^RE} {^^RE}       the prefix, every match of RE in upper case
 *   {,RE} {,,RE}       the same in lower case
 *
 * RE is Perl-flavoured, as GNU's, translated to a POSIX ERE as
 * --colsep's is (colsep.h); where POSIX and Perl differ in which match
 * they choose, the longest leftmost one is taken.  STR is literal.
 * Cases change ASCII letters only: values are bytes.
 *
 * Path views point into the value; the other forms may build their
 * result in a scratch buffer.  A compiled modifier is read-only: any
 * thread may apply it.
 */
#ifndef FANOUT_MODIFIER_H
#define FANOUT_MODIFIER_H

#include <regex.h>
#include <stddef.h>

struct buf;

enum mod_kind {
	MOD_NONE,		/* {} */
	MOD_PATH,		/* {.} {/} {//} {/.} {..} ... {+/} {+.} ... */
	MOD_DEFAULT,		/* {:-STR} */
	MOD_SUBSTR,		/* {:N} {:N:M} */
	MOD_CUT_PREFIX,		/* {#RE} {##RE} */
	MOD_CUT_SUFFIX,		/* {%RE} {%%RE} */
	MOD_REPLACE,		/* {/RE/STR} {//RE/STR} {/#RE/STR} ... */
	MOD_UPPER,		/* {^RE} {^^RE} */
	MOD_LOWER,		/* {,RE} {,,RE} */
};

struct mod {
	enum mod_kind	 kind;
	int		 base;		/* MOD_PATH: the basename first */
	int		 dir;		/* MOD_PATH: dirname, or {+/} (2) */
	int		 noext;		/* MOD_PATH: extensions dropped */
	int		 ext;		/* MOD_PATH: extensions kept */
	int		 longest;	/* ## %% */
	int		 all;		/* // ^^ ,, */
	int		 anchor;	/* /# 1, /% 2 */
	size_t		 from, len;	/* MOD_SUBSTR; len SIZE_MAX: to the end */
	char		*str;		/* MOD_DEFAULT, MOD_REPLACE */
	size_t		 slen;
	int		 has_re;
	regex_t		 re;
};

/*
 * Parse s[0, n) as a modifier; plus allows --plus's forms.  1 with *m
 * set, 0 when it is none (the replacement string is then literal text),
 * or -EINVAL with the reason in msg for a pattern that does not
 * compile.
 */
int	mod_parse(struct mod *m, const char *s, size_t n, int plus,
	    char *msg, size_t msgsize);
void	mod_free(struct mod *m);

/* Whether m only narrows its value (the result is never longer). */
int	mod_narrows(const struct mod *m);

/*
 * Apply m to [*p, *p + *n): on return *p and *n are the result, which
 * points into the value, into m, or into scratch (cleared first).
 */
void	mod_apply(const struct mod *m, const char **p, size_t *n,
	    struct buf *scratch);

#endif
