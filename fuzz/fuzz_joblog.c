/*
 * The joblog reader behind --resume, --resume-failed and --retry-failed
 * (src/joblog.c).  The first byte picks a test.  Even: the rest is a
 * log file, read in every mode; whatever it holds, a read that succeeds
 * keeps the failed commands sorted by Seq, once each, none of them
 * done.  Odd: the rest describes jobs; their lines, as joblog_line
 * writes them (with or without GNU's header), read back to exactly the
 * Seqs that succeeded and, for the others, the last command logged,
 * newlines and all.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "history.h"
#include "job.h"
#include "joblog.h"
#include "util.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAXSEQ	4096
#define MAXJOB	64

static int	fd = -1;
static char	path[64];

static void
set_file(const void *p, size_t n)
{
	if (fd < 0) {
		if ((fd = memfd_create("fuzz_joblog", 0)) < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) < 0 || (n > 0 && pwrite_all(fd, p, n, 0) < 0))
		abort();
}

static void
check_seen(const struct history *s)
{
	size_t i;

	for (i = 0; i < s->nfailed; i++) {
		if (s->failed[i].seq < 1 || s->failed[i].cmd == NULL ||
		    history_has(s, s->failed[i].seq))
			abort();
		if (i > 0 && s->failed[i - 1].seq >= s->failed[i].seq)
			abort();
	}
}

static void
read_any(const uint8_t *data, size_t size)
{
	struct history s;
	size_t bad = 0;
	int want, keep, r;

	set_file(data, size);
	for (want = 0; want < 2; want++) {
		for (keep = 0; keep < 2; keep++) {
			r = history_read(&s, path, want ? HISTORY_SUCCEEDED :
			    HISTORY_LOGGED, keep, &bad);
			if (r == -EINVAL) {
				/* Line 1 may be a header, never wrong. */
				if (bad < 2)
					abort();
				continue;
			}
			if (r < 0)
				abort();
			if (!keep && s.nfailed != 0)
				abort();
			check_seen(&s);
			history_free(&s);
		}
	}
}

/* Take n bytes from the description, zeros past its end. */
static uint64_t
take(const uint8_t **p, const uint8_t *end, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | (*p < end ? *(*p)++ : 0);
	return v;
}

static void
round_trip(const uint8_t *p, const uint8_t *end)
{
	static const char header[] = "Seq\tHost\tStarttime\tJobRuntime\tSend"
	    "\tReceive\tExitval\tSignal\tCommand\n";
	static signed char ok[MAXSEQ + 1];	/* -1 failed, 1 succeeded */
	static const char *last[MAXSEQ + 1];
	struct job jobs[MAXJOB];
	char *cmds[MAXJOB];
	struct history s;
	struct buf log = { 0 };
	size_t n, i, k, bad = 0, clen;
	int exitval, signo;
	long seq;

	memset(ok, 0, sizeof(ok));
	memset(last, 0, sizeof(last));
	if (take(&p, end, 1) & 1)
		buf_adds(&log, header);
	for (n = 0; n < MAXJOB && p < end; n++) {
		struct job *j = &jobs[n];

		memset(j, 0, sizeof(*j));
		j->seq = (long)(take(&p, end, 2) % MAXSEQ) + 1;
		j->end = (enum job_end)(take(&p, end, 1) % 4);
		j->status = (int)take(&p, end, 1);
		if (j->end == JOB_SPAWN_FAILED)
			j->status = 126 + (j->status & 1);
		if (j->end == JOB_SIGNALED)
			j->status = j->status % 64 + 1;
		j->timed_out = (int)take(&p, end, 1) % 5 == 0;
		j->start_wall_ns = (int64_t)(take(&p, end, 8) >> 2);
		j->start_ns = 0;
		j->end_ns = (int64_t)(take(&p, end, 5));
		j->out_bytes = take(&p, end, 8);
		clen = take(&p, end, 1);
		if (clen > (size_t)(end - p))
			clen = (size_t)(end - p);
		cmds[n] = xmemdup(p, clen);
		p += clen;
		joblog_line(&log, j, cmds[n]);
		joblog_status(j, &exitval, &signo);
		seq = j->seq;
		if (exitval == 0 && signo == 0)
			ok[seq] = 1;
		else if (ok[seq] != 1)
			ok[seq] = -1;
		if (ok[seq] == -1)
			last[seq] = cmds[n];
	}
	set_file(log.p, log.len);
	if (history_read(&s, path, HISTORY_SUCCEEDED, 1, &bad) != 0)
		abort();	/* our own log, refused */
	for (seq = 1, k = 0; seq <= MAXSEQ; seq++) {
		if (history_has(&s, seq) != (ok[seq] == 1))
			abort();
		if (ok[seq] != -1)
			continue;
		/* The command, its newlines back from the NULs. */
		if (k >= s.nfailed || s.failed[k].seq != seq)
			abort();
		clen = strlen(last[seq]);
		if (strlen(s.failed[k].cmd) != clen ||
		    memcmp(s.failed[k].cmd, last[seq], clen) != 0)
			abort();
		k++;
	}
	if (k != s.nfailed)
		abort();
	history_free(&s);
	buf_free(&log);
	for (i = 0; i < n; i++)
		free(cmds[i]);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		round_trip(data + 1, data + size);
	else
		read_any(data + 1, size - 1);
	return 0;
}
