/*
 * sched_host: -S and --onall for the scheduler (sched.c) and its
 * helpers alone: which host a job runs on, what happens when its host
 * fails it, and the --onall copies that wait (park) for their host to
 * have a free slot.  Every call is made on the scheduler's thread, only
 * with s->remote set (hosts given), and returns at once.
 */
#ifndef FANOUT_SCHED_HOST_H
#define FANOUT_SCHED_HOST_H

#include <stdint.h>

struct job;
struct sched;

/*
 * The job ended on its host.  When ssh failed rather than the job, it
 * is marked evicted, to run again; with every host gone the run drains
 * and is fatal.
 */
void	sched_host_end(struct sched *, struct job *job);
/* The job is starting: its host (picked unless pinned), a slot taken. */
void	sched_host_take(struct sched *, struct job *job, int64_t now);
/*
 * --onall: with made, that job for the first host (a copy of it kept
 * for the others); with NULL, the next copy, numbered on.
 */
struct job *sched_onall_next(struct sched *, struct job *made);
/* A pinned job whose host is gone: it never runs, the run is fatal. */
void	sched_drop_pinned(struct sched *, struct job *job);
/* --onall: the first parked job whose host can take it now, or NULL. */
struct job *sched_unpark(struct sched *, int64_t now);
/* The job waits in s->parked for its host (offered to -k's order first). */
void	sched_park(struct sched *, struct job *job);
/* --progress under -S: what each host runs and ran, into s->st. */
void	sched_host_counts(struct sched *);

#endif
