/*
 * conform: the engine conformance test.  Takes every executor (exec.h)
 * through the same script and checks that each calls the same hooks with
 * the same results: the contract lives in exec.h, and a mode may differ
 * only in speed and cost.
 *
 *	conform FAULT_SO [CASE...]	run every case (or these) in every
 *					engine, compare
 *	conform run CASE ENGINE		one case in one engine: its transcript
 *
 * Each run is a fresh process (the fault library is preloaded for the
 * cases that need a shortage, and process mode makes its caller a child
 * subreaper).  A transcript has one line per job: how many times done()
 * was called, the result fields, and every byte of output, live (from
 * output()) or held (from the spools).  Chunking and timing may differ;
 * nothing in a transcript may.  Exits 1 with both transcripts on a
 * mismatch, and on a result the contract does not allow.
 */
#include "exec.h"
#include "job.h"
#include "options.h"
#include "sig.h"
#include "spawn.h"
#include "spool.h"
#include "util.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define MANY		1000
#define LIMIT_S		10	/* sanity limit for one case's wait */
#define MANY_LIMIT_S	300	/* and for MANY jobs on a loaded machine */

extern char **environ;

struct rec {
	struct job	 job;
	int		 ndone;
	int		 refused;	/* start() was short: ours to retry */
	struct buf	 live[2];
	char		*argv[8];
	char		 word[32];
};

static const struct exec_ops *ops;
static struct exec *ex;
static struct rec *recs;
static size_t	 nrecs;
static const char *progname;

static _Noreturn void __attribute__((format(printf, 1, 2)))
fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "conform: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static void
on_output(void *ctx, struct job *job, int stream, const char *p, size_t n)
{
	struct rec *r = (struct rec *)job;

	(void)ctx;
	if (stream != 1 && stream != 2)
		fail("output() with stream %s", stream == 0 ? "0" : "> 2");
	buf_add(&r->live[stream - 1], p, n);
}

static void
on_done(void *ctx, struct job *job)
{
	(void)ctx;
	((struct rec *)job)->ndone++;
}

static void
rec_init(struct rec *r, long seq, int live, const char *path,
    const char *const *argv)
{
	size_t i;

	memset(r, 0, sizeof(*r));
	spool_init(&r->job.out);
	spool_init(&r->job.err);
	r->job.seq = seq;
	r->job.slot = seq;
	r->job.attempt = 1;
	r->job.live = live;
	r->job.path = path;
	for (i = 0; argv[i] != NULL && i + 1 < ARRAY_SIZE(r->argv); i++)
		r->argv[i] = (char *)argv[i];
	r->job.argv = r->argv;
	r->job.envp = environ;
}

static int
add_bytes(void *ctx, const char *p, size_t n)
{
	buf_add(ctx, p, n);
	return 0;
}

/* The transcript line of one job. */
static void
rec_print(struct rec *r)
{
	struct buf held[2] = { { 0 }, { 0 } };
	struct job *j = &r->job;
	size_t i, k;

	spool_each(&j->out, add_bytes, &held[0]);
	spool_each(&j->err, add_bytes, &held[1]);
	printf("job %ld: done=%d end=%d status=%d", j->seq, r->ndone,
	    (int)j->end, j->status);
	if (j->end == JOB_SIGNALED)
		printf(" (SIG%s)", sig_name(j->status) ? sig_name(j->status) :
		    "?");
	printf(" spawn_err=%d bytes=%llu,%llu", j->spawn_err,
	    (unsigned long long)j->out_bytes,
	    (unsigned long long)j->err_bytes);
	for (k = 0; k < 2; k++) {
		struct buf *b = j->live ? &r->live[k] : &held[k];

		printf(" %s=\"", k == 0 ? "out" : "err");
		for (i = 0; i < b->len; i++)
			if (b->p[i] >= ' ' && b->p[i] < 127 && b->p[i] != '"')
				putchar(b->p[i]);
			else
				printf("\\x%02x", (unsigned char)b->p[i]);
		putchar('"');
		if (!j->live && r->live[k].len > 0)
			printf(" live-output-of-a-held-job");
	}
	putchar('\n');
	buf_free(&held[0]);
	buf_free(&held[1]);
}

