/*
 * sched_res: --load, --memfree and -j FILE in the loop.  While the
 * machine is short, the job at hand waits in s->pending, and the loop
 * looks again every RES_INTERVAL_NS; under half of --memfree the
 * youngest job is ended (evicted) and waits in s->retry to run again,
 * neither failed nor retried.  Only the scheduler's thread runs any of
 * it.
 */
#include "sched_res.h"
#include "sched_setup.h"
#include "sched_term.h"
#include "job.h"
#include "options.h"
#include "res.h"
#include "util.h"

#include <errno.h>

/*
 * -j FILE: read it again as a job ends, as GNU parallel does.  A file
 * gone bad keeps the last good count.
 */
void
sched_reread_jobs(struct sched *s)
{
	const struct config *cfg = s->cfg;
	long jobs;
	int unbounded, r;

	if (cfg->jobs_file == NULL)
		return;
	r = res_jobs_file(cfg->jobs_file, cfg->ncpu, &jobs, &unbounded);
	if (r == 0) {
		sched_set_slots(s, jobs, unbounded);
		return;
	}
	if (!s->jobs_warned)
		util_warn(r == -EINVAL ? 0 : r, "-j %s: %s; still running at "
		    "most %ld at once", cfg->jobs_file, r == -EINVAL ?
		    "holds no job count now" : "cannot read it", s->slots);
	s->jobs_warned = 1;
}

/*
 * --memfree: under half of it, end the youngest running job; sched_on_done()
 * puts it back in the queue.  One a look: the next look sees what its
 * end freed.
 */
static void
evict(struct sched *s, int64_t now)
{
	struct job *job, *young = NULL;

	for (job = s->running; job != NULL; job = job->next)
		if (job->state == JOB_RUNNING && (young == NULL ||
		    job->start_ns > young->start_ns ||
		    (job->start_ns == young->start_ns && job->seq > young->seq)))
			young = job;
	if (young == NULL)
		return;
	util_warn(0, "--memfree: %.1f MiB available, under half of %.1f MiB: "
	    "ending job %ld to run it again later",
	    (double)s->res.avail / (1 << 20),
	    (double)s->cfg->memfree / (1 << 20), young->seq);
	young->evicted = 1;
	sched_terminate(s, young, now);
}

/* --load, --memfree: look at the machine now. */
static void
look(struct sched *s, int64_t now)
{
	const char *path;
	int r;

	if ((r = res_look(&s->res, now, &path)) < 0 && !s->res_warned) {
		util_warn(r == -EINVAL ? 0 : r, "cannot read '%s'%s; going on "
		    "with its last figures", path, r == -EINVAL ?
		    " (not the form it should have)" : "");
		s->res_warned = 1;
	}
	if (s->res.short_ && s->stop == RUNNING)
		evict(s, now);
}

/*
 * Whether --load and --memfree let the job at hand start.  Looks afresh
 * for each start, so that what the last one took is seen; held back, only
 * once the next look is due.
 */
int
sched_resources_allow(struct sched *s, int64_t now)
{
	if (!res_watching(&s->res))
		return 1;
	if (!s->res.held || now >= s->res.next_ns)
		look(s, now);
	return !s->res.held;
}

/*
 * --memfree: while jobs run, look every RES_INTERVAL_NS (starts look on
 * their own).
 */
void
sched_watch_memory(struct sched *s)
{
	int64_t now = clock_mono_ns();

	if (s->cfg->memfree > 0 && s->running != NULL && s->stop == RUNNING &&
	    now >= s->res.next_ns)
		look(s, now);
}
