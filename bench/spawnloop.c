/*
 * spawnloop: the yardstick for fanout's benchmarks.  It runs a trivial job
 * N times with at most P alive at once, starts each with posix_spawn(3)
 * and reaps whichever ends first with waitpid(-1).  It parses no input,
 * captures no output and keeps no state beyond two counters, so it is
 * the least any job runner can do on this machine: whatever fanout costs
 * beyond it is fanout's overhead.
 *
 * usage: spawnloop [-s] N P
 *	-s	run each job as /bin/sh -c true instead of /bin/true
 *
 * Exit status: 0 if every job exited 0, 1 if any did not, 2 on a usage
 * or spawn error.
 */
#include <errno.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

static void	usage(void);
static long	number(const char *, const char *, long);

/* Writable copies: posix_spawn takes char *const[], not const char *. */
static char s_true[] = "/bin/true", s_sh[] = "/bin/sh", s_c[] = "-c",
    s_cmd[] = "true";
static char *argv_true[] = { s_true, NULL };
static char *argv_sh[] = { s_sh, s_c, s_cmd, NULL };

static void
usage(void)
{
	fprintf(stderr, "usage: spawnloop [-s] N P\n");
	exit(2);
}

/* A whole decimal number >= min, or a message naming the operand. */
static long
number(const char *what, const char *s, long min)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < min) {
		fprintf(stderr, "spawnloop: %s: '%s' is not a whole number "
		    ">= %ld\n", what, s, min);
		exit(2);
	}
	return v;
}

int
main(int argc, char *argv[])
{
	char **av = argv_true;
	long n, p, started = 0, running = 0, failed = 0;
	pid_t pid;
	int c, r, st;

	while ((c = getopt(argc, argv, "s")) != -1) {
		switch (c) {
		case 's':
			av = argv_sh;
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	n = number("N", argv[optind], 0);
	p = number("P", argv[optind + 1], 1);

	while (started < n || running > 0) {
		/* Fill every free slot before blocking in waitpid. */
		while (started < n && running < p) {
			r = posix_spawn(&pid, av[0], NULL, NULL, av, environ);
			if (r != 0) {
				fprintf(stderr, "spawnloop: %s: %s\n", av[0],
				    strerror(r));
				return 2;
			}
			started++;
			running++;
		}
		if (waitpid(-1, &st, 0) < 0) {
			if (errno == EINTR)
				continue;
			perror("spawnloop: waitpid");
			return 2;
		}
		running--;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	if (failed > 0) {
		fprintf(stderr, "spawnloop: %ld of %ld jobs failed\n", failed,
		    n);
		return 1;
	}
	return 0;
}
