/*
 * options_check: what no single option can check alone, once the whole
 * command line is read: options that exclude or need each other, the
 * mode and --tmpdir, and the job shell when none was given.  Each
 * problem exits 255 with a message naming the options.
 */
#include "options_table.h"
#include "exec.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	    cfg->progress ? "--progress" :
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
	if (cfg->resume && cfg->shuf)
		util_die(0, "--resume%s does not work with --shuf: a job's "
		    "number depends on the order it runs in",
		    cfg->resume == 2 ? "-failed" : "");
	if (cfg->retry_failed && cfg->joblog == NULL)
		util_die(0, "--retry-failed needs --joblog FILE: the earlier "
		    "run's log");
	if (cfg->files && cfg->output == OUTPUT_UNGROUP)
		util_die(0, "--files does not work with -u: jobs would write "
		    "straight to the terminal (leave out -u)");
	if (cfg->files && cfg->results != NULL)
		util_die(0, "--files and --results both say where output "
		    "goes: choose one");
	if (cfg->results != NULL && cfg->output == OUTPUT_UNGROUP)
		util_die(0, "--results does not work with -u: jobs would "
		    "write straight to the terminal (leave out -u)");
	if (cfg->compare != NULL)
		check_compare(cfg);
	/* GNU: with no log to read, there is nothing to retry instead. */
	if (cfg->retry_failed && strcmp(cfg->joblog, "-") == 0)
		cfg->retry_failed = 0;
	if (cfg->retry_failed) {
		/* GNU: the command line and the input are ignored. */
		cfg->ncmd = 0;
		cfg->nsources = 0;
		cfg->header = 0;
		cfg->header_tab = 0;
		cfg->quote_cmd = 0;
	}
}

/* Whether name[0, n) stands as a word of the command's text. */
static int
names_word(const struct config *cfg, const char *name, size_t n)
{
	static const char stop[] = " \t\n;&|()<>`'\"{}$=!";
	const char *w, *at;
	size_t i;

	for (i = 0; i < cfg->ncmd; i++) {
		for (w = cfg->cmd[i]; (at = strstr(w, name)) != NULL;
		    w = at + 1) {
			if ((at == cfg->cmd[i] || strchr(stop, at[-1])) &&
			    (at[n] == '\0' || strchr(stop, at[n])))
				return 1;
		}
	}
	return 0;
}

/*
 * Whether the command calls a function exported from bash (export -f
 * puts BASH_FUNC_name%% in the environment; older bash, name()).  With
 * no command the input lines are the commands: any such function may
 * be called.
 */
static int
calls_bash_function(const struct config *cfg)
{
	const char *e, *end;
	char *name;
	size_t i;
	int used;

	for (i = 0; environ[i] != NULL; i++) {
		e = environ[i];
		if (strncmp(e, "BASH_FUNC_", 10) != 0 ||
		    ((end = strstr(e, "%%=")) == NULL &&
		    (end = strstr(e, "()=")) == NULL) || end == e + 10)
			continue;
		if (cfg->ncmd == 0)
			return 1;
		name = xmemdup(e + 10, (size_t)(end - e - 10));
		used = names_word(cfg, name, strlen(name));
		free(name);
		if (used)
			return 1;
	}
	return 0;
}

/*
 * --shell, else PARALLEL_SHELL, else $SHELL when it speaks sh, else
 * /bin/sh; but for a command that calls an exported bash function,
 * bash, whatever $SHELL is (zsh, fish, none under cron).
 */
static void
default_shell(struct config *cfg)
{
	const char *psh;
	char *bash;

	if (cfg->shell != NULL)
		return;
	psh = getenv("PARALLEL_SHELL");
	if (psh != NULL && *psh != '\0') {
		cfg->shell = psh;
		return;
	}
	if ((psh = posix_shell(getenv("SHELL"))) != NULL)
		cfg->shell = psh;
	else
		cfg->shell = "/bin/sh";
	if (strcmp(strrchr(cfg->shell, '/') + 1, "bash") != 0 &&
	    calls_bash_function(cfg) && (bash = util_which("bash")) != NULL)
		cfg->shell = cfg->shell_found = bash;
}

/*
 * --onall makes each job once per host; --nonall is --onall with one
 * job that takes no argument.
 */
