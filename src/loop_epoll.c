/*
 * loop_epoll: the loop on Linux's epoll.  Registration costs a syscall;
 * waiting costs nothing per idle descriptor, which is what -j 5000 needs.
 */
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct loop {
	int			 epfd;
	struct epoll_event	 ev[256];
};

int
loop_new(struct loop **lp)
{
	struct loop *l = xcalloc(1, sizeof(*l));

	l->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (l->epfd < 0) {
		free(l);
		return -errno;
	}
	*lp = l;
	return 0;
}

void
loop_free(struct loop *l)
{
	if (l == NULL)
		return;
	close(l->epfd);
	free(l);
}

int
loop_add(struct loop *l, int fd, void *data)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = data };

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

int
loop_del(struct loop *l, int fd)
{
	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

int
loop_wait(struct loop *l, int timeout_ms, void **ready, size_t max)
{
	int i, n;

	if (max > ARRAY_SIZE(l->ev))
		max = ARRAY_SIZE(l->ev);
	n = epoll_wait(l->epfd, l->ev, (int)max, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		ready[i] = l->ev[i].data.ptr;
	return n;
}
