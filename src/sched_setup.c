/*
 * sched_setup: building a run from the options, and taking it down.
 * The input, the templates, the reports and the output policy are made
 * in the order their errors should be seen; then how many jobs may run
 * at once, against the descriptor and process limits, and the engine.
 * A setup that cannot succeed ends fanout here, before any job runs.
 */
#include "sched_setup.h"
#include "budget.h"
#include "exec.h"
#include "feed.h"
#include "input.h"
#include "options.h"
#include "order.h"
#include "remote.h"
#include "report.h"
#include "results.h"
#include "sig.h"
#include "spawn.h"
#include "spool.h"
#include "tee.h"
#include "tmpl.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>

/*
 * Only jobs of the asked fit in the limit of what.  Not said under a -j
 * FILE, whose count is checked against the fit as it is read, nor under
 * --tee, which then refuses to run (fit_jobs()).
 */
static void
warn_fit(const struct sched *s, long asked, long jobs, const char *what,
    unsigned long long limit)
{
	if (s->cfg->jobs_file == NULL && !s->teeing)
		util_warn(0, "-j %ld: only %ld job%s fit%s in the %s limit "
		    "(%llu); running %ld at once", s->cfg->jobs_unbounded ?
		    0 : asked, jobs, jobs == 1 ? "" : "s", jobs == 1 ? "s" : "",
		    what, limit, jobs);
}

/*
 * Under a process limit, each job costs its engine's tasks.  Past it the
 * engine's own workers would leave the jobs no room, and no waiting
 * would cure that: run fewer, or none.
 */
static long
fit_procs(struct sched *s, long jobs)
{
	unsigned long long limit;
	long fit, used;
	/* --compress: a compressor for each of its two held streams. */
	int tasks = s->ops->job_tasks + (s->cfg->compress ? 2 : 0);

	fit = budget_procs(jobs, tasks, &limit, &used);
	if (fit == 0)
		util_die(0, "the process limit (%llu) leaves no room for a "
		    "job: the user has %ld processes and threads, and a job "
		    "needs %d more; raise it (ulimit -u)", limit, used,
		    tasks);
	if (fit < jobs)
		warn_fit(s, jobs, fit, "process", limit);
	return fit;
}

/* --transferfile and --return, compiled as --tagstring is. */
static struct tmpl **
compile_paths(const struct config *cfg, const struct strlist *l,
    const char *what, const char *const *names, size_t nnames)
{
	struct tmpl **t = xcalloc(l->n + 1, sizeof(*t));
	char err[512];
	size_t i;

	for (i = 0; i < l->n; i++)
		if (tmpl_compile_text(&t[i], l->v[i], cfg, names, nnames, err,
		    sizeof(err)) < 0)
			util_die(0, "%s: %s", what, err);
	return t;
}

static void
setup_remote(struct sched *s, const struct config *cfg,
    const char *const *names, size_t nnames)
{
	struct job_maker *m = &s->maker;

	m->remote = s->remote;
	m->sends = compile_paths(cfg, &cfg->sends, "--transferfile", names,
	    nnames);
	m->nsends = cfg->sends.n;
	m->returns = compile_paths(cfg, &cfg->returns, "--return", names,
	    nnames);
	m->nreturns = cfg->returns.n;
}

static void
free_paths(struct tmpl **t, size_t n)
{
	size_t i;

	for (i = 0; t != NULL && i < n; i++)
		tmpl_free(t[i]);
	free(t);
}

/*
 * --results NAME with replacement strings is expanded for each job, as
 * GNU parallel does; a plain directory keeps the DIR/<seq>/ layout, and
 * a table's name is taken as it is (GNU's).
 */
