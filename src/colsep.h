/*
 * colsep: --colsep's separator, compiled.  A separator that is only
 * plain characters and escapes (\t \n \r \NNN \xHH, or a backslash
 * before punctuation) is matched as literal bytes; any other is a
 * Perl-flavoured regular expression (GNU parallel's) translated to a
 * POSIX ERE: \s \d \w \S \D \W, escapes inside brackets, and POSIX's
 * bracket rules (a literal ']' first, '-' last) are taken care of.
 * \0, and \S \D \W inside brackets, cannot be said in an ERE: refused.
 *
 * Splitting is Perl's: an empty match separates two characters, but
 * never at the start of a field nor at the end of the record.
 *
 * Any thread; a compiled colsep is read-only.
 */
#ifndef FANOUT_COLSEP_H
#define FANOUT_COLSEP_H

#include <regex.h>
#include <stddef.h>

struct buf;

enum colsep_kind { COLSEP_NONE, COLSEP_LIT, COLSEP_RE };

struct colsep {
	enum colsep_kind kind;
	char		*lit;		/* COLSEP_LIT */
	size_t		 litlen;
	regex_t		 re;		/* COLSEP_RE */
};

/*
 * Compile sep (NULL: no splitting).  0, or -EINVAL with the reason in
 * msg (msgsize bytes), which names --colsep.
 */
int	colsep_compile(struct colsep *, const char *sep, char *msg,
	    size_t msgsize);
/*
 * Under a regex colsep, the end of the field of p[0, len) that begins
 * at field: 1 with the field's end in *so and the next field's start
 * in *eo, or 0 when the field runs to len.  Without REG_STARTEND a
 * value is cut at its first NUL byte: pass strnlen's length then.
 */
int	colsep_match(const struct colsep *, const char *p, size_t len,
	    size_t field, size_t *so, size_t *eo);
void	colsep_free(struct colsep *);

/*
 * Compile the Perl-flavoured pattern s (see colsep_translate) into re,
 * to be freed with regfree().  0, or -EINVAL with the reason in msg
 * (msgsize bytes), which names the option opt.
 */
int	colsep_regcomp(regex_t *re, const char *opt, const char *s,
	    char *msg, size_t msgsize);

/*
 * The Perl-flavoured pattern s as a POSIX ERE, appended to out: 0, or
 * -EINVAL for what an ERE cannot say (see above), or -E2BIG when its
 * repetitions ('+', {n,m}) could make regcomp() build copies of it
 * holding more than COLSEP_COPIES_MAX bytes of pattern: the C library
 * copies what each repeats, so stacked or nested ones take exponential
 * memory.
 */
#define COLSEP_COPIES_MAX	(1 << 20)
int	colsep_translate(const char *s, struct buf *out);

#endif
