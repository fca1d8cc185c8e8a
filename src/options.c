/*
 * options: argv and the environment into a struct config, driven by one
 * table (options_table.c): getopt_long's arrays are built from it here,
 * each entry says what its option sets, and options_usage.c prints
 * --help from it.  getopt_long with a leading '+' stops at the first
 * word that is not an option, so COMMAND's own flags are never ours.
 * Values are parsed strictly (num.h): a number is digits and nothing
 * else, a duration a number with units.  Every error names the option
 * and the value and says what would work, and exits 255 before any job
 * starts.
 */
#include "options_table.h"
#include "num.h"
#include "quote.h"
#include "util.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* getopt_long's array: every name of every entry. */
static struct option *
long_options(void)
{
	const struct opt_def *d;
	struct option *lo;
	const char *name[5];
	size_t i, k, n = 0;

	lo = xcalloc(options_ntable * ARRAY_SIZE(name) + 1, sizeof(*lo));
	for (i = 0; i < options_ntable; i++) {
		d = &options_table[i];
		name[0] = d->longs[0], name[1] = d->longs[1];
		name[2] = d->aliases[0], name[3] = d->aliases[1];
		name[4] = d->compat;
		for (k = 0; k < ARRAY_SIZE(name); k++) {
			if (name[k] == NULL)
				continue;
			lo[n].name = name[k];
			lo[n].has_arg = d->arg;
			/* Its letter, so that messages name the letter. */
			lo[n++].val = d->shorts != NULL && d->shorts[0] !=
			    '\0' ? (unsigned char)d->shorts[0] : 256 + (int)i;
		}
	}
	return lo;
}

/* getopt's string: '+' to stop at COMMAND, ':' to tell missing values. */
static void
short_options(char *buf, size_t size)
{
	const char *s;
	size_t i, n = 0;

	buf[n++] = '+';
	buf[n++] = ':';
	for (i = 0; i < options_ntable; i++)
		for (s = options_table[i].shorts; s != NULL && *s != '\0';
		    s++) {
			if (n + 4 > size)
				BUG("short options overflow");
			buf[n++] = *s;
			if (options_table[i].arg != no_argument)
				buf[n++] = ':';
			if (options_table[i].arg == optional_argument)
				buf[n++] = ':';
		}
	buf[n] = '\0';
}

/* The entry getopt_long's answer c stands for, and its name in messages. */
static const struct opt_def *
entry(int c, char *name, size_t size)
{
	const struct opt_def *d = NULL;
	size_t i;

	if (c >= 256) {
		d = &options_table[c - 256];
		snprintf(name, size, "--%s", d->longs[0] ? d->longs[0] :
		    d->aliases[0] ? d->aliases[0] : d->compat);
	} else {
		for (i = 0; i < options_ntable && d == NULL; i++)
			if (options_table[i].shorts != NULL &&
			    strchr(options_table[i].shorts, c) != NULL)
				d = &options_table[i];
		if (d == NULL)
			BUG("getopt returned '%c'", c);
		snprintf(name, size, "-%c", c);
	}
	if (d->errname != NULL)
		snprintf(name, size, "%s", d->errname);
	return d;
}

/*
 * "--pre" (maybe "--pre=value") that starts several long options: die
 * naming them, as getopt_long() only says it is ambiguous.
 */
static void
ambiguous(const char *word)
{
	struct buf list = { 0 };
	const struct opt_def *d;
	const char *name[4];
	size_t i, k, n = strcspn(word + 2, "="), count = 0;

	for (i = 0; i < options_ntable; i++) {
		d = &options_table[i];
		name[0] = d->longs[0], name[1] = d->longs[1];
		name[2] = d->aliases[0], name[3] = d->aliases[1];
		for (k = 0; k < ARRAY_SIZE(name); k++) {
			if (name[k] == NULL ||
			    strncmp(name[k], word + 2, n) != 0)
				continue;
			buf_addf(&list, "%s--%s", count++ ? ", " : "", name[k]);
		}
	}
	if (count > 1)
		util_die(0, "--%.*s: ambiguous: it could be %s", (int)n,
		    word + 2, list.p);
	buf_free(&list);
}

