/*
 * options: argv and the environment into a struct config.  getopt_long
 * with a leading '+' stops at the first word that is not an option, so
 * COMMAND's own flags are never ours.  Values are parsed strictly: a
 * number is digits and nothing else, a duration a number with units.
 * Every error names the option and the value and says what would work,
 * and exits 255 before any job starts.
 */
#include "options.h"
#include "exec.h"
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
#include <sys/stat.h>
#include <unistd.h>

#define FANOUT_VERSION	"0.1.0"

static const char usage_text[] =
"usage: fanout [OPTIONS] [COMMAND [ARG...]] [::: VALUE...] [:::: FILE...]\n"
"\n"
"Run COMMAND once per input record, many at once.  Input is lines of\n"
"standard input, or the values after :::, or the lines of the files\n"
"after :::: .  Replacement strings in COMMAND take each record's value.\n"
"\n"
"Input:\n"
"  ::: VALUE...          an input source made of these words\n"
"  :::: FILE...          input sources read from files ('-' is stdin)\n"
"  :::+ / ::::+          link the source with the previous one\n"
"  -a, --arg-file FILE   an input source read from FILE\n"
"  --link                pair all sources element by element\n"
"  -0, --null            records end with NUL\n"
"  -d, --delimiter D     records end with D (\\n \\t \\0 \\\\ \\NNN \\xHH)\n"
"  -C, --colsep SEP      split records into columns {1} {2}...\n"
"  -n, -N, --max-args N  N records per job\n"
"  -X                    as many records per job as fit, with context\n"
"  -m                    as many records per job as fit\n"
"  -L, --max-lines N     N non-blank lines per job\n"
"  -s, --max-chars N     command lines of at most N bytes\n"
"  -E EOF                stop at a record equal to EOF\n"
"  --trim l|r|lr|n       trim blanks from values\n"
"  --header :            the first record names the columns: {name}\n"
"  -r, --no-run-if-empty skip empty records\n"
"  --arg-sep SEP         use SEP instead of :::\n"
"  --arg-file-sep SEP    use SEP instead of ::::\n"
"\n"
"Command:\n"
"  {} {.} {/} {//} {/.}  the value; without extension; basename;\n"
"                        dirname; basename without extension\n"
"  {#} {%} {##}          job number, job slot, number of jobs\n"
"  {N} {N.} {N/}...      the same for column or source N\n"
"  -I STR                use STR instead of {}\n"
"  -q, --quote           quote COMMAND's words too\n"
"  --shell[=PROG]        always run jobs through a shell (PROG)\n"
"  --no-shell            never use a shell: run the program directly\n"
"  --dry-run             print the commands, run nothing\n"
"  -v, --verbose         print each command before its output\n"
"  -t                    print each command on stderr as it starts\n"
"\n"
"Running:\n"
"  --mode MODE           process, thread or async (default async)\n"
"  -j, -P, --jobs N      at most N jobs at once: N, N%, +N, -N of the\n"
"                        CPUs, or 0 for as many as the limits allow\n"
"  --delay DUR           at least DUR between job starts\n"
"  --timeout DUR|N%      end jobs that run longer (N%: of the median\n"
"                        runtime of the successes, N up to 1000000)\n"
"  --termseq SIG,MS,...  how jobs are ended (TERM,200,TERM,100,TERM,50,KILL,25)\n"
"  --retries N           run a failed job up to N times in all (0: no limit)\n"
"  --retry-delay DUR     wait before a retry, doubling each time\n"
"  --halt WHEN,WHAT=N    stop: now|soon, fail|success|done=N|N%\n"
"\n"
"Output:\n"
"  --group               each job's output whole, as it ends (default)\n"
"  -k, --keep-order      ... in input order\n"
"  --line-buffer, --lb   whole lines as they come\n"
"  -u, --ungroup         jobs write straight to stdout and stderr\n"
"  --tag                 prefix lines with the job's values\n"
"  --tagstring STR       prefix lines with STR (replacement strings work)\n"
"  --tmpdir DIR          where held output spills (default $TMPDIR, /tmp)\n"
"  --results DIR         save output in DIR/<seq>/stdout, stderr, status\n"
"  --quiet               no failure list at the end\n"
"\n";

