/*
 * joblog: GNU parallel's --joblog, written.  Each line is formatted
 * whole in a buffer and appended with one write(2) on an O_APPEND
 * descriptor.  Reading a log back is history.c's.
 */
#include "joblog.h"
#include "job.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	if (strcmp(path, "-") == 0) {
		/* Never read back, so always whole, as GNU writes it. */
		fd = 1;
		append = 0;
	} else {
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
joblog_columns(struct buf *b, const struct job *job, char sep, int pad)
{
	int64_t start = job->start_wall_ns, run = job->end_ns - job->start_ns;
	int exitval, signo;

	if (run < 0)
		run = 0;
	joblog_status(job, &exitval, &signo);
	/* Rounded to the millisecond, as printf("%.3f") rounds. */
	start = (start + 500000) / 1000000;
	/* Send: the bytes of its --pipe block, as GNU's. */
	buf_addf(b, "%ld%c%s%c%lld.%03lld%c%*.3f%c%llu%c%llu%c%d%c%d",
	    job->seq, sep, job->host_name ? job->host_name : ":", sep,
	    (long long)(start / 1000),
	    (long long)(start % 1000), sep, pad ? 10 : 0, (double)run / 1e9,
	    sep, (unsigned long long)job->in_bytes, sep,
	    (unsigned long long)job->out_bytes, sep, exitval, sep, signo);
}

void
joblog_line(struct buf *b, const struct job *job, const char *cmd)
{
	size_t i, n;

	joblog_columns(b, job, '\t', 1);
	buf_addc(b, '\t');
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
