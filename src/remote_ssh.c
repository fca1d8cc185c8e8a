/*
 * remote_ssh: the ssh side of -S (remote.h has the design): each host's
 * master connection opened, asked for its cores and sent the --basefile
 * files, checked when a job fails, and closed; and what a job on a host
 * runs, ssh's own argv or, when files travel, a local sh script of ssh
 * calls, one channel each.  Every ssh writes its own messages to a log
 * of its slot's or its host's, in our directory.
 */
#include "remote.h"
#include "remote_ssh.h"
#include "options.h"
#include "quote.h"
#include "spawn.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* An idle master outlives its last job a minute (also after a crash). */
#define MASTER_PERSIST	"ControlPersist=60"

/*
 * On the host, $1 is the command and the rest the program that runs it
 * (sh -c, maybe under nice).  It runs in a session of its own; when
 * our stdin ends (the ssh that carried it is gone) its group gets TERM,
 * then KILL.  Its status is the command's, 128 + N for a signal.
 */
static const char wrapper[] =
    "c=$1; shift; s=setsid; command -v setsid >/dev/null 2>&1 || s=; "
    "exec 3<&0 </dev/null; $s \"$@\" \"$c\" 3<&- & p=$!; "
    "{ while read -r _; do :; done; kill -TERM -$p $p; sleep 1; "
    "kill -KILL -$p; } <&3 >/dev/null 2>&1 & w=$!; exec 3<&-; "
    "wait $p; s=$?; kill $w 2>/dev/null; exit $s";

/*
 * Where ssh writes its own messages: the slot's log (slot > 0) or, for
 * the host's master connection and probes, host hi's.
 */
void
remote_log_path(const struct remote *r, long slot, size_t hi, char *out,
    size_t len)
{
	if (slot > 0)
		snprintf(out, len, "%s/slot-%ld.log", r->dir, slot);
	else
		snprintf(out, len, "%s/host-%zu.log", r->dir, hi);
}

/* One word: for argv, NUL-ended; for a script, quoted and a space. */
static void
add_word(struct buf *b, const char *w, int quoted)
{
	if (quoted) {
		quote_append(b, w, strlen(w));
		buf_addc(b, ' ');
	} else
		buf_add(b, w, strlen(w) + 1);
}

/*
 * ssh, its options and the host: one multiplexed connection per host,
 * ssh's own messages in the slot's log (slot 0: the host's).
 */
static size_t
add_ssh(const struct remote *r, const struct host *h, long slot,
    const char *ctl, int quoted, struct buf *b)
{
	static const char *const opts[] = {
		"-o", "ControlMaster=auto", "-o", MASTER_PERSIST, "-T",
	};
	struct buf t = { 0 };
	char log[PATH_MAX];
	size_t i, n = 0;

	for (i = 0; i < r->nssh; i++, n++)
		add_word(b, r->ssh[i], quoted);
	for (i = 0; i < ARRAY_SIZE(opts); i++, n++)
		add_word(b, opts[i], quoted);
	buf_addf(&t, "ControlPath=%s/%%C", r->dir);
	add_word(b, "-o", quoted);
	add_word(b, t.p, quoted);
	buf_free(&t);
	remote_log_path(r, slot, (size_t)(h - r->hosts), log, sizeof(log));
	add_word(b, "-E", quoted);
	add_word(b, log, quoted);
	n += 4;
	if (h->port != NULL) {
		add_word(b, "-p", quoted);
		add_word(b, h->port, quoted);
		n += 2;
	}
	if (ctl != NULL) {	/* -O: a request to the master */
		add_word(b, "-O", quoted);
		add_word(b, ctl, quoted);
		n += 2;
	}
	add_word(b, "--", quoted);
	add_word(b, h->dest, quoted);
	return n + 2;
}

