/*
 * exec_worker: the worker side of exec_process, and the messages between
 * a worker and the coordinator.  A worker is a process forked from
 * fanout, one per slot, that spawns and supervises its slot's jobs one at
 * a time and reports on its socket.
 *
 * The sockets are SOCK_SEQPACKET: records keep their boundaries, so
 * output comes back in messages read whole, with no framing to undo.  A
 * record cannot exceed the socket's send buffer, so no message is longer
 * than MSG_MAX and a long job (argv may be megabytes) goes out in pieces.
 * Every message starts with its 32-bit type:
 *
 *	to a worker
 *	M_START		struct msg_start, then the job's NUL-terminated
 *			strings (path, argv, envp); when they do not fit,
 *			M_MORE messages follow at once with the rest.  A
 *			job with a stdin of its own (a --pipe block) has
 *			it passed along (SCM_RIGHTS)
 *	M_SIGNAL	signal the job's process group, unless its leader
 *			was reaped already
 *	from a worker
 *	M_STARTED	the job's pid, right after it was spawned
 *	M_OUT		up to 64 KiB of its stdout (1) or stderr (2); held
 *			output (not F_LIVE) is gathered into messages of
 *			48 KiB or more, save the last before M_DONE
 *	M_DONE		it ended and was reaped: how, its rusage, its end time
 *
 * A job that writes nothing costs one message in and two out.
 *
 */
#ifndef FANOUT_EXEC_WORKER_H
#define FANOUT_EXEC_WORKER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/resource.h>

#include "engine.h"

#define CHUNK		ENGINE_CHUNK	/* output bytes per M_OUT */
#define MSG_MAX		(8 + CHUNK)	/* the longest message */

enum msg_type { M_START = 1, M_MORE, M_SIGNAL, M_STARTED, M_OUT, M_DONE };

#define F_LIVE		1
#define F_UNGROUP	2

struct msg_start {
	uint32_t	 type;
	uint32_t	 flags;
	uint32_t	 argc;
	uint32_t	 envc;
	uint64_t	 len;		/* string bytes, over all pieces */
};

/* M_MORE and M_OUT (bytes follow), M_SIGNAL, M_STARTED. */
struct msg_small {
	uint32_t	 type;
	int32_t		 arg;		/* signo, pid or stream */
};

struct msg_done {
	uint32_t	 type;
	int32_t		 end;		/* enum job_end */
	int32_t		 status;
	int32_t		 spawn_err;
	int32_t		 pid;		/* 0: never spawned */
	int32_t		 pad;
	int64_t		 end_ns;
	uint64_t	 out_bytes, err_bytes;
	struct rusage	 ru;
};

/* A message's type: its first 32 bits. */
uint32_t exec_worker_type(const char *msg);

/*
 * Send one whole record of two parts (blen may be 0), blocking until the
 * socket has room, with a copy of descriptor pass (-1: none).  0 or
 * -errno.
 */
int	exec_worker_send(int fd, const void *a, size_t alen, const void *b,
	    size_t blen, int pass);

/* The descriptors fanout inherited, which its workers keep; sorted. */
struct worker_keep {
	int		*fd;
	size_t		 n, cap;
};

/*
 * Find the descriptors fanout inherited (those without close-on-exec:
 * fanout opens every one of its own with it), once, before any worker
 * is forked.
 */
void	exec_worker_keep(struct worker_keep *);

/*
 * Become the worker on socket sock, in a child just forked from the
 * single-threaded coordinator: let go of every descriptor fanout opened
 * but sock and spawn's (keeping keep's), then serve jobs until the
 * socket's end of file.  Leaves by _exit only, never returns and never
 * calls exit().
 */
_Noreturn void exec_worker_main(int sock, const struct worker_keep *keep);

#endif
