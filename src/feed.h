/*
 * feed: --fifo's writer.  A job's block waits in an unlinked temp file;
 * the job is given the name of a fifo ({}) and reads the block from it.
 * A feed copies the file into the fifo from its own thread, so that the
 * scheduler's loop never waits for a job to open or to read.
 *
 * The writer opens the fifo with O_WRONLY | O_NONBLOCK, which fails with
 * ENXIO until the job has opened it for reading (a reader blocked in
 * open(2) counts): it tries again after a short, growing pause.  Opening
 * it O_RDWR ourselves would never fail, but then a block written before
 * the job opened the fifo would vanish with the pipe if we closed it
 * first, and the job could never see an end of file we did not time.
 * Once open, it writes without blocking, waiting in poll(2) for room or
 * for feed_stop(), and closes the fifo at the block's end: the job's
 * end of file.  A job that closes the fifo early ends the feed (EPIPE:
 * the rest of the block is dropped; fanout ignores SIGPIPE).  A job
 * that never opens it ends when the job does: feed_stop() gives up.
 *
 * Every call is for the scheduler's thread; the feed's thread touches
 * only the feed.
 */
#ifndef FANOUT_FEED_H
#define FANOUT_FEED_H

#include <stdint.h>

struct feed;

/*
 * Start copying len bytes of src from its start (src's offset does not
 * move; src stays the caller's) into the fifo at path (which must live
 * until feed_stop()).  0, or -errno: a shortage (threads, descriptors,
 * memory), after which nothing was started.
 */
int	feed_start(struct feed **, const char *path, int src, uint64_t len);
/*
 * The job has ended: stop writing, wait for the thread (at once: it
 * only ever waits in poll(2) with the stop pipe) and free the feed.
 * NULL is fine.
 */
void	feed_stop(struct feed *);

#endif
