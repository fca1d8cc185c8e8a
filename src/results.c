/*
 * results: a directory descriptor for DIR, and *at() calls relative to
 * it, so a job's files land in DIR even if the working directory or the
 * path's meaning changes during the run.  Every file is opened
 * close-on-exec and created 0666 less the umask, like a shell's '>'.
 */
#include "results.h"
#include "job.h"
#include "joblog.h"
#include "spool.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct results {
	int		 dirfd;
	struct buf	 status;
};

int
results_open(struct results **rp, const char *dir)
{
	struct results *res;
	int fd;

	*rp = NULL;
	if (mkdir(dir, 0777) < 0 && errno != EEXIST)
		return -errno;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	res = xcalloc(1, sizeof(*res));
	res->dirfd = fd;
	*rp = res;
	return 0;
}

/* Write a spool to DIR/<seq>/<name>, replacing it. */
static int
save_spool(struct results *res, const char *seqdir, const char *name,
    struct spool *s)
{
	char path[64];
	int fd, r;

	snprintf(path, sizeof(path), "%s/%s", seqdir, name);
	fd = openat(res->dirfd, path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	r = s->err ? s->err : spool_write(s, fd);
	/* On disk before the status that vouches for it. */
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	spool_reset(s);
	return r;
}

static void
status_line(struct buf *b, const struct job *job, const char *cmd)
{
	int64_t start = (job->start_wall_ns + 500000) / 1000000;
	int64_t run = job->end_ns - job->start_ns;
	int exitval, signo;
	const char *p;

	if (run < 0)
		run = 0;
	run = (run + 500000) / 1000000;
	joblog_status(job, &exitval, &signo);
	buf_addf(b, "exit=%d signal=%d start=%lld.%03lld runtime=%lld.%03lld "
	    "command=", exitval, signo, (long long)(start / 1000),
	    (long long)(start % 1000), (long long)(run / 1000),
	    (long long)(run % 1000));
	for (p = cmd; *p != '\0'; p++) {
		if (*p == '\\')
			buf_adds(b, "\\\\");
		else if (*p == '\n')
			buf_adds(b, "\\n");
		else
			buf_addc(b, *p);
	}
	buf_addc(b, '\n');
}

/* Make what a rename or mkdir changed in directory name durable. */
static int
sync_dir(int dirfd, const char *name)
{
	int fd, r = 0;

	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fsync(fd) < 0)
		r = -errno;
	close(fd);
	return r;
}

int
results_save(struct results *res, struct job *job, const char *cmd)
{
	char seqdir[32], tmp[64], final[64];
	int fd, r, r2, made;

	snprintf(seqdir, sizeof(seqdir), "%ld", job->seq);
	made = mkdirat(res->dirfd, seqdir, 0777) == 0;
	if (!made && errno != EEXIST) {
		r = -errno;
		spool_reset(&job->out);
		spool_reset(&job->err);
		return r;
	}
	snprintf(tmp, sizeof(tmp), "%s/.status.tmp", seqdir);
	snprintf(final, sizeof(final), "%s/status", seqdir);
	/* An earlier run's status must not vouch for files being rewritten. */
	r = 0;
	if (!made && unlinkat(res->dirfd, final, 0) < 0 && errno != ENOENT)
		r = -errno;
	r2 = save_spool(res, seqdir, "stdout", &job->out);
	if (r == 0)
		r = r2;
	r2 = save_spool(res, seqdir, "stderr", &job->err);
	if (r == 0)
		r = r2;
	if (r < 0)
		return r;
	buf_clear(&res->status);
	status_line(&res->status, job, cmd);
	fd = openat(res->dirfd, tmp, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	/*
	 * --resume takes a status as proof that the job's files are
	 * whole, so it must never reach the disk before them, nor a
	 * renamed name before its contents: the usual durable rename.
	 */
	r = write_all(fd, res->status.p, res->status.len);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (r == 0 && renameat(res->dirfd, tmp, res->dirfd, final) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(res->dirfd, tmp, 0);
		return r;
	}
	/* Then make the rename itself, and a new <seq>, last. */
	r = sync_dir(res->dirfd, seqdir);
	if (r == 0 && made && fsync(res->dirfd) < 0)
		r = -errno;
	return r;
}

void
results_close(struct results *res)
{
	if (res == NULL)
		return;
	close(res->dirfd);
	buf_free(&res->status);
	free(res);
}

int
results_was_run(const char *dir, long seq, int need_ok)
{
	char path[4096], line[64];
	ssize_t n;
	int fd;

	if ((size_t)snprintf(path, sizeof(path), "%s/%ld/status", dir, seq) >=
	    sizeof(path))
		return 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return 0;
	n = read(fd, line, sizeof(line) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	line[n] = '\0';
	return !need_ok || strncmp(line, "exit=0 signal=0 ", 16) == 0;
}
