/*
 * options_table: the table of fanout's options and what each does with
 * its value: a field of struct config to set, or a small handler.  Only
 * the table says which options exist; options.c reads argv with it,
 * options_usage.c prints --help from it.
 */
#include "options_table.h"
#include "num.h"
#include "res.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define FANOUT_VERSION	"0.1.0"

/* --timeout N%: 10000 times the median is more than any run needs. */
#define TIMEOUT_PCT_MAX		1000000
#define TIMEOUT_PCT_MAX_S	"1000000"

_Noreturn void
options_bad(const char *opt, const char *val, const char *want)
{
	util_die(0, "%s: '%s' %s", opt, val, want);
}

static long
parse_count(const char *opt, const char *val, long min)
{
	long v;

	if (num_long(val, min, LONG_MAX, &v) < 0) {
		char want[64];

		snprintf(want, sizeof(want), "is not a whole number >= %ld",
		    min);
		options_bad(opt, val, want);
	}
	return v;
}

/* A count with GNU's unit prefixes (-n 1k, -s 2K), at least min. */
static long
parse_amount(const char *opt, const char *val, long min)
{
	int64_t v;

	if (num_size(val, &v) < 0 || v < min || v > LONG_MAX) {
		char want[96];

		snprintf(want, sizeof(want), "is not a whole number >= %ld "
		    "(1k is 1000, 1K 1024)", min);
		options_bad(opt, val, want);
	}
	return (long)v;
}

static int64_t
parse_duration(const char *opt, const char *val)
{
	int64_t ns;

	if (num_duration(val, &ns) < 0)
		options_bad(opt, val, "is not a duration (try 1.5, 250ms, 2m, 1h30m)");
	return ns;
}

static long
cpus(void)
{
	cpu_set_t set;
	long n;

	if (sched_getaffinity(0, sizeof(set), &set) == 0 &&
	    (n = CPU_COUNT(&set)) > 0)
		return n;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? n : 1;
}

void
options_add_source(struct config *cfg, size_t *cap, struct source src)
{
	cfg->sources = xgrow(cfg->sources, cap, cfg->nsources + 1,
	    sizeof(*cfg->sources));
	cfg->sources[cfg->nsources++] = src;
}

/*
 * The handlers of the options that are more than a field to set.  Each
 * gets the option's name for messages and its value (NULL when it has
 * none).
 */

static void
h_arg_file(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct source src;

	(void)d, (void)opt;
	memset(&src, 0, sizeof(src));
	src.kind = SOURCE_FILE;
	src.path = val;
	options_add_source(st->cfg, &st->cap, src);
}

static void
h_null(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt, (void)val;
	/* GNU parallel's -d wins over -0, whichever comes first. */
	if (st->cfg->delim_given)
		return;
	free(st->cfg->delim);
	st->cfg->delim = xcalloc(1, 1);
	st->cfg->delimlen = 1;
}

static void
h_delim(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	char *p;
	size_t len;

	(void)d;
	if (val[0] == '\0')
		options_bad(opt, val, "is empty (use -0 for NUL)");
	if (options_delim(val, &p, &len) < 0)
		options_bad(opt, val, "has an escape fanout does not know (\\n "
		    "\\t \\r \\0 \\\\ \\NNN \\xHH)");
	free(st->cfg->delim);
	st->cfg->delim = p;
	st->cfg->delimlen = len;
	st->cfg->delim_given = 1;
}

/*
 * -n N (value 0), -N N (1: context replace, as GNU's); 0 reads one
 * record per job and gives it to no string.
 */
static void
h_max_args(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	if (d->value)
		st->cfg->args_context = 1;
	st->cfg->max_args = parse_amount(opt, val, 0);
	st->cfg->no_args = st->cfg->max_args == 0;
	if (st->cfg->no_args)
		st->cfg->max_args = 1;
}

/*
 * -L N (value 0) and xargs' -l[N] (value 1, for which 0 or none is 1);
 * as GNU, -L0 reads one line per job and gives it to no string, as -N0,
 * and -L alone means context replace unless -m is given too.
 */
static void
h_max_lines(struct opt_state *st, const struct opt_def *d,
    const char *opt, const char *val)
{
	long n = val != NULL ? parse_amount(opt, val, 0) : 0;

	if (n == 0 && d->value)
		n = 1;
	if (!d->value)
		st->cfg->lines_context = 1;
	st->cfg->max_lines = n;
	st->cfg->no_args = n == 0;
	if (st->cfg->no_args)
		st->cfg->max_args = 1;
}

/*
 * --delay DUR, or GNU's DURauto: DUR to start with, longer after a
 * failure and shorter after a success (policy.c).
 */
static void
h_delay(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	size_t n = strlen(val);
	char *dur;

	(void)d;
	st->cfg->delay_auto = n > 4 && strcmp(val + n - 4, "auto") == 0;
	dur = xstrdup(val);
	if (st->cfg->delay_auto)
		dur[n - 4] = '\0';
	st->cfg->delay_ns = parse_duration(opt, dur);
	free(dur);
}

/* xargs' -i[R] and --replace[=R]: -I R, and no R (or '') is {}. */
static void
h_replace(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt;
	st->cfg->replace = val != NULL && val[0] != '\0' ? val : "{}";
}

/* --er, --bnr, --bner, --dnr, --seqreplace, --slotreplace: value is
 * the index in cfg->renamed. */
static void
h_rename(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	if (val[0] == '\0')
		options_bad(opt, val, "is empty");
	st->cfg->renamed[d->value] = val;
}

/* xargs' -e[EOF] and --eof[=EOF]: -E EOF, and no EOF is none. */
static void
h_eof(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt;
	st->cfg->eof_str = val;
}

