/*
 * input: the argument lists of jobs, packed from the combinations of
 * the sources (sources.h), or under --retry-failed the commands an
 * earlier run's joblog (history.c) logged as failed.
 *
 * A job takes one combination, or -n of them (-N0: one, with no
 * arguments), or -L lines of them (with one source; several sources
 * make -L N act as -n N), or with -X/-m as many as fit the budget.
 * The combinations that a -X/-m job does not take are the carry: they
 * stay pending and open the next job.  The
 * values handed out stay pending in the sources until the next
 * input_next(), so that their pointers stay valid; meanwhile
 * input_fill() reads without moving them.
 */
#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "block.h"
#include "part.h"
#include "history.h"
#include "options.h"
#include "sources.h"
#include "spool.h"
#include "util.h"

struct input {
	const struct config *cfg;
	struct sources	*src;		/* NULL under --retry-failed */
	int		 lines_mode;	/* -L with one source */
	size_t		 per_job;	/* -n, or -L for several */

	/* The job being built: pending values [0, job_end), the carry. */
	size_t		 job_end;
	size_t		 njob;		/* combinations in it */
	size_t		 job_cost;
	size_t		 carry;		/* -X: combinations left over */
	size_t		 carry_cost;
	int		 handed;	/* the job was handed out */
	struct arg	*v;
	size_t		 vcap;
	size_t		 njobs_out;

	input_cost_fn	*cost;
	void		*ctx;
	size_t		 budget;
	int		 spread;	/* -X: the end was spread */
	size_t		 cap;		/* -X: most per job, 0 none */

	long		 total;

	struct history	 failed;	/* --retry-failed: the jobs */
	size_t		 next_failed;
	struct arg	 one;

	struct args	*shuf;		/* --shuf: every job, in random order */
	size_t		 nshuf, next_shuf;

	struct blocker	*blk;		/* --pipe: the stream's blocks */
	struct parter	*part;		/* --pipepart: the file's ranges */
	struct arg	 cat;		/* --cat, --fifo: the block's file, {} */
	int		 headless;	/* --pipe: blocks without the header */
	int		 keep_failed;	/* input_keep_failed() */
	/*
	 * --pipe: the next block, cut and kept ahead (input_ahead()) in
	 * ahead's in_fd (and in_path, under --cat and --fifo), else -1;
	 * ahead_off after a failure to keep a block, until one is kept.
	 */
	struct args	 ahead;
	int		 ahead_off;
};

/* For *msg: input_open's callers print it before they exit. */
static char errmsg[PATH_MAX + 256];

static size_t
ceil_div(size_t a, size_t b)
{
	return a / b + (a % b != 0);
}

/* Jobs for so many combinations and -L lines; -1 when not computable. */
static long
jobs_for(const struct input *in, const struct sources_count *c)
{
	const struct config *cfg = in->cfg;
	size_t n;

	if (cfg->xargs_fill || (in->lines_mode && cfg->max_args > 0))
		return -1;
	if (in->lines_mode)
		n = ceil_div(c->combos, (size_t)cfg->max_lines);
	else if (in->per_job > 0)
		n = ceil_div(c->combos, in->per_job);
	else
		n = c->combos;
	return n >= LONG_MAX ? -1 : (long)n;
}

/* The cost of the pending values from on, for -X/-m. */
static size_t
combo_cost(struct input *in, size_t from)
{
	struct arg a;
	size_t i, n, sum = 0, c;

	n = sources_pending(in->src);
	for (i = from; i < n; i++) {
		a.p = sources_value(in->src, i, &a.len);
		c = in->cost != NULL ? in->cost(in->ctx, &a) : a.len + 1;
		sum = c > SIZE_MAX - sum ? SIZE_MAX : sum + c;
	}
	return sum;
}

/*
 * The job keeps its first keep combinations; those after them are the
 * carry.
 */