static void
setup_results_name(struct sched *s, const struct config *cfg,
    const char *const *names, size_t nnames)
{
	char err[512];

	if (cfg->results == NULL || results_kind(cfg->results) != RESULTS_DIR)
		return;
	if (tmpl_compile_text(&s->restmpl, cfg->results, cfg, names, nnames,
	    err, sizeof(err)) < 0)
		util_die(0, "--results: %s", err);
	if (!tmpl_has_reps(s->restmpl)) {
		tmpl_free(s->restmpl);
		s->restmpl = NULL;
	} else if (cfg->resume && cfg->joblog == NULL)
		util_die(0, "--resume cannot tell which jobs a --results name "
		    "with replacement strings saved: give --joblog FILE");
}

/*
 * --show-limits: xargs' lines, on stderr as xargs has them, so that
 * stdout stays the jobs' own; then the run goes on as usual.
 */
static void
show_limits(const struct tmpl *t, const struct config *cfg)
{
	struct budget_limits bl;

	budget_limits(t, cfg, &bl);
	fprintf(stderr, "Your environment variables take up %zu bytes\n"
	    "POSIX upper limit on argument length (this system): %zu\n"
	    "POSIX smallest allowable upper limit on argument length "
	    "(all systems): %d\n"
	    "Maximum length of command we could actually use: %zu\n"
	    "Size of command buffer we are actually using: %zu\n"
	    "Maximum parallelism (--max-procs must be no greater): %d\n",
	    bl.env, bl.system, _POSIX_ARG_MAX, bl.usable, bl.used,
	    BUDGET_JOBS_MAX);
	if (isatty(0))
		fputs("\nExecution of fanout will continue now, and it will "
		    "try to read its input\nand run commands; if this is "
		    "not what you wanted to happen, please\ntype the "
		    "end-of-file keystroke.\n", stderr);
}

/*
 * fanout itself, before anything else: --nice for every job and worker
 * to inherit, /dev/null and the terminal for the jobs, the signals.
 */
static void
setup_process(const struct config *cfg)
{
	int r;

	/* --nice: fanout itself, so that every job and worker inherits it. */
	if (cfg->nice_given && setpriority(PRIO_PROCESS, 0, cfg->nice) < 0)
		util_warn(-errno, "--nice %d: running at niceness %d", cfg->nice,
		    getpriority(PRIO_PROCESS, 0));
	if ((r = spawn_init(cfg->shell)) < 0)
		util_die(r, "cannot open /dev/null");
	/* As GNU parallel: without a terminal, jobs read /dev/null. */
	if (cfg->open_tty)
		(void)spawn_open_tty();
	if ((r = sig_init()) < 0)
		util_die(r, "cannot set up signal handling");
}

/*
 * The input, and the templates compiled against its names (returned,
 * *nnames of them): COMMAND, --tagstring, --results NAME.  The input is
 * read whole when a count of all jobs is needed.
 */