static void
check_onall(struct config *cfg)
{
	static char *const none[] = { (char *)"" };
	size_t cap = cfg->nsources;

	if (!cfg->onall && !cfg->nonall)
		return;
	if (cfg->logins.n == 0 && cfg->loginfiles.n == 0)
		util_die(0, "--%s runs on the hosts of -S: give some",
		    cfg->nonall ? "nonall" : "onall");
	if (cfg->pipe)
		util_die(0, "--pipe's blocks go to one host each: --onall and "
		    "--nonall do not go with it");
	if (!cfg->nonall)
		return;
	if (cfg->nsources > 0)
		util_die(0, "--nonall takes no input: ':::' and '::::' do not "
		    "go with it (use --onall)");
	if (cfg->ncmd == 0)
		util_die(0, "--nonall needs a command");
	cfg->onall = 1;
	cfg->no_args = 1;
	options_add_source(cfg, &cap, (struct source){ .kind = SOURCE_ARGS,
	    .words = none, .nwords = 1 });
}

/* --semaphore runs one command, or with --wait none. */
static void
check_semaphore(const struct config *cfg)
{
	if (cfg->nsources > 0)
		util_die(0, "--semaphore runs one command: ':::' and '::::' "
		    "do not go with it");
	if (cfg->jobs_unbounded)
		util_die(0, "--semaphore: -j 0 would bound nothing: give a "
		    "number of slots");
	if (cfg->ncmd == 0 && !cfg->sem_wait)
		util_die(0, "--semaphore needs a command (or --wait)");
}

static void
pipe_separator(const struct config *cfg, const char *name, const char *arg,
    char **out, size_t *len)
{
	if (cfg->regexp) {
		*out = xstrdup(arg);
		*len = strlen(arg);
	} else if (options_unescape(arg, out, len) < 0)
		util_die(0, "%s: '%s' has an escape fanout does not know "
		    "(\\n \\t \\r \\\\ \\NNN \\xHH)", name, arg);
}

/*
 * --pipe: what the stream is, where records end, and what does not go
 * with it; without it, its options would do nothing: say so.
 */
static void
check_pipe(struct config *cfg)
{
	const char *refused;

	if (cfg->pipepart)
		cfg->pipe = 1;
	if (cfg->blocks_per_slot > 0 && !cfg->pipepart)
		util_die(0, "--block: '-%ld' is negative: --pipe's blocks are "
		    "a size (N blocks a job slot, -N, is --pipepart's)",
		    cfg->blocks_per_slot);
	if (!cfg->pipe) {
		refused = cfg->block_size != 0 ? "--block" :
		    cfg->recend_arg ? "--recend" :
		    cfg->recstart_arg ? "--recstart" :
		    cfg->regexp ? "--regexp" : cfg->rrs ? "--rrs" :
		    cfg->pipe_cat ? "--cat" : cfg->pipe_fifo ? "--fifo" :
		    cfg->round_robin ? "--round-robin" :
		    cfg->tee ? "--tee" : NULL;
		if (refused != NULL)
			util_die(0, "%s works with --pipe only", refused);
		/* GNU parallel reads one line, whatever N says. */
		if (cfg->header_records > 1)
			util_warn(0, "--header %ld: outside --pipe the header "
			    "is the first record of each source; the next "
			    "ones are values", cfg->header_records);
		return;
	}
	refused = cfg->xargs_fill ? (cfg->context_replace ? "-X" : "-m") :
	    cfg->shuf ? "--shuf" : cfg->colsep ? "--colsep" :
	    cfg->csv ? "--csv" : cfg->retry_failed ? "--retry-failed" :
	    cfg->no_args ? "-N0" : !options_delim_newline(cfg) ? "-0 or -d" :
	    cfg->semaphore ? "--semaphore" : NULL;
	if (refused != NULL)
		util_die(0, "--pipe does not go with %s: a block of records "
		    "is one job's standard input%s", refused,
		    !options_delim_newline(cfg) ? " (--recend says where records end)" :
		    "");
	if (cfg->block_size == 0)
		cfg->block_size = 1 << 20;
	if (cfg->nsources > 0 && cfg->sources[0].kind == SOURCE_FILE) {
		/* -a FILE or :::: FILE is the stream, as GNU has it. */
		if (strcmp(cfg->sources[0].path, "-") != 0)
			cfg->pipe_path = cfg->sources[0].path;
		memmove(cfg->sources, cfg->sources + 1,
		    --cfg->nsources * sizeof(*cfg->sources));
	}
	if (cfg->pipe_cat && cfg->pipe_fifo)
		util_die(0, "--cat and --fifo do not go together: {} is "
		    "either the block's file or a named pipe");
	if (cfg->round_robin && (cfg->pipe_cat || cfg->pipe_fifo))
		util_die(0, "--round-robin does not go with %s: its jobs "
		    "read their blocks one after another on stdin",
		    cfg->pipe_cat ? "--cat" : "--fifo");
	if (cfg->tee && (cfg->round_robin || cfg->pipe_cat ||
	    cfg->pipe_fifo))
		util_die(0, "--tee does not go with %s: each of its jobs "
		    "reads the whole stream on stdin", cfg->round_robin ?
		    "--round-robin" : cfg->pipe_cat ? "--cat" : "--fifo");
	if (cfg->tee && cfg->nsources == 0)
		util_die(0, "--tee needs ::: values (or :::: FILE after the "
		    "stream's): one job for each, every job given the whole "
		    "stream");
	if ((cfg->pipe_cat || cfg->pipe_fifo) && cfg->nsources > 0)
		util_die(0, "%s names the block's %s {}: ':::' values "
		    "do not go with it", cfg->pipe_cat ? "--cat" : "--fifo",
		    cfg->pipe_cat ? "file" : "named pipe");
	if (cfg->recend_arg == NULL && cfg->recstart_arg == NULL)
		cfg->recend_arg = "\n";
	if (cfg->pipepart) {
		refused = cfg->pipe_path == NULL ? "standard input" :
		    cfg->regexp ? "--regexp" : cfg->rrs ? "--rrs" :
		    cfg->max_args > 0 ? "-N" : cfg->max_lines > 0 ? "-L" :
		    NULL;
		if (refused != NULL)
			util_die(0, "--pipepart does not go with %s: it cuts "
			    "the file of -a FILE (or :::: FILE) at literal "
			    "--recend and --recstart (use --pipe)", refused);
	}
	if (cfg->recend_arg != NULL)
		pipe_separator(cfg, "--recend", cfg->recend_arg,
		    &cfg->recend, &cfg->recend_len);
	if (cfg->recstart_arg != NULL)
		pipe_separator(cfg, "--recstart", cfg->recstart_arg,
		    &cfg->recstart, &cfg->recstart_len);
	if (cfg->header_re != NULL)
		util_die(0, "--header '%s': --pipe takes ':' or a number of "
		    "records atop each block, not a regular expression",
		    cfg->header_re);
	cfg->pipe_header = cfg->header_records;
	cfg->header = 0;
	cfg->header_tab = 0;
}