static _Noreturn void
unknown(char **argv, int c)
{
	if (c == ':')
		util_die(0, "%s: expects a value (see fanout --help)",
		    argv[optind - 1]);
	if (optopt >= 256)
		util_die(0, "%s: takes no value", argv[optind - 1]);
	if (optopt != 0)
		util_die(0, "-%c: unknown option (see fanout --help)", optopt);
	if (strncmp(argv[optind - 1], "--", 2) == 0)
		ambiguous(argv[optind - 1]);
	util_die(0, "%s: unknown option (see fanout --help)",
	    argv[optind - 1]);
}

/* Whether word is arg_sep or arg_file_sep, possibly with '+'. */
static int
separator(const char *word, const char *sep, int *linked)
{
	size_t n = strlen(sep);

	if (strncmp(word, sep, n) != 0)
		return 0;
	if (word[n] == '\0') {
		*linked = 0;
		return 1;
	}
	if (word[n] == '+' && word[n + 1] == '\0') {
		*linked = 1;
		return 1;
	}
	return 0;
}

/*
 * Whether word, after an option of d's given without its optional
 * value, is that value: GNU parallel's -l 2, -i R, --eof X.
 */
static int
next_is_value(const struct opt_def *d, const char *word)
{
	double v;

	if (d->arg != optional_argument || word == NULL)
		return 0;
	if (d->flags & OPT_NEXT_NUMBER)
		return num_decimal(word, 1e19, &v) == 0;
	return (d->flags & OPT_NEXT_WORD) && word[0] != '-';
}

/* COMMAND, then the sources after it. */
static void
parse_rest(struct config *cfg, size_t *cap, int argc, char **argv, int i,
    const char *arg_sep, const char *file_sep)
{
	struct source src;
	int linked, is_file, first_linked;

	cfg->cmd = argv + i;
	while (i < argc && !separator(argv[i], arg_sep, &linked) &&
	    !separator(argv[i], file_sep, &linked))
		i++;
	cfg->ncmd = (size_t)(argv + i - cfg->cmd);
	while (i < argc) {
		is_file = separator(argv[i], file_sep, &linked);
		if (!is_file && !separator(argv[i], arg_sep, &linked))
			BUG("not a separator: %s", argv[i]);
		first_linked = linked;
		i++;
		memset(&src, 0, sizeof(src));
		if (!is_file) {
			src.kind = SOURCE_ARGS;
			src.linked = first_linked;
			src.words = argv + i;
			while (i < argc && !separator(argv[i], arg_sep, &linked)
			    && !separator(argv[i], file_sep, &linked))
				i++;
			src.nwords = (size_t)(argv + i - src.words);
			options_add_source(cfg, cap, src);
			continue;
		}
		if (i >= argc || separator(argv[i], arg_sep, &linked) ||
		    separator(argv[i], file_sep, &linked))
			util_die(0, "'%s' must be followed by a file name",
			    argv[i - 1]);
		while (i < argc && !separator(argv[i], arg_sep, &linked) &&
		    !separator(argv[i], file_sep, &linked)) {
			src.kind = SOURCE_FILE;
			src.path = argv[i++];
			src.linked = first_linked;
			options_add_source(cfg, cap, src);
		}
	}
}


/*
 * What options_parse makes of argv, kept for the run (cfg->argv points
 * into it): --shebang's words and argv, and the argv with the default
 * options' words.  options_free frees it.
 */
static struct {
	char		*shebang;
	char		**argv[2];
	struct buf	 words;
} made;

/* Whether s's first blank-separated word is w. */
static int
first_word_is(const char *s, const char *w)
{
	size_t n = strlen(w);

	return strncmp(s, w, n) == 0 &&
	    (s[n] == '\0' || s[n] == ' ' || s[n] == '\t');
}

/*
 * A script whose #! line is "#!/path/fanout --shebang OPTS", run as
 * "SCRIPT ARGS", runs "fanout '--shebang OPTS' SCRIPT ARGS": Linux gives
 * all that follows the interpreter as one word.  That is OPTS' words as
 * options (and the command), then ":::: SCRIPT ARGS" with the script's
 * #! line skipped: the rest of the script is the input, and ARGS more
 * input files, as GNU parallel's.  "--shebang-wrap OPTS PROGRAM" runs
 * "PROGRAM SCRIPT" once per ARG, or per record of stdin without any.
 * Any other command line is argv as it is.
 */
