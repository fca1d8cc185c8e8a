/*
 * sched_term: the termination sequence, for a running job and then for
 * the group its leader leaves behind.  A job being ended whose leader
 * exits leaves its group in s->linger, where the sequence goes on until
 * the group is empty; the run ends only once that list is empty too.
 * Only the scheduler's thread touches any of it.
 */
#include "sched_term.h"
#include "sched_setup.h"
#include "exec.h"
#include "job.h"
#include "options.h"
#include "util.h"

#include <signal.h>
#include <stdlib.h>

#define MS	1000000LL
#define TERM_KILL_WAIT	(25 * MS)	/* after a KILL the sequence adds */

/*
 * Step i of the termination sequence: 1 with its signal and wait, or 0
 * past its end.  A sequence that does not end with KILL gets one, so
 * that nothing of an ended job outlives it (with -u, a survivor would
 * hold the caller's pipe open).
 */
static int
term_at(const struct config *cfg, int i, int *signo, int64_t *wait_ns)
{
	size_t n = cfg->ntermseq;

	if ((size_t)i < n) {
		*signo = cfg->termseq[i].signo;
		*wait_ns = cfg->termseq[i].ms * MS;
		return 1;
	}
	if ((size_t)i == n && (n == 0 || cfg->termseq[n - 1].signo != SIGKILL)) {
		*signo = SIGKILL;
		*wait_ns = TERM_KILL_WAIT;
		return 1;
	}
	return 0;
}

/*
 * Take the next step of the termination sequence: signal the job
 * through its engine, or, once its leader is reaped (job NULL), its
 * group pgid.  *deadline becomes when the step after is due, or 0 when
 * the sequence is over.
 */
void
sched_term_next(struct sched *s, struct job *job, pid_t pgid, int *step,
    int64_t *deadline, int64_t now)
{
	int64_t wait_ns;
	int signo;

	if (!term_at(s->cfg, *step, &signo, &wait_ns)) {
		*deadline = 0;
		return;
	}
	(*step)++;
	if (job != NULL)
		s->ops->signal(s->exec, job, signo);
	else
		(void)kill(-pgid, signo);
	*deadline = now + wait_ns;
	/* A group sent KILL is done with: only zombies may be left. */
	if (job == NULL && signo == SIGKILL)
		*deadline = 0;
}

/* Whether the first step steps of the sequence include a KILL. */
static int
term_killed(const struct config *cfg, int steps)
{
	int64_t wait_ns;
	int i, signo;

	for (i = 0; i < steps; i++)
		if (term_at(cfg, i, &signo, &wait_ns) && signo == SIGKILL)
			return 1;
	return 0;
}

/* Begin ending a job with the termination sequence. */
void
sched_terminate(struct sched *s, struct job *job, int64_t now)
{
	if (job->state != JOB_RUNNING)
		return;
	job_set_state(job, JOB_TERMINATING);
	job->term_step = 0;
	sched_term_next(s, job, 0, &job->term_step, &job->deadline_ns, now);
}

/*
 * A job being ended was reaped, but the leader is only the first of its
 * group to go: what it started (a child that catches TERM) is ended by
 * the rest of the sequence, as GNU parallel does.  The group's id stays
 * in use, and so cannot name anyone else's group, while it has members;
 * each step first checks that it still has.
 */
void
sched_linger_add(struct sched *s, const struct job *job)
{
	struct linger *l;

	/*
	 * After a KILL (a step, or a second Ctrl-C) nothing is left to end:
	 * what kill() still finds are zombies, which a reaper other than
	 * fanout may take its time over.
	 */
	if (job->pid <= 0 || job->deadline_ns == 0 || s->kills > 1 ||
	    term_killed(s->cfg, job->term_step) || kill(-job->pid, 0) < 0)
		return;
	l = xmalloc(sizeof(*l));
	*l = (struct linger){ job->pid, job->term_step, job->deadline_ns,
	    s->linger };
	s->linger = l;
}

/* Signal every lingering group; with forget, drop them too. */
void
sched_linger_signal(struct sched *s, int signo, int forget)
{
	struct linger *l;

	for (l = s->linger; l != NULL; l = l->next)
		(void)kill(-l->pgid, signo);
	while (forget && (l = s->linger) != NULL) {
		s->linger = l->next;
		free(l);
	}
}

/* Take the steps that are due; return the next deadline, or INT64_MAX. */
int64_t
sched_linger_fire(struct sched *s, int64_t now)
{
	int64_t next = INT64_MAX;
	struct linger *l, **pp;

	for (pp = &s->linger; (l = *pp) != NULL;) {
		if (l->deadline_ns <= now) {
			if (kill(-l->pgid, 0) == 0)
				sched_term_next(s, NULL, l->pgid, &l->step,
				    &l->deadline_ns, now);
			else
				l->deadline_ns = 0;	/* empty at last */
		}
		if (l->deadline_ns == 0) {
			*pp = l->next;
			free(l);
			continue;
		}
		if (l->deadline_ns < next)
			next = l->deadline_ns;
		pp = &l->next;
	}
	return next;
}

static void
terminate_all(struct sched *s, int killed)
{
	int64_t now = clock_mono_ns();
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		if (killed)
			job->killed = 1;
		sched_terminate(s, job, now);
	}
}

void
sched_kill_all(struct sched *s)
{
	struct job *job;

	for (job = s->running; job != NULL; job = job->next) {
		job->killed = 1;
		s->ops->signal(s->exec, job, SIGKILL);
	}
	sched_linger_signal(s, SIGKILL, 1);
}

/* Stop starting jobs and end the running ones; die of signo at the end. */
void
sched_end_run(struct sched *s, int signo)
{
	if (signo)
		s->die_signal = signo;
	if (s->stop != ENDING) {
		s->stop = ENDING;
		terminate_all(s, 1);
	}
}
