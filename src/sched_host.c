/*
 * sched_host: the scheduler's side of -S and --onall.  remote.c keeps
 * the hosts, their slots and their health; here a job is given its host
 * as it starts and hands it back as it ends, and --onall's copies of a
 * job wait in s->parked, in order, until their own host has room.  Only
 * the scheduler's thread runs any of it.
 */
#include "sched_host.h"
#include "sched_setup.h"
#include "sched_output.h"
#include "job.h"
#include "options.h"
#include "order.h"
#include "remote.h"
#include "report.h"
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * -S: the job ended on its host.  When ssh failed rather than the job,
 * it runs again, elsewhere or later, as one --memfree ended would; with
 * every host gone the run stops.
 */
void
sched_host_end(struct sched *s, struct job *job)
{
	int status = job->end == JOB_EXITED ? job->status : -1;

	if (remote_end(s->remote, job->host, job->slot, status,
	    job->start_ns, clock_mono_ns()) == REMOTE_DONE || job->killed)
		return;
	job->evicted = 1;
	if (remote_all_gone(s->remote) && !s->hosts_gone) {
		util_warn(0, "every host is gone: no further jobs run");
		s->hosts_gone = 1;
		s->fatal = 1;
		if (s->stop == RUNNING)
			s->stop = DRAINING;
	}
}

/* -S: the host the job runs on, with a free slot (can_start saw one). */
void
sched_host_take(struct sched *s, struct job *job, int64_t now)
{
	const struct host *h;

	if (!job->pinned)
		job->host = remote_pick(s->remote, now);
	h = remote_host(s->remote, job->host);
	job->host_name = h->local ? NULL : h->login;
	remote_start(s->remote, job->host, job->slot);
	/* --onall --tag: as GNU's, the host. */
	if (job->pinned && s->cfg->tag) {
		free(job->tag);
		job->tag_len = strlen(h->login) + 1;
		job->tag = xmalloc(job->tag_len + 1);
		sprintf(job->tag, "%s\t", h->login);
	}
}

/*
 * --onall: the job made from input runs on the first host; copies of it,
 * numbered on, on the others.
 */
struct job *
sched_onall_next(struct sched *s, struct job *made)
{
	struct job *job;

	if (made != NULL) {
		s->onall = job_clone(&s->maker, made, 0);
		s->onall_host = 0;
		job = made;
	} else
		job = job_clone(&s->maker, s->onall, ++s->seq);
	job->host = (int)s->onall_host++;
	job->pinned = 1;
	if (s->onall_host == remote_nhosts(s->remote)) {
		job_free(s->onall);
		s->onall = NULL;
	}
	return job;
}

/* A job that can never run: its host is gone. */
void
sched_drop_pinned(struct sched *s, struct job *job)
{
	util_warn(0, "job %ld: host %s is gone: it does not run", job->seq,
	    remote_host(s->remote, job->host)->login);
	s->fatal = 1;
	job->killed = 1;
	if (job->state == JOB_NEW)
		job_free(job);
	else
		sched_finish_job(s, job, 1);
}

/* --onall: the first parked job whose host can take it now, or NULL. */
struct job *
sched_unpark(struct sched *s, int64_t now)
{
	struct job **pp = &s->parked, *job;

	while ((job = *pp) != NULL) {
		if (remote_host(s->remote, job->host)->gone) {
			*pp = job->next;
			s->nparked--;
			job->next = NULL;
			sched_drop_pinned(s, job);
			continue;
		}
		if (remote_ready(s->remote, job->host, now)) {
			*pp = job->next;
			s->nparked--;
			job->next = NULL;
			return job;
		}
		pp = &job->next;
	}
	return NULL;
}

/*
 * A job waits for its host.  One made just now is offered to the output
 * policy first, as if it had started and met a shortage: -k keeps
 * input order by the order of offers.
 */
void
sched_park(struct sched *s, struct job *job)
{
	struct job **pp = &s->parked;
	int r;

	if (job->state == JOB_NEW) {
		job_set_state(job, JOB_STARTING);
		if ((r = order_started(s->order, job)) < 0) {
			job->killed = 1;
			sched_output_failed(s, r);
			sched_finish_job(s, job, 1);
			return;
		}
		job_set_state(job, JOB_PENDING);
	}
	while (*pp != NULL)
		pp = &(*pp)->next;
	*pp = job;
	job->next = NULL;
	s->nparked++;
}

/* --progress under -S: what each host runs and ran. */
void
sched_host_counts(struct sched *s)
{
	if (s->remote == NULL || !report_shows_progress(s->report))
		return;
	remote_counts(s->remote, &s->hosts_line);
	s->st.hosts = s->hosts_line.p;
}
