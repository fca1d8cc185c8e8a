/*
 * sched_res: the machine's limits in the loop, for the scheduler
 * (sched.c) and its helpers alone: --load and --memfree hold starts
 * back while the machine is short (res.h), and a -j FILE is read again
 * as each job ends.  Every call is made on the scheduler's thread and
 * returns at once; a source that cannot be read is warned of once, and
 * its last figures stand.
 */
#ifndef FANOUT_SCHED_RES_H
#define FANOUT_SCHED_RES_H

#include <stdint.h>

struct sched;

/* -j FILE: read it again (a job ended); a file gone bad keeps the count. */
void	sched_reread_jobs(struct sched *);
/*
 * Whether --load and --memfree let the job at hand start: 1 or 0.
 * Under half of --memfree, the youngest running job is also ended, to
 * run again later.
 */
int	sched_resources_allow(struct sched *, int64_t now);
/* --memfree: while jobs run, look every RES_INTERVAL_NS. */
void	sched_watch_memory(struct sched *);

#endif
