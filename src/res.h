/*
 * res: what the machine has to spare, which may hold job starts back:
 * the one-minute load average (--load), the memory available (--memfree),
 * and the slot count a -j FILE holds.
 *
 * The scheduler asks before each start (res_look()), so that a job that
 * raised the load is seen before the next one starts; while starts are
 * held back, or jobs run under --memfree, it looks again every
 * RES_INTERVAL_NS, the one period of every such re-check.
 *
 * The load comes from /proc/loadavg and the memory from /proc/meminfo
 * (MemAvailable; on kernels without it MemFree + Buffers + Cached +
 * SwapCached, as GNU parallel counts).  For the test suite alone,
 * FANOUT_LOADAVG_FILE and FANOUT_MEMINFO_FILE name files of the same
 * formats to read instead: the tests must not depend on the machine's
 * real load.
 *
 * Single-threaded: the scheduler's thread (and the option parser, for
 * res_jobs_file()).  Functions return 0 or -errno and print nothing.
 */
#ifndef FANOUT_RES_H
#define FANOUT_RES_H

#include <stdint.h>

struct config;

/* How often a held-back start or --memfree's watch looks again. */
#define RES_INTERVAL_NS	1000000000LL

struct res {
	double		 max_load;	/* --load; 0 = not watched */
	int64_t		 memfree;	/* --memfree bytes; 0 = not watched */
	const char	*load_path;
	const char	*mem_path;

	/* The latest look. */
	double		 load;
	int64_t		 avail;		/* bytes */
	int		 held;		/* no job may start */
	int		 short_;	/* under half of --memfree */
	int64_t		 next_ns;	/* when to look again (held, watching) */
};

/*
 * Set up from cfg and look once.  A source that cannot be read or
 * parsed: -errno (or -EINVAL), and *path names it, before any job runs.
 */
int	res_init(struct res *, const struct config *, const char **path);
/* Whether --load or --memfree is given: whether to look at all. */
int	res_watching(const struct res *);
/*
 * Look now: sample the sources, set held, short_ and next_ns.  When a
 * source cannot be read, the previous sample stands, -errno (or
 * -EINVAL) is returned and *path names the source; the caller warns.
 */
int	res_look(struct res *, int64_t now, const char **path);

/*
 * -j FILE: the job count FILE holds, in any form -j takes (num_jobs()),
 * blanks and newlines around it ignored.  -EINVAL when it holds none.
 */
int	res_jobs_file(const char *path, long ncpu, long *jobs,
	    int *unbounded);

#endif
