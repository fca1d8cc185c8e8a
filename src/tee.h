/*
 * tee: --pipe --tee's writer, one thread that copies the whole stream
 * (standard input, or the file of -a FILE or :::: FILE) into every
 * job's stdin pipe.  The jobs are the argument sources' combinations,
 * all running at once: each joins with its pipe as it starts, and the
 * copy begins only once the scheduler says every job has joined
 * (tee_go()), so that no job misses the start.
 *
 * The copy, by what the stream is:
 *   - a pipe: tee(2) duplicates the bytes waiting in it into every job's
 *     pipe but the last, and splice(2) moves them into the last, so that
 *     they never pass through our memory; should a job's pipe take only
 *     part, the round's bytes are read into a buffer and the rest written
 *     from there;
 *   - a regular file: sendfile(2) into each job's pipe, each job at its
 *     own offset (from the stream's offset at tee_start());
 *   - anything else (a terminal), or where tee(2) is refused: read(2)
 *     into a buffer, written to every job.
 * Through a pipe or a buffer the slowest job sets the pace: at most one
 * round (a pipe's worth of bytes) is ever held.
 *
 * A job that ends (tee_leave()) is dropped, its pipe closed; so is one
 * whose pipe gives EPIPE; the others go on.  Once every job has gone,
 * the stream is read no further.  At the stream's end every pipe is
 * closed: the jobs' end of file.  tee_end() closes every pipe at once
 * (a stop: Ctrl-C, --halt, a closed output).
 *
 * The thread waits only in poll(2), always with its wake pipe among the
 * descriptors; it calls only poll, tee, splice, sendfile, read, write
 * and close, under a mutex of its own: never malloc nor stdio (process
 * mode forks workers while it runs).  Every call is for the
 * scheduler's thread.
 */
#ifndef FANOUT_TEE_H
#define FANOUT_TEE_H

#include <stdint.h>

struct tee;

/*
 * Start the writer for at most jobs jobs, copying from src (a dup is
 * taken: src stays the caller's).  Nothing is copied before tee_go().
 * 0, or -errno (a shortage), after which nothing was started.
 */
int	tee_start(struct tee **, int src, long jobs);
/*
 * A job joins with its stdin's write end (non-blocking, close-on-exec;
 * see feed_pipe()), owned by the writer from now on.  Returns the
 * job's id for tee_leave(); it never fails, as at most jobs jobs join.
 */
long	tee_join(struct tee *, int wr);
/* Every job has joined: copy. */
void	tee_go(struct tee *);
/*
 * The job ended: its pipe is closed.  Returns the bytes written into
 * it (the joblog's Send).
 */
uint64_t tee_leave(struct tee *, long id);
/* Stop copying: close every job's pipe now. */
void	tee_end(struct tee *);
/* Stop the thread, close everything, free the writer.  NULL is fine. */
void	tee_stop(struct tee *);

#endif
