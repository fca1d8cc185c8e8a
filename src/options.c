/*
 * options: argv and the environment into a struct config, driven by one
 * table (options_table below): getopt_long's arrays are built from it,
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
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FANOUT_VERSION	"0.1.0"

/* --timeout N%: 10000 times the median is more than any run needs. */
#define TIMEOUT_PCT_MAX		1000000
#define TIMEOUT_PCT_MAX_S	"1000000"

/* What parsing carries from one option to the next. */
struct opt_state {
	struct config	*cfg;
	size_t		 cap;		/* of cfg->sources */
	const char	*arg_sep;	/* ::: or --arg-sep */
	const char	*file_sep;	/* :::: or --arg-file-sep */
	const char	*runs_given;	/* --runs' value, to check later */
};

/* Kept for the readers of joblog and $COLUMNS; see num_signed. */
int
options_long(const char *s, long min, long max, long *out)
{
	return num_signed(s, min, max, out);
}

static _Noreturn void
bad(const char *opt, const char *val, const char *want)
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
		bad(opt, val, want);
	}
	return v;
}

static int64_t
parse_duration(const char *opt, const char *val)
{
	int64_t ns;

	if (num_duration(val, &ns) < 0)
		bad(opt, val, "is not a duration (try 1.5, 250ms, 2m, 1h30m)");
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

static void
add_source(struct config *cfg, size_t *cap, struct source src)
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
	add_source(st->cfg, &st->cap, src);
}

static void
h_null(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d, (void)opt, (void)val;
	st->cfg->delim = '\0';
}

static void
h_delim(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (val[0] == '\0')
		bad(opt, val, "is empty (use -0 for NUL)");
	if (options_delim(val, &st->cfg->delim) < 0)
		bad(opt, val, "is not one character or escape (\\n \\t \\0 "
		    "\\\\ \\NNN \\xHH)");
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

static void
h_jobs(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;

	(void)d;
	if (num_jobs(val, cpus(), &cfg->jobs, &cfg->jobs_unbounded) < 0)
		bad(opt, val, "is not a job count (use N, N%, +N, -N or 0)");
}

/* -u, --group, --line-buffer: value is the enum output_mode. */
static void
h_output(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)opt, (void)val;
	st->cfg->output = (enum output_mode)d->value;
}

static _Noreturn void
h_help(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)opt, (void)val;
	options_usage(stdout);
	exit(0);
}

static _Noreturn void
h_version(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)opt, (void)val;
	printf("fanout " FANOUT_VERSION "\n");
	exit(0);
}

static _Noreturn void
h_list(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)st, (void)d, (void)opt, (void)val;
	options_list(stdout);
	exit(0);
}

static void
h_trim(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	struct config *cfg = st->cfg;

	(void)d;
	if (strcmp(val, "n") == 0)
		cfg->trim_left = cfg->trim_right = 0;
	else if (strcmp(val, "l") == 0)
		cfg->trim_left = 1;
	else if (strcmp(val, "r") == 0)
		cfg->trim_right = 1;
	else if (strcmp(val, "lr") == 0 || strcmp(val, "rl") == 0)
		cfg->trim_left = cfg->trim_right = 1;
	else
		bad(opt, val, "is not l, r, lr or n");
}

static void
h_header(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (strcmp(val, ":") != 0)
		bad(opt, val, "is not ':' (the first record of each source "
		    "names its columns)");
	st->cfg->header = 1;
}

/* --arg-sep (value 0) and --arg-file-sep (value 1). */
static void
h_separator(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	if (val[0] == '\0')
		bad(opt, val, "is empty");
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
			bad(opt, val, "is empty");
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
			bad(opt, val,
			    "is not a duration or a percentage (2m, 200%)");
		if (r < 0)
			bad(opt, val, "is not a percentage above 0 "
			    "and at most " TIMEOUT_PCT_MAX_S "%");
		cfg->timeout_ns = 0;
		return;
	}
	cfg->timeout_ns = parse_duration(opt, val);
	cfg->timeout_pct = 0;
	if (cfg->timeout_ns == 0)
		bad(opt, val, "is zero (leave it out for no limit)");
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
		bad(opt, val, "has too many steps");
	if (r < 0)
		bad(opt, val, "is not a termination sequence "
		    "(SIG,MS,SIG,MS,...: TERM,200,TERM,100,TERM,50,KILL,25)");
}

