/*
 * job: how a job ended, in the terms a shell and GNU parallel use.
 */
#include "job.h"

int
job_exit_status(const struct job *job)
{
	switch (job->end) {
	case JOB_EXITED:
	case JOB_SPAWN_FAILED:
		return job->status;
	case JOB_SIGNALED:
		return 128 + job->status;
	case JOB_LOST:
		break;
	}
	return 255;
}

int
job_failed(const struct job *job)
{
	return job->timed_out || job->end != JOB_EXITED || job->status != 0;
}