static const char *const *
setup_input(struct sched *s, const struct config *cfg, size_t *nnames)
{
	const char *msg = NULL, *const *names;
	char err[512];
	int r;

	if (cfg->resume && cfg->joblog == NULL && cfg->results != NULL &&
	    results_kind(cfg->results) != RESULTS_DIR)
		util_die(0, "--resume cannot read a --results table back: "
		    "give --joblog FILE or --results DIR");
	if ((r = input_open(&s->input, cfg, &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s",
		    msg ? msg : "cannot read input");
	names = input_names(s->input, nnames);
	if ((r = tmpl_compile(&s->tmpl, cfg, names, *nnames, err,
	    sizeof(err))) < 0)
		util_die(0, "%s", err);
	budget_set_args(&s->xcount, s->input, s->tmpl, cfg);
	if (cfg->show_limits)
		show_limits(s->tmpl, cfg);
	if (cfg->tagstring != NULL && (r = tmpl_compile_text(&s->tagtmpl,
	    cfg->tagstring, cfg, names, *nnames, err, sizeof(err))) < 0)
		util_die(0, "--tagstring: %s", err);
	setup_results_name(s, cfg, names, *nnames);
	/* A --halt percentage is of all jobs, as GNU's: count them first. */
	if ((cfg->shuf || cfg->halt_pct > 0 || tmpl_needs_total(s->tmpl) ||
	    (s->tagtmpl && tmpl_needs_total(s->tagtmpl)) ||
	    (s->restmpl && tmpl_needs_total(s->restmpl))) &&
	    (r = input_slurp(s->input)) < 0)
		util_die(r, "cannot read input");
	return names;
}

/* The run's total and start, and the reports that learn them. */
static void
setup_reports(struct sched *s, const struct config *cfg)
{
	const char *msg = NULL;
	struct stat st;
	int r;

	s->st.total = cfg->total >= 0 ? cfg->total : input_total(s->input);
	s->st.start_ns = clock_mono_ns();
	s->watch_stdout = fstat(1, &st) == 0 && S_ISFIFO(st.st_mode);
	if ((r = report_new(&s->report, cfg, input_count(s->input),
	    &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s", msg);
}

/* --load's and --memfree's sources, read once to check them. */
static void
setup_res(struct sched *s, const struct config *cfg)
{
	const char *msg = NULL;
	int r;

	if ((r = res_init(&s->res, cfg, &msg)) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s: cannot read %s from '%s'",
		    msg == s->res.load_path ? "--load" : "--memfree",
		    msg == s->res.load_path ? "the load average" :
		    "the available memory", msg);
}

/* -S's hosts, connected: jobs at once is their slots; else -j's. */
static long
setup_hosts(struct sched *s, const struct config *cfg)
{
	char err[512];
	int r;

	/* --dry-run prints the jobs' own lines: it needs no host. */
	if (!cfg->dry_run && (r = remote_open(&s->remote, cfg, err,
	    sizeof(err))) < 0)
		util_die(r == -EINVAL ? 0 : r, "%s", err);
	if (s->remote == NULL)
		return cfg->jobs;
	if (remote_connect(s->remote) < 0) {
		remote_close(s->remote);
		util_die(0, "-S: no host answers: nothing can run");
	}
	return remote_slots(s->remote);
}

/*
 * --tee: every job reads the whole stream, so all must run at once (a
 * job started late would miss its start): by default as many slots as
 * jobs; fewer, asked for, is an error before anything starts, as GNU
 * parallel's.
 */
static long
tee_jobs(const struct sched *s, long jobs)
{
	const struct config *cfg = s->cfg;
	long total = s->st.total > 0 ? s->st.total : 1;

	if (cfg->jobs_unbounded || (!cfg->jobs_given && s->remote == NULL))
		return total;
	if (jobs < total)
		util_die(0, "--tee: its %ld jobs each read the whole stream, "
		    "all at once: %s %ld is too few (leave -j out, or give "
		    "-j 0)", total, s->remote != NULL ? "-S's slots are" :
		    "-j", jobs);
	return jobs;
}

/* --tee: the writer, and the stream it copies. */
static void
tee_open(struct sched *s, const struct config *cfg)
{
	int fd = 0, r;

	if (cfg->pipe_path != NULL &&
	    (fd = open(cfg->pipe_path, O_RDONLY | O_CLOEXEC)) < 0)
		util_die(-errno, "%s", cfg->pipe_path);
	r = tee_start(&s->tee, fd, s->slots_max);
	if (fd > 0)
		close(fd);
	if (r < 0)
		util_die(r, "--tee: cannot start its writer");
}

/* Whether each job's --pipe block is a temp file of its own. */
static int
own_block(const struct config *cfg)
{
	return cfg->pipe && !cfg->round_robin && !cfg->tee &&
	    (!cfg->pipepart || cfg->pipe_cat);
}

/*
 * Descriptors a running job holds beyond its engine's and its spilled
 * output's files.  With --compress, its spilled streams each hold a
 * pipe to their compressor besides the file.
 */
static int
job_extra_fds(const struct sched *s, const struct config *cfg)
{
	int fed = cfg->pipe_fifo || (cfg->pipepart && !cfg->pipe_cat &&
	    !cfg->round_robin && !cfg->tee);

	return (cfg->compress ? BUDGET_SPILL_FDS : 0) +
	    (s->dealing || s->teeing ? DEAL_FDS : 0) +
	    (fed ? FEED_FDS : own_block(cfg) ? BLOCK_FDS : 0);
}

/* -k's back-pressure: how many finished jobs may be held, slots running. */
static size_t
hold_max(const struct sched *s, long slots)
{
	if (s->ops == NULL)
		return budget_hold_max(slots, 0, 0);
	return budget_hold_max(slots, s->ops->run_fds + job_extra_fds(s,
	    s->cfg), own_block(s->cfg) ? BLOCK_FDS : 0);
}

/*
 * The engine, and how many of jobs fit in the descriptor and process
 * limits with what each takes there (*nofile: the descriptor limit).
 */
static long
fit_jobs(struct sched *s, const struct config *cfg, long jobs,
    unsigned long long *nofile)
{
	long i;
	int unbounded;

	/* --round-robin's dealer is for jobs that run (see sched_dry.h). */
	s->dealing = cfg->pipe && cfg->round_robin && !cfg->dry_run;
	s->teeing = cfg->tee && !cfg->dry_run;
	if (cfg->tee)
		jobs = tee_jobs(s, jobs);
	if (!cfg->dry_run) {	/* see sched_dry.h */
		s->ops = exec_find(cfg->mode);
		if (s->ops == NULL)
			util_die(0, "--mode: no mode '%s'", cfg->mode);
		/*
		 * A -j FILE may ask for more mid-run: make room for as many
		 * as the limits allow, as -j 0 does.
		 */
		i = jobs;
		unbounded = cfg->jobs_unbounded && s->remote == NULL;
		jobs = budget_jobs(i, unbounded || (cfg->jobs_file != NULL &&
		    s->remote == NULL), s->ops->run_fds + job_extra_fds(s,
		    cfg), nofile);
		/* -j 0 is cut only when the jobs known are more. */
		if (unbounded ? jobs < BUDGET_JOBS_MAX &&
		    (s->st.total < 0 || s->st.total > jobs) : jobs < i)
			warn_fit(s, i, jobs, "descriptor", *nofile);
		jobs = fit_procs(s, jobs);
		if (s->teeing && jobs < s->st.total)
			util_die(0, "--tee: only %ld of its %ld jobs fit in "
			    "the limits (descriptors, processes), and every "
			    "one must run at once", jobs, s->st.total);
	}
	return jobs;
}

/*
 * The slots, numbered 1 to jobs (fewer in use under a -j FILE's count),
 * and how much of their output may be held, in memory and in the spool.
 */
static void
setup_slots(struct sched *s, const struct config *cfg, long jobs)
{
	long i;

	s->free_slots = xcalloc((size_t)jobs, sizeof(*s->free_slots));
	for (i = jobs; i >= 1; i--)
		s->free_slots[s->nfree++] = i;
	s->slots_max = s->slots = jobs;
	if (cfg->jobs_file != NULL && !cfg->dry_run && s->remote == NULL)
		sched_set_slots(s, cfg->jobs, cfg->jobs_unbounded);
	s->hold_max = hold_max(s, s->slots);
	spool_set_limit(budget_spool_limit(jobs));
	spool_set_dir(cfg->tmpdir);
	if (cfg->compress)
		spool_set_compress(cfg->compress_program,
		    cfg->decompress_program);
}

/* The output policy, with its --results files. */
static void
setup_output(struct sched *s, const struct config *cfg,
    const struct order_hooks *oh)
{
	struct results *results = NULL;
	int r;

	if (cfg->results != NULL && (r = results_open(&results, cfg->results,
	    s->restmpl != NULL)) < 0)
		util_die(r, "--results: cannot use '%s'", cfg->results);
	if ((r = order_new(&s->order, cfg, results, oh)) < 0)
		util_die(r, "cannot set up output");
}

/*
 * The engine started, and --round-robin's dealer; then the check that
 * a job can start at all under the descriptor limit, nofile.
 */
static void
setup_engine(struct sched *s, const struct config *cfg,
    const struct exec_hooks *eh, unsigned long long nofile)
{
	long i;
	int need, r;

	if ((r = s->ops->init(&s->exec, cfg, eh)) < 0)
		util_die(r, "cannot start the %s engine", cfg->mode);
	if (s->dealing && (r = feed_deal_start(&s->deal, s->slots_max,
	    &s->deal_room)) < 0)
		util_die(r, "--round-robin: cannot start its writer");
	if (s->teeing)
		tee_open(s, cfg);
	/*
	 * Else every start would back off, for ever, or the one job that
	 * runs could not hold its output: what starting it takes, or what
	 * it holds running with both its streams spilled if more, and what
	 * it holds besides (its block, its feed, its compressors, and the
	 * far end of a compressor's pipe while it starts).
	 */
	need = s->ops->run_fds + BUDGET_SPILL_FDS;
	if (need < s->ops->job_fds)
		need = s->ops->job_fds;
	need += job_extra_fds(s, cfg) + (cfg->compress ? 1 : 0);
	if ((i = budget_no_room(need)) > 0)
		util_die(0, "the descriptor limit (%llu) leaves no room for "
		    "a job: fanout holds %ld descriptors and needs %d more to "
		    "start one; raise it (ulimit -n)", nofile, i, need);
}

/*
 * The steps in the order their errors should be seen: fanout's process,
 * the input and templates, the reports, --load and --memfree, the hosts
 * and the jobs at once, the slots, the job maker, the output; the engine
 * last, and not under --dry-run.
 */
void
sched_setup(struct sched *s, const struct config *cfg,
    const struct order_hooks *oh, const struct exec_hooks *eh)
{
	const char *const *names;
	unsigned long long nofile = 0;
	size_t nnames;
	long jobs;

	s->cfg = cfg;
	s->exit_override = -1;
	policy_init(&s->policy, cfg);
	setup_process(cfg);
	names = setup_input(s, cfg, &nnames);
	setup_reports(s, cfg);
	setup_res(s, cfg);
	jobs = setup_hosts(s, cfg);
	jobs = fit_jobs(s, cfg, jobs, &nofile);
	setup_slots(s, cfg, jobs);
	job_maker_init(&s->maker, cfg, s->tmpl, s->tagtmpl, s->st.total);
	s->maker.restmpl = s->restmpl;
	if (s->remote != NULL)
		setup_remote(s, cfg, names, nnames);
	setup_output(s, cfg, oh);
	if (cfg->dry_run)	/* no executor: see sched_dry.h */
		return;
	setup_engine(s, cfg, eh, nofile);
}

void
sched_set_slots(struct sched *s, long jobs, int unbounded)
{
	if (jobs > s->slots_max) {
		if (!unbounded && !s->jobs_warned) {
			util_warn(0, "-j %s: only %ld of its %ld jobs fit in the "
			    "limits; running %ld at once", s->cfg->jobs_file,
			    s->slots_max, jobs, s->slots_max);
			s->jobs_warned = 1;
		}
		jobs = s->slots_max;
	}
	s->slots = jobs;
	s->hold_max = hold_max(s, jobs);
}

void
sched_teardown(struct sched *s)
{
	if (s->exec)
		s->ops->release(s->exec);
	feed_deal_stop(s->deal);
	tee_stop(s->tee);
	spawn_forget();
	order_free(s->order);
	report_free(s->report);
	tmpl_free(s->tmpl);
	tmpl_free(s->tagtmpl);
	tmpl_free(s->restmpl);
	input_close(s->input);
	free(s->free_slots);
	policy_free(&s->policy);
	free_paths(s->maker.sends, s->maker.nsends);
	free_paths(s->maker.returns, s->maker.nreturns);
	remote_close(s->remote);
	buf_free(&s->hosts_line);
	job_maker_free(&s->maker);
	buf_free(&s->scratch);
}
