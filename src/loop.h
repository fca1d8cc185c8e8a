/*
 * loop: a tiny readiness loop over descriptors, each registered with an
 * opaque pointer that comes back when it is readable (or hung up).
 * Level-triggered.  The backend (epoll on Linux, poll elsewhere) is
 * chosen at build time.  One loop belongs to one thread.
 */
#ifndef FANOUT_LOOP_H
#define FANOUT_LOOP_H

#include <stddef.h>

struct loop;

int	loop_new(struct loop **);
void	loop_free(struct loop *);
/*
 * Watch fd for input; data comes back from loop_wait.  A backend short
 * of its own resources (epoll's memory or max_user_watches) still
 * watches fd, by polling it, until it can take it.  0, -ENOMEM when
 * even that cannot be done (try again later), or another -errno for a
 * descriptor that cannot be watched at all (-EPERM: a regular file).
 */
int	loop_add(struct loop *, int fd, void *data);
/* Stop watching fd (before closing it). 0 or -errno. */
int	loop_del(struct loop *, int fd);
/*
 * Wait at most timeout_ms (-1 forever) and store the data of up to max
 * ready descriptors.  Returns their number (0 on timeout or EINTR) or
 * -errno.
 */
int	loop_wait(struct loop *, int timeout_ms, void **ready, size_t max);

#endif