/*
 * --compress picks the first of GNU parallel's list that is installed,
 * in GNU's order and with its options, else cat; --compress-program
 * alone implies --compress and PRG -dc to decompress, as in GNU.
 */
static void
check_compress(struct config *cfg)
{
	static const char *const progs[] = {
		"pzstd", "lbzip2", "pbzip2", "zstd", "pixz", "lz4", "pigz",
		"lzop", "plzip", "lzip", "gzip", "lrz", "pxz", "bzip2",
		"lzma", "xz", "clzip",
	};
	struct buf b = { 0 };
	const char *found = "cat";
	char *path;
	size_t i;

	if (cfg->compress_program != NULL || cfg->decompress_program != NULL)
		cfg->compress = 1;
	if (!cfg->compress)
		return;
	if (cfg->compress_program == NULL) {
		for (i = 0; i < ARRAY_SIZE(progs); i++)
			if ((path = util_which(progs[i])) != NULL) {
				free(path);
				found = progs[i];
				break;
			}
		if (strcmp(found, "cat") == 0)
			buf_adds(&b, "cat");
		else
			buf_addf(&b, "%s -c -1", found);
		cfg->compress_program = cfg->compress_made[0] = xstrdup(b.p);
		if (cfg->decompress_program == NULL &&
		    strcmp(found, "cat") == 0)
			cfg->decompress_program = "cat";
	}
	if (cfg->decompress_program == NULL) {
		buf_clear(&b);
		if (cfg->compress_made[0] != NULL)
			buf_addf(&b, "%s -dc", found);
		else
			buf_addf(&b, "%s -dc", cfg->compress_program);
		cfg->decompress_program = cfg->compress_made[1] =
		    xstrdup(b.p);
	}
	buf_free(&b);
}

void
options_check(struct config *cfg)
{
	struct stat st;

	default_shell(cfg);
	check_pipe(cfg);
	check_onall(cfg);
	/* As GNU parallel: -N replaces in context, -L too unless with -m. */
	if (cfg->args_context || (cfg->lines_context && !cfg->xargs_fill))
		cfg->context_replace = 1;
	/* --sshdelay spaces the ssh starts, which are the job starts. */
	if (cfg->sshdelay_ns > cfg->delay_ns)
		cfg->delay_ns = cfg->sshdelay_ns;
	if (cfg->semaphore) {
		check_semaphore(cfg);
		return;
	}
	if (exec_find(cfg->mode) == NULL)
		util_die(0, "%s: no mode '%s' (choose %s)", cfg->mode_from_env ?
		    "FANOUT_MODE" : "--mode", cfg->mode, exec_names());
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
	/* GNU parallel: --colsep trims columns unless --trim says. */
	if (cfg->colsep != NULL && !cfg->csv && !cfg->trim_set)
		cfg->trim_left = cfg->trim_right = 1;
	check_reports(cfg);
	check_compress(cfg);
}

