/*
 * feed: the writers that copy blocks into jobs from threads of their
 * own: a feed, one per job, and --round-robin's dealer (below).
 *
 * A feed writes one block into a job: into a fifo named {} (--fifo), or
 * into the write end of a pipe that is the job's stdin (--pipepart,
 * whose blocks are ranges of the file, never copied).  The block is a
 * source (struct feed_src): a range of a file, --header's bytes first;
 * a --pipe block waits in an unlinked temp file, read from its start.
 * A feed writes from its own thread, so that the scheduler's loop never
 * waits for a job to open or to read.
 *
 * The writer opens a fifo with O_WRONLY | O_NONBLOCK, which fails with
 * ENXIO until the job has opened it for reading (a reader blocked in
 * open(2) counts): it tries again after a short, growing pause.  Opening
 * it O_RDWR ourselves would never fail, but then a block written before
 * the job opened the fifo would vanish with the pipe if we closed it
 * first, and the job could never see an end of file we did not time.
 * Once open (a pipe's write end is, from the start), it writes without
 * blocking, waiting in poll(2) for room or for feed_stop(), and closes
 * the fifo or the pipe at the block's end: the job's end of file.  A
 * job that closes its end early ends the feed (EPIPE: the rest of the
 * block is dropped; fanout ignores SIGPIPE).  A job that never opens
 * it, or stops reading, ends when the job does: feed_stop() gives up.
 *
 * Every call is for the scheduler's thread; the feed's thread touches
 * only the feed.
 */
#ifndef FANOUT_FEED_H
#define FANOUT_FEED_H

#include <stddef.h>
#include <stdint.h>

/*
 * A block to write: head_len bytes of head, then len bytes of the file
 * fd from off, read at offsets of the writer's own (fd's offset never
 * moves, so one descriptor may serve any number of writers).
 */
struct feed_src {
	int		 fd;
	uint64_t	 off;
	uint64_t	 len;
	const char	*head;
	size_t		 head_len;
};

struct feed;

/*
 * Start writing src's block (src->fd stays the caller's, and it and
 * head must live until feed_stop()):
 * into the fifo at path (which must live until feed_stop()), or with
 * path NULL into wr, a pipe's write end set O_NONBLOCK, which the feed
 * owns and closes from then on.  0, or -errno: a shortage (threads,
 * descriptors, memory), after which nothing was started and wr is still
 * the caller's.
 */
int	feed_start(struct feed **, const char *path, int wr,
	    const struct feed_src *src);
/*
 * A new pipe for a job's stdin: *rd for the job (blocking), *wr for
 * feed_start() or feed_deal_join() (O_NONBLOCK); both close-on-exec.
 * With size > 0, the pipe holds about size bytes if the kernel lets
 * it (F_SETPIPE_SZ; else the default).  0 or -errno (a shortage).
 */
int	feed_pipe(int *rd, int *wr, size_t size);
/*
 * Stop the feed (NULL is fine): 1 when its file ended before the block
 * did (it shrank under us), so that the job got the block cut short;
 * else 0.
 */
int	feed_stop(struct feed *);

/*
 * --round-robin's dealer: one thread that deals whole blocks to the
 * jobs' stdin pipes, each block to whichever job's pipe has room first
 * (in turn when several have), so that -j jobs started once share the
 * stream.  A job joins with its first block; the blocks after wait in a
 * queue of at most as many blocks as jobs (memory stays small whatever
 * the block size).  A block is a source (struct feed_src), written with
 * the feeds' own feed_some(): --pipe's, an unlinked temp file read from
 * its start, which the dealer owns and closes; --pipepart's, a range
 * of the input file's shared descriptor, which the dealer reads at
 * offsets of its own and never closes.  Once the input ends
 * (feed_deal_end()), each job's stdin is closed when the queue is
 * empty and its last block is written: its end of file.
 *
 * A job that ends (feed_deal_leave()) loses the rest of the block it
 * was being fed, as GNU parallel's does; the blocks after go to the
 * others.  Its pipe's write end closes then, never earlier, since
 * fanout holds the read end until the job is freed: the dealer never
 * sees EPIPE from a job that stopped reading, it is told.
 *
 * The dealer waits only in poll(2), on the jobs' pipes and a wake pipe;
 * it calls only poll, sendfile, read, write and close, under a mutex of
 * its own (never one of libc's, as for the feeds above).  Every call is
 * for the scheduler's thread.
 */
struct deal;

/*
 * Start a dealer for at most jobs jobs.  *room_fd becomes readable when
 * a block left the queue (see feed_deal_full()).  0 or -errno.
 */
int	feed_deal_start(struct deal **, long jobs, int *room_fd);
/*
 * A job joins, with its stdin's write end, which the dealer owns from
 * now on, and its first block (the job's --header goes in it, at the
 * top of its input, never in the blocks after).  Returns the job's id
 * for feed_deal_leave(); it never fails, as at most jobs jobs ever
 * join.
 *
 * A block's descriptor, src->fd (here and in feed_deal_push()): with
 * own, the dealer's from now on, closed once the block is written or
 * dropped; without, the caller's (shared: the dealer never closes it
 * nor moves its offset), and it and src->head must then live until
 * feed_deal_stop().  *src is copied.
 */
long	feed_deal_join(struct deal *, int wr, const struct feed_src *src,
	    int own);
/*
 * The job ended: its pipe and the rest of its block are dropped.
 * Returns the bytes written into its pipe (the joblog's Send); *cut
 * says whether a block of its came out short because its file ended
 * first (it shrank under us), as feed_stop() does.
 */
uint64_t feed_deal_leave(struct deal *, long id, int *cut);
/*
 * Whether the queue is full; first empties the room pipe, so that it
 * wakes the caller again only after the next block leaves the queue.
 */
int	feed_deal_full(struct deal *);
/* Queue a block (its descriptor's owner as for feed_deal_join()). */
void	feed_deal_push(struct deal *, const struct feed_src *src, int own);
/*
 * No more blocks: close each job's stdin once the queue is dealt; with
 * drop, the queued blocks are dropped first.
 */
void	feed_deal_end(struct deal *, int drop);
/* Stop the thread, close everything, free the dealer.  NULL is fine. */
void	feed_deal_stop(struct deal *);

#endif
