/*
 * sched_dry: --dry-run's printing of each job's line, and the wait for
 * input and signals that stands in for the executor's (see
 * sched_dry.h).  Only the scheduler's thread runs any of it.
 */
#include "sched_dry.h"
#include "sched_setup.h"
#include "sched_output.h"
#include "exec.h"
#include "job.h"
#include "options.h"
#include "util.h"

#include <errno.h>
#include <poll.h>

/*
 * --dry-run: the one place where it parts from a real run.  Each job is
 * made as usual (skips, --retry-failed and {#} alike) and then, instead
 * of being started, has its line printed and is freed while still
 * JOB_NEW; {%} cycles through the slots as equal jobs would.  As
 * no job ever starts, setup() creates no executor and sched_run() waits
 * for input and signals with poll() alone (sched_dry_wait()); slots,
 * descriptors, retries, deadlines and the output policy stay idle.
 */
void
sched_dry_run(struct sched *s, struct job *job)
{
	int r;

	job->slot = 1 + (job->seq - 1) % s->cfg->jobs;
	buf_clear(&s->scratch);
	buf_adds(&s->scratch, job_line(&s->maker, job));
	buf_addc(&s->scratch, '\n');
	if ((r = write_all(1, s->scratch.p, s->scratch.len)) < 0)
		sched_output_failed(s, r);
	job_free(job);
}

/*
 * --dry-run has no executor (see sched_dry_run()): wait for input and
 * signals.
 */
int
sched_dry_wait(int timeout_ms, struct exec_watch *w, size_t n)
{
	struct pollfd pfd[EXEC_WATCH_MAX];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		pfd[i].fd = w[i].fd;
		pfd[i].events = POLLIN;
	}
	r = poll(pfd, n, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		w[i].ready = pfd[i].revents != 0;
	return r;
}
