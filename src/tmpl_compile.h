/*
 * tmpl_compile: the compiled template's layout, shared by its compiler
 * (tmpl_compile.c: tmpl_compile(), tmpl_compile_text(), tmpl_free()) and
 * its expansion and size estimates (tmpl.c) alone; the rest of fanout
 * sees tmpl.h, where the calls' contracts are.  A template is words of
 * segments, each literal text (in text) or a replacement string, and
 * is read-only once compiled.
 */
#ifndef FANOUT_TMPL_COMPILE_H
#define FANOUT_TMPL_COMPILE_H

#include <stddef.h>

struct buf;
struct mod;

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

/* Whether c is a blank that separates the template's words. */
int	tmpl_blank(char c);
/* Whether the n bytes at s are a shell reserved word. */
int	tmpl_reserved(const char *s, size_t n);
/*
 * Word w's bytes without values, but for its context groups (scratch:
 * the caller's, for modifiers' work).
 */
size_t	tmpl_word_base(const struct tmpl *t, const struct word *w,
	    struct buf *scratch);

#endif
