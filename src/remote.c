/*
 * remote: the hosts of -S, their slots and health (remote.h has the
 * design); their connections, and the ssh commands that run jobs on
 * them, are remote_ssh.c's.
 */
#include "remote.h"
#include "remote_ssh.h"
#include "num.h"
#include "options.h"
#include "util.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* ssh failures in a row after which a host is dropped. */
#define HOST_TRIES	3
/* The first back-off after a host's failure; it doubles. */
#define HOST_BACKOFF_NS	(1000LL * 1000 * 1000)
/* Jobs at once on a host under -j 0: OpenSSH's default MaxSessions. */
#define HOST_UNBOUNDED	10

/* "[N/]login": N slots, or 0 when not said. */
static int
parse_login(struct remote *r, const char *s, size_t len)
{
	struct host *h;
	const char *slash, *colon;
	char *w = xmemdup(s, len);
	long slots = 0;

	while (len > 0 && isspace((unsigned char)*w))
		memmove(w, w + 1, len--);
	while (len > 0 && isspace((unsigned char)w[len - 1]))
		w[--len] = '\0';
	if (len == 0) {
		free(w);
		return -EINVAL;
	}
	if ((slash = strchr(w, '/')) != NULL) {
		char *n = xmemdup(w, (size_t)(slash - w));
		int bad = num_long(n, 1, LONG_MAX, &slots) < 0;

		free(n);
		if (bad || slash[1] == '\0') {
			free(w);
			return -EINVAL;
		}
	}
	r->hosts = xrealloc(r->hosts, (r->nhosts + 1) * sizeof(*r->hosts));
	h = &r->hosts[r->nhosts++];
	memset(h, 0, sizeof(*h));
	h->login = xstrdup(slash ? slash + 1 : w);
	h->slots = slots;
	free(w);
	if (strcmp(h->login, ":") == 0) {
		h->local = 1;
		return 0;
	}
	if (strpbrk(h->login, " \t/'\"\\") != NULL || h->login[0] == '-')
		return -EINVAL;
	h->dest = xstrdup(h->login);
	if ((colon = strrchr(h->dest, ':')) != NULL) {
		long port;

		if (num_long(colon + 1, 1, 65535, &port) < 0 ||
		    colon == h->dest)
			return -EINVAL;
		h->port = xstrdup(colon + 1);
		h->dest[colon - h->dest] = '\0';
	}
	return 0;
}

static int
parse_list(struct remote *r, const char *list, char *msg, size_t msglen)
{
	const char *p = list, *comma;

	for (;;) {
		comma = strchr(p, ',');
		if (parse_login(r, p, comma ? (size_t)(comma - p) :
		    strlen(p)) < 0) {
			snprintf(msg, msglen, "-S: '%s' is not a login "
			    "([N/][user@]host[:port], or ':')", list);
			return -EINVAL;
		}
		if (comma == NULL)
			return 0;
		p = comma + 1;
	}
}