/* In two parts: C only promises string literals of 4095 bytes. */
static const char usage_tail[] =
"Reports:\n"
"  --joblog [+]FILE      log each finished job, GNU parallel's format\n"
"                        (+FILE: append)\n"
"  --resume              skip the jobs the joblog (or --results) has\n"
"  --resume-failed       ... and run the failed ones again\n"
"  --retry-failed        run only the joblog's failed commands again\n"
"  --report FILE         one JSON object per job, then a summary ('-':\n"
"                        stderr)\n"
"  --summary             a table of counts, times and usage at the end\n"
"  --progress            a status line on stderr: done, running, rate\n"
"  --bar                 ... with a bar and an ETA\n"
"  --eta                 ... with an ETA\n"
"  --total N             the number of jobs, for the bar and the ETA\n"
"  --compare[=MODES]     run the jobs once per mode, print a table of\n"
"                        times and costs (default: every mode)\n"
"  --runs K              with --compare: K runs per mode (default 1)\n"
"\n"
"  -h, --help            this text\n"
"  -V, --version         fanout's version\n"
"\n"
"Durations: 1.5, 250ms, 2m, 1h30m (ms, s, m, h, d).  FANOUT_MODE sets the\n"
"default mode.  Exit status: 0 all jobs succeeded, 1-100 that many failed,\n"
"101 more, 255 fanout itself failed.  See fanout(1).\n";

enum {
	OPT_MODE = 256, OPT_LINK, OPT_TRIM, OPT_HEADER, OPT_ARG_SEP,
	OPT_ARG_FILE_SEP, OPT_SHELL, OPT_NO_SHELL, OPT_DRY_RUN, OPT_DELAY,
	OPT_TIMEOUT, OPT_TERMSEQ, OPT_RETRIES, OPT_RETRY_DELAY, OPT_HALT,
	OPT_GROUP, OPT_LINE_BUFFER, OPT_TAG, OPT_TAGSTRING, OPT_TMPDIR,
	OPT_QUIET, OPT_NOOP, OPT_RESULTS, OPT_JOBLOG, OPT_RESUME,
	OPT_RESUME_FAILED, OPT_RETRY_FAILED, OPT_REPORT, OPT_SUMMARY,
	OPT_PROGRESS, OPT_BAR, OPT_ETA, OPT_TOTAL, OPT_COMPARE, OPT_RUNS,
	OPT_STATS_FD,
};

static const char short_opts[] = "+:a:0d:C:n:N:XmL:s:E:rI:qvtj:P:kuhV";

