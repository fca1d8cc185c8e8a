/*
 * sig: async-signal-safe handlers that count and poke a self-pipe.
 */
#include "sig.h"
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static volatile sig_atomic_t counts[NSIG];
static sig_atomic_t taken[NSIG];	/* only the scheduler's thread */
static int	 pipefd[2] = { -1, -1 };

static void
handler(int signo)
{
	int saved = errno;
	char c = (char)signo;

	counts[signo]++;
	/* Non-blocking: a full pipe already means "look". */
	(void)!write(pipefd[1], &c, 1);
	errno = saved;
}

/*
 * INT and TERM interrupt a blocking call (no SA_RESTART): that is how a
 * write to a reader that stalled gives way to Ctrl-C (sig_write_all()).
 * Every other blocking call of fanout's retries EINTR.
 */
static int
catch(int signo)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = signo == SIGINT || signo == SIGTERM ? 0 : SA_RESTART;
	if (sigaction(signo, &sa, NULL) < 0)
		return -errno;
	return 0;
}

int
sig_init(void)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGTSTP, SIGUSR1 };
	struct sigaction old;
	size_t i;
	int r;

	if (pipe2(pipefd, O_CLOEXEC | O_NONBLOCK) < 0)
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	for (i = 0; i < ARRAY_SIZE(sigs); i++)
		if ((r = catch(sigs[i])) < 0)
			return r;
	/* Under nohup SIGHUP stays ignored. */
	if (sigaction(SIGHUP, NULL, &old) == 0 && old.sa_handler != SIG_IGN)
		if ((r = catch(SIGHUP)) < 0)
			return r;
	return 0;
}

int
sig_fd(void)
{
	return pipefd[0];
}

void
sig_drain(void)
{
	char junk[64];

	while (read(pipefd[0], junk, sizeof(junk)) > 0)
		;
}

int
sig_take(int signo)
{
	/* Handlers only increment counts; only we touch taken. */
	int n = counts[signo] - taken[signo];

	taken[signo] += n;
	return n;
}

int
sig_stops(void)
{
	return counts[SIGINT] + counts[SIGTERM];
}

/* Whether a stop signal came since sig_stops() was *mark. */
static int
stopped_since(void *mark)
{
	return sig_stops() != *(const int *)mark;
}

int
sig_write_all(int fd, const void *buf, size_t len)
{
	int mark = sig_stops();

	/* Interrupted, before any byte or after some. */
	return write_all_unless(fd, buf, len, stopped_since, &mark);
}

void
sig_die(int signo)
{
	sigset_t set;

	signal(signo, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, signo);
	sigprocmask(SIG_UNBLOCK, &set, NULL);
	raise(signo);
	/* A signal whose default is not to die: exit as a shell would. */
	exit(128 + signo);
}

const char *
sig_name(int signo)
{
	return signo > 0 && signo < NSIG ? sigabbrev_np(signo) : NULL;
}

int
sig_number(const char *name)
{
	const char *abbrev;
	int s;

	if (strncmp(name, "SIG", 3) == 0)
		name += 3;
	for (s = 1; s < NSIG; s++)
		if ((abbrev = sig_name(s)) != NULL && strcmp(abbrev, name) == 0)
			return s;
	return -1;
}

void
sig_addname(struct buf *b, int signo)
{
	const char *name = sig_name(signo);

	if (name != NULL)
		buf_addf(b, "SIG%s", name);
	else
		buf_addf(b, "SIG%d", signo);
}
