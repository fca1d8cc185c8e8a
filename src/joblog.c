/*
 * joblog: GNU parallel's --joblog.  Writing formats a whole line in a
 * buffer and appends it with one write(2) on an O_APPEND descriptor;
 * reading parses the nine fields strictly enough to catch a file that
 * is not a joblog, and records which Seqs need not run again in a
 * bitset (one bit per Seq, so a million jobs cost 125 KiB).
 */
#include "joblog.h"
#include "job.h"
#include "options.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A Seq larger than this is taken as a corrupt log, not a bitset size. */
#define SEQ_MAX		(1L << 32)

static const char header[] =
    "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\t"
    "Command\n";

struct joblog {
	int		 fd;
	int		 owned;
	struct buf	 line;
};

int
joblog_open(struct joblog **jp, const char *path, int append)
{
	struct joblog *j;
	struct stat st;
	char last;
	int fd, r;

	*jp = NULL;
	if (strcmp(path, "-") == 0)
		fd = 1;
	else {
		/* Read access only to check the last byte, when allowed. */
		fd = open(path, O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC |
		    (append ? 0 : O_TRUNC), 0666);
		if (fd < 0 && errno == EACCES)
			fd = open(path, O_WRONLY | O_CREAT | O_APPEND |
			    O_CLOEXEC | (append ? 0 : O_TRUNC), 0666);
		if (fd < 0)
			return -errno;
	}
	if (fstat(fd, &st) < 0) {
		r = -errno;
		goto fail;
	}
	if ((!append || (S_ISREG(st.st_mode) && st.st_size == 0)) &&
	    (r = write_all(fd, header, sizeof(header) - 1)) < 0)
		goto fail;
	/* A log some other program left unfinished: end its last line. */
	if (append && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
	    (r = write_all(fd, "\n", 1)) < 0)
		goto fail;
	j = xcalloc(1, sizeof(*j));
	j->fd = fd;
	j->owned = fd != 1;
	*jp = j;
	return 0;
fail:
	if (fd != 1)
		close(fd);
	return r;
}

void
joblog_status(const struct job *job, int *exitval, int *signo)
{
	*exitval = 0;
	*signo = 0;
	switch (job->end) {
	case JOB_EXITED:
	case JOB_SPAWN_FAILED:
		*exitval = job->status;
		break;
	case JOB_SIGNALED:
		*signo = job->status;
		break;
	case JOB_LOST:
		*exitval = -1;
		break;
	}
	if (job->timed_out)
		*exitval = -1;
}

void
joblog_line(struct buf *b, const struct job *job, const char *cmd)
{
	int64_t start = job->start_wall_ns, run = job->end_ns - job->start_ns;
	int exitval, signo;
	size_t i, n;

	if (run < 0)
		run = 0;
	joblog_status(job, &exitval, &signo);
	/* Rounded to the millisecond, as printf("%.3f") rounds. */
	start = (start + 500000) / 1000000;
	buf_addf(b, "%ld\t:\t%lld.%03lld\t%10.3f\t0\t%llu\t%d\t%d\t",
	    job->seq, (long long)(start / 1000), (long long)(start % 1000),
	    (double)run / 1e9, (unsigned long long)job->out_bytes, exitval,
	    signo);
	n = strlen(cmd);
	i = b->len;
	buf_add(b, cmd, n);
	/* GNU: "Newlines make it hard to parse the joblog". */
	for (; i < b->len; i++)
		if (b->p[i] == '\n')
			b->p[i] = '\0';
	buf_addc(b, '\n');
}

int
joblog_write(struct joblog *j, const struct job *job, const char *cmd)
{
	buf_clear(&j->line);
	joblog_line(&j->line, job, cmd);
	return write_all(j->fd, j->line.p, j->line.len);
}

void
joblog_close(struct joblog *j)
{
	if (j == NULL)
		return;
	if (j->owned)
		close(j->fd);
	buf_free(&j->line);
	free(j);
}

/* A whole number, blanks before it allowed (JobRuntime is padded). */
static int
field_long(const char *p, const char *end, long *out)
{
	char num[32];
	size_t n;

	while (p < end && *p == ' ')
		p++;
	n = (size_t)(end - p);
	if (n == 0 || n >= sizeof(num))
		return -1;
	memcpy(num, p, n);
	num[n] = '\0';
	return options_long(num, LONG_MIN, LONG_MAX, out) < 0 ? -1 : 0;
}

/* A number as GNU's reader accepts it: [-0-9.]+ after blanks. */
static int
field_number(const char *p, const char *end)
{
	while (p < end && *p == ' ')
		p++;
	if (p == end)
		return -1;
	for (; p < end; p++)
		if (*p != '-' && *p != '.' && (*p < '0' || *p > '9'))
			return -1;
	return 0;
}