static void
h_halt(struct opt_state *st, const struct opt_def *d, const char *opt,
    const char *val)
{
	(void)d;
	if (options_halt(val, st->cfg) < 0)
		bad(opt, val, "is not a halt rule (now|soon,fail|success|"
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
		bad(opt, val, "names no file");
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
		bad(opt, val, "is empty (use - for stderr)");
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
		bad(opt, val, "is not an open descriptor");
	st->cfg->stats_fd = (int)fd;
}

#define FIELD(f)	.field = offsetof(struct config, f)
#define FLAG(f)		.kind = KIND_FLAG, FIELD(f), .value = 1
#define STRING(f)	.kind = KIND_STRING, FIELD(f)
#define COUNT(f, min)	.kind = KIND_COUNT, FIELD(f), .value = (min)
#define DURATION(f)	.kind = KIND_DURATION, FIELD(f)
#define HANDLER(h)	.kind = KIND_HANDLER, .fn = (h)
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
	  .help = "link the source with the previous one" },
	{ "a", { "arg-file" }, .group = GROUP_INPUT, REQ("FILE"),
	  HANDLER(h_arg_file), .help = "an input source read from FILE" },
	{ "", { "link" }, .compat = "xapply", .group = GROUP_INPUT,
	  FLAG(link), .help = "pair all sources element by element" },
	{ "0", { "null" }, .group = GROUP_INPUT, HANDLER(h_null),
	  .help = "records end with NUL" },
	{ "d", { "delimiter" }, .group = GROUP_INPUT, REQ("D"),
	  HANDLER(h_delim),
	  .help = "records end with D (\\n \\t \\0 \\\\ \\NNN \\xHH)" },
	{ "C", { "colsep" }, .group = GROUP_INPUT, REQ("SEP"),
	  .errname = "--colsep", STRING(colsep), .flags = OPT_NONEMPTY,
	  .help = "split records into columns {1} {2}..." },
	{ "nN", { "max-args" }, .group = GROUP_INPUT, REQ("N"),
	  COUNT(max_args, 1), .help = "N records per job" },
	{ "X", .group = GROUP_INPUT, HANDLER(h_fill), .value = 1,
	  .help = "as many records per job as fit, with context" },
	{ "m", .group = GROUP_INPUT, HANDLER(h_fill), .value = 0,
	  .help = "as many records per job as fit" },
	{ "L", { "max-lines" }, .group = GROUP_INPUT, REQ("N"),
	  COUNT(max_lines, 1), .help = "N non-blank lines per job" },
	{ "s", { "max-chars" }, .group = GROUP_INPUT, REQ("N"),
	  COUNT(max_chars, 1), .help = "command lines of at most N bytes" },
	{ "E", .group = GROUP_INPUT, REQ("EOF"), STRING(eof_str),
	  .help = "stop at a record equal to EOF" },
	{ "", { "trim" }, .group = GROUP_INPUT, REQ("l|r|lr|n"),
	  HANDLER(h_trim), .help = "trim blanks from values" },
	{ "", { "header" }, .group = GROUP_INPUT, REQ(":"),
	  HANDLER(h_header),
	  .help = "the first record names the columns: {name}" },
	{ "r", { "no-run-if-empty" }, .group = GROUP_INPUT,
	  FLAG(skip_empty), .help = "skip empty records" },
	{ "", { "arg-sep" }, .group = GROUP_INPUT, REQ("SEP"),
	  HANDLER(h_separator), .value = 0,
	  .help = "use SEP instead of :::" },
	{ "", { "arg-file-sep" }, .group = GROUP_INPUT, REQ("SEP"),
	  HANDLER(h_separator), .value = 1,
	  .help = "use SEP instead of ::::" },

	{ .group = GROUP_COMMAND, .usage = "{} {.} {/} {//} {/.}",
	  .help = "the value; without extension; basename;\n"
	  "dirname; basename without extension" },
	{ .group = GROUP_COMMAND, .usage = "{#} {%} {##}",
	  .help = "job number, job slot, number of jobs" },
	{ .group = GROUP_COMMAND, .usage = "{N} {N.} {N/}...",
	  .help = "the same for column or source N" },
	{ "I", .group = GROUP_COMMAND, REQ("STR"), STRING(replace),
	  .flags = OPT_NONEMPTY, .help = "use STR instead of {}" },
	{ "q", { "quote" }, .group = GROUP_COMMAND, FLAG(quote_cmd),
	  .help = "quote COMMAND's words too" },
	{ "", { "shell" }, .group = GROUP_COMMAND,
	  .arg = optional_argument, .meta = "PROG", HANDLER(h_shell),
	  .value = SHELL_ALWAYS,
	  .help = "always run jobs through a shell (PROG)" },
	{ "", { "no-shell" }, .group = GROUP_COMMAND, HANDLER(h_shell),
	  .value = SHELL_NEVER,
	  .help = "never use a shell: run the program directly" },
	{ "", { "dry-run" }, .group = GROUP_COMMAND, FLAG(dry_run),
	  .help = "print the commands, run nothing" },
	{ "v", { "verbose" }, .group = GROUP_COMMAND, FLAG(verbose),
	  .help = "print each command before its output" },
	{ "t", .group = GROUP_COMMAND, FLAG(trace),
	  .help = "print each command on stderr as it starts" },

	{ "", { "mode" }, .group = GROUP_RUNNING, REQ("MODE"), STRING(mode),
	  .flags = OPT_NOT_PASSED,
	  .help = "process, thread or async (default async)" },
	{ "jP", { "jobs" }, { "max-procs" }, .group = GROUP_RUNNING,
	  REQ("N"), HANDLER(h_jobs),
	  .help = "at most N jobs at once: N, N%, +N, -N of the\n"
	  "CPUs, or 0 for as many as the limits allow" },
	{ "", { "delay" }, .group = GROUP_RUNNING, REQ("DUR"),
	  DURATION(delay_ns), .help = "at least DUR between job starts" },
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

	{ "", { "group" }, .group = GROUP_OUTPUT, HANDLER(h_output),
	  .value = OUTPUT_GROUP,
	  .help = "each job's output whole, as it ends (default)" },
	{ "k", { "keep-order" }, .group = GROUP_OUTPUT, FLAG(keep_order),
	  .help = "... in input order" },
	{ "", { "line-buffer", "lb" }, .group = GROUP_OUTPUT,
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
	{ "", { "results" }, .compat = "res", .group = GROUP_OUTPUT,
	  REQ("DIR"), STRING(results), .flags = OPT_NONEMPTY,
	  .help = "save output in DIR/<seq>/stdout, stderr, status" },
	{ "", { "quiet" }, .group = GROUP_OUTPUT, FLAG(quiet),
	  .help = "no failure list at the end" },

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
	  .help = "a table of counts, times and usage at the end" },
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
			if (n + 3 > size)
				BUG("short options overflow");
			buf[n++] = *s;
			if (options_table[i].arg == required_argument)
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

