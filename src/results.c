/*
 * results: a directory descriptor for DIR, and *at() calls relative to
 * it, so a job's files land in DIR even if the working directory or the
 * path's meaning changes during the run.  Every file is opened
 * close-on-exec and created 0666 less the umask, like a shell's '>'.
 */
#include "results.h"
#include "job.h"
#include "joblog.h"
#include "json.h"
#include "spool.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

struct results {
	const char	*name;		/* --results NAME, as given */
	enum results_kind kind;
	int		 named;		/* each job's name, job->res_name */
	int		 dirfd;		/* RESULTS_DIR; "." when named */
	int		 fd;		/* the table */
	int		 own;		/* fd is ours to close (not stdout) */
	int		 header;	/* its CSV/TSV header is written */
	struct buf	 status;	/* a status line, or a table row */
	struct buf	 field;		/* a table's output field */
	struct buf	 path;		/* a named job's file */
	struct buf	 what;		/* what failed: results_what() */
};

enum results_kind
results_kind(const char *name)
{
	static const char *const ext[] = { ".csv", ".tsv", ".json" };
	size_t i, n = strlen(name), e;

	for (i = 0; i < ARRAY_SIZE(ext); i++) {
		e = strlen(ext[i]);
		if (n > e && strcasecmp(name + n - e, ext[i]) == 0)
			return (enum results_kind)(RESULTS_CSV + i);
	}
	return RESULTS_DIR;
}

/*
 * GNU parallel's "-.csv", "-.tsv" and "-.json", spelt exactly so (a
 * "-.CSV" is a file): the table goes to stdout.
 */
static int
to_stdout(const char *name)
{
	return strcmp(name, "-.csv") == 0 || strcmp(name, "-.tsv") == 0 ||
	    strcmp(name, "-.json") == 0;
}

/*
 * The directory path[0, len) and its missing parents, relative to
 * dirfd, as mkdir -p makes them.  0 or -errno.
 */
static int
make_path(int dirfd, const char *path, size_t len)
{
	char *p = xmemdup(path, len);
	size_t i;
	int r = 0;

	for (i = 1; i <= len && r == 0; i++) {
		if (i < len && (p[i] != '/' || p[i - 1] == '/'))
			continue;
		p[i] = '\0';
		if (mkdirat(dirfd, p, 0777) < 0 && errno != EEXIST)
			r = -errno;
		if (i < len)
			p[i] = '/';
	}
	free(p);
	return r;
}

