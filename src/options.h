/*
 * options: the command line and environment, parsed once into a struct
 * config that every other module reads and none writes.  Parsing stops
 * at the first word that is not one of ours (or after "--"): that word
 * starts COMMAND, whose own flags are never taken as options.  The input
 * separators (":::", "::::", ":::+", "::::+", or what --arg-sep and
 * --arg-file-sep name) end COMMAND and start input sources.
 *
 * Every malformed value is reported here, naming the option, and fanout
 * exits 255 before any job starts.
 */
#ifndef FANOUT_OPTIONS_H
#define FANOUT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>

enum output_mode {
	OUTPUT_GROUP,		/* whole job output at its end (default) */
	OUTPUT_LINE,		/* --line-buffer: whole lines as they come */
	OUTPUT_UNGROUP,		/* -u: jobs write straight to our stdout */
};

enum shell_use {
	SHELL_AUTO,		/* direct exec when provably equivalent */
	SHELL_ALWAYS,		/* --shell with no value */
	SHELL_NEVER,		/* --no-shell */
};

enum source_kind {
	SOURCE_STDIN,		/* lines of standard input (no source given) */
	SOURCE_ARGS,		/* ::: words */
	SOURCE_FILE,		/* ::::, -a, --arg-file; "-" is stdin */
};

struct source {
	enum source_kind kind;
	int		 linked;	/* :::+ or ::::+: pair with the previous */
	const char	*path;		/* SOURCE_FILE */
	char *const	*words;		/* SOURCE_ARGS: points into argv */
	size_t		 nwords;
};

enum halt_when { HALT_NEVER, HALT_SOON, HALT_NOW };
enum halt_what { HALT_FAIL, HALT_SUCCESS, HALT_DONE };

/* A list of option values, in the order given. */
struct strlist {
	const char	**v;
	size_t		 n, cap;
};

struct termstep {
	int	signo;
	int	ms;		/* wait this long before the next step */
};

struct config {
	/* Execution. */
	const char	*mode;		/* "async", "thread", "process" */
	int		 mode_from_env;	/* the mode is FANOUT_MODE's */
	long		 jobs;		/* >= 1 after resolution */
	int		 jobs_unbounded;	/* -j 0 */
	int		 jobs_given;	/* -j was given */
	const char	*jobs_file;	/* -j FILE: re-read as jobs end */
	const char	*jobs_arg;	/* -j as given, for -S hosts' CPUs */
	long		 ncpu;		/* the CPUs -j and --load count */
	double		 max_load;	/* --load; 0 = none */
	int64_t		 memfree;	/* --memfree, bytes; 0 = none */
	int		 nice;		/* --nice N */
	int		 nice_given;
	int64_t		 delay_ns;	/* --delay */
	int		 delay_auto;	/* --delay DURauto: tuned by results */

	/* Input. */
	struct source	*sources;
	size_t		 nsources;
	int		 link;		/* --link: all sources linked */
	char		*delim;		/* record end: "\n", or -0, -d */
	size_t		 delimlen;	/* its bytes, at least 1 */
	int		 delim_given;	/* -d: -0 does not change it */
	const char	*colsep;	/* --colsep, NULL if none */
	int		 csv;		/* --csv: RFC 4180 records, fields */
	long		 max_args;	/* -n/-N; 0 = one record per job */
	int		 no_args;	/* -N0: each job's record unused */
	int		 shuf;		/* --shuf: jobs in random order */

	/* --pipe: the blocks of a stream, each one job's stdin. */
	int		 pipe;
	int		 pipepart;	/* --pipepart: pipe_path's ranges */
	long		 blocks_per_slot;	/* --pipepart --block -N */
	const char	*pipe_path;	/* the stream's file; NULL: stdin */
	size_t		 block_size;	/* --block */
	const char	*recend_arg;	/* --recend as given, or NULL */
	const char	*recstart_arg;
	char		*recend;	/* the bytes (an ERE under --regexp) */
	size_t		 recend_len;
	char		*recstart;
	size_t		 recstart_len;
	int		 regexp;	/* --regexp */
	int		 rrs;		/* --rrs */
	int		 pipe_cat;	/* --cat: the block in a file, {} */
	int		 pipe_fifo;	/* --fifo: the block in a fifo, {} */
	int		 round_robin;	/* --round-robin: -j jobs share blocks */
	int		 tee;		/* --tee: every job reads the stream */
	long		 pipe_header;	/* --header: records atop each block */
	long		 header_records;	/* --header N; ':', REGEX: 1 */
	const char	*header_re;	/* --header REGEX, else NULL */

	/* --semaphore, or run as sem. */
	int		 semaphore;
	const char	*sem_id;	/* --id, NULL if none */
	int		 sem_fg;	/* --fg */
	int		 sem_wait;	/* --wait */
	int64_t		 sem_timeout_ns;	/* --semaphoretimeout; 0 none */
	int		 xargs_fill;	/* -m or -X: pack records per job */
	int		 context_replace;	/* -X, -N; -L without -m */
	int		 args_context;	/* -N given */
	long		 max_lines;	/* -L; 0 = unset */
	int		 lines_context;	/* -L given */
	long		 max_chars;	/* -s; 0 = system limit */
	int		 show_limits;	/* --show-limits */
	const char	*eof_str;	/* -E, NULL if none */
	int		 trim_left, trim_right;	/* --trim */
	int		 trim_set;	/* --trim given, else as --colsep says */
	int		 header;	/* --header but 0: first records name */
	int		 header_tab;	/* --header: values split at TAB */
	int		 skip_first_line; /* of the first source */
	int		 skip_empty;	/* -r */
	long		 total;		/* --total; -1 unknown */