/* Start r, or mark it refused for want of a resource (retried later). */
static void
start(struct rec *r)
{
	int e = ops->start(ex, &r->job);

	if (e < 0 && !spawn_err_transient(e))
		fail("start() failed: %s", strerror(-e));
	r->refused = e < 0;
}

/*
 * A signal for a job: the engine's when it holds the job, else the
 * caller's own (a refused job is not the engine's), and then a signal
 * that would end a process ends the job before it ever runs, which is
 * what exec.h asks of an engine holding a job without a pid.
 */
static void
signal_job(struct rec *r, int signo)
{
	int e;

	if (r->refused) {
		if (spawn_sig_ends(signo)) {
			r->refused = 0;
			r->job.end = JOB_SIGNALED;
			r->job.status = signo;
			r->ndone++;
		}
		return;
	}
	if ((e = ops->signal(ex, &r->job, signo)) < 0)
		fail("signal() failed: %s", strerror(-e));
}

/* Wait until pred() holds, retrying refused jobs; fail at limit_s. */
static void
wait_for(int (*pred)(void *), void *arg, int limit_s, const char *what)
{
	int64_t until = clock_mono_ns() + (int64_t)limit_s * 1000000000LL;
	size_t i;
	int e;

	while (!pred(arg)) {
		if (clock_mono_ns() > until)
			fail("stalled waiting for %s", what);
		for (i = 0; i < nrecs; i++)
			if (recs[i].refused)
				start(&recs[i]);
		if ((e = ops->wait(ex, 10, NULL, 0)) < 0)
			fail("wait() failed: %s", strerror(-e));
	}
}

static int
all_done(void *arg)
{
	size_t i;

	(void)arg;
	for (i = 0; i < nrecs; i++)
		if (recs[i].ndone == 0)
			return 0;
	return 1;
}

static int
has_output(void *arg)
{
	return ((struct rec *)arg)->live[0].len > 0;
}

static void
new_recs(size_t n)
{
	nrecs = n;
	recs = xcalloc(n, sizeof(*recs));
}

/* Start the case's only job. */
static void
one_job(int live, const char *path, const char *const *argv)
{
	new_recs(1);
	rec_init(&recs[0], 1, live, path, argv);
	start(&recs[0]);
}

static const char *const sh_exit[] = {
	"sh", "-c", "echo out; echo err >&2; exit 3", NULL
};

static void
case_exit(int live)
{
	one_job(live, "/bin/sh", sh_exit);
	wait_for(all_done, NULL, LIMIT_S, "the job's end");
}

static void
case_nonexistent(void)
{
	static const char *const argv[] = { "nope", NULL };

	one_job(0, "/nonexistent/fanout-conform", argv);
	wait_for(all_done, NULL, LIMIT_S, "the job's end");
}

/* Run under FANOUT_FAULTS=posix_spawn:EAGAIN:1:3. */
static void
case_shortage(void)
{
	static const char *const argv[] = { "echo", "ok", NULL };

	one_job(0, "/bin/echo", argv);
	wait_for(all_done, NULL, LIMIT_S, "the job's end");
}

/* Run under FANOUT_FAULTS=posix_spawn:EAGAIN:1: no spawn ever works. */
static void
case_signal_unspawned(void)
{
	static const char *const argv[] = { "echo", "never", NULL };

	one_job(0, "/bin/echo", argv);
	signal_job(&recs[0], SIGTERM);
	wait_for(all_done, NULL, LIMIT_S, "the job's end");
}

static void
case_signal_running(void)
{
	static const char *const argv[] = {
		"sh", "-c", "echo ready; exec sleep 60", NULL
	};

	one_job(1, "/bin/sh", argv);
	wait_for(has_output, &recs[0], LIMIT_S, "the job's output");
	signal_job(&recs[0], SIGTERM);
	wait_for(all_done, NULL, LIMIT_S, "the job's end");
}

/*
 * A descendant keeps the job's pipes open and writes after the job has
 * exited: the job still ends at once, and the late bytes are not its.
 * The descendant writes only once the job was reported done, so the
 * case cannot pass by luck of timing.
 */