static void
job_cut(struct input *in, size_t keep)
{
	size_t per = in->job_end / in->njob;

	in->carry = in->njob - keep;
	in->njob = keep;
	in->job_end = keep * per;
	in->carry_cost = combo_cost(in, in->job_end);
}

/*
 * -X/-m, as GNU parallel: the job that meets the end of the input
 * spreads its combinations over the job slots, and no later job takes
 * more than it then does.  Input that fits one job is spread evenly.
 */
static void
spread_end(struct input *in)
{
	const struct config *cfg = in->cfg;
	size_t jobs = cfg->jobs > 0 ? (size_t)cfg->jobs : 1;
	size_t cap = ceil_div(in->njob, jobs);

	in->spread = 1;
	if (in->njob <= 1 || cap >= in->njob)
		return;
	in->cap = cap;
	job_cut(in, cap);
}

static int
job_full(const struct input *in)
{
	const struct config *cfg = in->cfg;

	if (in->njob == 0)
		return 0;
	if (in->lines_mode)
		return in->njob >= (size_t)cfg->max_lines ||
		    (cfg->max_args > 0 && in->njob >= (size_t)cfg->max_args);
	/* -X/-m: full once a combination is carried (see next_job()). */
	if (cfg->xargs_fill)
		return in->carry > 0;
	return in->per_job == 0 || in->njob >= in->per_job;
}

/*
 * The job handed out last is gone: release its values and keep the
 * carry, which opens the next job.
 */
static void
job_release(struct input *in)
{
	sources_release(in->src, in->job_end);
	in->job_end = sources_pending(in->src);
	in->njob = in->carry;
	in->job_cost = in->carry ? in->carry_cost : 0;
	in->carry = 0;
	in->handed = 0;
	if (in->cap > 0 && in->njob > in->cap)
		job_cut(in, in->cap);
}

static int
next_job(struct input *in, struct args *a)
{
	size_t start, cost, i;
	int r;

	if (in->src == NULL)
		return 0;
	if (in->handed)
		job_release(in);
	while (!job_full(in)) {
		start = sources_pending(in->src);
		if ((r = sources_next(in->src)) < 0)
			return r;
		if (r == 0) {
			if (in->cfg->xargs_fill && !in->spread)
				spread_end(in);
			break;
		}
		if (in->cfg->xargs_fill) {
			/*
			 * One more is taken even when the job is full:
			 * only so is the end seen, to spread it.
			 */
			cost = combo_cost(in, start);
			if (in->njob > 0 && (cost > in->budget ||
			    in->job_cost > in->budget - cost ||
			    (in->cap > 0 && in->njob >= in->cap))) {
				in->carry = 1;
				in->carry_cost = cost;
				break;
			}
			in->job_cost += cost;
		}
		in->job_end = sources_pending(in->src);
		in->njob++;
	}
	if (in->njob == 0)
		return 0;
	in->v = xgrow(in->v, &in->vcap, in->job_end, sizeof(*in->v));
	for (i = 0; i < in->job_end; i++)
		in->v[i].p = sources_value(in->src, i, &in->v[i].len);
	a->v = in->v;
	a->n = in->cfg->no_args ? 0 : in->job_end;
	a->nrecords = in->njob;
	in->handed = 1;
	in->njobs_out++;
	return 1;
}

/*
 * --shuf: every job made first, from the input read whole (see
 * input_slurp()), each with a copy of its values in one block, then
 * shuffled (Fisher-Yates).  Job numbers follow the order they run in.
 */
