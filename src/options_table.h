/*
 * options_table: the one table of fanout's options, private to the
 * options module (options.c, options_usage.c, options_check.c).  Every
 * option is one entry: its names, the kind of its value, what it sets,
 * and its line in --help.  getopt_long's arrays, the parsing, --help
 * and --list-options (which tests/t0110-docs.bats checks the man page
 * and the completions against) all come from it, so that an option
 * cannot exist without its documentation being checked.
 */
#ifndef FANOUT_OPTIONS_TABLE_H
#define FANOUT_OPTIONS_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "options.h"

/* The sections of --help, in their order. */
enum opt_group {
	GROUP_INPUT, GROUP_PIPE, GROUP_COMMAND, GROUP_RUNNING, GROUP_OUTPUT,
	GROUP_REMOTE, GROUP_REPORTS, GROUP_OTHER, NGROUPS,
};

/* What an option does with its value. */
enum opt_kind {
	KIND_NONE,		/* nothing: a --help row, or accepted only */
	KIND_FLAG,		/* int at field = value */
	KIND_STRING,		/* const char * at field = the value */
	KIND_COUNT,		/* long at field = digits, at least value */
	KIND_DURATION,		/* int64_t at field = nanoseconds */
	KIND_HANDLER,		/* fn does it */
	KIND_LIST,		/* struct strlist at field gets the value */
	KIND_AMOUNT,		/* KIND_COUNT, with unit prefixes (1k) */
};

/* Flags of an entry. */
#define OPT_NONEMPTY	0x1	/* KIND_STRING: '' is refused */
#define OPT_NOT_PASSED	0x2	/* not given to a --compare pass */
/*
 * An optional value may also be the next word, as GNU's Getopt::Long
 * takes it: a number (NEXT_NUMBER), or a word not starting with '-'.
 */
#define OPT_NEXT_NUMBER	0x4
#define OPT_NEXT_WORD	0x8

struct opt_state;
struct opt_def;

typedef void	opt_fn(struct opt_state *, const struct opt_def *,
		    const char *opt, const char *val);

struct opt_def {
	const char	*shorts;	/* its letters; NULL or "" if none */
	const char	*longs[2];	/* long names --help shows */
	const char	*aliases[2];	/* long names only fanout(1) shows */
	const char	*compat;	/* GNU's spelling, or internal: hidden */
	int		 arg;		/* getopt's no_, required_, optional_ */
	const char	*meta;		/* the value's name in --help */
	const char	*errname;	/* the name in messages, if not -c */
	enum opt_group	 group;
	const char	*help;		/* NULL: no row in --help */
	const char	*usage;		/* left column of a row with no option */
	enum opt_kind	 kind;
	size_t		 field;		/* offsetof(struct config, ...) */
	long		 value;
	opt_fn		*fn;
	unsigned	 flags;
};

/* What parsing carries from one option to the next. */
struct opt_state {
	struct config	*cfg;
	size_t		 cap;		/* of cfg->sources */
	const char	*arg_sep;	/* ::: or --arg-sep */
	const char	*file_sep;	/* :::: or --arg-file-sep */
	const char	*runs_given;	/* --runs' value, to check later */
	size_t		 envcap;	/* of cfg->env */
};

extern const struct opt_def	options_table[];
extern const size_t		options_ntable;

/* The values of struct config before any option. */
void	options_defaults(struct config *cfg);
/* What option d (named opt in messages) does with val, NULL if none. */
void	options_apply(struct opt_state *st, const struct opt_def *d,
	    const char *opt, const char *val);
void	options_add_source(struct config *cfg, size_t *cap,
	    struct source src);
/* Exits 255 with "OPT: 'VAL' WANT". */
_Noreturn void	options_bad(const char *opt, const char *val,
	    const char *want);
/* --help on f, from the table. */
void	options_usage(FILE *f);
/* --list-options: every documented long name, one per line. */
void	options_list(FILE *f);
/*
 * The checks across options once all are read, and the job shell when
 * none was chosen.  Exits 255 with a message on a conflict.
 */
void	options_check(struct config *cfg);

#endif