static void
case_late_output(void)
{
	static char script[256];
	static const char *argv[] = { "sh", "-c", script, NULL };
	char dir[] = "/tmp/fanout-conform.XXXXXX";
	char flag[64];

	if (mkdtemp(dir) == NULL)
		fail("mkdtemp: %s", strerror(errno));
	snprintf(flag, sizeof(flag), "%s/go", dir);
	snprintf(script, sizeof(script), "echo a; (while [ ! -e %s ]; do "
	    "sleep 0.05; done; echo late; echo late >&2) &", flag);
	one_job(0, "/bin/sh", argv);
	wait_for(all_done, NULL, LIMIT_S, "the job's end, its pipes held");
	fclose(fopen(flag, "w"));
	/* Give a wrong engine the chance to report the late bytes. */
	ops->wait(ex, 300, NULL, 0);
	unlink(flag);
	rmdir(dir);
}

static void
case_many(void)
{
	static const char *const argv[] = { "echo", NULL, NULL };
	struct rlimit rl;
	size_t i;

	/* Every job's pipes at once: ask for what the hard limit allows. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	new_recs(MANY);
	for (i = 0; i < MANY; i++) {
		rec_init(&recs[i], (long)i + 1, i % 2, "/bin/echo", argv);
		snprintf(recs[i].word, sizeof(recs[i].word), "%zu", i + 1);
		recs[i].argv[1] = recs[i].word;
		start(&recs[i]);
	}
	wait_for(all_done, NULL, MANY_LIMIT_S, "a thousand jobs");
}

static const struct {
	const char	*name;
	void		(*fn)(void);
	const char	*faults;	/* FANOUT_FAULTS, or NULL */
} cases[] = {
	{ "exit-held", NULL, NULL },
	{ "exit-live", NULL, NULL },
	{ "spawn-failure", case_nonexistent, NULL },
	{ "shortage", case_shortage, "posix_spawn:EAGAIN:1:3" },
	{ "signal-before-spawn", case_signal_unspawned,
	    "posix_spawn:EAGAIN:1" },
	{ "signal-running", case_signal_running, NULL },
	{ "late-output", case_late_output, NULL },
	{ "many", case_many, NULL },
};

static const char *const engines[] = { "async", "thread", "process" };

static int
run_one(const char *name, const char *engine)
{
	struct exec_hooks hooks = { NULL, on_output, on_done };
	struct config cfg;
	size_t i;
	int e;

	if ((e = spawn_init("/bin/sh")) < 0)
		fail("spawn_init: %s", strerror(-e));
	/* Like fanout: a job's end, not a pipe's, is what stops a write. */
	signal(SIGPIPE, SIG_IGN);
	if ((ops = exec_find(engine)) == NULL)
		fail("no engine %s", engine);
	/* No engine reads its config today; a zero one is the default. */
	memset(&cfg, 0, sizeof(cfg));
	if ((e = ops->init(&ex, &cfg, &hooks)) < 0)
		fail("init: %s", strerror(-e));
	if (strcmp(name, "exit-held") == 0)
		case_exit(0);
	else if (strcmp(name, "exit-live") == 0)
		case_exit(1);
	else {
		for (i = 0; i < ARRAY_SIZE(cases); i++)
			if (strcmp(cases[i].name, name) == 0 &&
			    cases[i].fn != NULL)
				break;
		if (i == ARRAY_SIZE(cases))
			fail("no case %s", name);
		cases[i].fn();
	}
	for (i = 0; i < nrecs; i++)
		rec_print(&recs[i]);
	ops->release(ex);
	return fflush(stdout) == 0 ? 0 : 1;
}

/* Run one case in one engine in a new process; its transcript in *out. */
static int
transcript(const char *fault_so, size_t c, const char *engine,
    struct buf *out)
{
	char chunk[65536];
	int fd[2], st;
	ssize_t n;
	pid_t pid;