static const struct option long_opts[] = {
	{ "arg-file",		required_argument, NULL, 'a' },
	{ "null",		no_argument,	   NULL, '0' },
	{ "delimiter",		required_argument, NULL, 'd' },
	{ "colsep",		required_argument, NULL, 'C' },
	{ "max-args",		required_argument, NULL, 'n' },
	{ "max-lines",		required_argument, NULL, 'L' },
	{ "max-chars",		required_argument, NULL, 's' },
	{ "no-run-if-empty",	no_argument,	   NULL, 'r' },
	{ "quote",		no_argument,	   NULL, 'q' },
	{ "verbose",		no_argument,	   NULL, 'v' },
	{ "jobs",		required_argument, NULL, 'j' },
	{ "max-procs",		required_argument, NULL, 'P' },
	{ "keep-order",		no_argument,	   NULL, 'k' },
	{ "ungroup",		no_argument,	   NULL, 'u' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "mode",		required_argument, NULL, OPT_MODE },
	{ "link",		no_argument,	   NULL, OPT_LINK },
	{ "xapply",		no_argument,	   NULL, OPT_LINK },
	{ "trim",		required_argument, NULL, OPT_TRIM },
	{ "header",		required_argument, NULL, OPT_HEADER },
	{ "arg-sep",		required_argument, NULL, OPT_ARG_SEP },
	{ "arg-file-sep",	required_argument, NULL, OPT_ARG_FILE_SEP },
	{ "shell",		optional_argument, NULL, OPT_SHELL },
	{ "no-shell",		no_argument,	   NULL, OPT_NO_SHELL },
	{ "dry-run",		no_argument,	   NULL, OPT_DRY_RUN },
	{ "delay",		required_argument, NULL, OPT_DELAY },
	{ "timeout",		required_argument, NULL, OPT_TIMEOUT },
	{ "termseq",		required_argument, NULL, OPT_TERMSEQ },
	{ "retries",		required_argument, NULL, OPT_RETRIES },
	{ "retry-delay",	required_argument, NULL, OPT_RETRY_DELAY },
	{ "halt",		required_argument, NULL, OPT_HALT },
	{ "halt-on-error",	required_argument, NULL, OPT_HALT },
	{ "group",		no_argument,	   NULL, OPT_GROUP },
	{ "line-buffer",	no_argument,	   NULL, OPT_LINE_BUFFER },
	{ "lb",			no_argument,	   NULL, OPT_LINE_BUFFER },
	{ "tag",		no_argument,	   NULL, OPT_TAG },
	{ "tagstring",		required_argument, NULL, OPT_TAGSTRING },
	{ "tmpdir",		required_argument, NULL, OPT_TMPDIR },
	{ "quiet",		no_argument,	   NULL, OPT_QUIET },
	{ "will-cite",		no_argument,	   NULL, OPT_NOOP },
	{ "no-notice",		no_argument,	   NULL, OPT_NOOP },
	{ "results",		required_argument, NULL, OPT_RESULTS },
	{ "res",		required_argument, NULL, OPT_RESULTS },
	{ "joblog",		required_argument, NULL, OPT_JOBLOG },
	{ "jl",			required_argument, NULL, OPT_JOBLOG },
	{ "resume",		no_argument,	   NULL, OPT_RESUME },
	{ "resume-failed",	no_argument,	   NULL, OPT_RESUME_FAILED },
	{ "retry-failed",	no_argument,	   NULL, OPT_RETRY_FAILED },
	{ "report",		required_argument, NULL, OPT_REPORT },
	{ "summary",		no_argument,	   NULL, OPT_SUMMARY },
	{ "progress",		no_argument,	   NULL, OPT_PROGRESS },
	{ "bar",		no_argument,	   NULL, OPT_BAR },
	{ "eta",		no_argument,	   NULL, OPT_ETA },
	{ "total",		required_argument, NULL, OPT_TOTAL },
	{ "total-jobs",		required_argument, NULL, OPT_TOTAL },
	{ "compare",		optional_argument, NULL, OPT_COMPARE },
	{ "runs",		required_argument, NULL, OPT_RUNS },
	/* Internal: how a --compare pass reports to its parent. */
	{ "stats-fd",		required_argument, NULL, OPT_STATS_FD },
	{ NULL,			0,		   NULL, 0 },
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
parse_jobs(struct config *cfg, const char *opt, const char *val)
{
	if (num_jobs(val, cpus(), &cfg->jobs, &cfg->jobs_unbounded) < 0)
		bad(opt, val, "is not a job count (use N, N%, +N, -N or 0)");
}

int
options_delim(const char *val, char *out)
{
	unsigned long v;

	if (val[0] == '\0')
		return -EINVAL;
	if (val[0] != '\\') {
		if (val[1] != '\0')
			return -EINVAL;
		*out = val[0];
		return 0;
	}
	switch (val[1]) {
	case 'n': v = '\n'; break;
	case 't': v = '\t'; break;
	case 'r': v = '\r'; break;
	case '\\': v = '\\'; break;
	case 'x':
		/* One or two hex digits, no sign and no blank. */
		if (strlen(val + 2) > 2 || num_radix(val + 2, 16, 255, &v) < 0)
			return -EINVAL;
		*out = (char)v;
		return 0;
	default:
		if (strlen(val + 1) > 3 || num_radix(val + 1, 8, 255, &v) < 0)
			return -EINVAL;
		*out = (char)v;
		return 0;
	}
	if (val[2] != '\0')
		return -EINVAL;
	*out = (char)v;
	return 0;
}

/* A delimiter: one byte, or an escape. */
static char
parse_delim(const char *opt, const char *val)
{
	char c;

	if (val[0] == '\0')
		bad(opt, val, "is empty (use -0 for NUL)");
	if (options_delim(val, &c) < 0)
		bad(opt, val, "is not one character or escape (\\n \\t \\0 "
		    "\\\\ \\NNN \\xHH)");
	return c;
}

static int
signal_number(const char *name)
{
	long v;
	int s;

	if (num_long(name, 1, NSIG - 1, &v) == 0)
		return (int)v;
	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (s = 1; s < NSIG; s++) {
		const char *abbrev = sigabbrev_np(s);

		if (abbrev != NULL && strcmp(abbrev, name) == 0)
			return s;
	}
	return -1;
}

int
options_termseq(const char *val, struct termstep *steps, size_t cap,
    size_t *nsteps)
{
	char *copy = xstrdup(val), *tok, *save = NULL;
	size_t n = 0;
	int i = 0, r = 0;
	long ms;

	for (tok = strtok_r(copy, ",", &save); tok != NULL && r == 0;
	    tok = strtok_r(NULL, ",", &save), i++) {
		if (i % 2 == 0) {
			if (n >= cap) {
				r = -E2BIG;
				break;
			}
			steps[n].signo = signal_number(tok);
			if (steps[n].signo < 0)
				r = -EINVAL;
			steps[n++].ms = 25;
		} else {
			if (num_long(tok, 0, 86400000, &ms) < 0)
				r = -EINVAL;
			else
				steps[n - 1].ms = (int)ms;
		}
	}
	free(copy);
	if (r == 0 && n == 0)
		r = -EINVAL;
	if (r == 0)
		*nsteps = n;
	return r;
}

static void
parse_termseq(struct config *cfg, const char *val)
{
	int r;

	r = options_termseq(val, cfg->termseq, ARRAY_SIZE(cfg->termseq),
	    &cfg->ntermseq);
	if (r == -E2BIG)
		bad("--termseq", val, "has too many steps");
	if (r < 0)
		bad("--termseq", val, "is not a termination sequence "
		    "(SIG,MS,SIG,MS,...: TERM,200,TERM,100,TERM,50,KILL,25)");
}

int
options_halt(const char *val, struct config *cfg)
{
	const char *p = val, *eq;
	char num[32];
	size_t len;
	long n;

	if (strcmp(val, "never") == 0 || strcmp(val, "0") == 0) {
		cfg->halt_when = HALT_NEVER;
		return 0;
	}
	/* GNU's old numeric forms. */
	if (strcmp(val, "1") == 0 || strcmp(val, "2") == 0) {
		cfg->halt_when = val[0] == '1' ? HALT_SOON : HALT_NOW;
		cfg->halt_what = HALT_FAIL;
		cfg->halt_count = 1;
		return 0;
	}
	if (strncmp(p, "now,", 4) == 0)
		cfg->halt_when = HALT_NOW, p += 4;
	else if (strncmp(p, "soon,", 5) == 0)
		cfg->halt_when = HALT_SOON, p += 5;
	else
		return -EINVAL;
	if (strncmp(p, "fail=", 5) == 0)
		cfg->halt_what = HALT_FAIL;
	else if (strncmp(p, "success=", 8) == 0)
		cfg->halt_what = HALT_SUCCESS;
	else if (strncmp(p, "done=", 5) == 0)
		cfg->halt_what = HALT_DONE;
	else
		return -EINVAL;
	eq = strchr(p, '=') + 1;
	len = strlen(eq);
	if (len == 0 || len >= sizeof(num))
		return -EINVAL;
	memcpy(num, eq, len + 1);
	if (num[len - 1] == '%') {
		num[len - 1] = '\0';
		if (num_long(num, 1, 100, &n) < 0)
			return -EINVAL;
		cfg->halt_pct = (double)n;
	} else {
		if (num_long(num, 1, LONG_MAX, &n) < 0)
			return -EINVAL;
		cfg->halt_count = n;
	}
	return 0;
}

static void
parse_halt(struct config *cfg, const char *val)
{
	if (options_halt(val, cfg) < 0)
		bad("--halt", val, "is not a halt rule (now|soon,fail|success|"
		    "done=N or N%, or never)");
}

/* --timeout N%: 10000 times the median is more than any run needs. */
#define TIMEOUT_PCT_MAX		1000000
#define TIMEOUT_PCT_MAX_S	"1000000"

static void
parse_timeout(struct config *cfg, const char *val)
{
	size_t len = strlen(val);
	int r;

	if (len > 1 && val[len - 1] == '%') {
		r = num_percent(val, TIMEOUT_PCT_MAX, &cfg->timeout_pct);
		if (r == -EINVAL)
			bad("--timeout", val,
			    "is not a duration or a percentage (2m, 200%)");
		if (r < 0)
			bad("--timeout", val, "is not a percentage above 0 "
			    "and at most " TIMEOUT_PCT_MAX_S "%");
		cfg->timeout_ns = 0;
		return;
	}
	cfg->timeout_ns = parse_duration("--timeout", val);
	cfg->timeout_pct = 0;
	if (cfg->timeout_ns == 0)
		bad("--timeout", val, "is zero (leave it out for no limit)");
}

static void
add_source(struct config *cfg, size_t *cap, struct source src)
{
	cfg->sources = xgrow(cfg->sources, cap, cfg->nsources + 1,
	    sizeof(*cfg->sources));
	cfg->sources[cfg->nsources++] = src;
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

/* $SHELL only when it speaks POSIX sh; our quoting is for sh. */
static const char *
posix_shell(const char *sh)
{
	static const char *const ok[] = {
		"sh", "bash", "dash", "ksh", "ksh93", "mksh", "pdksh", "zsh",
		"ash", "busybox", "yash", "posh", "lksh", "oksh",
	};
	const char *base;
	size_t i;

	if (sh == NULL || sh[0] != '/')
		return NULL;
	base = strrchr(sh, '/') + 1;
	for (i = 0; i < ARRAY_SIZE(ok); i++)
		if (strcmp(base, ok[i]) == 0 && access(sh, X_OK) == 0)
			return sh;
	return NULL;
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

/*
 * --stats-fd N: a descriptor our --compare parent opened for us.  It is
 * ours now: close-on-exec, so that no job inherits it.
 */
static int
parse_stats_fd(const char *val)
{
	long fd = parse_count("--stats-fd", val, 3);

	if (fd > INT_MAX || fcntl((int)fd, F_SETFD, FD_CLOEXEC) < 0)
		bad("--stats-fd", val, "is not an open descriptor");
	return (int)fd;
}

/* --compare=MODES: a comma-separated list of modes this binary has. */
static void
check_compare(const struct config *cfg)
{
	const char *p = cfg->compare, *end, *refused;
	char name[64];
	size_t n;

	refused = cfg->joblog ? "--joblog" : cfg->resume ? "--resume" :
	    cfg->retry_failed ? "--retry-failed" :
	    cfg->results ? "--results" : cfg->dry_run ? "--dry-run" :
	    cfg->summary ? "--summary" : cfg->progress ? "--progress" :
	    cfg->bar ? "--bar" : cfg->eta ? "--eta" : NULL;
	if (refused != NULL)
		util_die(0, "--compare cannot be combined with %s: the passes "
		    "discard the jobs' output and keep no log", refused);
	while (*p != '\0') {
		end = strchr(p, ',');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || n >= sizeof(name))
			break;
		memcpy(name, p, n);
		name[n] = '\0';
		if (exec_find(name) == NULL)
			break;
		p += n;
		if (*p == ',' && *++p == '\0')
			break;
	}
	if (*p != '\0' || (p > cfg->compare && p[-1] == ','))
		util_die(0, "--compare: '%s' is not a list of modes (choose "
		    "from %s, comma-separated)", cfg->compare, exec_names());
}

static void
check_reports(struct config *cfg)
{
	if (cfg->resume && cfg->joblog == NULL && cfg->results == NULL)
		util_die(0, "--resume%s needs --joblog FILE or --results DIR: "
		    "where the earlier run was recorded",
		    cfg->resume == 2 ? "-failed" : "");
	if (cfg->retry_failed && cfg->joblog == NULL)
		util_die(0, "--retry-failed needs --joblog FILE: the earlier "
		    "run's log");
	if (cfg->results != NULL && cfg->output == OUTPUT_UNGROUP)
		util_die(0, "--results does not work with -u: jobs would "
		    "write straight to the terminal (leave out -u)");
	if (cfg->compare != NULL)
		check_compare(cfg);
	if (cfg->retry_failed) {
		/* GNU: the command line and the input are ignored. */
		cfg->ncmd = 0;
		cfg->nsources = 0;
		cfg->header = 0;
		cfg->quote_cmd = 0;
	}
}

static void
check(struct config *cfg)
{
	struct stat st;

	if (exec_find(cfg->mode) == NULL)
		util_die(0, "--mode: no mode '%s' (choose %s)", cfg->mode,
		    exec_names());
	if (cfg->tag && cfg->output == OUTPUT_UNGROUP)
		util_die(0, "--tag does not work with -u: output is not "
		    "split into lines (use --line-buffer)");
	if (cfg->tagstring && cfg->output == OUTPUT_UNGROUP)
		util_die(0, "--tagstring does not work with -u: output is not "
		    "split into lines (use --line-buffer)");
	if (stat(cfg->tmpdir, &st) < 0)
		util_die(-errno, "--tmpdir: '%s'", cfg->tmpdir);
	if (!S_ISDIR(st.st_mode))
		util_die(0, "--tmpdir: '%s' is not a directory", cfg->tmpdir);
	if (cfg->ncmd == 0 && cfg->quote_cmd)
		util_die(0, "-q: there is no COMMAND to quote");
	check_reports(cfg);
}

void
options_parse(struct config *cfg, int argc, char **argv)
{
	const char *arg_sep = ":::", *file_sep = "::::", *psh;
	const char *runs_given = NULL;
	size_t cap = 0;
	struct source src;
	int c, idx, first, pass, i;

	defaults(cfg);
	cfg->argc = argc;
	cfg->argv = argv;
	cfg->not_passed = xcalloc((size_t)argc + 1, 1);
	opterr = 0;
	for (;;) {
		/* A long option starts a word: it spans [first, optind). */
		first = optind;
		pass = 1;
		if ((c = getopt_long(argc, argv, short_opts, long_opts, &idx))
		    == -1)
			break;
		switch (c) {
		case 'a':
			memset(&src, 0, sizeof(src));
			src.kind = SOURCE_FILE;
			src.path = optarg;
			add_source(cfg, &cap, src);
			break;
		case '0':
			cfg->delim = '\0';
			break;
		case 'd':
			cfg->delim = parse_delim("-d", optarg);
			break;
		case 'C':
			if (optarg[0] == '\0')
				bad("--colsep", optarg, "is empty");
			cfg->colsep = optarg;
			break;
		case 'n':
		case 'N':
			cfg->max_args = parse_count(c == 'n' ? "-n" : "-N",
			    optarg, 1);
			break;
		case 'X':
			cfg->xargs_fill = 1;
			cfg->context_replace = 1;
			break;
		case 'm':
			cfg->xargs_fill = 1;
			break;
		case 'L':
			cfg->max_lines = parse_count("-L", optarg, 1);
			break;
		case 's':
			cfg->max_chars = parse_count("-s", optarg, 1);
			break;
		case 'E':
			cfg->eof_str = optarg;
			break;
		case 'r':
			cfg->skip_empty = 1;
			break;
		case 'I':
			if (optarg[0] == '\0')
				bad("-I", optarg, "is empty");
			cfg->replace = optarg;
			break;
		case 'q':
			cfg->quote_cmd = 1;
			break;
		case 'v':
			cfg->verbose = 1;
			break;
		case 't':
			cfg->trace = 1;
			break;
		case 'j':
		case 'P':
			parse_jobs(cfg, c == 'j' ? "-j" : "-P", optarg);
			break;
		case 'k':
			cfg->keep_order = 1;
			break;
		case 'u':
			cfg->output = OUTPUT_UNGROUP;
			break;
		case 'h':
			fputs(usage_text, stdout);
			fputs(usage_tail, stdout);
			exit(0);
		case 'V':
			printf("fanout " FANOUT_VERSION "\n");
			exit(0);
		case OPT_MODE:
			cfg->mode = optarg;
			pass = 0;
			break;
		case OPT_LINK:
			cfg->link = 1;
			break;
		case OPT_TRIM:
			if (strcmp(optarg, "n") == 0)
				cfg->trim_left = cfg->trim_right = 0;
			else if (strcmp(optarg, "l") == 0)
				cfg->trim_left = 1;
			else if (strcmp(optarg, "r") == 0)
				cfg->trim_right = 1;
			else if (strcmp(optarg, "lr") == 0 ||
			    strcmp(optarg, "rl") == 0)
				cfg->trim_left = cfg->trim_right = 1;
			else
				bad("--trim", optarg, "is not l, r, lr or n");
			break;
		case OPT_HEADER:
			if (strcmp(optarg, ":") != 0)
				bad("--header", optarg, "is not ':' (the first "
				    "record of each source names its columns)");
			cfg->header = 1;
			break;
		case OPT_ARG_SEP:
		case OPT_ARG_FILE_SEP:
			if (optarg[0] == '\0')
				bad(c == OPT_ARG_SEP ? "--arg-sep" :
				    "--arg-file-sep", optarg, "is empty");
			if (c == OPT_ARG_SEP)
				arg_sep = optarg;
			else
				file_sep = optarg;
			break;
		case OPT_SHELL:
			cfg->shell_use = SHELL_ALWAYS;
			if (optarg != NULL) {
				if (optarg[0] == '\0')
					bad("--shell", optarg, "is empty");
				cfg->shell = optarg;
			}
			break;
		case OPT_NO_SHELL:
			cfg->shell_use = SHELL_NEVER;
			break;
		case OPT_DRY_RUN:
			cfg->dry_run = 1;
			break;
		case OPT_DELAY:
			cfg->delay_ns = parse_duration("--delay", optarg);
			break;
		case OPT_TIMEOUT:
			parse_timeout(cfg, optarg);
			break;
		case OPT_TERMSEQ:
			parse_termseq(cfg, optarg);
			break;
		case OPT_RETRIES:
			cfg->retries = parse_count("--retries", optarg, 0);
			break;
		case OPT_RETRY_DELAY:
			cfg->retry_delay_ns = parse_duration("--retry-delay",
			    optarg);
			break;
		case OPT_HALT:
			parse_halt(cfg, optarg);
			break;
		case OPT_GROUP:
			cfg->output = OUTPUT_GROUP;
			break;
		case OPT_LINE_BUFFER:
			cfg->output = OUTPUT_LINE;
			break;
		case OPT_TAG:
			cfg->tag = 1;
			break;
		case OPT_TAGSTRING:
			cfg->tagstring = optarg;
			break;
		case OPT_TMPDIR:
			if (optarg[0] == '\0')
				bad("--tmpdir", optarg, "is empty");
			cfg->tmpdir = optarg;
			break;
		case OPT_QUIET:
			cfg->quiet = 1;
			break;
		case OPT_NOOP:
			break;
		case OPT_RESULTS:
			if (optarg[0] == '\0')
				bad("--results", optarg, "is empty");
			cfg->results = optarg;
			break;
		case OPT_JOBLOG:
			cfg->joblog_append = optarg[0] == '+';
			cfg->joblog = optarg + cfg->joblog_append;
			if (cfg->joblog[0] == '\0')
				bad("--joblog", optarg, "names no file");
			break;
		case OPT_RESUME:
			if (cfg->resume == 0)
				cfg->resume = 1;
			break;
		case OPT_RESUME_FAILED:
			cfg->resume = 2;
			break;
		case OPT_RETRY_FAILED:
			cfg->retry_failed = 1;
			break;
		case OPT_REPORT:
			if (optarg[0] == '\0')
				bad("--report", optarg, "is empty (use - for "
				    "stderr)");
			cfg->report = optarg;
			pass = 0;
			break;
		case OPT_SUMMARY:
			cfg->summary = 1;
			break;
		case OPT_PROGRESS:
			cfg->progress = 1;
			break;
		case OPT_BAR:
			cfg->bar = 1;
			break;
		case OPT_ETA:
			cfg->eta = 1;
			break;
		case OPT_TOTAL:
			cfg->total = parse_count("--total", optarg, 0);
			break;
		case OPT_COMPARE:
			cfg->compare = optarg != NULL ? optarg : "";
			pass = 0;
			break;
		case OPT_RUNS:
			cfg->runs = parse_count("--runs", optarg, 1);
			runs_given = optarg;
			pass = 0;
			break;
		case OPT_STATS_FD:
			cfg->stats_fd = parse_stats_fd(optarg);
			pass = 0;
			break;
		case ':':
			util_die(0, "%s: expects a value (see fanout --help)",
			    argv[optind - 1]);
		default:
			if (optopt >= 256)
				util_die(0, "%s: takes no value", argv[optind - 1]);
			if (optopt != 0)
				util_die(0, "-%c: unknown option (see fanout "
				    "--help)", optopt);
			util_die(0, "%s: unknown option (see fanout --help)",
			    argv[optind - 1]);
		}
		for (i = first; !pass && i < optind; i++)
			cfg->not_passed[i] = 1;
	}
	if (runs_given != NULL && cfg->compare == NULL)
		bad("--runs", runs_given, "needs --compare");
	parse_rest(cfg, &cap, argc, argv, optind, arg_sep, file_sep);
	if (cfg->shell == NULL) {
		psh = getenv("PARALLEL_SHELL");
		if (psh != NULL && *psh != '\0')
			cfg->shell = psh;
		else if ((psh = posix_shell(getenv("SHELL"))) != NULL)
			cfg->shell = psh;
		else
			cfg->shell = "/bin/sh";
	}
	check(cfg);
}

void
options_free(struct config *cfg)
{
	free(cfg->sources);
	cfg->sources = NULL;
	free(cfg->not_passed);
	cfg->not_passed = NULL;
}
