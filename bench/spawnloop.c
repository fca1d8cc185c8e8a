/*
 * spawnloop: the yardstick for fanout's benchmarks.  It runs a trivial job
 * N times with at most P alive at once, starts each with posix_spawn(3)
 * and reaps whichever ends first with waitpid(-1).  It parses no input,
 * captures no output and keeps no state beyond two counters, so it is
 * the least any job runner can do on this machine: whatever fanout costs
 * beyond it is fanout's overhead.
 *
 * usage: spawnloop [-s] [-k K] N P
 *	-s	run each job as /bin/sh -c true instead of /bin/true
 *	-k K	run K such loops side by side, forked together, each with
 *		its share of the N jobs and of the P slots, and wait for
 *		them all.  One loop is one thread: on a machine with K
 *		cores, K loops are the machine's limit, which a runner
 *		spawning from several cores may approach.
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
static int	loop_run(char **, long, long);
static int	loops_run(char **, long, long, long);

/* Writable copies: posix_spawn takes char *const[], not const char *. */
static char s_true[] = "/bin/true", s_sh[] = "/bin/sh", s_c[] = "-c",
    s_cmd[] = "true";
static char *argv_true[] = { s_true, NULL };
static char *argv_sh[] = { s_sh, s_c, s_cmd, NULL };

static void
usage(void)
{
	fprintf(stderr, "usage: spawnloop [-s] [-k K] N P\n");
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

/* The loop itself: 0, 1 if a job failed, 2 on a spawn error. */
static int
loop_run(char **av, long n, long p)
{
	long started = 0, running = 0, failed = 0;
	pid_t pid;
	int r, st;

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

/*
 * K loops in K forked children, started back to back, the jobs and slots
 * shared out as evenly as they go; the worst status of any.  The children
 * are waited for, so their CPU and their jobs' count in ours.
 */
static int
loops_run(char **av, long n, long p, long k)
{
	long i, left = 0;
	pid_t pid;
	int st, worst = 0;

	for (i = 0; i < k; i++) {
		pid = fork();
		if (pid < 0) {
			perror("spawnloop: fork");
			worst = 2;
			break;
		}
		if (pid == 0)
			_exit(loop_run(av, n / k + (i < n % k),
			    p / k + (i < p % k)));
		left++;
	}
	while (left > 0) {
		if (wait(&st) < 0) {
			if (errno == EINTR)
				continue;
			perror("spawnloop: wait");
			return 2;
		}
		left--;
		if (!WIFEXITED(st))
			worst = 2;
		else if (WEXITSTATUS(st) > worst)
			worst = WEXITSTATUS(st);
	}
	return worst;
}

int
main(int argc, char *argv[])
{
	char **av = argv_true;
	long n, p, k = 1;
	int c;

	while ((c = getopt(argc, argv, "sk:")) != -1) {
		switch (c) {
		case 's':
			av = argv_sh;
			break;
		case 'k':
			k = number("-k", optarg, 1);
			break;
		default:
			usage();
		}
	}
	if (argc - optind != 2)
		usage();
	n = number("N", argv[optind], 0);
	p = number("P", argv[optind + 1], k);
	if (k == 1)
		return loop_run(av, n, p);
	return loops_run(av, n, p, k);
}