static int
shuf_make(struct input *in)
{
	struct args a, *j;
	size_t i, k, cap = 0, bytes;
	char *p;
	int r;

	while ((r = next_job(in, &a)) > 0) {
		for (bytes = 0, i = 0; i < a.n; i++)
			bytes += a.v[i].len;
		in->shuf = xgrow(in->shuf, &cap, in->nshuf + 1,
		    sizeof(*in->shuf));
		j = &in->shuf[in->nshuf++];
		j->v = xmalloc(a.n * sizeof(*j->v) + bytes + 1);
		j->n = a.n;
		j->nrecords = a.nrecords;
		p = (char *)(j->v + a.n);
		for (i = 0; i < a.n; i++) {
			memcpy(p, a.v[i].p, a.v[i].len);
			j->v[i].p = p;
			j->v[i].len = a.v[i].len;
			p += a.v[i].len;
		}
	}
	if (r < 0)
		return r;
	srandom((unsigned)(clock_wall_ns() ^ (int64_t)getpid()));
	for (k = in->nshuf; k > 1; k--) {
		i = (size_t)random() % k;
		a = in->shuf[k - 1];
		in->shuf[k - 1] = in->shuf[i];
		in->shuf[i] = a;
	}
	return 0;
}

/*
 * --pipepart: len bytes of the file from off, to fd, copied by the
 * kernel where it can, else through a buffer.
 */
