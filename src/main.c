/*
 * fanout: run a command once per input record, many at once.
 *
 * main is wiring only: make sure descriptors 0, 1 and 2 exist (so that no
 * descriptor we open lands on them), parse the options, run the jobs (or
 * the --compare passes, or one command under --semaphore).
 */
#include "compare.h"
#include "options.h"
#include "sched.h"
#include "semaphore.h"
#include "util.h"

#include <fcntl.h>
#include <unistd.h>

/* A closed 0, 1 or 2 would be taken by our first open: fill them. */
static void
std_fds(void)
{
	int fd;

	while ((fd = open("/dev/null", O_RDWR)) >= 0 && fd <= 2)
		;
	if (fd > 2)
		close(fd);
}

int
main(int argc, char **argv)
{
	struct config cfg;
	int status;

	std_fds();
	options_parse(&cfg, argc, argv);
	if (cfg.semaphore)
		status = semaphore_run(&cfg);
	else if (cfg.compare != NULL)
		status = compare_run(&cfg);
	else
		status = sched_run(&cfg);
	options_free(&cfg);
	return status;
}