/*
 * Parse one line (without its newline).  0 and the fields, or -1 when
 * it is not a joblog line.
 */
static int
parse_line(char *p, size_t len, long *seq, int *ok, char **cmd)
{
	char *f[9], *end = p + len;
	long v, exitval, signo;
	size_t n = 0;

	f[n++] = p;
	while (n < 9 && (p = memchr(p, '\t', (size_t)(end - p))) != NULL) {
		*p++ = '\0';
		f[n++] = p;
	}
	if (n < 9)
		return -1;
	if (field_long(f[0], f[1] - 1, &v) < 0 || v < 1 || v > SEQ_MAX ||
	    f[1][0] == '\0' || field_number(f[2], f[3] - 1) < 0 ||
	    field_number(f[3], f[4] - 1) < 0 ||
	    field_number(f[4], f[5] - 1) < 0 ||
	    field_number(f[5], f[6] - 1) < 0 ||
	    field_long(f[6], f[7] - 1, &exitval) < 0 ||
	    field_long(f[7], f[8] - 1, &signo) < 0)
		return -1;
	*seq = v;
	*ok = exitval == 0 && signo == 0;
	*cmd = f[8];
	/* Undo the writer's newline-to-NUL. */
	for (p = f[8]; p < end; p++)
		if (*p == '\0')
			*p = '\n';
	return 0;
}

static void
seen_set(struct joblog_seen *s, long seq)
{
	size_t w = (size_t)seq / 64, old = s->nwords;

	if (w >= s->nwords) {
		s->nwords = w + 1 > 2 * old ? w + 1 : 2 * old;
		s->bits = xrealloc(s->bits, s->nwords * sizeof(*s->bits));
		memset(s->bits + old, 0, (s->nwords - old) * sizeof(*s->bits));
	}
	s->bits[w] |= (uint64_t)1 << (seq % 64);
}

int
joblog_seen_has(const struct joblog_seen *s, long seq)
{
	size_t w = (size_t)seq / 64;

	return seq >= 0 && w < s->nwords &&
	    (s->bits[w] >> (seq % 64) & 1) != 0;
}

static int
cmd_cmp(const void *a, const void *b)
{
	const struct joblog_cmd *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort by Seq; keep the last line of each Seq that never succeeded. */
static void
failed_settle(struct joblog_seen *s)
{
	size_t i, n = 0;

	/* qsort's array may not be NULL, even when empty. */
	if (s->nfailed == 0)
		return;
	qsort(s->failed, s->nfailed, sizeof(*s->failed), cmd_cmp);
	for (i = 0; i < s->nfailed; i++) {
		struct joblog_cmd *c = &s->failed[i];

		if (joblog_seen_has(s, c->seq) ||
		    (i + 1 < s->nfailed && s->failed[i + 1].seq == c->seq)) {
			free(c->cmd);
			continue;
		}
		s->failed[n++] = *c;
	}
	s->nfailed = n;
}

int
joblog_read(struct joblog_seen *s, const char *path, enum joblog_want want,
    int keep_failed, size_t *bad_line)
{
	char *line = NULL, *cmd;
	size_t cap = 0, nline = 0;
	ssize_t len;
	long seq;
	int ok, r = 0;
	FILE *f;

	memset(s, 0, sizeof(*s));
	if ((f = fopen(path, "re")) == NULL)
		return errno == ENOENT ? 0 : -errno;
	while ((len = getline(&line, &cap, f)) > 0) {
		nline++;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if (parse_line(line, (size_t)len, &seq, &ok, &cmd) < 0) {
			/* GNU always skips the first line: the header. */
			if (nline == 1)
				continue;
			*bad_line = nline;
			r = -EINVAL;
			break;
		}
		if (want == JOBLOG_LOGGED || ok)
			seen_set(s, seq);
		if (keep_failed && !ok) {
			s->failed = xgrow(s->failed, &s->cap, s->nfailed + 1,
			    sizeof(*s->failed));
			s->failed[s->nfailed].seq = seq;
			s->failed[s->nfailed].cmd = xstrdup(cmd);
			s->failed[s->nfailed++].line = nline;
		}
	}
	if (r == 0 && ferror(f))
		r = -EIO;
	free(line);
	fclose(f);
	if (r < 0) {
		joblog_seen_free(s);
		return r;
	}
	if (keep_failed)
		failed_settle(s);
	return 0;
}

void
joblog_seen_free(struct joblog_seen *s)
{
	size_t i;

	for (i = 0; i < s->nfailed; i++)
		free(s->failed[i].cmd);
	free(s->failed);
	free(s->bits);
	memset(s, 0, sizeof(*s));
}