static int
copy_range(int from, off_t off, size_t len, int fd)
{
	char buf[64 * 1024];
	ssize_t n;
	int r;

	while (len > 0) {
		n = copy_file_range(from, &off, fd, NULL, len, 0);
		if (n > 0) {
			len -= (size_t)n;
			continue;
		}
		if (n == 0)
			return -EIO;	/* the file shrank */
		if (errno == EINTR)
			continue;
		if (errno != EXDEV && errno != EINVAL && errno != ENOSYS &&
		    errno != EOPNOTSUPP)
			return -errno;
		n = pread(from, buf, len < sizeof(buf) ? len : sizeof(buf),
		    off);
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		if ((r = write_all(fd, buf, (size_t)n)) < 0)
			return r;
		off += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * --fifo: a new fifo in dir, mode 0600, its name in *path.  mkfifo(3)
 * has no template of its own: mkostemp(3) finds a free name, which the
 * fifo takes once the file is gone; another taking it meanwhile makes
 * us look again.
 */
static int
fifo_make(const char *dir, struct buf *path)
{
	int fd, tries;

	for (tries = 0; tries < 100; tries++) {
		buf_clear(path);
		buf_addf(path, "%s/fanout-fifo.XXXXXX", dir);
		if ((fd = mkostemp(path->p, O_CLOEXEC)) < 0)
			return -errno;
		close(fd);
		if (unlink(path->p) < 0)
			return -errno;
		if (mkfifo(path->p, 0600) == 0)
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

/*
 * --pipe: the block in a temp file, which becomes the job's stdin (and
 * under --cat, with a name, its {}; under --fifo, what a fifo named {}
 * is fed): b's bytes, or under --pipepart --cat the file's range at
 * off.  On a failure nothing was taken.
 */
static int
block_save(struct input *in, const struct block *b, off_t off,
    struct args *a)
{
	const struct config *cfg = in->cfg;
	struct buf path = { 0 };
	size_t head_len;
	int fd, r;

	if (!cfg->pipe_cat) {
		if (cfg->pipe_fifo && (r = fifo_make(cfg->tmpdir, &path)) < 0) {
			buf_free(&path);
			return r;
		}
		fd = spool_tmpfile(cfg->tmpdir);
	} else {
		buf_addf(&path, "%s/fanout-block.XXXXXX", cfg->tmpdir);
		if ((fd = mkostemp(path.p, O_CLOEXEC)) < 0)
			fd = -errno;
	}
	if (fd < 0) {
		if (cfg->pipe_fifo)
			unlink(path.p);
		buf_free(&path);
		return fd;
	}
	head_len = in->headless ? 0 : b->head_len;
	if ((r = write_all(fd, b->head, head_len)) < 0 ||
	    (r = b->p != NULL ? write_all(fd, b->p, b->len) :
	    copy_range(part_fd(in->part), off, b->len, fd)) < 0) {
		close(fd);
		if (path.p != NULL)
			unlink(path.p);
		buf_free(&path);
		return r;
	}
	a->in_fd = fd;
	a->in_bytes = head_len + b->len;
	a->in_path = path.p;
	a->in_fifo = cfg->pipe_fifo;
	return 0;
}

/*
 * --pipepart without --cat: the block is the file's range at off, in
 * the file's own descriptor, and the --header bytes, fed to the job
 * (feed.h) through its stdin pipe (a feed's, or under --round-robin
 * the dealer's) or a fifo named {} (--fifo); nothing is copied.  On a
 * failure nothing was taken.
 */
static int
range_take(struct input *in, const struct block *b, off_t off,
    struct args *a)
{
	const struct config *cfg = in->cfg;
	struct buf path = { 0 };
	int r;

	if (cfg->pipe_fifo && (r = fifo_make(cfg->tmpdir, &path)) < 0) {
		buf_free(&path);
		return r;
	}
	a->in_fd = part_fd(in->part);
	a->in_shared = 1;
	a->in_off = (uint64_t)off;
	a->in_head = in->headless ? NULL : b->head;
	a->in_head_len = in->headless ? 0 : b->head_len;
	a->in_bytes = a->in_head_len + b->len;
	a->in_path = path.p;
	a->in_fifo = cfg->pipe_fifo;
	a->in_fed = !cfg->pipe_fifo;
	return 0;
}

void
input_no_block(struct args *a)
{
	a->in_fd = -1;
	a->in_bytes = 0;
	a->in_off = 0;
	a->in_head = NULL;
	a->in_head_len = 0;
	a->in_path = NULL;
	a->in_fifo = 0;
	a->in_fed = 0;
	a->in_shared = 0;
}

/*
 * --pipe: the stream's next block, kept in its temp file (block_save()).
 * 1, 0 at the end, -EAGAIN when more input is needed, or a failure to
 * keep it, after which the same block comes again and input_ahead()
 * keeps none until a block is kept.
 */
static int
stream_block(struct input *in, struct args *a)
{
	struct block b = { 0 };
	int r;

	if ((r = block_next(in->blk, &b)) <= 0)
		return r;
	if ((r = block_save(in, &b, 0, a)) < 0) {
		block_keep(in->blk);
		in->keep_failed = in->ahead_off = 1;
		return r;
	}
	in->ahead_off = 0;
	return 1;
}

int
input_ahead(struct input *in)
{
	int r;

	if (in->blk == NULL || in->ahead.in_fd >= 0 || in->ahead_off)
		return 0;
	r = stream_block(in, &in->ahead);
	return r == -EAGAIN ? r : 0;
}

void
input_ahead_drop(struct input *in)
{
	if (in->ahead.in_fd < 0)
		return;
	close(in->ahead.in_fd);
	if (in->ahead.in_path != NULL)
		unlink(in->ahead.in_path);
	free(in->ahead.in_path);
	input_no_block(&in->ahead);
}

/*
 * --pipe: a job per block.  Its arguments are --cat's file, or the
 * next of the sources' (held) when there are any, as GNU gives them;
 * none once they run out.
 */
static int
pipe_next(struct input *in, struct args *a)
{
	struct block b = { 0 };
	off_t off = 0;
	int r;

	in->keep_failed = 0;
	if (in->part != NULL) {
		if ((r = part_next(in->part, &off, &b.len)) <= 0)
			return r;
		b.head = part_head(in->part, &b.head_len);
		r = in->cfg->pipe_cat ?
		    block_save(in, &b, off, a) : range_take(in, &b, off, a);
		if (r < 0) {
			part_back(in->part, off);
			in->keep_failed = 1;
			return r;
		}
	} else if (in->ahead.in_fd >= 0) {
		/* Its block's fields alone: the rest are set below. */
		*a = in->ahead;
		input_no_block(&in->ahead);
	} else if ((r = stream_block(in, a)) <= 0)
		return r;
	a->n = a->nrecords = 0;
	if (in->cfg->pipe_cat || in->cfg->pipe_fifo) {
		in->cat.p = a->in_path;
		in->cat.len = strlen(a->in_path);
		a->v = &in->cat;
		a->n = 1;
	} else if (in->src != NULL && next_job(in, a) <= 0)
		a->n = 0;
	return 1;
}

void
input_pipe_head(struct input *in, int with)
{
	/* A block kept ahead was cut with the header or without. */
	if (in->ahead.in_fd >= 0 && in->headless == with)
		BUG("--header changed for a block kept ahead");
	in->headless = !with;
}

int
input_next(struct input *in, struct args *a)
{
	int r;

	input_no_block(a);
	if (in->blk != NULL || in->part != NULL)
		return pipe_next(in, a);
	if (!in->cfg->shuf)
		return next_job(in, a);
	if (in->shuf == NULL && (r = shuf_make(in)) < 0)
		return r;
	if (in->next_shuf > 0) {
		free(in->shuf[in->next_shuf - 1].v);
		in->shuf[in->next_shuf - 1].v = NULL;
	}
	if (in->next_shuf == in->nshuf)
		return 0;
	*a = in->shuf[in->next_shuf++];
	input_no_block(a);
	return 1;
}

int
input_keep_failed(const struct input *in)
{
	return in->keep_failed;
}

int
input_fd(const struct input *in)
{
	if (in->blk != NULL)
		return block_fd(in->blk);
	return in->src != NULL ? sources_fd(in->src) : -1;
}

int
input_fill(struct input *in)
{
	if (in->blk != NULL)
		return block_fill(in->blk);
	return in->src != NULL ? sources_fill(in->src, !in->handed) : 0;
}

int
input_slurp(struct input *in)
{
	struct sources_count c;
	int r;

	if (in->src == NULL || in->cfg->pipe || in->total >= 0 ||
	    in->njobs_out > 0)
		return 0;
	if ((r = sources_slurp(in->src, &c)) <= 0)
		return r;
	in->total = jobs_for(in, &c);
	return 0;
}

void
input_set_budget(struct input *in, input_cost_fn *fn, void *ctx,
    size_t budget)
{
	in->cost = fn;
	in->ctx = ctx;
	in->budget = budget;
}

const char *const *
input_names(const struct input *in, size_t *n)
{
	if (in->src == NULL) {
		*n = 0;
		return NULL;
	}
	return sources_names(in->src, n);
}

long
input_total(const struct input *in)
{
	return in->total;
}

/*
 * --retry-failed: the jobs are the commands an earlier run logged as
 * failed, and the sources are ignored, as GNU does.
 */
static int
failed_open(struct input *in)
{
	const struct config *cfg = in->cfg;
	int r;

	in->total = 0;
	if (cfg->joblog == NULL)
		return 0;
	r = history_load(&in->failed, cfg->joblog, HISTORY_SUCCEEDED, 1, 1,
	    errmsg, sizeof(errmsg));
	in->total = (long)in->failed.nfailed;
	return r;
}

int
input_next_failed(struct input *in, struct args *a, long *seq)
{
	struct history_cmd *c;

	if (in->next_failed >= in->failed.nfailed)
		return 0;
	input_no_block(a);
	c = &in->failed.failed[in->next_failed++];
	in->one.p = c->cmd;
	in->one.len = strlen(c->cmd);
	a->v = &in->one;
	a->n = 1;
	a->nrecords = 1;
	*seq = c->seq;
	return 1;
}

long
input_count(struct input *in)
{
	const struct config *cfg = in->cfg;
	struct sources_count c;
	int r;

	if (in->src == NULL || cfg->pipe || in->total >= 0 ||
	    !(cfg->progress || cfg->bar || cfg->eta))
		return in->total;
	if ((r = sources_count_file(in->src, &c)) <= 0)
		return r == 0 ? in->total : -1;
	return jobs_for(in, &c);
}

/* Open the sources; the number of jobs when it is known now. */
static int
sources_setup(struct input *in)
{
	struct sources_count c;
	int r;

	if ((r = sources_open(&in->src, in->cfg, errmsg,
	    sizeof(errmsg))) < 0)
		return r;
	in->lines_mode = in->cfg->max_lines > 0 &&
	    sources_len(in->src) == 1;
	if (sources_known(in->src, &c))
		in->total = c.combos == 0 ? 0 : jobs_for(in, &c);
	return 0;
}

/*
 * --pipe: the blocks of the stream (standard input, or the file options
 * took from the sources); the sources left give the jobs' arguments,
 * read whole now, so that a job never waits for them.
 */
static int
pipe_open(struct input *in)
{
	const struct config *cfg = in->cfg;
	struct block_rules ru = {
		.recend = cfg->recend, .recend_len = cfg->recend_len,
		.recstart = cfg->recstart, .recstart_len = cfg->recstart_len,
		.regexp = cfg->regexp, .rrs = cfg->rrs,
		.size = cfg->block_size, .header = cfg->pipe_header,
		.records = cfg->max_args > 0 ? cfg->max_args : cfg->max_lines,
	};
	struct sources_count c;
	int r;

	/*
	 * --tee: the jobs are the sources' combinations, as without --pipe;
	 * each reads the whole stream (tee.h), which the input never opens.
	 */
	if (cfg->tee) {
		if ((r = sources_setup(in)) < 0 ||
		    (r = sources_slurp(in->src, &c)) < 0)
			return r;
		if (r > 0)
			in->total = jobs_for(in, &c);
		return 0;
	}
	if (cfg->pipepart) {
		r = part_open(&in->part, &ru, cfg->pipe_path,
		    cfg->blocks_per_slot, cfg->jobs);
		if (r == -ESPIPE)
			snprintf(errmsg, sizeof(errmsg), "--pipepart: '%s' is "
			    "not a regular file (use --pipe)", cfg->pipe_path);
		else if (r < 0)
			snprintf(errmsg, sizeof(errmsg), "%s", cfg->pipe_path);
		if (r < 0)
			return r == -ESPIPE ? -EINVAL : r;
	} else if ((r = block_open(&in->blk, &ru, cfg->pipe_path, errmsg,
	    sizeof(errmsg))) < 0) {
		if (r != -EINVAL)
			snprintf(errmsg, sizeof(errmsg), "%s",
			    cfg->pipe_path ? cfg->pipe_path : "standard input");
		return r;
	}
	if (cfg->nsources == 0)
		return 0;
	if ((r = sources_setup(in)) < 0)
		return r;
	r = sources_slurp(in->src, &c);
	return r < 0 ? r : 0;
}

int
input_open(struct input **inp, const struct config *cfg, const char **msg)
{
	struct input *in;
	int r;

	*inp = NULL;
	*msg = NULL;
	in = xcalloc(1, sizeof(*in));
	in->cfg = cfg;
	if (cfg->max_args > 0)
		in->per_job = (size_t)cfg->max_args;
	else if (cfg->max_lines > 0)
		in->per_job = (size_t)cfg->max_lines;
	if (cfg->xargs_fill && cfg->max_args > 0)
		in->cap = (size_t)cfg->max_args;
	in->budget = SIZE_MAX;
	in->total = -1;
	input_no_block(&in->ahead);
	r = cfg->retry_failed ? failed_open(in) :
	    cfg->pipe ? pipe_open(in) : sources_setup(in);
	if (r < 0) {
		*msg = errmsg;
		input_close(in);
		return r;
	}
	*inp = in;
	return 0;
}

void
input_close(struct input *in)
{
	size_t i;

	if (in == NULL)
		return;
	sources_close(in->src);
	input_ahead_drop(in);
	block_close(in->blk);
	part_close(in->part);
	history_free(&in->failed);
	for (i = 0; i < in->nshuf; i++)
		free(in->shuf[i].v);
	free(in->shuf);
	free(in->v);
	free(in);
}