static int
parse_file(struct remote *r, const char *path, char *msg, size_t msglen)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
	char *line = NULL, *p;
	size_t cap = 0;
	ssize_t n;
	int ret = 0;

	if (f == NULL) {
		snprintf(msg, msglen, "--sshloginfile: cannot read '%s': %s",
		    path, strerror(errno));
		return -EINVAL;
	}
	while (ret == 0 && (n = getline(&line, &cap, f)) >= 0) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			;
		if (*p != '\0')
			ret = parse_list(r, p, msg, msglen);
	}
	if (ret == 0 && ferror(f)) {
		snprintf(msg, msglen, "--sshloginfile: cannot read '%s'",
		    path);
		ret = -EINVAL;
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

/* --ssh's words; the program found in PATH. */
static int
split_ssh(struct remote *r, char *msg, size_t msglen)
{
	const char *s = r->cfg->ssh ? r->cfg->ssh : "ssh", *e;

	for (;;) {
		while (isspace((unsigned char)*s))
			s++;
		if (*s == '\0')
			break;
		for (e = s; *e != '\0' && !isspace((unsigned char)*e); e++)
			;
		r->ssh = xrealloc(r->ssh, (r->nssh + 1) * sizeof(*r->ssh));
		r->ssh[r->nssh++] = xmemdup(s, (size_t)(e - s));
		s = e;
	}
	if (r->nssh == 0) {
		snprintf(msg, msglen, "--ssh: no program given");
		return -EINVAL;
	}
	if (strchr(r->ssh[0], '/') != NULL)
		r->ssh_path = r->ssh[0];
	else if ((r->ssh_path = r->ssh_found = util_which(r->ssh[0])) ==
	    NULL) {
		snprintf(msg, msglen, "%s: not found (install OpenSSH's "
		    "client, or name it with --ssh)", r->ssh[0]);
		return -EINVAL;
	}
	return 0;
}

int
remote_open(struct remote **rp, const struct config *cfg, char *msg,
    size_t msglen)
{
	struct remote *r;
	const char *base, *tmp;
	size_t i;
	int ret = 0;

	*rp = NULL;
	if (cfg->logins.n == 0 && cfg->loginfiles.n == 0)
		return 0;
	r = xcalloc(1, sizeof(*r));
	r->cfg = cfg;
	r->live[0] = r->live[1] = -1;
	*rp = r;
	for (i = 0; ret == 0 && i < cfg->logins.n; i++)
		ret = parse_list(r, cfg->logins.v[i], msg, msglen);
	for (i = 0; ret == 0 && i < cfg->loginfiles.n; i++)
		ret = parse_file(r, cfg->loginfiles.v[i], msg, msglen);
	if (ret == 0 && r->nhosts == 0) {
		snprintf(msg, msglen, "--sshloginfile: no host in '%s'",
		    cfg->loginfiles.v[0]);
		ret = -EINVAL;
	}
	if (ret == 0)
		ret = split_ssh(r, msg, msglen);
	if (ret < 0)
		return ret;
	for (i = 0; i < cfg->basefiles.n; i++)
		buf_add(&r->basefiles, cfg->basefiles.v[i],
		    strlen(cfg->basefiles.v[i]) + 1);
	base = strrchr(cfg->shell, '/');
	r->rshell = strcmp(base ? base + 1 : cfg->shell, "bash") == 0 ?
	    "bash" : "sh";
	if (gethostname(r->local_name, sizeof(r->local_name) - 1) < 0)
		strcpy(r->local_name, "fanout");
	/*
	 * The sockets' paths, DIR/ and 40 hex digits, must fit in a
	 * sockaddr_un: a deep --tmpdir gives way to /tmp.
	 */
	tmp = strlen(cfg->tmpdir) + sizeof("/fanout-ssh.XXXXXX/") + 40 <=
	    sizeof(((struct sockaddr_un *)0)->sun_path) ? cfg->tmpdir : "/tmp";
	r->dir = xmalloc(strlen(tmp) + 32);
	sprintf(r->dir, "%s/fanout-ssh.XXXXXX", tmp);
	if (mkdtemp(r->dir) == NULL) {
		ret = -errno;
		snprintf(msg, msglen, "cannot make a directory in '%s': %s",
		    tmp, strerror(errno));
		free(r->dir);
		r->dir = NULL;
		return ret;
	}
	if (pipe2(r->live, O_CLOEXEC) < 0) {
		ret = -errno;
		snprintf(msg, msglen, "cannot make a pipe: %s",
		    strerror(errno));
		return ret;
	}
	return 0;
}

/* Jobs at once on h, whose cores are ncpu (0: unknown). */
long
remote_host_slots(const struct remote *r, const struct host *h, long ncpu)
{
	const struct config *cfg = r->cfg;
	long jobs;
	int unbounded;

	if (h->slots > 0)
		return h->slots;
	if (cfg->onall)		/* GNU's: one job at a time on each */
		return 1;
	if (h->local)
		return cfg->jobs_unbounded ? HOST_UNBOUNDED : cfg->jobs;
	if (cfg->jobs_arg == NULL)
		return ncpu > 0 ? ncpu : 1;
	if (num_jobs(cfg->jobs_arg, ncpu > 0 ? ncpu : 1, &jobs,
	    &unbounded) < 0)
		return cfg->jobs;	/* -j FILE: its count at the start */
	return unbounded ? HOST_UNBOUNDED : jobs;
}

long
remote_slots(const struct remote *r)
{
	long n = 0;
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		if (!r->hosts[i].gone)
			n += r->hosts[i].slots;
	return n;
}

int
remote_ready(const struct remote *r, int hi, int64_t now)
{
	const struct host *h = &r->hosts[hi];

	return !h->gone && h->back_ns <= now && h->running < h->slots;
}

int
remote_pick(const struct remote *r, int64_t now)
{
	const struct host *h, *best = NULL;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		if (!remote_ready(r, (int)i, now))
			continue;
		/* The least full, running/slots, without division. */
		if (best == NULL || h->running * best->slots <
		    best->running * h->slots)
			best = h;
	}
	return best ? (int)(best - r->hosts) : -1;
}

