/*
 * input: turns the input sources into the argument lists of jobs, in
 * input order.  One source is streamed: a job's arguments are handed out
 * as soon as its record has arrived, and memory does not grow with the
 * number of records.  With several sources every combination is made,
 * the first source varying slowest (GNU parallel's order); the sources
 * after the first are held.  --link, ":::+" and "::::+" pair sources
 * element by element instead, a shorter source wrapping around.
 *
 * Records are bytes: any byte but the delimiter passes through.  A final
 * record without a delimiter still counts.
 *
 * Single-threaded: only the scheduler's thread calls these.
 */
#ifndef FANOUT_INPUT_H
#define FANOUT_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct config;

/* One value: bytes and length; p[len] is always '\0'. */
struct arg {
	const char	*p;
	size_t		 len;
};

/*
 * A job's arguments: {1}..{n}.  With one source and no -n/-X, n is the
 * number of columns (1 without --colsep).  With several sources, the
 * columns of each source in order.  With -n N, up to N records.  With
 * -X/-m, as many records as fit.  The memory belongs to the input and
 * stays valid until the next input_next().
 */
struct args {
	struct arg	*v;
	size_t		 n;
	size_t		 nrecords;	/* records consumed for this job */
	/*
	 * --pipe: the block, in_bytes long, in a temp file the taker owns
	 * from then on (close in_fd; unlink in_path, set under --cat and
	 * --fifo); else -1.  Under --pipepart (but for --cat) it is not
	 * copied: in_fd is the input file's descriptor, shared by every
	 * block and the input's (in_shared: never close it; it stays open
	 * until input_close()), and the block is in_head's in_head_len
	 * bytes (--header's, the input's too) then the file's bytes from
	 * in_off, to be read at offsets of the reader's own (a feed_src,
	 * feed.h); in_fed is 1 when the job's stdin is to be a pipe fed
	 * them (by a feed of its own, or under --round-robin by the
	 * dealer, with the blocks after).  Under --fifo in_path is a
	 * fifo, {}, to be fed the block, and in_fifo is 1.
	 */
	int		 in_fd;
	uint64_t	 in_bytes;
	uint64_t	 in_off;
	const char	*in_head;
	size_t		 in_head_len;
	char		*in_path;
	int		 in_fifo;
	int		 in_fed;
	int		 in_shared;
};

/* a's block fields set to no block (in_fd -1), its values untouched. */
void	input_no_block(struct args *a);

struct input;

/*
 * Cost, in bytes of command line, of adding one value to a -X/-m job;
 * the input packs values while the sum stays within the budget.
 */
typedef size_t	input_cost_fn(void *ctx, const struct arg *);

/*
 * Open the sources named by cfg; under --retry-failed, read the joblog
 * instead.  Sources after the first, and --header lines, are read here.
 * Returns 0 or -errno; on error *msg (static or owned by the input,
 * printable) names the file that failed (-EINVAL: the message alone
 * says it).
 */
int	input_open(struct input **, const struct config *cfg,
	    const char **msg);

/* For -X/-m: how to measure values, and the room for them. */
void	input_set_budget(struct input *, input_cost_fn *, void *ctx,
	    size_t budget);

/*
 * The next job's arguments.  Returns 1 and fills *a; 0 at the end of the
 * input; -EAGAIN when the next record needs a read that could block
 * (a pipe or terminal): wait until input_fd() is readable, call
 * input_fill(), and ask again; another -errno on a read error.  Under
 * --shuf the first call makes every job from the input, which must
 * have been read whole (input_slurp()), and hands them out in a random
 * order.  Under --pipe each job is a block of the stream (block.h) in
 * a temp file, or under --pipepart a range of the file (part.h), with
 * arguments only from ':::' sources or --cat (under --tee the jobs are
 * the sources' combinations, as without --pipe, and carry no block:
 * each reads the whole stream, tee.h); then -errno is a read error of
 * the input, or, when input_keep_failed() says so, the temp file's or
 * the fifo's (in --tmpdir): a shortage of descriptors, or a full disk,
 * after which the same block comes again.
 */
int	input_next(struct input *, struct args *a);
/* Whether input_next()'s last -errno was in keeping a block. */
int	input_keep_failed(const struct input *);
/*
 * --pipe (not --pipepart): cut the next block now and keep it in its
 * temp file, so that the next input_next() hands it out at once; the
 * scheduler calls it while every slot is taken, so that reading and
 * keeping a block overlap the jobs that run.  At most one block is kept
 * ahead (one more descriptor, or under --cat and --fifo also a file in
 * --tmpdir, until input_next() or input_close()).  -EAGAIN when more
 * input is needed (as for input_next()), else 0: a block is kept, or
 * there is none to keep (the end of input; not --pipe; or keeping one
 * failed, in input_next() or here: then none is kept ahead until
 * input_next() has kept one, so that its caller's back-off holds, and
 * the block comes again from input_next(), which says why it fails).
 */
int	input_ahead(struct input *);
/*
 * Drop the block kept ahead, if any: its temp file closed, under --cat
 * and --fifo its file removed.  For a run that stops, whose end (by a
 * signal) may come before input_close(); the stream has moved past it.
 */
void	input_ahead_drop(struct input *);
/*
 * --pipe --header: whether the next blocks carry the header (from the
 * start, they do).  --round-robin gives it once to each job, at the top
 * of its first block.  Never with a block kept ahead that was cut the
 * other way (input_ahead(): --round-robin cuts none ahead).
 */
void	input_pipe_head(struct input *, int with);
int	input_fd(const struct input *);
/* One read(2) from the streamed source. 0, or -errno (-EAGAIN is fine). */
int	input_fill(struct input *);

/*
 * The column names from --header, in argument order, or NULL.  Valid
 * for the life of the input.
 */
const char *const *input_names(const struct input *, size_t *n);

/*
 * The total number of jobs when it is known without reading the streamed
 * source (argument lists; held sources), else -1.
 */
long	input_total(const struct input *);

/*
 * Read everything now, so that input_total() is known ({##}).  Call it
 * before the first input_next(): it may move the buffered values.
 */
int	input_slurp(struct input *);

/*
 * --retry-failed's jobs, instead of input_next(): the next command an
 * earlier run logged as failed, as the one value in *a, and its Seq.
 * 1, or 0 when there is none.  *a stays valid until the next call.
 */
int	input_next_failed(struct input *, struct args *a, long *seq);

/*
 * The number of jobs for the progress line: input_total() when known;
 * else, when cfg asks for a progress line (--progress, --bar, --eta)
 * and the streamed source is a regular file (or standard input
 * redirected from one), its records counted ahead with pread(2), so
 * that no offset moves and nothing is held; else -1.  Call it before
 * the first input_next().
 */
long	input_count(struct input *);

void	input_close(struct input *);

#endif