	if (pipe(fd) < 0 || (pid = fork()) < 0)
		fail("fork: %s", strerror(errno));
	if (pid == 0) {
		dup2(fd[1], 1);
		close(fd[0]);
		close(fd[1]);
		if (cases[c].faults != NULL) {
			setenv("LD_PRELOAD", fault_so, 1);
			setenv("FANOUT_FAULTS", cases[c].faults, 1);
		}
		execl(progname, progname, "run", cases[c].name, engine,
		    (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	buf_clear(out);
	while ((n = read(fd[0], chunk, sizeof(chunk))) > 0 ||
	    (n < 0 && errno == EINTR))
		if (n > 0)
			buf_add(out, chunk, (size_t)n);
	close(fd[0]);
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

/* What the contract says the first job of a case must come to. */
static const char *
expected(const char *name)
{
	if (strcmp(name, "exit-held") == 0 || strcmp(name, "exit-live") == 0)
		return "job 1: done=1 end=0 status=3 spawn_err=0 bytes=4,4 "
		    "out=\"out\\x0a\" err=\"err\\x0a\"\n";
	if (strcmp(name, "spawn-failure") == 0)
		return "job 1: done=1 end=2 status=127 spawn_err=-2 "
		    "bytes=0,0 out=\"\" err=\"\"\n";
	if (strcmp(name, "shortage") == 0)
		return "job 1: done=1 end=0 status=0 spawn_err=0 bytes=3,0 "
		    "out=\"ok\\x0a\" err=\"\"\n";
	if (strcmp(name, "signal-before-spawn") == 0)
		return "job 1: done=1 end=1 status=15 (SIGTERM) spawn_err=0 "
		    "bytes=0,0 out=\"\" err=\"\"\n";
	if (strcmp(name, "signal-running") == 0)
		return "job 1: done=1 end=1 status=15 (SIGTERM) spawn_err=0 "
		    "bytes=6,0 out=\"ready\\x0a\" err=\"\"\n";
	if (strcmp(name, "late-output") == 0)
		return "job 1: done=1 end=0 status=0 spawn_err=0 bytes=2,0 "
		    "out=\"a\\x0a\" err=\"\"\n";
	return NULL;
}

static int
check_all(const char *fault_so, char **only, int nonly)
{
	struct buf first = { 0 }, t = { 0 };
	const char *want;
	size_t c, k, len;
	int bad = 0;

	for (c = 0; c < ARRAY_SIZE(cases); c++) {
		for (k = 0; k < (size_t)nonly; k++)
			if (strcmp(only[k], cases[c].name) == 0)
				break;
		if (nonly > 0 && k == (size_t)nonly)
			continue;
		for (k = 0; k < ARRAY_SIZE(engines); k++) {
			struct buf *b = k == 0 ? &first : &t;

			if (transcript(fault_so, c, engines[k], b) < 0) {
				fprintf(stderr, "conform: %s in %s mode "
				    "failed\n", cases[c].name, engines[k]);
				bad = 1;
				break;
			}
			if (k == 0) {
				want = expected(cases[c].name);
				len = want ? strlen(want) : 0;
				if (want != NULL && (b->len < len ||
				    memcmp(b->p, want, len) != 0)) {
					fprintf(stderr, "conform: %s in %s "
					    "mode breaks the contract:\n"
					    "want %sgot  %s", cases[c].name,
					    engines[k], want, b->p);
					bad = 1;
				}
				continue;
			}
			if (t.len != first.len ||
			    memcmp(t.p, first.p, t.len) != 0) {
				fprintf(stderr, "conform: %s: %s and %s "
				    "differ:\n%s:\n%s%s:\n%s", cases[c].name,
				    engines[0], engines[k], engines[0],
				    first.p, engines[k], t.p);
				bad = 1;
			}
		}
		printf("%s %s\n", bad ? "checked" : "ok", cases[c].name);
	}
	buf_free(&first);
	buf_free(&t);
	return bad;
}

int
main(int argc, char **argv)
{
	progname = argv[0];
	if (argc == 4 && strcmp(argv[1], "run") == 0)
		return run_one(argv[2], argv[3]);
	if (argc < 2) {
		fprintf(stderr, "usage: conform FAULT_SO [CASE...] | conform "
		    "run CASE ENGINE\n");
		return 2;
	}
	if (access(argv[1], R_OK) < 0)
		fail("no fault library %s (make build/fault.so)", argv[1]);
	return check_all(argv[1], argv + 2, argc - 2) ? 1 : 0;
}