/* Run a local sh script to its end: its exit status, or -errno. */
static int
run_script(const char *script, int out)
{
	char *argv[] = { (char *)"sh", (char *)"-c", (char *)script, NULL };
	pid_t pid;
	int st, r;

	if ((r = spawn_job("/bin/sh", argv, environ, -1, out, -1, &pid)) < 0)
		return r;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -errno;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* A script that runs cmd (sh text) on host h, with stdin from in. */
static void
host_script(const struct remote *r, const struct host *h, const char *in,
    const char *cmd, struct buf *b)
{
	buf_clear(b);
	if (in != NULL)
		buf_addf(b, "%s | ", in);
	add_ssh(r, h, 0, NULL, 1, b);
	quote_append(b, cmd, strlen(cmd));
	if (in == NULL)
		buf_adds(b, " </dev/null");
}

/* Where files go on a host: the --workdir, unless a fresh one each. */
static const char *
fixed_workdir(const struct remote *r)
{
	const char *wd = r->cfg->workdir;

	return wd != NULL && strcmp(wd, "...") != 0 ? wd : NULL;
}

/* NUL-separated strings, n of them, each quoted, after a space. */
static void
add_paths(const char *p, size_t n, struct buf *b)
{
	for (; n > 0; n--, p += strlen(p) + 1) {
		buf_addc(b, ' ');
		quote_append(b, p, strlen(p));
	}
}

/*
 * "; rmdir -p -- DIRS" for the directories of the relative paths
 * among p's n: what sending them made, left as it was found once empty.
 */
static void
add_parents(const char *p, size_t n, struct buf *b)
{
	const char *slash;
	size_t start = b->len;

	for (; n > 0; n--, p += strlen(p) + 1) {
		if (p[0] == '/' || (slash = strrchr(p, '/')) == NULL ||
		    slash == p)
			continue;
		buf_adds(b, start == b->len ? "rmdir -p -- " : " ");
		quote_append(b, p, (size_t)(slash - p));
	}
	if (b->len > start)
		buf_adds(b, " 2>/dev/null; ");
}

/* "mkdir -p D && cd D || exit 1; " for the fixed workdir, if any. */
static void
add_cd(const char *wd, struct buf *b)
{
	if (wd == NULL)
		return;
	buf_adds(b, "mkdir -p -- ");
	quote_append(b, wd, strlen(wd));
	buf_adds(b, " && cd -- ");
	quote_append(b, wd, strlen(wd));
	buf_adds(b, " || exit 1; ");
}

static int
send_basefiles(struct remote *r, struct host *h)
{
	struct buf in = { 0 }, cmd = { 0 }, sc = { 0 };
	int st;

	buf_adds(&in, "tar -cPf - --");
	add_paths(r->basefiles.p, r->cfg->basefiles.n, &in);
	add_cd(fixed_workdir(r), &cmd);
	buf_adds(&cmd, "exec tar -xPf -");
	host_script(r, h, in.p, cmd.p, &sc);
	st = run_script(sc.p, -1);
	buf_free(&in);
	buf_free(&cmd);
	buf_free(&sc);
	return st;
}

/* The first line of a host's or slot's ssh log, for messages. */
void
remote_log_line(const char *path, char *out, size_t len)
{
	FILE *f;
	char *nl;

	out[0] = '\0';
	if ((f = fopen(path, "r")) == NULL)
		return;
	if (fgets(out, (int)len, f) == NULL)
		out[0] = '\0';
	fclose(f);
	if ((nl = strchr(out, '\n')) != NULL)
		*nl = '\0';
	if ((nl = strchr(out, '\r')) != NULL)
		*nl = '\0';
}

int
remote_connect(struct remote *r)
{
	static const char probe[] = "nproc 2>/dev/null || "
	    "getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1";
	struct buf b = { 0 };
	pid_t *pids = xcalloc(r->nhosts, sizeof(*pids));
	int *fds = xcalloc(r->nhosts, sizeof(*fds));
	char **argv, *p, out[64], why[256];
	size_t i, k, argc;
	ssize_t n;
	long ncpu;
	int st, fd[2], left = 0;

	/* Every host at once: a slow one costs its own time only. */
	for (i = 0; i < r->nhosts; i++) {
		struct host *h = &r->hosts[i];

		fds[i] = -1;
		if (h->local)
			continue;
		buf_clear(&b);
		argc = add_ssh(r, h, 0, NULL, 0, &b);
		add_word(&b, probe, 0);
		argv = xcalloc(argc + 2, sizeof(*argv));
		for (p = b.p, k = 0; k <= argc; k++, p += strlen(p) + 1)
			argv[k] = p;
		if (pipe2(fd, O_CLOEXEC) < 0 || spawn_job(r->ssh_path, argv,
		    environ, r->live[0], fd[1], -1, &pids[i]) < 0)
			pids[i] = 0;
		free(argv);
		close(fd[1]);
		fds[i] = fd[0];
	}
	for (i = 0; i < r->nhosts; i++) {
		struct host *h = &r->hosts[i];

		if (h->local) {
			h->slots = remote_host_slots(r, h, 0);
			continue;
		}
		k = 0;
		while (fds[i] >= 0 && k < sizeof(out) - 1 &&
		    ((n = read(fds[i], out + k, sizeof(out) - 1 - k)) > 0 ||
		    (n < 0 && errno == EINTR)))
			k += n > 0 ? (size_t)n : 0;
		out[k] = '\0';
		if (fds[i] >= 0)
			close(fds[i]);
		st = -1;
		while (pids[i] > 0 && waitpid(pids[i], &st, 0) < 0 &&
		    errno == EINTR)
			;
		ncpu = 0;
		if (pids[i] > 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			ncpu = strtol(out, NULL, 10);
		if (ncpu > 0 && r->cfg->basefiles.n > 0 &&
		    send_basefiles(r, h) != 0) {
			util_warn(0, "host %s: cannot send the --basefile "
			    "files", h->login);
			ncpu = 0;
		}
		if (ncpu <= 0 && r->cfg->filter_hosts) {
			remote_log_path(r, 0, i, out, sizeof(out));
			remote_log_line(out, why, sizeof(why));
			util_warn(0, "host %s does not answer%s%s: dropped",
			    h->login, why[0] ? ": " : "", why);
			h->gone = 1;
			continue;
		}
		h->slots = remote_host_slots(r, h, ncpu);
	}
	for (i = 0; i < r->nhosts; i++)
		left += !r->hosts[i].gone;
	free(pids);
	free(fds);
	buf_free(&b);
	return left > 0 ? 0 : -EHOSTDOWN;
}

void
remote_close(struct remote *r)
{
	struct buf cmd = { 0 }, sc = { 0 };
	struct dirent *e;
	char path[PATH_MAX];
	DIR *d;
	size_t i;

	if (r == NULL)
		return;
	if (r->live[1] >= 0)
		close(r->live[1]);	/* any job still there ends */
	for (i = 0; r->dir != NULL && i < r->nhosts; i++) {
		struct host *h = &r->hosts[i];

		if (h->local || h->gone)
			continue;
		if (r->cfg->cleanup && r->cfg->basefiles.n > 0) {
			buf_clear(&cmd);
			add_cd(fixed_workdir(r), &cmd);
			buf_adds(&cmd, "rm -f --");
			add_paths(r->basefiles.p, r->cfg->basefiles.n, &cmd);
			buf_adds(&cmd, "; ");
			add_parents(r->basefiles.p, r->cfg->basefiles.n, &cmd);
			host_script(r, h, NULL, cmd.p, &sc);
			(void)run_script(sc.p, -1);
		}
		buf_clear(&sc);
		add_ssh(r, h, 0, "exit", 1, &sc);
		buf_adds(&sc, "2>/dev/null");
		(void)run_script(sc.p, -1);
	}
	if (r->dir != NULL && (d = opendir(r->dir)) != NULL) {
		while ((e = readdir(d)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "%s/%s", r->dir,
			    e->d_name);
			(void)unlink(path);
		}
		closedir(d);
		(void)rmdir(r->dir);
	}
	if (r->live[0] >= 0)
		close(r->live[0]);
	for (i = 0; i < r->nhosts; i++) {
		free(r->hosts[i].login);
		free(r->hosts[i].dest);
		free(r->hosts[i].port);
	}
	for (i = 0; i < r->nssh; i++)
		free(r->ssh[i]);
	free(r->ssh);
	free(r->ssh_found);
	free(r->hosts);
	free(r->dir);
	buf_free(&cmd);
	buf_free(&sc);
	buf_free(&r->basefiles);
	free(r);
}

/* Whether h's master connection still answers. */
int
remote_master_alive(const struct remote *r, const struct host *h)
{
	struct buf sc = { 0 };
	int st;

	add_ssh(r, h, 0, "check", 1, &sc);
	buf_adds(&sc, "2>/dev/null");
	st = run_script(sc.p, -1);
	buf_free(&sc);
	return st == 0;
}

/* What the host's shell runs: the wrapper around the job's text. */
static void
remote_text(const struct remote *r, const char *wd, char *const vars[],
    size_t nvars, const char *line, int piped, struct buf *b)
{
	const struct config *cfg = r->cfg;
	struct buf t = { 0 };
	const char *v;
	char *fn;
	size_t i;

	if (nvars > 0) {
		buf_adds(&t, "export");
		for (i = 0; i < nvars; i++) {
			buf_addc(&t, ' ');
			v = strchr(vars[i], '=') + 1;
			buf_add(&t, vars[i], (size_t)(v - vars[i]));
			quote_append(&t, v, strlen(v));
		}
		buf_adds(&t, "; ");
	}
	for (i = 0; i < cfg->nenv; i++) {
		if ((v = getenv(cfg->env[i])) != NULL) {
			buf_addf(&t, "export %s=", cfg->env[i]);
			quote_append(&t, v, strlen(v));
			buf_adds(&t, "; ");
			continue;
		}
		/* export -f's form: NAME's definition, as bash prints it. */
		fn = xmalloc(strlen(cfg->env[i]) + 16);
		sprintf(fn, "BASH_FUNC_%s%%%%", cfg->env[i]);
		if ((v = getenv(fn)) != NULL)
			buf_addf(&t, "%s %s\nexport -f %s; ", cfg->env[i], v,
			    cfg->env[i]);
		free(fn);
	}
	add_cd(wd, &t);
	buf_adds(&t, line);

	buf_adds(b, "exec ");
	if (!piped) {
		buf_adds(b, "sh -c ");
		quote_append(b, wrapper, strlen(wrapper));
		buf_adds(b, " fanout ");
		quote_append(b, t.p, t.len);
		buf_addc(b, ' ');
	}
	if (cfg->nice_given)
		buf_addf(b, "nice -n %d ", cfg->nice);
	buf_addf(b, "%s -c", r->rshell);
	if (piped) {
		buf_addc(b, ' ');
		quote_append(b, t.p, t.len);
	}
	buf_free(&t);
}

size_t
remote_argv(const struct remote *r, int hi, long slot, long seq,
    const char *line, char *const vars[], size_t nvars, const char *sends,
    size_t nsends, const char *returns, size_t nreturns, int piped,
    struct buf *b, const char **path)
{
	const struct host *h = &r->hosts[hi];
	const char *wd = fixed_workdir(r);
	struct buf fresh = { 0 }, text = { 0 }, post = { 0 };
	size_t argc;

	if (r->cfg->workdir != NULL && wd == NULL) {
		buf_addf(&fresh, ".fanout/tmp/%s-%ld-%ld", r->local_name,
		    (long)getpid(), seq);
		wd = fresh.p;
	}
	remote_text(r, wd, vars, nvars, line, piped, &text);
	if (nreturns > 0 || (r->cfg->cleanup && nsends > 0) ||
	    fresh.len > 0) {
		buf_adds(&post, "cd -- ");
		quote_append(&post, wd ? wd : ".", strlen(wd ? wd : "."));
		buf_adds(&post, " || exit 1; ");
		if (nreturns > 0) {
			buf_adds(&post, "tar -cPf - --");
			add_paths(returns, nreturns, &post);
			buf_adds(&post, "; ");
		}
		if (r->cfg->cleanup) {
			buf_adds(&post, "rm -f --");
			add_paths(sends, nsends, &post);
			add_paths(returns, nreturns, &post);
			buf_adds(&post, "; ");
			add_parents(sends, nsends, &post);
			add_parents(returns, nreturns, &post);
		}
		if (fresh.len > 0) {
			buf_adds(&post, "cd && rm -rf -- ");
			quote_append(&post, fresh.p, fresh.len);
			buf_adds(&post, "; rmdir -p .fanout/tmp 2>/dev/null");
		}
	}
	if (nsends == 0 && post.len == 0) {
		*path = r->ssh_path;
		argc = add_ssh(r, h, slot, NULL, 0, b);
		add_word(b, text.p, 0);
		argc++;
		goto out;
	}
	/* Files travel: a local script of ssh calls, one channel each. */
	*path = "/bin/sh";
	add_word(b, "sh", 0);
	add_word(b, "-c", 0);
	if (nsends > 0) {
		buf_adds(b, "tar -cPf - --");
		add_paths(sends, nsends, b);
		buf_adds(b, " | ");
		add_ssh(r, h, slot, NULL, 1, b);
		buf_clear(&fresh);
		add_cd(wd, &fresh);
		buf_adds(&fresh, "exec tar -xPf -");
		quote_append(b, fresh.p, fresh.len);
		buf_adds(b, " || exit; ");
	}
	add_ssh(r, h, slot, NULL, 1, b);
	quote_append(b, text.p, text.len);
	buf_adds(b, "; s=$?; ");
	if (post.len > 0) {
		add_ssh(r, h, slot, NULL, 1, b);
		quote_append(b, post.p, post.len);
		buf_adds(b, nreturns > 0 ? " </dev/null | tar -xPf -; " :
		    " </dev/null; ");
	}
	buf_adds(b, "exit $s");
	buf_addc(b, '\0');
	argc = 3;
out:
	buf_free(&fresh);
	buf_free(&text);
	buf_free(&post);
	return argc;
}
