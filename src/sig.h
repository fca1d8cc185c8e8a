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
 * Drain the self-pipe.  Call it when the pipe is readable, before
 * sig_take(): a signal that arrives after the drain leaves a byte in
 * the pipe, so it is seen on the next wake even if a sig_take() of
 * this round already counted it.
 */
void	sig_drain(void);
/*
 * How many of signo arrived since the last call for it.  Only reads the
 * counts, never the pipe (one sig_drain() serves every sig_take() that
 * follows it).
 */
int	sig_take(int signo);
/*
 * How many stop signals (INT, TERM) have arrived, for a blocking output
 * loop to compare before and after an EINTR.  Any thread.
 */
int	sig_stops(void);
/*
 * write_all() for output, whose reader may stall: a stop signal that
 * arrives while it blocks ends it with -EINTR, part of buf perhaps
 * written.  One that arrived before the call does not: the flush after
 * a first Ctrl-C still goes out, and a second Ctrl-C ends that.
 */
int	sig_write_all(int fd, const void *, size_t);
/*
 * Die of signo: restore its default action, unblock it and raise it,
 * so the caller's shell sees the signal.
 */
_Noreturn void sig_die(int signo);

/*
 * The name of signo without its "SIG" ("TERM"), or NULL for a number
 * that names none: the one place fanout turns signals into names, for
 * reports and messages.  Any thread.
 */
const char *sig_name(int signo);
/* The signal called name, with or without "SIG", or -1.  Any thread. */
int	sig_number(const char *name);
struct buf;
/*
 * Append signo's full name to b: "SIGKILL", or "SIG<n>" for a number
 * that names none (real-time signals).  Any thread.
 */
void	sig_addname(struct buf *b, int signo);

#endif