	/* Command. */
	char *const	*cmd;		/* COMMAND words, ncmd of them */
	size_t		 ncmd;
	const char	*replace;	/* -I, default "{}" */
	/*
	 * What stands for {.} {/} {/.} {//} {#} {%}, in this order (--er,
	 * --bnr, --bner, --dnr, --seqreplace, --slotreplace); NULL: itself.
	 */
	const char	*renamed[6];
	int		 quote_cmd;	/* -q */
	int		 plus;		/* --plus */
	const char	*process_slot_var;	/* NAME=slot-1 in jobs */
	const char	**env;		/* --env NAMEs, nenv of them */
	size_t		 nenv;
	enum shell_use	 shell_use;
	const char	*shell;		/* job shell program */
	char		*shell_found;	/* shell when fanout looked it up */
	int		 dry_run;
	int		 open_tty;	/* -o: jobs read the terminal */
	int		 verbose;	/* -v: command on stdout, grouped */
	int		 trace;		/* -t: command on stderr at start */

	/* -S: remote hosts. */
	struct strlist	 logins;	/* -S values, each a comma list */
	struct strlist	 loginfiles;	/* --sshloginfile */
	const char	*ssh;		/* --ssh: the program and options */
	int64_t		 sshdelay_ns;
	const char	*workdir;	/* --workdir; "..." a fresh one */
	struct strlist	 sends;		/* --transferfile; {} for --transfer */
	struct strlist	 returns;	/* --return */
	struct strlist	 basefiles;	/* --basefile */
	int		 cleanup;	/* --cleanup */
	int		 filter_hosts;
	int		 onall;		/* --onall: each job on every host */
	int		 nonall;	/* --nonall: the command on every host */

	/* Output. */
	enum output_mode output;
	int		 keep_order;	/* -k */
	int		 tag;		/* --tag */
	const char	*tagstring;	/* --tagstring, NULL if none */
	const char	*tmpdir;
	const char	*results;	/* --results DIR */
	int		 files;		/* --files: stdout to kept files */
	int		 compress;	/* --compress: spilled output */
	const char	*compress_program;	/* NULL: the first found */
	const char	*decompress_program;	/* NULL: its -dc */
	char		*compress_made[2];	/* what options_check made */

	/* Failures. */
	int64_t		 timeout_ns;	/* 0 = none */
	double		 timeout_pct;	/* --timeout N%; 0 = none */
	struct termstep	 termseq[16];
	size_t		 ntermseq;
	long		 retries;	/* attempts in all; 0 = unlimited */
	int64_t		 retry_delay_ns;
	enum halt_when	 halt_when;
	enum halt_what	 halt_what;
	long		 halt_count;	/* N, or... */
	double		 halt_pct;	/* ...N% when > 0 */
	int		 quiet;

	/* Reports. */
	const char	*joblog;	/* NULL if none */
	int		 joblog_append;	/* --joblog +FILE */
	int		 resume;	/* 1 --resume, 2 --resume-failed */
	int		 retry_failed;
	const char	*report;	/* --report FILE, "-" = stderr */
	int		 summary;
	int		 progress;	/* --progress */
	int		 bar;		/* --bar */
	int		 eta;		/* --eta */
	const char	*compare;	/* --compare[=MODES], NULL if none */
	long		 runs;		/* --runs */
	int		 stats_fd;	/* a --compare pass's report; -1 */

	/*
	 * The command line, for --compare's passes: argv[0..argc), and
	 * which words are ours alone (--compare, --runs, --report, --mode
	 * and their values), not passed on.
	 */
	int		 argc;
	char		**argv;
	unsigned char	*not_passed;	/* argc flags */
};

/*
 * Parse argv into cfg.  Exits 255 with a message on bad input, and 0
 * after printing --help or --version.
 */
void	options_parse(struct config *cfg, int argc, char **argv);
void	options_free(struct config *cfg);
/* Append s, not copied, to l; free l's array. */
void	strlist_add(struct strlist *l, const char *s);
void	strlist_free(struct strlist *l);

/*
 * The parsers of single option values that options_parse uses, exposed
 * so that they can be tested alone (numbers, durations and -j are in
 * num.h).  Pure: each returns 0 and fills its
 * outputs, or -EINVAL (the outputs then unspecified) and prints nothing.
 */
/*
 * -d: one byte or more, each a byte or \n \t \r \\ \NNN (octal) \xH
 * or \xHH, into *out (allocated, *len bytes and a NUL).
 */
int	options_delim(const char *s, char **out, size_t *len);
/* Whether records end at a newline, as without -0 or -d. */
int	options_delim_newline(const struct config *);
/*
 * --recend, --recstart: bytes and the escapes -d takes, into *out
 * (allocated, NUL-ended, *len bytes before the NUL).
 */
int	options_unescape(const char *s, char **out, size_t *len);
/*
 * --termseq: SIG,MS,SIG,MS,... (a signal name, with or without SIG, or
 * number; then milliseconds, 25 when left out) into steps[0..cap);
 * -E2BIG when there are more than cap steps.
 */
int	options_termseq(const char *s, struct termstep *steps, size_t cap,
	    size_t *n);
/*
 * --halt: never, 0, 1, 2, -1, -2, or now|soon,fail|success|done=N|N% into cfg's
 * halt_when, halt_what, and halt_count or halt_pct.
 */
int	options_halt(const char *s, struct config *cfg);

#endif