static void
apply(struct opt_state *st, const struct opt_def *d, const char *opt,
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
			bad(opt, val, "is empty");
		*(const char **)field = val;
		break;
	case KIND_COUNT:
		*(long *)field = parse_count(opt, val, d->value);
		break;
	case KIND_DURATION:
		*(int64_t *)field = parse_duration(opt, val);
		break;
	case KIND_HANDLER:
		d->fn(st, d, opt, val);
		break;
	}
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
			add_source(cfg, cap, src);
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
			add_source(cfg, cap, src);
		}
	}
}


static void
defaults(struct config *cfg)
{
	static const struct termstep termseq[] = {
		{ SIGTERM, 200 }, { SIGTERM, 100 }, { SIGTERM, 50 },
		{ SIGKILL, 25 },
	};
	const char *env;

	memset(cfg, 0, sizeof(*cfg));
	cfg->mode = "async";
	env = getenv("FANOUT_MODE");
	if (env != NULL && *env != '\0')
		cfg->mode = env;
	cfg->jobs = cpus();
	cfg->delim = '\n';
	cfg->replace = "{}";
	cfg->total = -1;
	cfg->retries = 1;
	cfg->runs = 1;
	cfg->stats_fd = -1;
	memcpy(cfg->termseq, termseq, sizeof(termseq));
	cfg->ntermseq = ARRAY_SIZE(termseq);
	env = getenv("TMPDIR");
	cfg->tmpdir = env != NULL && *env != '\0' ? env : "/tmp";
}

void
options_parse(struct config *cfg, int argc, char **argv)
{
	struct opt_state st = { cfg, 0, ":::", "::::", NULL };
	const struct opt_def *d;
	struct option *longs;
	char shorts[128], name[64];
	int c, idx, first, i;

	defaults(cfg);
	cfg->argc = argc;
	cfg->argv = argv;
	cfg->not_passed = xcalloc((size_t)argc + 1, 1);
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
		apply(&st, d, name, optarg);
		for (i = first; (d->flags & OPT_NOT_PASSED) && i < optind; i++)
			cfg->not_passed[i] = 1;
	}
	free(longs);
	if (st.runs_given != NULL && cfg->compare == NULL)
		bad("--runs", st.runs_given, "needs --compare");
	parse_rest(cfg, &st.cap, argc, argv, optind, st.arg_sep, st.file_sep);
	options_check(cfg);
}

void
options_free(struct config *cfg)
{
	free(cfg->sources);
	cfg->sources = NULL;
	free(cfg->not_passed);
	cfg->not_passed = NULL;
}
