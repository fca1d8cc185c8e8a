/*
 * sched_term: ending jobs and the run, for the scheduler (sched.c) and
 * its helpers alone.  A job is ended by the termination sequence
 * (--termseq, with a KILL added at its end), one step at a time, each
 * due at job->deadline_ns; once its leader is reaped, the rest of the
 * sequence goes on against its process group in s->linger.  Every call
 * is made on the scheduler's thread and returns at once: signals go
 * through the engine's signal() (exec.h), or kill() for a group.
 */
#ifndef FANOUT_SCHED_TERM_H
#define FANOUT_SCHED_TERM_H

#include <stdint.h>
#include <sys/types.h>

struct job;
struct sched;

/*
 * Take the next step of the termination sequence: signal the job
 * through its engine, or, once its leader is reaped (job NULL), its
 * group pgid.  *deadline becomes when the step after is due, or 0 when
 * the sequence is over.
 */
void	sched_term_next(struct sched *, struct job *job, pid_t pgid,
	    int *step, int64_t *deadline, int64_t now);
/* Begin ending a RUNNING job (TERMINATING); any other is left alone. */
void	sched_terminate(struct sched *, struct job *job, int64_t now);
/* A TERMINATING job was reaped: its group, if alive, lingers. */
void	sched_linger_add(struct sched *, const struct job *job);
/* Signal every lingering group; with forget, drop them too. */
void	sched_linger_signal(struct sched *, int signo, int forget);
/* Take the steps that are due; return the next deadline, or INT64_MAX. */
int64_t	sched_linger_fire(struct sched *, int64_t now);
/* Kill every running job and lingering group at once (a second INT). */
void	sched_kill_all(struct sched *);
/* Stop starting jobs and end the running ones; die of signo at the end. */
void	sched_end_run(struct sched *, int signo);

#endif