static char **
shebang(int *argc, char **argv)
{
	static const char blanks[] = " \t";
	static char skip[] = "--skip-first-line", files[] = "::::",
	    args[] = ":::";
	char **v, *w, *save;
	int n = 0, wrap, i;

	if (*argc < 2)
		return argv;
	wrap = first_word_is(argv[1], "--shebang-wrap");
	if (!wrap && !first_word_is(argv[1], "--shebang") &&
	    !first_word_is(argv[1], "--hashbang"))
		return argv;
	w = strtok_r(made.shebang = xstrdup(argv[1]), blanks, &save);
	if (*argc < 3)
		util_die(0, "%s: no script: it belongs on the #! line of one",
		    w);
	/* No more words than half the bytes, and the 4 added. */
	v = made.argv[0] = xcalloc(strlen(argv[1]) / 2 + (size_t)*argc + 4,
	    sizeof(*v));
	v[n++] = argv[0];
	if (!wrap)
		v[n++] = skip;
	while ((w = strtok_r(NULL, blanks, &save)) != NULL)
		v[n++] = w;
	if (wrap) {
		v[n++] = argv[2];
		if (*argc > 3)
			v[n++] = args;
	} else {
		v[n++] = files;
		v[n++] = argv[2];
	}
	for (i = 3; i < *argc; i++)
		v[n++] = argv[i];
	*argc = n;
	return v;
}

/* The words of text into words (what): exits 255 on a quote left open. */
static void
split_into(struct buf *words, const char *text, const char *what)
{
	if (quote_split(text, words) < 0)
		util_die(0, "%s: a quote is not closed", what);
}

/*
 * -J NAME: $XDG_CONFIG_HOME/fanout/NAME (~/.config/fanout/NAME), or NAME
 * itself when it holds a '/'.  Its words into words.
 */
static void
profile_read(struct buf *words, const char *name)
{
	struct buf path = { 0 }, text = { 0 };
	const char *base = getenv("XDG_CONFIG_HOME");
	char chunk[4096];
	size_t n;
	FILE *f;

	if (strchr(name, '/') != NULL)
		buf_adds(&path, name);
	else if (base != NULL && *base == '/')
		buf_addf(&path, "%s/fanout/%s", base, name);
	else
		buf_addf(&path, "%s/.config/fanout/%s",
		    getenv("HOME") != NULL ? getenv("HOME") : "", name);
	if ((f = fopen(path.p, "r")) == NULL)
		util_die(0, "--profile: cannot read '%s': %s", path.p,
		    strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&text, chunk, n);
	if (ferror(f) || memchr(text.p, '\0', text.len) != NULL)
		util_die(0, "--profile: cannot read '%s'%s", path.p,
		    ferror(f) ? "" : ": it holds a NUL byte");
	fclose(f);
	buf_addc(&text, '\0');
	split_into(words, text.p, path.p);
	buf_free(&path);
	buf_free(&text);
}

/*
 * Default options, before the command line's: those of each -J NAME
 * profile the command line names, then those of $FANOUT, as GNU
 * parallel's ~/.parallel/NAME and $PARALLEL.  The profiles are found
 * among the options before the command; an option later in the line
 * overrides an earlier one.  Sets [*env_from, *env_to) to where
 * $FANOUT's words are in the argv returned: a --compare pass reads
 * $FANOUT itself.
 */
/* The NUL-ended words in b. */
static int
count_words(const struct buf *b)
{
	size_t i;
	int n = 0;

	for (i = 0; i < b->len; i++)
		n += b->p[i] == '\0';
	return n;
}

