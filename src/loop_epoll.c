/*
 * loop_epoll: the loop on Linux's epoll.  Registration costs a syscall;
 * waiting costs nothing per idle descriptor, which is what -j 5000 needs.
 *
 * epoll may refuse a descriptor for want of kernel memory (ENOMEM) or
 * because the user's watches are used up (ENOSPC, max_user_watches).
 * That is a shortage, not a property of the descriptor: such a
 * descriptor is kept in a fallback list and polled with the epoll
 * descriptor itself, so waiting still blocks until something is ready,
 * and each wait tries to move it into epoll again.  Nothing registered
 * is ever silently dropped: a job whose pipe or pidfd epoll refused is
 * still drained and reaped.
 */
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <unistd.h>

struct loop {
	int			 epfd;
	struct epoll_event	 ev[256];
	/*
	 * The fallback: pfd[0] is epfd, pfd[1 .. nfb] the refused
	 * descriptors, and fbdata[i] the data of pfd[i + 1].
	 */
	struct pollfd		*pfd;
	void			**fbdata;
	size_t			 nfb, capfb;
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
	free(l->pfd);
	free(l->fbdata);
	free(l);
}

static int
epoll_add(struct loop *l, int fd, void *data)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = data };

	if (epoll_ctl(l->epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
		return -errno;
	return 0;
}

/*
 * Keep fd in the fallback.  Plain realloc, not xrealloc: when even this
 * fails, the caller hears -ENOMEM and can back off rather than die.
 */
static int
fallback_add(struct loop *l, int fd, void *data)
{
	struct pollfd *pfd;
	void **fbdata;
	size_t cap;

	if (l->nfb == l->capfb) {
		cap = l->capfb ? 2 * l->capfb : 16;
		if ((pfd = realloc(l->pfd, (cap + 1) * sizeof(*pfd))) == NULL)
			return -ENOMEM;
		l->pfd = pfd;
		if ((fbdata = realloc(l->fbdata, cap * sizeof(*fbdata))) ==
		    NULL)
			return -ENOMEM;
		l->fbdata = fbdata;
		l->capfb = cap;
	}
	l->pfd[l->nfb + 1].fd = fd;
	l->pfd[l->nfb + 1].events = POLLIN;
	l->fbdata[l->nfb] = data;
	l->nfb++;
	return 0;
}

static void
fallback_del(struct loop *l, size_t i)
{
	l->nfb--;
	l->pfd[i + 1] = l->pfd[l->nfb + 1];
	l->fbdata[i] = l->fbdata[l->nfb];
}

int
loop_add(struct loop *l, int fd, void *data)
{
	int r;

	r = epoll_add(l, fd, data);
	if (r == -ENOMEM || r == -ENOSPC)
		r = fallback_add(l, fd, data);
	return r;
}

int
loop_del(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->nfb; i++)
		if (l->pfd[i + 1].fd == fd) {
			fallback_del(l, i);
			return 0;
		}
	if (epoll_ctl(l->epfd, EPOLL_CTL_DEL, fd, NULL) < 0)
		return -errno;
	return 0;
}

/* Wait on epoll alone: the usual case. */
static int
epoll_only(struct loop *l, int timeout_ms, void **ready, size_t max)
{
	int i, n;

	if (max > ARRAY_SIZE(l->ev))
		max = ARRAY_SIZE(l->ev);
	if (max == 0)
		return 0;
	n = epoll_wait(l->epfd, l->ev, (int)max, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -errno;
	for (i = 0; i < n; i++)
		ready[i] = l->ev[i].data.ptr;
	return n;
}

int
loop_wait(struct loop *l, int timeout_ms, void **ready, size_t max)
{
	size_t i, n = 0;
	int r;

	/* Memory or watches may have come back since. */
	for (i = 0; i < l->nfb; )
		if (epoll_add(l, l->pfd[i + 1].fd, l->fbdata[i]) == 0)
			fallback_del(l, i);
		else
			i++;
	if (l->nfb == 0)
		return epoll_only(l, timeout_ms, ready, max);
	l->pfd[0].fd = l->epfd;
	l->pfd[0].events = POLLIN;
	if (poll(l->pfd, l->nfb + 1, timeout_ms) < 0)
		return errno == EINTR ? 0 : -errno;
	/*
	 * Level-triggered both ways: what does not fit now is reported
	 * next time.  Half the room at most for the fallback, so that
	 * neither side can starve the other.
	 */
	for (i = 0; i < l->nfb && n < (max + 1) / 2; i++)
		if (l->pfd[i + 1].revents != 0)
			ready[n++] = l->fbdata[i];
	if (l->pfd[0].revents != 0) {
		r = epoll_only(l, 0, ready + n, max - n);
		if (r < 0)
			return r;
		n += (size_t)r;
	}
	return (int)n;
}
