/*
 * order: the output policy.  It decides when and how each job's output
 * reaches fanout's stdout and stderr:
 *
 *	group	each job's stdout then stderr, whole, when it ends
 *	-k	the same, in input order
 *	line	whole lines as they come, never split (a line over 1 MiB is
 *		written in pieces); with -k the oldest job streams and the
 *		others follow in order
 *	ungroup	jobs write straight to fanout's descriptors
 *
 * with --tag/--tagstring prefixes and -v; or, with --results DIR, saved
 * in files instead (results.h), nothing printed.  When a job's output has been
 * written, order calls hooks.delivered(job): only then may its log line
 * be written and the job freed.
 *
 * Single-threaded: the scheduler's thread only.  Functions that write
 * return 0 or -errno of the failed write: -EPIPE, downstream closed;
 * -EINTR, a stop signal ended a write the reader did not take
 * (sig_write_all()).  After either, output is gone: nothing more is
 * written, and every job is delivered as discarded (job->killed set).
 */
#ifndef FANOUT_ORDER_H
#define FANOUT_ORDER_H

#include <stddef.h>

struct config;
struct job;
struct order;
struct results;

struct order_hooks {
	void	*ctx;
	void	(*delivered)(void *ctx, struct job *);
	/*
	 * Optional: order is about to write job output to fd (1 or 2);
	 * eol: whether its last byte ends a line.
	 */
	void	(*writing)(void *ctx, int fd, int eol);
};

/*
 * results: --results' files (results.h), or NULL; order owns it from
 * here on.
 */
int	order_new(struct order **, const struct config *,
	    struct results *results, const struct order_hooks *);
void	order_free(struct order *);

/* Whether jobs must deliver output live (job->live). */
int	order_live(const struct order *);

/* A job starts for the first time (not on a retry). */
int	order_started(struct order *, struct job *);
/* Live output of a running job. */
int	order_output(struct order *, struct job *, int stream,
	    const char *, size_t);
/*
 * The job's attempt failed and it runs again.  Output that was live
 * (--line-buffer) is the user's already, or will be in its turn under
 * -k, whichever job streams at the moment: it stays, and a partial last
 * line comes out as at any job's end.  Held output is dropped.
 */
int	order_retry(struct order *, struct job *);
/*
 * The job will not run again (the caller has moved it to JOB_FINISHED):
 * write or hold its output.  A job that was
 * ended by fanout (halt, signal) is passed with discard set: its partial
 * output is dropped, but jobs after it still come out in order.
 */
int	order_done(struct order *, struct job *, int discard);
/* Finished jobs waiting behind an unfinished one (-k back-pressure). */
size_t	order_held(const struct order *);
/*
 * After a failed write: what failed, in a whole sentence with its
 * reason (a --results file), or NULL for fanout's own output.
 */
const char *order_what(const struct order *);

#endif
