/*
 * spool: one stream of a job's held output.  Bytes live in memory up to
 * a threshold, then in an unlinked temp file created mode 0600
 * (O_TMPFILE where the file system has it, else mkstemp + unlink), so
 * nothing survives fanout, not even kill -9.  With --compress the file
 * holds the bytes as a compress program wrote them: the program runs
 * while the spool fills (its stdin a pipe, its stdout the file) and is
 * waited for by spool_finish; reading spawns the decompress program on
 * the file and checks that it gives back exactly size bytes.  A failure
 * of either program is one of the spool's errors (SPOOL_EPROG), never a
 * silent loss.
 *
 * A spool belongs to one thread at a time: the executor fills it while
 * the job runs, the scheduler's thread drains it after the job is done.
 * The hand-over happens through the executor's completion queue.
 */
#ifndef FANOUT_SPOOL_H
#define FANOUT_SPOOL_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct spool {
	char		*mem;
	size_t		 len;		/* bytes in mem */
	size_t		 cap;
	int		 fd;		/* -1 until spilled */
	uint64_t	 size;		/* all bytes, mem and file */
	int		 err;		/* first -errno of a failed spill */
	int		 zfd;		/* pipe to the compressor, or -1 */
	pid_t		 zpid;		/* the compressor while zfd is open */
	char		 last;		/* the last byte appended */
};

/*
 * Errors of the compress and decompress programs, below every -errno:
 * SPOOL_EPROG less SPOOL_EUNZIP for the decompressor, less the program's
 * exit status, or 256 + the signal that killed it, or SPOOL_EBADSIZE
 * when it gave back too few or too many bytes (or vanished unseen).
 */
#define SPOOL_EPROG	(-0x10000)
#define SPOOL_EUNZIP	0x1000
#define SPOOL_EBADSIZE	0x3ff

/* Memory a spool may hold before it spills; set once at start. */
void	spool_set_limit(size_t bytes);
/* Where spills go; set once at start. */
void	spool_set_dir(const char *dir);
/*
 * Compress spilled bytes with the shell command compress and read them
 * back with decompress; set once at start, before any spool fills.
 */
void	spool_set_compress(const char *compress, const char *decompress);
/*
 * For an err of a spool function that is SPOOL_EPROG's: a sentence
 * naming the program and how it failed, in buf, and 1.  Else 0.
 */
int	spool_strerror(int err, char *buf, size_t len);

void	spool_init(struct spool *);
/*
 * Append bytes.  Returns 0, or -errno when the spill file could not be
 * written (disk full): the spool keeps err and drops further bytes.
 * Dies when memory runs out: for the scheduler's thread only.
 */
int	spool_append(struct spool *, const void *, size_t);
/*
 * spool_append for a worker, which must never exit: -ENOMEM when memory
 * ran out, with nothing taken (a shortage: wait and try again), else 0
 * (a failed spill is kept in err, as by spool_append).
 */
int	spool_try_append(struct spool *, const void *, size_t);
/*
 * An unlinked read-write temp file in dir, mode 0600, close-on-exec:
 * its descriptor, or -errno.  The one way fanout makes a temp file.
 */
int	spool_tmpfile(const char *dir);
/*
 * Write the whole spool to fd (retrying short writes), using zero-copy
 * transfer where the kernel allows.  0 or -errno; -EINTR when a stop
 * signal ends a write that blocks, as sig_write_all().
 */
int	spool_write(struct spool *, int fd);
/*
 * Call fn on the spool's bytes in order, in chunks; stops at the first
 * non-zero return and gives it back.  For filters like --tag.
 */
int	spool_each(struct spool *, int (*fn)(void *, const char *, size_t),
	    void *ctx);
/*
 * The spool is complete: wait for its compressor to write all.  0, or
 * err (also kept in err).  The functions that read call it; calling it
 * as the job ends keeps no compressor waiting for the job's delivery.
 */
int	spool_finish(struct spool *);
/* Back to empty, keeping memory when small; closes the file. */
void	spool_reset(struct spool *);
void	spool_free(struct spool *);

#endif