/* -X (value 1, with context) and -m (value 0). */
static void
h_fill(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)opt, (void)val;
	st->cfg->xargs_fill = 1;
	if (d->value)
		st->cfg->context_replace = 1;
}

/*
 * -j N, or as GNU parallel a FILE holding N (when N is no count), read
 * again as jobs end (sched.c).
 */
static void
h_jobs(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;
	struct stat sb;
	int r;

	(void)d;
	cfg->jobs_given = 1;
	cfg->jobs_file = NULL;
	cfg->jobs_arg = val;
	if (num_jobs(val, cfg->ncpu, &cfg->jobs, &cfg->jobs_unbounded) == 0)
		return;
	if (stat(val, &sb) < 0 || !S_ISREG(sb.st_mode))
		options_bad(opt, val, "is not a job count (use N, N%, +N, -N "
		    "or 0, or a FILE holding one)");
	r = res_jobs_file(val, cfg->ncpu, &cfg->jobs, &cfg->jobs_unbounded);
	if (r == -EINVAL)
		options_bad(opt, val, "holds no job count (N, N%, +N, -N or 0)");
	if (r < 0)
		util_die(r, "%s: cannot read '%s'", opt, val);
	cfg->jobs_file = val;
}

/* --load MAX: as -j's forms, of the CPUs; GNU's 0 is 0.01. */
static void
h_load(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (num_load(val, st->cfg->ncpu, &st->cfg->max_load) < 0)
		options_bad(opt, val, "is not a load (use N, N.N, N%, +N or -N "
		    "of the CPUs, at most 1000000)");
}

/* --memfree SIZE: bytes, with GNU's unit prefixes. */
static void
h_memfree(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	int64_t v;

	(void)d;
	if (num_size(val, &v) < 0)
		options_bad(opt, val, "is not a size (try 500M, 2G, 1.5G; "
		    "K M G T P are powers of 1024, k m g t p of 1000)");
	if (v == 0)
		options_bad(opt, val, "is zero (leave it out for no limit)");
	st->cfg->memfree = v;
}

/* -u, --group, --line-buffer: value is the enum output_mode. */
static void
h_output(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)opt, (void)val;
	st->cfg->output = (enum output_mode)d->value;
}

/* What --help, --version, --list-options printed must have gone out. */
static _Noreturn void
exit_printed(const char *opt)
{
	if (fflush(stdout) != 0 || ferror(stdout))
		util_die(-errno, "%s: cannot write to standard output", opt);
	exit(0);
}

static _Noreturn void
h_help(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)val;
	options_usage(stdout);
	exit_printed(opt);
}

/* --mode, which then no longer comes from FANOUT_MODE. */
static void
h_mode(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt;
	st->cfg->mode = val;
	st->cfg->mode_from_env = 0;
}

static _Noreturn void
h_version(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)val;
	printf("fanout " FANOUT_VERSION "\n");
	exit_printed(opt);
}

static _Noreturn void
h_list(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)val;
	options_list(stdout);
	exit_printed(opt);
}

static void
h_trim(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;

	(void)d;
	cfg->trim_set = 1;
	cfg->trim_left = cfg->trim_right = 0;
	if (strcmp(val, "n") == 0)
		;
	else if (strcmp(val, "l") == 0)
		cfg->trim_left = 1;
	else if (strcmp(val, "r") == 0)
		cfg->trim_right = 1;
	else if (strcmp(val, "lr") == 0 || strcmp(val, "rl") == 0)
		cfg->trim_left = cfg->trim_right = 1;
	else
		options_bad(opt, val, "is not l, r, lr or n");
}

/*
 * --header : or REGEX (the header's lines), or N lines; 0 is none.
 * Outside --pipe any of them but 0 makes the first record of each source
 * its column names, and all of them split values at TAB unless --colsep
 * says otherwise, as in GNU parallel.
 */
static void
h_header(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;
	static const char digits[] = "0123456789";
	long n = 1;

	(void)d;
	cfg->header_re = NULL;
	if (val[0] == '\0')
		options_bad(opt, val, "is empty: give ':' (the first record "
		    "names the columns), a number of lines or a regular "
		    "expression");
	if (val[strspn(val, digits)] == '\0') {
		if (num_long(val, 0, LONG_MAX, &n) < 0)
			options_bad(opt, val, "is too many lines");
	} else if (val[0] == '-' && val[1] != '\0' &&
	    val[1 + strspn(val + 1, digits)] == '\0') {
		options_bad(opt, val, "is negative: give a number of lines "
		    "(0 for none), ':' or a regular expression");
	} else if (strcmp(val, ":") != 0)
		cfg->header_re = val;	/* checked by sources_open() */
	cfg->header = n != 0;
	cfg->header_tab = 1;
	cfg->header_records = n;
}

/* --block SIZE: at least a byte, and at most this machine's memory. */
static void
h_block(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
	int64_t max = SIZE_MAX / 4 < INT64_MAX ? (int64_t)(SIZE_MAX / 4) :
	    INT64_MAX, v;
	char want[96];
	int r;

	(void)d;
	if (pages > 0 && page > 0 && (int64_t)pages < max / page)
		max = (int64_t)pages * page;
	if (val[0] == '-') {
		/* --pipepart's -N: N blocks a job slot; checked there. */
		if (num_long(val + 1, 1, LONG_MAX, &st->cfg->blocks_per_slot)
		    == 0)
			return;
		options_bad(opt, val, "is negative: a block is at least one "
		    "byte (--pipepart takes -N, N blocks a job slot)");
	}
	if ((r = num_size(val, &v)) == -ERANGE || (r == 0 &&
	    (v < 1 || v > max))) {
		snprintf(want, sizeof(want), "is not between 1 byte and this "
		    "machine's memory (%lldM)", (long long)(max >> 20));
		options_bad(opt, val, want);
	}
	if (r < 0)
		options_bad(opt, val, "is not a size (try 1M, 500k)");
	st->cfg->block_size = (size_t)v;
	st->cfg->blocks_per_slot = 0;
}

