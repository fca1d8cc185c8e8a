/*
 * remote: -S, jobs on other hosts through the system's ssh.  A remote
 * job is a local process, ssh (or a small local sh script around it
 * when files travel), so every engine runs it as any job; this module
 * knows the hosts, their slots and health (remote.c), and writes those
 * commands (remote_ssh.c, with the connections).
 *
 * One multiplexed connection per host (ControlMaster, its socket in a
 * private directory) makes a job cost a channel, not a handshake.  On
 * the host a small sh wrapper runs the command in a process group of
 * its own and ends that group when the channel's stdin ends: every
 * ssh's stdin is one pipe whose write end fanout alone holds, so a job
 * fanout ends (its ssh killed) or a fanout that dies takes its remote
 * processes along.  Under --pipe stdin carries the block instead, and
 * a remote job outlives its ssh until it finishes reading.
 *
 * Telling a host's failure from a job's: each slot's ssh logs its own
 * errors (ssh -E) to a file of the slot's, emptied at each start; a
 * job that ends 255 with words in that file failed in ssh, and the
 * host's master connection says whether the host is still there.
 * Scheduler's thread only.
 */
#ifndef FANOUT_REMOTE_H
#define FANOUT_REMOTE_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct config;

struct host {
	char	*login;		/* as written, less N/: the joblog's Host */
	char	*dest;		/* [user@]host, for ssh */
	char	*port;		/* or NULL */
	long	 slots;		/* jobs at once on it */
	long	 running;
	long	 done;		/* jobs that ran to their end on it */
	int	 local;		/* ':', this machine */
	int	 failures;	/* ssh failures in a row */
	int	 gone;		/* dropped for good */
	int64_t	 back_ns;	/* tried again from then */
	int64_t	 failed_ns;	/* its last failure that counted */
};

struct remote;

/*
 * The hosts of cfg's -S and --sshloginfile, with no connection yet.
 * 0, or -EINVAL with *msg (static, or in cfg) naming the bad login or
 * file, or -errno.  *r stays NULL when no -S was given.
 */
int	remote_open(struct remote **r, const struct config *cfg,
	    char *msg, size_t msglen);
/*
 * Connect to every host at once: start each one's master, learn its
 * cores (for -j's relative forms) and send the --basefile files.  A
 * host that does not answer is dropped under --filter-hosts, with a
 * warning; else it is left to fail its jobs' way.  -errno when no host
 * is left.
 */
int	remote_connect(struct remote *);
/* Close the masters, remove --cleanup's base files and our directory. */
void	remote_close(struct remote *);

/* Jobs at once across every host. */
long	remote_slots(const struct remote *);
/*
 * A host with a free slot, not waiting out a failure, now; -1 if none.
 * The hosts fill evenly, each in proportion to its slots.
 */
int	remote_pick(const struct remote *, int64_t now);
/* Whether host h has a free slot and waits out no failure now. */
int	remote_ready(const struct remote *, int h, int64_t now);
/* When a host waiting out a failure may be tried; 0 when none waits. */
int64_t	remote_next_ns(const struct remote *, int64_t now);
/* Whether every host is gone. */
int	remote_all_gone(const struct remote *);
const struct host *remote_host(const struct remote *, int h);
size_t	remote_nhosts(const struct remote *);

/*
 * A job starts on host h in slot: take the slot, empty the slot's ssh
 * log.  A local host's job is an ordinary job.
 */
void	remote_start(struct remote *, int h, long slot);
/* "host:running/done ..." for each host, into b (--progress). */
void	remote_counts(const struct remote *, struct buf *b);
/* The job could not start after all: its slot is free again. */
void	remote_unstart(struct remote *, int h);

enum remote_end {
	REMOTE_DONE,		/* the job ran: its status is its own */
	REMOTE_AGAIN,		/* ssh failed: run the job again */
};
/*
 * The job on host h in slot ended with exit status (-1: a signal or no
 * exit): give its slot back and judge.  On ssh's own failure the host
 * is asked whether it is still there; a host that is not waits a
 * back-off, and after repeated failures is dropped, with a message.
 */
enum remote_end remote_end(struct remote *, int h, long slot, int status,
	    int64_t start_ns, int64_t now);

/*
 * What a job on remote host h runs: *path and the argv words (NUL-ended,
 * appended to b; their count returned).  line is the job's shell line;
 * vars the NAME=VALUE words every job gets; sends and returns the
 * --transfer and --return paths (NUL-separated, n each), seq the job's
 * number; piped: stdin carries a --pipe block.  The job's stdin is
 * remote_stdin() unless piped.
 */
size_t	remote_argv(const struct remote *, int h, long slot, long seq,
	    const char *line, char *const vars[], size_t nvars,
	    const char *sends, size_t nsends, const char *returns,
	    size_t nreturns, int piped, struct buf *b, const char **path);
/* The descriptor every remote job's stdin is (not under --pipe). */
int	remote_stdin(const struct remote *);

#endif