int
results_open(struct results **rp, const char *dir, int named)
{
	enum results_kind kind = results_kind(dir);
	struct results *res;
	int fd, r;

	*rp = NULL;
	if (kind != RESULTS_DIR && to_stdout(dir))
		fd = STDOUT_FILENO;
	else if (kind != RESULTS_DIR)
		fd = open(dir, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	else if (named)
		fd = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	else {
		if ((r = make_path(AT_FDCWD, dir, strlen(dir))) < 0)
			return r;
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	}
	if (fd < 0)
		return -errno;
	res = xcalloc(1, sizeof(*res));
	res->name = dir;
	res->kind = kind;
	res->named = kind == RESULTS_DIR && named;
	res->dirfd = res->fd = fd;
	res->own = fd != STDOUT_FILENO;
	*rp = res;
	return 0;
}

/*
 * A CSV or TSV field as GNU parallel writes one: in double quotes, each
 * '"' doubled, when it holds '"', a blank (Perl's \s), sep or a NUL.
 */
static void
csv_field(struct buf *b, char sep, const char *p, size_t n)
{
	size_t i;

	for (i = 0; i < n && !strchr("\" \t\n\r\f\v", p[i]) &&
	    p[i] != sep && p[i] != '\0'; i++)
		;
	if (i == n) {
		buf_add(b, p, n);
		return;
	}
	buf_addc(b, '"');
	for (i = 0; i < n; i++) {
		if (p[i] == '"')
			buf_addc(b, '"');
		buf_addc(b, p[i]);
	}
	buf_addc(b, '"');
}

static int
field_add(void *ctx, const char *p, size_t n)
{
	buf_add(ctx, p, n);
	return 0;
}

/* A held stream, whole, into res->field; its spool emptied. */
static int
take_spool(struct results *res, struct spool *s)
{
	int r = s->err ? s->err : spool_each(s, field_add, &res->field);

	spool_reset(s);
	return r;
}

/* The row's field: quoted as the table wants it. */
static void
table_field(struct results *res, const char *p, size_t n)
{
	if (res->kind == RESULTS_JSON)
		json_str(&res->status, p, n);
	else
		csv_field(&res->status, res->kind == RESULTS_CSV ? ',' : '\t',
		    p, n);
}

/*
 * A held stream as the row's next field, after sep (CSV, TSV) or key
 * (JSON); its spool emptied.
 */
static int
stream_field(struct results *res, struct spool *s, char sep,
    const char *key)
{
	int r;

	if (res->kind == RESULTS_JSON)
		buf_adds(&res->status, key);
	else
		buf_addc(&res->status, sep);
	buf_clear(&res->field);
	r = take_spool(res, s);
	table_field(res, res->field.p, res->field.len);
	return r;
}

/*
 * --results FILE.csv, .tsv, .json: one row per job, GNU parallel's
 * columns: Seq Host Starttime JobRuntime Send Receive Exitval Signal
 * Command, the values (V1..Vn; in JSON an array "V"), Stdout, Stderr.
 */
static int
table_save(struct results *res, struct job *job, const char *cmd)
{
	static const char *const names[] = { "Seq", "Host", "Starttime",
	    "JobRuntime", "Send", "Receive", "Exitval", "Signal" };
	char sep = res->kind == RESULTS_CSV ? ',' : '\t';
	struct buf *b = &res->status;
	const char *at = NULL, *v, *col, *end;
	size_t i, len;
	int r, r2;

	buf_clear(b);
	if (res->kind != RESULTS_JSON && !res->header) {
		for (i = 0; i < ARRAY_SIZE(names); i++)
			buf_addf(b, "%s%c", names[i], sep);
		buf_adds(b, "Command");
		for (i = 0; i < job->nargs; i++)
			buf_addf(b, "%cV%zu", sep, i + 1);
		buf_addf(b, "%cStdout%cStderr\n", sep, sep);
		res->header = 1;
	}
	if (res->kind == RESULTS_JSON) {
		buf_clear(&res->field);
		joblog_columns(&res->field, job, '\t', 0);
		buf_adds(b, "{ ");
		for (col = res->field.p, i = 0; i < ARRAY_SIZE(names); i++) {
			end = strchr(col, '\t');
			end = end != NULL ? end : col + strlen(col);
			buf_addf(b, "\"%s\": ", names[i]);
			if (i == 1)
				json_str(b, col, (size_t)(end - col));
			else
				buf_add(b, col, (size_t)(end - col));
			buf_adds(b, ", ");
			col = end + (*end != '\0');
		}
		buf_adds(b, "\"Command\": ");
	} else {
		joblog_columns(b, job, sep, 0);
		buf_addc(b, sep);
	}
	table_field(res, cmd, strlen(cmd));
	buf_adds(b, res->kind == RESULTS_JSON ? ", \"V\": [ " : "");
	for (i = 0; i < job->nargs; i++) {
		v = job_value(job, &at, &len);
		if (res->kind != RESULTS_JSON || i > 0)
			buf_addc(b, res->kind == RESULTS_JSON ? ',' : sep);
		table_field(res, v, len);
	}
	r = stream_field(res, &job->out, sep, " ], \"Stdout\": ");
	r2 = stream_field(res, &job->err, sep, ", \"Stderr\": ");
	buf_adds(b, res->kind == RESULTS_JSON ? " }\n" : "\n");
	if (r == 0)
		r = r2;
	if (r < 0)
		return r;
	return write_all(res->fd, b->p, b->len);
}

/*
 * Write a spool (or, when s is NULL, p[0, n)) to path, relative to DIR,
 * replacing it.
 */
static int
save_spool(struct results *res, const char *path, struct spool *s,
    const char *p, size_t n)
{
	int fd, r;

	fd = openat(res->dirfd, path, O_WRONLY | O_CREAT | O_TRUNC |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		return -errno;
	if (s == NULL)
		r = write_all(fd, p, n);
	else
		r = s->err ? s->err : spool_write(s, fd);
	/* On disk before the status that vouches for it. */
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (close(fd) < 0 && r == 0)
		r = -errno;
	if (s != NULL)
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

/*
 * A --results name with replacement strings, expanded for the job
 * (job->res_name), as GNU parallel lays it out: a name ending in '/' is
 * a directory of stdout, stderr and seq; any other is the stdout file
 * itself, beside NAME.err and NAME.seq.  Missing parent directories are
 * made.  Nothing vouches for these files, so --resume cannot use them
 * and they are not synced.  res->path is the file being written.
 */
static int
named_save(struct results *res, struct job *job)
{
	static const char *const dir_files[] = { "stdout", "stderr", "seq" };
	static const char *const files[] = { "", ".err", ".seq" };
	const char *name = job->res_name, *slash;
	size_t n, i;
	int dir, r = 0;
	char seq[24];

	buf_clear(&res->path);
	/* Never prepared (the run stopped first): it has no output. */
	if (name == NULL)
		return 0;
	n = strlen(name);
	dir = n > 0 && name[n - 1] == '/';
	if (n == 0)
		return -ENOENT;
	slash = dir ? name + n : memrchr(name, '/', n);
	if (slash != NULL && slash > name)
		r = make_path(res->dirfd, name, (size_t)(slash - name));
	buf_adds(&res->path, name);
	if (r < 0)
		return r;
	snprintf(seq, sizeof(seq), "%ld", job->seq);
	/* The output first: a name that cannot be a file leaves nothing. */
	for (i = 0; i < ARRAY_SIZE(files) && r == 0; i++) {
		buf_clear(&res->path);
		buf_adds(&res->path, name);
		buf_adds(&res->path, dir ? dir_files[i] : files[i]);
		r = save_spool(res, res->path.p, i == 0 ? &job->out :
		    i == 1 ? &job->err : NULL, seq, strlen(seq));
	}
	return r;
}

/* DIR/<seq>/: stdout, stderr, and the status that vouches for them. */
static int
seq_save(struct results *res, struct job *job, const char *cmd)
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
	snprintf(final, sizeof(final), "%s/stdout", seqdir);
	r2 = save_spool(res, final, &job->out, NULL, 0);
	if (r == 0)
		r = r2;
	snprintf(final, sizeof(final), "%s/stderr", seqdir);
	r2 = save_spool(res, final, &job->err, NULL, 0);
	if (r == 0)
		r = r2;
	snprintf(final, sizeof(final), "%s/status", seqdir);
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

int
results_save(struct results *res, struct job *job, const char *cmd)
{
	int r;

	buf_clear(&res->what);
	if (res->kind != RESULTS_DIR)
		r = table_save(res, job, cmd);
	else if (res->named)
		r = named_save(res, job);
	else
		r = seq_save(res, job, cmd);
	if (r == 0)
		return 0;
	/* Whatever was not written, the job's output is not kept. */
	spool_reset(&job->out);
	spool_reset(&job->err);
	if (res->named && res->path.len == 0)
		buf_addf(&res->what, "--results: '%s' gives job %ld an "
		    "empty name", res->name, job->seq);
	else if (res->named)
		buf_addf(&res->what, "--results: cannot write '%s' for job "
		    "%ld: %s", res->path.p, job->seq, strerror(-r));
	else if (res->kind == RESULTS_DIR)
		buf_addf(&res->what, "--results: cannot write '%s/%ld' for "
		    "job %ld: %s", res->name, job->seq, job->seq,
		    strerror(-r));
	else
		buf_addf(&res->what, "--results: cannot write '%s': %s",
		    res->name, strerror(-r));
	return r;
}

const char *
results_what(const struct results *res)
{
	return res->what.p;
}

void
results_close(struct results *res)
{
	if (res == NULL)
		return;
	if (res->own)
		close(res->dirfd);
	buf_free(&res->status);
	buf_free(&res->field);
	buf_free(&res->path);
	buf_free(&res->what);
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
