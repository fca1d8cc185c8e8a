/*
 * exec: the table of execution modes.
 */
#include "exec.h"
#include "loop.h"
#include "util.h"

#include <errno.h>
#include <string.h>

static const struct exec_ops *const modes[] = {
	&exec_async_ops,
#ifdef FANOUT_HAVE_THREAD
	&exec_thread_ops,
#endif
#ifdef FANOUT_HAVE_PROCESS
	&exec_process_ops,
#endif
};

const struct exec_ops *
exec_find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (strcmp(modes[i]->name, name) == 0)
			return modes[i];
	return NULL;
}

const char *
exec_names(void)
{
	return ""
#ifdef FANOUT_HAVE_PROCESS
	    "process, "
#endif
#ifdef FANOUT_HAVE_THREAD
	    "thread, "
#endif
	    "async";
}

void
exec_watches_init(struct exec_watches *ws, void *const data[])
{
	size_t i;

	for (i = 0; i < EXEC_WATCH_MAX; i++) {
		ws->fd[i] = -1;
		ws->always[i] = 0;
		ws->data[i] = data[i];
	}
}

int
exec_watches_set(struct loop *l, struct exec_watches *ws,
    struct exec_watch *w, size_t n)
{
	size_t i;
	int r, ready = 0;

	if (n > EXEC_WATCH_MAX)
		BUG("too many watches");
	for (i = 0; i < EXEC_WATCH_MAX; i++) {
		int want = i < n ? w[i].fd : -1;

		if (ws->fd[i] == want || ws->fd[i] < 0)
			continue;
		if (!ws->always[i])
			loop_del(l, ws->fd[i]);
		ws->fd[i] = -1;
		ws->always[i] = 0;
	}
	for (i = 0; i < n; i++) {
		w[i].ready = 0;
		if (w[i].fd >= 0 && ws->fd[i] != w[i].fd) {
			r = loop_add(l, w[i].fd, ws->data[i]);
			if (r == -ENOMEM) {
				/*
				 * Short of memory, not a descriptor that
				 * never blocks: saying it is ready could
				 * end the run (a closed stdout).  Try
				 * again next call, and have the caller not
				 * block on a watch it does not have.
				 */
				ready++;
				continue;
			}
			ws->fd[i] = w[i].fd;
			ws->always[i] = r < 0;
		}
		w[i].ready = ws->always[i];
		ready += w[i].ready;
	}
	return ready;
}