int64_t
remote_next_ns(const struct remote *r, int64_t now)
{
	int64_t next = 0;
	size_t i;

	for (i = 0; i < r->nhosts; i++) {
		const struct host *h = &r->hosts[i];

		if (!h->gone && h->back_ns > now &&
		    (next == 0 || h->back_ns < next))
			next = h->back_ns;
	}
	return next;
}

int
remote_all_gone(const struct remote *r)
{
	size_t i;

	for (i = 0; i < r->nhosts; i++)
		if (!r->hosts[i].gone)
			return 0;
	return 1;
}

const struct host *
remote_host(const struct remote *r, int h)
{
	return &r->hosts[h];
}

size_t
remote_nhosts(const struct remote *r)
{
	return r->nhosts;
}

int
remote_stdin(const struct remote *r)
{
	return r->live[0];
}

void
remote_start(struct remote *r, int h, long slot)
{
	char path[PATH_MAX];

	r->hosts[h].running++;
	if (r->hosts[h].local)
		return;
	remote_log_path(r, slot, (size_t)h, path, sizeof(path));
	(void)truncate(path, 0);
}

void
remote_counts(const struct remote *r, struct buf *b)
{
	const struct host *h;
	size_t i;

	buf_clear(b);
	for (i = 0; i < r->nhosts; i++) {
		h = &r->hosts[i];
		buf_addf(b, "%s%s:%ld/%ld%s", i ? " " : "", h->login,
		    h->running, h->done, h->gone ? " gone" : "");
	}
}

void
remote_unstart(struct remote *r, int h)
{
	r->hosts[h].running--;
}

enum remote_end
remote_end(struct remote *r, int hi, long slot, int status,
    int64_t start_ns, int64_t now)
{
	struct host *h = &r->hosts[hi];
	char path[PATH_MAX], why[256];
	struct stat st;

	h->running--;
	if (h->local) {
		h->done++;
		return REMOTE_DONE;
	}
	remote_log_path(r, slot, (size_t)hi, path, sizeof(path));
	/*
	 * 255 with nothing from ssh is the command's own, unless the host's
	 * connection is gone (its master said why, in its own log).
	 */
	if (status != 255 || ((stat(path, &st) < 0 || st.st_size == 0) &&
	    remote_master_alive(r, h))) {
		h->failures = 0;
		h->back_ns = 0;
		h->done++;
		return REMOTE_DONE;
	}
	/*
	 * ssh failed.  The jobs that were running when the host went count
	 * once: only one started after its last failure counts again.
	 */
	if (start_ns < h->failed_ns)
		return REMOTE_AGAIN;
	h->failed_ns = now;
	h->failures++;
	remote_log_line(path, why, sizeof(why));
	if (why[0] == '\0') {
		remote_log_path(r, 0, (size_t)hi, path, sizeof(path));
		remote_log_line(path, why, sizeof(why));
	}
	if (h->failures >= HOST_TRIES) {
		h->gone = 1;
		util_warn(0, "host %s: dropped after %d failures in a row%s%s",
		    h->login, h->failures, why[0] ? ": " : "", why);
	} else
		h->back_ns = now + (HOST_BACKOFF_NS << (h->failures - 1));
	return REMOTE_AGAIN;
}