/* --arg-sep (value 0) and --arg-file-sep (value 1). */
static void
h_separator(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	if (val[0] == '\0')
		options_bad(opt, val, "is empty");
	if (d->value)
		st->file_sep = val;
	else
		st->arg_sep = val;
}

/* --shell[=PROG] and --no-shell: value is the enum shell_use. */
static void
h_shell(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	st->cfg->shell_use = (enum shell_use)d->value;
	if (val != NULL) {
		if (val[0] == '\0')
			options_bad(opt, val, "is empty");
		st->cfg->shell = val;
	}
}

static void
h_timeout(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;
	size_t len = strlen(val);
	int r;

	(void)d;
	if (len > 1 && val[len - 1] == '%') {
		r = num_percent(val, TIMEOUT_PCT_MAX, &cfg->timeout_pct);
		if (r == -EINVAL)
			options_bad(opt, val,
			    "is not a duration or a percentage (2m, 200%)");
		if (r < 0)
			options_bad(opt, val, "is not a percentage above 0 "
			    "and at most " TIMEOUT_PCT_MAX_S "%");
		cfg->timeout_ns = 0;
		return;
	}
	cfg->timeout_ns = parse_duration(opt, val);
	cfg->timeout_pct = 0;
	if (cfg->timeout_ns == 0)
		options_bad(opt, val, "is zero (leave it out for no limit)");
}

static void
h_termseq(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;
	int r;

	(void)d;
	r = options_termseq(val, cfg->termseq, ARRAY_SIZE(cfg->termseq),
	    &cfg->ntermseq);
	if (r == -E2BIG)
		options_bad(opt, val, "has too many steps");
	if (r < 0)
		options_bad(opt, val, "is not a termination sequence "
		    "(SIG,MS,SIG,MS,...: TERM,200,TERM,100,TERM,50,KILL,25)");
}

static void
h_halt(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (options_halt(val, st->cfg) < 0)
		options_bad(opt, val, "is not a halt rule (now|soon,fail|success|"
		    "done=N or N%, or never)");
}

static void
h_joblog(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;

	(void)d;
	cfg->joblog_append = val[0] == '+';
	cfg->joblog = val + cfg->joblog_append;
	if (cfg->joblog[0] == '\0')
		options_bad(opt, val, "names no file");
}

/* --resume (1) and --resume-failed (2): the stronger one wins. */
static void
h_resume(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)opt, (void)val;
	if (st->cfg->resume < d->value)
		st->cfg->resume = (int)d->value;
}

static void
h_report(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (val[0] == '\0')
		options_bad(opt, val, "is empty (use - for stderr)");
	st->cfg->report = val;
}

static void
h_compare(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt;
	st->cfg->compare = val != NULL ? val : "";
}

static void
h_runs(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	st->cfg->runs = parse_count(opt, val, 1);
	st->runs_given = val;
}

/*
 * --stats-fd N: a descriptor our --compare parent opened for us.  It is
 * ours now: close-on-exec, so that no job inherits it.
 */