static char **
defaults(int *argc, char **argv, int *env_from, int *env_to)
{
	struct buf *words = &made.words;
	char **v;
	const char *env = getenv("FANOUT");
	char *w;
	int k, n = 0;

	for (k = 1; k < *argc && argv[k][0] == '-' &&
	    strcmp(argv[k], "--") != 0; k++) {
		if ((strcmp(argv[k], "-J") == 0 ||
		    strcmp(argv[k], "--profile") == 0) && k + 1 < *argc)
			profile_read(words, argv[++k]);
		else if (strncmp(argv[k], "--profile=", 10) == 0)
			profile_read(words, argv[k] + 10);
		else if (strncmp(argv[k], "-J", 2) == 0 && argv[k][2] != '\0')
			profile_read(words, argv[k] + 2);
	}
	*env_from = 1 + count_words(words);
	if (env != NULL)
		split_into(words, env, "$FANOUT");
	*env_to = 1 + count_words(words);
	if (words->len == 0)
		return argv;
	v = made.argv[1] = xcalloc((size_t)(*env_to + *argc), sizeof(*v));
	v[n++] = argv[0];
	for (w = words->p; w < words->p + words->len; w += strlen(w) + 1)
		v[n++] = w;
	for (k = 1; k < *argc; k++)
		v[n++] = argv[k];
	v[n] = NULL;
	*argc = n;
	return v;
}

void
options_parse(struct config *cfg, int argc, char **argv)
{
	struct opt_state st = { cfg, 0, ":::", "::::", NULL, 0 };
	const struct opt_def *d;
	/* Static, so that it stays reachable when an option's error exits. */
	static struct option *longs;
	char shorts[128], name[64];
	const char *name_end;
	int c, idx, first, i, env_from, env_to;

	options_defaults(cfg);
	argv = shebang(&argc, argv);
	argv = defaults(&argc, argv, &env_from, &env_to);
	/* Run as sem, fanout is GNU's sem: --semaphore. */
	cfg->semaphore = argc > 0 && (strcmp(argv[0], "sem") == 0 ||
	    ((name_end = strrchr(argv[0], '/')) != NULL &&
	    strcmp(name_end + 1, "sem") == 0));
	cfg->argc = argc;
	cfg->argv = argv;
	cfg->not_passed = xcalloc((size_t)argc + 1, 1);
	memset(cfg->not_passed + env_from, 1, (size_t)(env_to - env_from));
	longs = long_options();
	short_options(shorts, sizeof(shorts));
	opterr = 0;
	for (;;) {
		/* A long option starts a word: it spans [first, optind). */
		first = optind;
		if ((c = getopt_long(argc, argv, shorts, longs, &idx)) == -1)
			break;
		if (c == ':' || c == '?')
			unknown(argv, c);
		d = entry(c, name, sizeof(name));
		if (optarg == NULL && optind < argc &&
		    next_is_value(d, argv[optind]))
			optarg = argv[optind++];
		options_apply(&st, d, name, optarg);
		for (i = first; (d->flags & OPT_NOT_PASSED) && i < optind; i++)
			cfg->not_passed[i] = 1;
	}
	free(longs);
	if (st.runs_given != NULL && cfg->compare == NULL)
		options_bad("--runs", st.runs_given, "needs --compare");
	parse_rest(cfg, &st.cap, argc, argv, optind, st.arg_sep, st.file_sep);
	options_check(cfg);
}

void
strlist_add(struct strlist *l, const char *s)
{
	l->v = xgrow(l->v, &l->cap, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = s;
}

void
strlist_free(struct strlist *l)
{
	free(l->v);
	memset(l, 0, sizeof(*l));
}

void
options_free(struct config *cfg)
{
	free(made.shebang);
	free(made.argv[0]);
	free(made.argv[1]);
	buf_free(&made.words);
	memset(&made, 0, sizeof(made));
	free(cfg->sources);
	cfg->sources = NULL;
	free(cfg->not_passed);
	cfg->not_passed = NULL;
	free(cfg->env);
	cfg->env = NULL;
	strlist_free(&cfg->logins);
	strlist_free(&cfg->loginfiles);
	strlist_free(&cfg->sends);
	strlist_free(&cfg->returns);
	strlist_free(&cfg->basefiles);
	free(cfg->shell_found);
	cfg->shell_found = NULL;
	free(cfg->delim);
	cfg->delim = NULL;
	free(cfg->recend);
	cfg->recend = NULL;
	free(cfg->recstart);
	cfg->recstart = NULL;
	free(cfg->compress_made[0]);
	free(cfg->compress_made[1]);
	cfg->compress_made[0] = cfg->compress_made[1] = NULL;
}
