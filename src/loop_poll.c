/*
 * loop_poll: the loop on POSIX poll(), for systems without epoll.  The
 * descriptors sit in one dense pollfd array; a table indexed by descriptor
 * finds a slot in O(1), so removing one swaps the last slot into its
 * place.  Each wait scans from where the last one stopped, so a busy
 * descriptor early in the array cannot starve the rest when more are
 * ready than the caller takes.
 */
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>

struct loop {
	struct pollfd	*pfd;		/* n in use, cap allocated */
	void		**data;		/* data[i] belongs to pfd[i] */
	size_t		 n, cap;
	size_t		*slot;		/* slot[fd]: index in pfd + 1, 0 none */
	size_t		 nslot;
	size_t		 scan;		/* where the next wait starts */
};

int
loop_new(struct loop **lp)
{
	*lp = xcalloc(1, sizeof(**lp));
	return 0;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	free(l->pfd);
	free(l->data);
	free(l->slot);
	free(l);
}

int
loop_add(struct loop *l, int fd, void *data)
{
	if (fd < 0)
		return -EBADF;
	if ((size_t)fd >= l->nslot) {
		size_t n = l->nslot ? l->nslot : 64;

		while (n <= (size_t)fd)
			n *= 2;
		l->slot = xrealloc(l->slot, n * sizeof(*l->slot));
		for (size_t i = l->nslot; i < n; i++)
			l->slot[i] = 0;
		l->nslot = n;
	}
	if (l->slot[fd] != 0)
		return -EEXIST;
	if (l->n == l->cap) {
		l->cap = l->cap ? 2 * l->cap : 64;
		l->pfd = xrealloc(l->pfd, l->cap * sizeof(*l->pfd));
		l->data = xrealloc(l->data, l->cap * sizeof(*l->data));
	}
	l->pfd[l->n] = (struct pollfd){ .fd = fd, .events = POLLIN };
	l->data[l->n] = data;
	l->slot[fd] = ++l->n;
	return 0;
}

int
loop_del(struct loop *l, int fd)
{
	size_t i, last;

	if (fd < 0 || (size_t)fd >= l->nslot || l->slot[fd] == 0)
		return -ENOENT;
	i = l->slot[fd] - 1;
	last = --l->n;
	if (i != last) {
		l->pfd[i] = l->pfd[last];
		l->data[i] = l->data[last];
		l->slot[l->pfd[i].fd] = i + 1;
	}
	l->slot[fd] = 0;
	return 0;
}

int
loop_wait(struct loop *l, int timeout_ms, void **ready, size_t max)
{
	size_t i, k, got = 0;
	int n;

	n = poll(l->pfd, (nfds_t)l->n, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	/*
	 * POLLHUP and POLLERR count as readable, as with epoll: the reader
	 * then sees end of file or the error.
	 */
	for (k = 0; k < l->n && got < max && n > 0; k++) {
		i = (l->scan + k) % l->n;
		if (l->pfd[i].revents != 0) {
			ready[got++] = l->data[i];
			n--;
		}
	}
	if (l->n > 0)
		l->scan = (l->scan + k) % l->n;
	return (int)got;
}