static void
h_stats_fd(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	long fd = parse_count(opt, val, 3);

	(void)d;
	if (fd > INT_MAX || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
		options_bad(opt, val, "is not an open descriptor");
	st->cfg->stats_fd = (int)fd;
}

/*
 * --env NAME: a variable or exported function that jobs get.  Local
 * jobs inherit the whole environment anyway; the names are checked and
 * kept.  GNU's --env _ reads the list --record-env saved in $HOME.
 */
static void
h_env(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;

	(void)d;
	if (strcmp(val, "_") == 0)
		options_bad(opt, val, "needs the list GNU parallel's "
		    "--record-env keeps in $HOME, and fanout keeps no state "
		    "there: name the variables");
	/* A function's name may hold '-' or ':'; none holds these. */
	if (val[0] == '\0' || strpbrk(val, "$= \t\n/'\"") != NULL)
		options_bad(opt, val, "is not a variable or function name "
		    "(write NAME, not $NAME)");
	cfg->env = xgrow(cfg->env, &st->envcap, cfg->nenv + 1,
	    sizeof(*cfg->env));
	cfg->env[cfg->nenv++] = val;
}

/* --nice N: a niceness, as nice(1) takes it. */
static void
h_nice(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	long v;

	(void)d;
	if (num_signed(val, -20, 19, &v) < 0)
		options_bad(opt, val, "is not a niceness (-20 to 19)");
	st->cfg->nice = (int)v;
	st->cfg->nice_given = 1;
}

/* --semaphoretimeout D: a negative D gives up, a positive one runs. */
static void
h_sem_timeout(struct opt_state *st, const struct opt_def *d,
    const char *opt, const char *val)
{
	int neg = val[0] == '-';

	(void)d;
	if (num_duration(val + neg, &st->cfg->sem_timeout_ns) < 0)
		options_bad(opt, val, "is not a duration (try 10, -10, 1m)");
	if (neg)
		st->cfg->sem_timeout_ns = -st->cfg->sem_timeout_ns;
}

/* GNU's --rpl defines a replacement string in Perl, which fanout has not. */
static void
h_rpl(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d;
	options_bad(opt, val, "is Perl, and fanout has no Perl: --plus gives "
	    "{..} {+/} {:-STR} {#RE} {%RE} {/RE/STR} {^RE} and more "
	    "(see fanout(1))");
}

/* --transfer: send the input file, as --transferfile {} does. */
static void
h_transfer(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt, (void)val;
	strlist_add(&st->cfg->sends, st->cfg->replace);
}

/* --trc FILE: --transfer --return FILE --cleanup. */
static void
h_trc(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	h_transfer(st, d, opt, val);
	if (val[0] == '\0')
		options_bad(opt, val, "is empty");
	strlist_add(&st->cfg->returns, val);
	st->cfg->cleanup = 1;
}

/* --shebang and --shebang-wrap are only the first word of a #! line. */
static void
h_shebang(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st;
	(void)d;
	(void)val;
	util_die(0, "%s must be the first option, on a script's #! line",
	    opt);
}

#define FIELD(f)	.field = offsetof(struct config, f)
#define FLAG(f)		.kind = KIND_FLAG, FIELD(f), .value = 1
#define STRING(f)	.kind = KIND_STRING, FIELD(f)
#define COUNT(f, min)	.kind = KIND_COUNT, FIELD(f), .value = (min)
#define AMOUNT(f, min)	.kind = KIND_AMOUNT, FIELD(f), .value = (min)
#define DURATION(f)	.kind = KIND_DURATION, FIELD(f)
#define HANDLER(h)	.kind = KIND_HANDLER, .fn = (h)
#define LIST(f)		.kind = KIND_LIST, FIELD(f)
#define REQ(m)		.arg = required_argument, .meta = (m)

/*
 * Every option, in the order of --help within each group.  An entry
 * with .usage and no names is a row of --help only.
 */
const struct opt_def options_table[] = {
	{ .group = GROUP_INPUT, .usage = "::: VALUE...",
	  .help = "an input source made of these words" },
	{ .group = GROUP_INPUT, .usage = ":::: FILE...",
	  .help = "input sources read from files ('-' is stdin)" },
	{ .group = GROUP_INPUT, .usage = ":::+ / ::::+",
	  .help = "pair with the previous source, to the shortest" },
	{ "a", { "arg-file" }, .group = GROUP_INPUT, REQ("FILE"),
	  HANDLER(h_arg_file), .help = "an input source read from FILE" },
	{ "", { "link" }, .compat = "xapply", .group = GROUP_INPUT,
	  FLAG(link), .help = "pair all sources; shorter ones wrap round" },
	{ "0", { "null" }, .group = GROUP_INPUT, HANDLER(h_null),
	  .help = "records end with NUL" },
	{ "d", { "delimiter" }, .group = GROUP_INPUT, REQ("D"),
	  HANDLER(h_delim),
	  .help = "records end with string D (\\n \\t \\0 \\\\ \\NNN \\xHH)" },
	{ "C", { "colsep" }, .group = GROUP_INPUT, REQ("SEP"),
	  .errname = "--colsep", STRING(colsep), .flags = OPT_NONEMPTY,
	  .help = "split records into columns {1} {2}..." },
	{ "", { "csv" }, .group = GROUP_INPUT, FLAG(csv),
	  .help = "records and fields as CSV (RFC 4180): quoted\n"
	  "fields may hold SEP and newlines (SEP ',')" },
	{ "n", { "max-args" }, .group = GROUP_INPUT, REQ("N"),
	  HANDLER(h_max_args),
	  .help = "N records per job (0: one, given to no string)" },
	{ "N", { "max-replace-args" }, .group = GROUP_INPUT, REQ("N"),
	  HANDLER(h_max_args),
	  .value = 1, .help = "as -n, with context, as -X" },
	{ "X", .group = GROUP_INPUT, HANDLER(h_fill), .value = 1,
	  .help = "as many records per job as fit, with context" },
	{ "m", .group = GROUP_INPUT, HANDLER(h_fill), .value = 0,
	  .help = "as many records per job as fit" },
	{ "L", .group = GROUP_INPUT, REQ("N"), HANDLER(h_max_lines),
	  .help = "N lines per job, one ending in a blank joining\n"
	  "the next (0: one, given to no string)" },
	{ "l", { "max-lines" }, .group = GROUP_INPUT,
	  .arg = optional_argument, .meta = "N", HANDLER(h_max_lines),
	  .value = 1, .flags = OPT_NEXT_NUMBER,
	  .help = "as -L, xargs' way: no N or 0 is 1" },
	{ "s", { "max-chars" }, .group = GROUP_INPUT, REQ("N"),
	  AMOUNT(max_chars, 1), .help = "command lines of at most N bytes" },
	{ "", { "show-limits" }, .group = GROUP_INPUT, FLAG(show_limits),
	  .help = "print the command line's size limits on stderr,\n"
	  "as xargs does, then run as usual" },
	{ "E", .group = GROUP_INPUT, REQ("EOF"), STRING(eof_str),
	  .help = "stop at a record equal to EOF" },
	{ "e", { "eof" }, .group = GROUP_INPUT, .arg = optional_argument,
	  .meta = "EOF", HANDLER(h_eof), .flags = OPT_NEXT_WORD,
	  .help = "xargs' -E: no EOF is none" },
	{ "x", { "exit" }, .group = GROUP_INPUT,
	  .help = "stop at a command line longer than -s (always\n"
	  "so: xargs' spelling)" },
	{ "", { "shuf" }, .group = GROUP_INPUT, FLAG(shuf),
	  .help = "run the jobs in random order (input read first)" },
	{ "", { "trim" }, .group = GROUP_INPUT, REQ("l|r|lr|n"),
	  HANDLER(h_trim), .help = "trim blanks from values (--colsep: lr)" },
	{ "", { "skip-first-line" }, .group = GROUP_INPUT,
	  FLAG(skip_first_line),
	  .help = "the first record of the first source is not input" },
	{ "", { "shebang" }, .aliases = { "hashbang" }, .group = GROUP_INPUT,
	  HANDLER(h_shebang),
	  .help = "as a #! line's first option: the script's lines\n"
	  "after the first are the input" },
	{ "", { "shebang-wrap" }, .group = GROUP_INPUT, HANDLER(h_shebang),
	  .help = "as a #! line's first option, before a PROGRAM:\n"
	  "PROGRAM runs the script once per argument" },
	{ "", { "header" }, .group = GROUP_INPUT, REQ(":|N|RE"),
	  HANDLER(h_header),
	  .help = "the first record names the columns: {name}\n"
	  "(split at TAB without --colsep; 0: none, files\n"
	  "name their sources); with --pipe, N records\n"
	  "head every block" },
	{ "r", { "no-run-if-empty" }, .group = GROUP_INPUT,
	  FLAG(skip_empty), .help = "skip empty records" },
	{ "", { "arg-sep" }, .compat = "argsep", .group = GROUP_INPUT,
	  REQ("SEP"),
	  HANDLER(h_separator), .value = 0,
	  .help = "use SEP instead of :::" },
	{ "", { "arg-file-sep" }, .group = GROUP_INPUT, REQ("SEP"),
	  HANDLER(h_separator), .value = 1,
	  .help = "use SEP instead of ::::" },

	{ "", { "pipe" }, .compat = "spreadstdin", .group = GROUP_PIPE,
	  FLAG(pipe), .help = "cut standard input (or -a FILE) into blocks;\n"
	  "each block is one job's standard input" },
	{ "", { "pipepart" }, .group = GROUP_PIPE, FLAG(pipepart),
	  .help = "as --pipe, for the file of -a: each job's block\n"
	  "is found with small reads near its edges" },
	{ "", { "block" }, .aliases = { "block-size" }, .group = GROUP_PIPE,
	  REQ("SIZE"), HANDLER(h_block),
	  .help = "blocks of about SIZE bytes, cut at a record's\n"
	  "end (default 1M; K M G: 1024s, k m g: 1000s)" },
	{ "", { "recend" }, .group = GROUP_PIPE, REQ("STR"),
	  STRING(recend_arg), .help = "records end with STR (default \\n)" },
	{ "", { "recstart" }, .group = GROUP_PIPE, REQ("STR"),
	  STRING(recstart_arg), .help = "records start with STR" },
	{ "", { "regexp" }, .group = GROUP_PIPE, FLAG(regexp),
	  .help = "--recend and --recstart are regular expressions" },
	{ "", { "rrs" }, .aliases = { "remove-rec-sep", "removerecsep" },
	  .group = GROUP_PIPE, FLAG(rrs),
	  .help = "remove the record separators from blocks" },
	{ "", { "cat" }, .group = GROUP_PIPE, FLAG(pipe_cat),
	  .help = "the block in a temp file named {}, not stdin" },
	{ "", { "fifo" }, .group = GROUP_PIPE, FLAG(pipe_fifo),
	  .help = "the block in a named pipe {}, not stdin" },
	{ "", { "round-robin" }, .aliases = { "round" }, .group = GROUP_PIPE,
	  FLAG(round_robin),
	  .help = "start -j jobs once and deal the blocks to\n"
	  "whichever job's stdin takes more" },
	{ "", { "tee" }, .group = GROUP_PIPE, FLAG(tee),
	  .help = "every ::: job at once, each given the whole\n"
	  "stream on stdin (not a block)" },
	{ .group = GROUP_PIPE, .usage = "-N N, -L N",
	  .help = "N records per block, not a size" },

	{ .group = GROUP_COMMAND, .usage = "{} {.} {/} {//} {/.}",
	  .help = "the value; without extension; basename;\n"
	  "dirname; basename without extension" },
	{ .group = GROUP_COMMAND, .usage = "{#} {%} {##}",
	  .help = "job number, job slot, number of jobs" },
	{ .group = GROUP_COMMAND, .usage = "{N} {N.} {N/}...",
	  .help = "the same for column or source N" },
	{ "", { "plus" }, .group = GROUP_COMMAND, FLAG(plus),
	  .help = "also {..} {+/} {:-STR} {#RE} {%RE} {/RE/STR} {^RE}..." },
	{ "", .compat = "rpl", .group = GROUP_COMMAND, REQ(NULL),
	  HANDLER(h_rpl) },
	{ "I", .group = GROUP_COMMAND, REQ("STR"), STRING(replace),
	  .flags = OPT_NONEMPTY, .help = "use STR instead of {}" },
	{ "", { "extensionreplace", "er" }, .group = GROUP_COMMAND,
	  REQ("STR"), HANDLER(h_rename), .value = 0,
	  .help = "use STR instead of {.}" },
	{ "", { "basenamereplace", "bnr" }, .group = GROUP_COMMAND,
	  REQ("STR"), HANDLER(h_rename), .value = 1,
	  .help = "use STR instead of {/}" },
	{ "", { "basenameextensionreplace", "bner" },
	  .group = GROUP_COMMAND, REQ("STR"), HANDLER(h_rename), .value = 2,
	  .help = "use STR instead of {/.}" },
	{ "", { "dirnamereplace", "dnr" }, .group = GROUP_COMMAND,
	  REQ("STR"), HANDLER(h_rename), .value = 3,
	  .help = "use STR instead of {//}" },
	{ "", { "seqreplace" }, .group = GROUP_COMMAND, REQ("STR"),
	  HANDLER(h_rename), .value = 4, .help = "use STR instead of {#}" },
	{ "", { "slotreplace" }, .group = GROUP_COMMAND, REQ("STR"),
	  HANDLER(h_rename), .value = 5, .help = "use STR instead of {%}" },
	{ "i", { "replace" }, .group = GROUP_COMMAND,
	  .arg = optional_argument, .meta = "STR", HANDLER(h_replace),
	  .flags = OPT_NEXT_WORD, .help = "xargs' -I: no STR is {}" },
	{ "q", { "quote" }, .group = GROUP_COMMAND, FLAG(quote_cmd),
	  .help = "quote COMMAND's words too" },
	{ "", { "shell" }, .group = GROUP_COMMAND,
	  .arg = optional_argument, .meta = "PROG", HANDLER(h_shell),
	  .value = SHELL_ALWAYS,
	  .help = "always run jobs through a shell (PROG)" },
	{ "", { "no-shell" }, .group = GROUP_COMMAND, HANDLER(h_shell),
	  .value = SHELL_NEVER,
	  .help = "never use a shell: run the program directly" },
	{ "", { "env" }, .group = GROUP_COMMAND, REQ("NAME"),
	  HANDLER(h_env), .help = "jobs get variable or function NAME "
	  "(local jobs get all)" },
	{ "", { "process-slot-var" }, .compat = "processslotvar",
	  .group = GROUP_COMMAND, REQ("NAME"), STRING(process_slot_var),
	  .flags = OPT_NONEMPTY, .help = "jobs get NAME set to their slot "
	  "- 1 (default\nPARALLEL_JOBSLOT0)" },
	{ "o", { "open-tty" }, .group = GROUP_COMMAND, FLAG(open_tty),
	  .help = "jobs read the terminal, not /dev/null" },
	{ "", { "dry-run" }, .compat = "dryrun", .group = GROUP_COMMAND,
	  FLAG(dry_run),
	  .help = "print the commands, run nothing" },
	{ "v", .group = GROUP_COMMAND, FLAG(verbose),
	  .help = "print each command before its output" },
	/* GNU's --verbose is its -t, not its -v. */
	{ "t", { "verbose" }, .group = GROUP_COMMAND, FLAG(trace),
	  .help = "print each command on stderr as it starts" },

	{ "", { "mode" }, .group = GROUP_RUNNING, REQ("MODE"),
	  HANDLER(h_mode),
	  .flags = OPT_NOT_PASSED,
	  .help = "process, thread or async (default async)" },
	{ "jP", { "jobs" }, { "max-procs" }, .group = GROUP_RUNNING,
	  REQ("N"), HANDLER(h_jobs),
	  .help = "at most N jobs at once: N, N%, +N, -N of the\n"
	  "CPUs, or 0 for as many as the limits allow; or a\n"
	  "FILE holding N, read again as jobs end" },
	{ "", { "load" }, .group = GROUP_RUNNING, REQ("MAX"),
	  HANDLER(h_load),
	  .help = "start no job while the load average is MAX or\n"
	  "more: N, N%, +N, -N of the CPUs" },
	{ "", { "memfree" }, .group = GROUP_RUNNING, REQ("SIZE"),
	  HANDLER(h_memfree),
	  .help = "start no job while less memory is available;\n"
	  "under half, end the youngest and run it later" },
	{ "", { "delay" }, .group = GROUP_RUNNING, REQ("DUR[auto]"),
	  HANDLER(h_delay), .help = "at least DUR between job starts; DURauto:\n"
	  "30% more after a failure, 10% less after a success" },
	{ "", { "timeout" }, .group = GROUP_RUNNING, REQ("DUR|N%"),
	  HANDLER(h_timeout),
	  .help = "end jobs that run longer (N%: of the median\n"
	  "runtime of the successes, N up to " TIMEOUT_PCT_MAX_S ")" },
	{ "", { "termseq" }, .group = GROUP_RUNNING, REQ("SIG,MS,..."),
	  HANDLER(h_termseq),
	  .help = "how jobs are ended (TERM,200,TERM,100,TERM,50,KILL,25)" },
	{ "", { "retries" }, .group = GROUP_RUNNING, REQ("N"),
	  COUNT(retries, 0),
	  .help = "run a failed job up to N times in all (0: no limit)" },
	{ "", { "retry-delay" }, .group = GROUP_RUNNING, REQ("DUR"),
	  DURATION(retry_delay_ns),
	  .help = "wait before a retry, doubling each time" },
	{ "", { "halt" }, .compat = "halt-on-error", .group = GROUP_RUNNING,
	  REQ("WHEN,WHAT=N"), HANDLER(h_halt),
	  .help = "stop: now|soon, fail|success|done=N|N%" },

	{ "", { "nice" }, .group = GROUP_RUNNING, REQ("N"), HANDLER(h_nice),
	  .help = "run fanout and its jobs at niceness N" },
	{ "", { "semaphore" }, .group = GROUP_RUNNING, FLAG(semaphore),
	  .help = "run COMMAND once a slot of a semaphore shared\n"
	  "across invocations is free (as sem)" },
	{ "", { "id" }, .compat = "semaphorename", .group = GROUP_RUNNING,
	  REQ("NAME"), STRING(sem_id),
	  .help = "the semaphore's name (default: the terminal)" },
	{ "", { "fg" }, .group = GROUP_RUNNING, FLAG(sem_fg),
	  .help = "hold the slot and wait for COMMAND" },
	{ "", { "wait" }, .group = GROUP_RUNNING, FLAG(sem_wait),
	  .help = "wait until no slot of the semaphore is held" },
	{ "", { "semaphoretimeout" }, .compat = "st", .group = GROUP_RUNNING,
	  REQ("DUR"), HANDLER(h_sem_timeout),
	  .help = "wait at most DUR for a slot, then run anyway\n"
	  "(-DUR: give up)" },

	{ "", { "group" }, .group = GROUP_OUTPUT, HANDLER(h_output),
	  .value = OUTPUT_GROUP,
	  .help = "each job's output whole, as it ends (default)" },
	{ "k", { "keep-order" }, .group = GROUP_OUTPUT, FLAG(keep_order),
	  .help = "... in input order" },
	{ "", { "line-buffer", "lb" }, .compat = "linebuffer",
	  .group = GROUP_OUTPUT,
	  HANDLER(h_output), .value = OUTPUT_LINE,
	  .help = "whole lines as they come" },
	{ "u", { "ungroup" }, .group = GROUP_OUTPUT, HANDLER(h_output),
	  .value = OUTPUT_UNGROUP,
	  .help = "jobs write straight to stdout and stderr" },
	{ "", { "tag" }, .group = GROUP_OUTPUT, FLAG(tag),
	  .help = "prefix lines with the job's values" },
	{ "", { "tagstring" }, .group = GROUP_OUTPUT, REQ("STR"),
	  STRING(tagstring),
	  .help = "prefix lines with STR (replacement strings work)" },
	{ "", { "tmpdir" }, .group = GROUP_OUTPUT, REQ("DIR"),
	  STRING(tmpdir), .flags = OPT_NONEMPTY,
	  .help = "where held output spills (default $TMPDIR, /tmp)" },
	{ "", { "compress" }, .group = GROUP_OUTPUT, FLAG(compress),
	  .help = "compress held output that spills to --tmpdir" },
	{ "", { "compress-program" }, .group = GROUP_OUTPUT, REQ("PRG"),
	  STRING(compress_program), .flags = OPT_NONEMPTY,
	  .help = "compress with shell command PRG (implies --compress)" },
	{ "", { "decompress-program" }, .group = GROUP_OUTPUT, REQ("PRG"),
	  STRING(decompress_program), .flags = OPT_NONEMPTY,
	  .help = "decompress with PRG (default: --compress-program -dc)" },
	{ "", { "results" }, .compat = "res", .group = GROUP_OUTPUT,
	  REQ("DIR"), STRING(results), .flags = OPT_NONEMPTY,
	  .help = "save output in DIR/<seq>/stdout, stderr, status;\n"
	  "with {} and such: NAME, NAME.err, NAME.seq per job;\n"
	  "-.csv, -.tsv, -.json: a table on stdout" },
	{ "", { "files" }, .group = GROUP_OUTPUT, FLAG(files),
	  .help = "save each job's stdout in a file in --tmpdir;\n"
	  "print its name" },
	{ "", { "quiet" }, .group = GROUP_OUTPUT, FLAG(quiet),
	  .help = "no failure list at the end (as GNU parallel)" },

	{ "S", { "sshlogin" }, .group = GROUP_REMOTE, REQ("[N/]HOST,..."),
	  LIST(logins), .flags = OPT_NONEMPTY,
	  .help = "run jobs on HOSTs ([user@]host[:port]; ':' is\n"
	  "this machine) through ssh, N or -j at once each" },
	{ "", { "sshloginfile" }, .compat = "slf", .group = GROUP_REMOTE,
	  REQ("FILE"), LIST(loginfiles), .flags = OPT_NONEMPTY,
	  .help = "the -S hosts of FILE, one a line ('-': stdin)" },
	{ "", { "ssh" }, .group = GROUP_REMOTE, REQ("CMD"), STRING(ssh),
	  .flags = OPT_NONEMPTY,
	  .help = "the ssh program and its options (default ssh)" },
	{ "", { "sshdelay" }, .group = GROUP_REMOTE, REQ("DUR"),
	  DURATION(sshdelay_ns), .help = "at least DUR between ssh starts" },
	{ "", { "filter-hosts" }, .group = GROUP_REMOTE, FLAG(filter_hosts),
	  .help = "drop the hosts that do not answer at the start" },
	{ "", { "onall" }, .group = GROUP_REMOTE, FLAG(onall),
	  .help = "run every job on every host, one at a time each" },
	{ "", { "nonall" }, .group = GROUP_REMOTE, FLAG(nonall),
	  .help = "run COMMAND once on every host, with no input" },
	{ "", { "workdir" }, .aliases = { "wd" }, .group = GROUP_REMOTE,
	  REQ("DIR"), STRING(workdir), .flags = OPT_NONEMPTY,
	  .help = "remote jobs run in DIR ('...': a fresh one)" },
	{ "", { "transfer" }, .group = GROUP_REMOTE, HANDLER(h_transfer),
	  .help = "send the input file {} to the host first" },
	{ "", { "transferfile" }, .compat = "tf", .group = GROUP_REMOTE,
	  REQ("FILE"), LIST(sends), .flags = OPT_NONEMPTY,
	  .help = "send FILE (a template) to the host first" },
	{ "", { "return" }, .group = GROUP_REMOTE, REQ("FILE"),
	  LIST(returns), .flags = OPT_NONEMPTY,
	  .help = "fetch FILE (a template) back after the job" },
	{ "", { "cleanup" }, .group = GROUP_REMOTE, FLAG(cleanup),
	  .help = "remove what was sent and fetched from the host" },
	{ "", { "trc" }, .group = GROUP_REMOTE, REQ("FILE"), HANDLER(h_trc),
	  .help = "--transfer --return FILE --cleanup" },
	{ "", { "basefile" }, .compat = "bf", .group = GROUP_REMOTE,
	  REQ("FILE"), LIST(basefiles), .flags = OPT_NONEMPTY,
	  .help = "send FILE to each host once, before its jobs" },

	{ "", { "joblog" }, .compat = "jl", .group = GROUP_REPORTS,
	  REQ("[+]FILE"), HANDLER(h_joblog),
	  .help = "log each finished job, GNU parallel's format\n"
	  "(+FILE: append)" },
	{ "", { "resume" }, .group = GROUP_REPORTS, HANDLER(h_resume),
	  .value = 1,
	  .help = "skip the jobs the joblog (or --results) has" },
	{ "", { "resume-failed" }, .group = GROUP_REPORTS,
	  HANDLER(h_resume), .value = 2,
	  .help = "... and run the failed ones again" },
	{ "", { "retry-failed" }, .group = GROUP_REPORTS,
	  FLAG(retry_failed),
	  .help = "run only the joblog's failed commands again" },
	{ "", { "report" }, .group = GROUP_REPORTS, REQ("FILE"),
	  HANDLER(h_report), .flags = OPT_NOT_PASSED,
	  .help = "one JSON object per job, then a summary ('-':\n"
	  "stderr)" },
	{ "", { "summary" }, .group = GROUP_REPORTS, FLAG(summary),
	  .flags = OPT_NOT_PASSED,
	  .help = "a table of counts, times and usage at the end\n"
	  "(with --compare: each mode's runtime histogram)" },
	{ "", { "progress" }, .group = GROUP_REPORTS, FLAG(progress),
	  .help = "a status line on stderr: done, running, rate" },
	{ "", { "bar" }, .group = GROUP_REPORTS, FLAG(bar),
	  .help = "... with a bar and an ETA" },
	{ "", { "eta" }, .group = GROUP_REPORTS, FLAG(eta),
	  .help = "... with an ETA" },
	{ "", { "total" }, .compat = "total-jobs", .group = GROUP_REPORTS,
	  REQ("N"), COUNT(total, 0),
	  .help = "the number of jobs, for the bar and the ETA" },
	{ "", { "compare" }, .group = GROUP_REPORTS,
	  .arg = optional_argument, .meta = "MODES", HANDLER(h_compare),
	  .flags = OPT_NOT_PASSED,
	  .help = "run the jobs once per mode, print a table of\n"
	  "times and costs (default: every mode)" },
	{ "", { "runs" }, .group = GROUP_REPORTS, REQ("K"),
	  HANDLER(h_runs), .flags = OPT_NOT_PASSED,
	  .help = "with --compare: K runs per mode (default 1)" },

	{ "J", { "profile" }, .group = GROUP_OTHER, REQ("NAME"),
	  .flags = OPT_NOT_PASSED,
	  .help = "options from ~/.config/fanout/NAME first (they\n"
	  "come before $FANOUT's, and these before the line's)" },
	{ "h", { "help" }, .group = GROUP_OTHER, HANDLER(h_help),
	  .help = "this text" },
	{ "V", { "version" }, .group = GROUP_OTHER, HANDLER(h_version),
	  .help = "fanout's version" },
	/* GNU parallel's, which do nothing: fanout prints no notice. */
	{ "", .aliases = { "will-cite", "no-notice" }, .group = GROUP_OTHER },
	/* For the tests and the completions: see options_list. */
	{ "", .aliases = { "list-options" }, .group = GROUP_OTHER,
	  HANDLER(h_list) },
	/* Internal: how a --compare pass reports to its parent. */
	{ "", .compat = "stats-fd", .group = GROUP_OTHER, REQ(NULL),
	  HANDLER(h_stats_fd), .flags = OPT_NOT_PASSED },
};

const size_t options_ntable = ARRAY_SIZE(options_table);

void
options_apply(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	void *field = (char *)st->cfg + d->field;

	switch (d->kind) {
	case KIND_NONE:
		break;
	case KIND_FLAG:
		*(int *)field = (int)d->value;
		break;
	case KIND_STRING:
		if ((d->flags & OPT_NONEMPTY) && val[0] == '\0')
			options_bad(opt, val, "is empty");
		*(const char **)field = val;
		break;
	case KIND_COUNT:
		*(long *)field = parse_count(opt, val, d->value);
		break;
	case KIND_AMOUNT:
		*(long *)field = parse_amount(opt, val, d->value);
		break;
	case KIND_DURATION:
		*(int64_t *)field = parse_duration(opt, val);
		break;
	case KIND_HANDLER:
		d->fn(st, d, opt, val);
		break;
	case KIND_LIST:
		if ((d->flags & OPT_NONEMPTY) && val[0] == '\0')
			options_bad(opt, val, "is empty");
		strlist_add(field, val);
		break;
	}
}

void
options_defaults(struct config *cfg)
{
	static const struct termstep termseq[] = {
		{ SIGTERM, 200 }, { SIGTERM, 100 }, { SIGTERM, 50 },
		{ SIGKILL, 25 },
	};
	const char *env;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = "async";
	env = getenv("FANOUT_MODE");
	if (env != NULL && *env != '\0') {
		cfg->mode = env;
		cfg->mode_from_env = 1;
	}
	cfg->ncpu = cpus();
	cfg->jobs = cfg->ncpu;
	cfg->delim = xstrdup("\n");
	cfg->delimlen = 1;
	cfg->replace = "{}";
	cfg->process_slot_var = "PARALLEL_JOBSLOT0";
	cfg->total = -1;
	cfg->retries = 1;
	cfg->runs = 1;
	cfg->stats_fd = -1;
	memcpy(cfg->termseq, termseq, sizeof(termseq));
	cfg->ntermseq = ARRAY_SIZE(termseq);
	env = getenv("TMPDIR");
	cfg->tmpdir = env != NULL && *env != '\0' ? env : "/tmp";
}
