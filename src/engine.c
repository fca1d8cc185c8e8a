/*
 * engine: what the three executors share about a job's process and its
 * pipes.  Nothing here knows which mode calls it, or takes a lock: the
 * caller holds the job.
 */
#include "engine.h"
#include "job.h"
#include "spawn.h"
#include "spool.h"

#include <errno.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t
engine_reap(struct job *job, int flags)
{
	int st;
	pid_t p;

	do
		p = wait4(job->pid, &st, flags, &job->ru);
	while (p < 0 && errno == EINTR);
	if (p == 0)
		return 0;
	if (p < 0) {
		/* Someone else reaped it; report what we can. */
		job->end = JOB_LOST;
		job->status = -1;
	} else if (WIFSIGNALED(st)) {
		job->end = JOB_SIGNALED;
		job->status = WTERMSIG(st);
	} else {
		job->end = JOB_EXITED;
		job->status = WEXITSTATUS(st);
	}
	return p;
}

int
engine_keep_signal(int *end_signo, int *stopped, int signo)
{
	if (spawn_sig_ends(signo)) {
		if (*end_signo == 0)
			*end_signo = signo;
		return 1;
	}
	if (spawn_sig_stops(signo))
		*stopped = 1;
	else if (signo == SIGCONT)
		*stopped = 0;
	return 0;
}

void
engine_spawn_failed(struct job *job, int err)
{
	job->end = JOB_SPAWN_FAILED;
	job->spawn_err = err;
	job->status = spawn_err_status(err);
}

void
engine_killed_unspawned(struct job *job, int signo)
{
	job->end = JOB_SIGNALED;
	job->status = signo;
}

ssize_t
engine_read(int fd, char *buf, size_t cap)
{
	ssize_t n;

	do
		n = read(fd, buf, cap);
	while (n < 0 && errno == EINTR);
	if (n > 0)
		return n;
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return 0;
	return -1;
}

void
engine_drain(int fd, int stream, char *buf, size_t cap,
    engine_sink *sink, void *ctx)
{
	size_t total = 0;
	ssize_t n;

	while (total < ENGINE_DRAIN_MAX &&
	    (n = engine_read(fd, buf, cap)) > 0) {
		sink(ctx, stream, buf, (size_t)n);
		total += (size_t)n;
	}
}

int
engine_take(struct job *job, int stream, const char *p, size_t n)
{
	int r;

	if (!job->live &&
	    (r = spool_try_append(stream == 1 ? &job->out : &job->err, p,
	    n)) < 0)
		return r;
	if (stream == 1)
		job->out_bytes += n;
	else
		job->err_bytes += n;
	return job->live;
}
