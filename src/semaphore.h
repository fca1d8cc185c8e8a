/*
 * semaphore: --semaphore, or fanout run as sem: run one command once a
 * slot of a named counting semaphore is free, so that separate
 * invocations run at most -j commands (default 1) at once, as GNU
 * parallel's sem does.
 *
 * A slot is a lock, flock(2), on the file DIR/ID.K for K < -j.  The
 * kernel releases a lock when the process holding it dies, however it
 * dies, so a slot never leaks.  DIR is $XDG_RUNTIME_DIR/fanout-sem, or
 * $TMPDIR/fanout-sem-UID; either must be the user's own directory with
 * no access for others (it is made so when missing).  ID is --id, else
 * the name of the terminal on standard input ('/' made '_'), else
 * "default".
 *
 * Without --fg a holder process is forked: it takes the slot's lock
 * into the background, runs the command and exits with it, and
 * fanout returns 0 as soon as the slot is taken.  With --fg fanout holds
 * the slot itself and returns the command's status (128+N for a death
 * by signal N).  The command never inherits the lock.  --wait returns
 * once no slot of ID is held.  --semaphoretimeout D gives up waiting
 * for a slot after D: a positive D runs the command anyway, a negative
 * one exits 1 without running it.
 */
#ifndef FANOUT_SEMAPHORE_H
#define FANOUT_SEMAPHORE_H

struct config;

/* Exits 255 with a message when the directory or a slot file fails. */
int	semaphore_run(const struct config *cfg);

#endif
