/*
 * history: an earlier run's joblog read back.  The nine fields are
 * parsed strictly enough to catch a file that is not a joblog.  The
 * Seqs that are done are a bitset (one bit per Seq, so a million jobs
 * cost 125 KiB); the commands of those that never succeeded are kept,
 * the last logged one for each, sorted by Seq.
 */
#include "history.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "num.h"
#include "util.h"

/* A Seq larger than this is taken as a corrupt log, not a bitset size. */
#define SEQ_MAX		(1L << 32)

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
	return num_signed(num, LONG_MIN, LONG_MAX, out) < 0 ? -1 : 0;
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
seen_set(struct history *s, long seq)
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
history_has(const struct history *s, long seq)
{
	size_t w = (size_t)seq / 64;

	return seq >= 0 && w < s->nwords &&
	    (s->bits[w] >> (seq % 64) & 1) != 0;
}

static int
cmd_cmp(const void *a, const void *b)
{
	const struct history_cmd *x = a, *y = b;

	if (x->seq != y->seq)
		return x->seq < y->seq ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Sort by Seq; keep the last line of each Seq that never succeeded. */
static void
failed_settle(struct history *s)
{
	size_t i, n = 0;

	/* qsort's array may not be NULL, even when empty. */
	if (s->nfailed == 0)
		return;
	qsort(s->failed, s->nfailed, sizeof(*s->failed), cmd_cmp);
	for (i = 0; i < s->nfailed; i++) {
		struct history_cmd *c = &s->failed[i];

		if (history_has(s, c->seq) ||
		    (i + 1 < s->nfailed && s->failed[i + 1].seq == c->seq)) {
			free(c->cmd);
			continue;
		}
		s->failed[n++] = *c;
	}
	s->nfailed = n;
}

int
history_read(struct history *s, const char *path, enum history_want want,
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
		if (want == HISTORY_LOGGED || ok)
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
		history_free(s);
		return r;
	}
	if (keep_failed)
		failed_settle(s);
	return 0;
}

void
history_free(struct history *s)
{
	size_t i;

	for (i = 0; i < s->nfailed; i++)
		free(s->failed[i].cmd);
	free(s->failed);
	free(s->bits);
	memset(s, 0, sizeof(*s));
}

int
history_load(struct history *s, const char *path, enum history_want want,
    int keep_failed, int must_exist, char *msg, size_t msgsize)
{
	size_t bad = 0;
	int e;

	if (must_exist && access(path, R_OK) < 0) {
		e = -errno;
		snprintf(msg, msgsize, "--retry-failed: cannot read '%s'",
		    path);
		return e;
	}
	e = history_read(s, path, want, keep_failed, &bad);
	if (e == -EINVAL)
		snprintf(msg, msgsize, "--joblog: '%s' line %zu is not a "
		    "joblog line (Seq Host Starttime JobRuntime Send Receive "
		    "Exitval Signal Command, TAB-separated)", path, bad);
	else if (e < 0)
		snprintf(msg, msgsize, "--joblog: cannot read '%s'", path);
	return e;
}
