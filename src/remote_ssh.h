/*
 * remote_ssh: the state behind struct remote, shared by the hosts' side
 * of -S (remote.c: the hosts parsed, their slots and health) and their
 * ssh (remote_ssh.c: the connections, and what a job on a host runs)
 * alone; the rest of fanout sees remote.h, where the calls' contracts
 * are.  Scheduler's thread only.
 */
#ifndef FANOUT_REMOTE_SSH_H
#define FANOUT_REMOTE_SSH_H

#include <stddef.h>

#include "util.h"

struct config;
struct host;

struct remote {
	const struct config	*cfg;
	struct host		*hosts;
	size_t			 nhosts;
	char			**ssh;		/* --ssh's words */
	size_t			 nssh;
	const char		*ssh_path;	/* the program, found */
	char			*ssh_found;
	char			*dir;		/* sockets and logs */
	struct buf		 basefiles;	/* --basefile's, NUL-ended */
	int			 live[2];	/* every job's stdin; we write */
	const char		*rshell;	/* the host's shell: sh, bash */
	char			 local_name[64];
};

/*
 * remote.c's, for remote_connect(): jobs at once on h, whose cores are
 * ncpu (0: unknown), from its N/, --onall or -j.
 */
long	remote_host_slots(const struct remote *, const struct host *h,
	    long ncpu);

/*
 * remote_ssh.c's, for the hosts' side.  Where ssh writes its own
 * messages: the slot's log (slot > 0) or, for the host's master
 * connection and probes, host hi's; out gets the path.
 */
void	remote_log_path(const struct remote *, long slot, size_t hi,
	    char *out, size_t len);
/* The first line of the ssh log at path, "" if none: for messages. */
void	remote_log_line(const char *path, char *out, size_t len);
/* Whether h's master connection still answers (waits for ssh -O check). */
int	remote_master_alive(const struct remote *, const struct host *h);

#endif
