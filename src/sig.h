/*
 * sig: fanout's signal handlers.  A handler only counts its signal and
 * writes one byte to a self-pipe (saving errno); the scheduler sees the
 * pipe readable and applies the policy on its own thread.  This is the
 * only module with mutable global state.
 */
#ifndef FANOUT_SIG_H
#define FANOUT_SIG_H

#include <signal.h>

/*
 * Install the handlers (INT, TERM, HUP unless ignored at start, TSTP,
 * USR1) and ignore SIGPIPE.  Call after spawn_init().  0 or -errno.
 */
int	sig_init(void);
/* The self-pipe's read end, to watch. */
int	sig_fd(void);
/*
 * Drain the pipe and return how many of signo arrived since the last
 * call for it.
 */
int	sig_take(int signo);
/* Drain the self-pipe. */
void	sig_drain(void);
/*
 * Die of signo: restore its default action, unblock it and raise it,
 * so the caller's shell sees the signal.
 */
_Noreturn void sig_die(int signo);

#endif
