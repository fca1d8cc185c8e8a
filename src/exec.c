/*
 * exec: the table of execution modes.
 */
#include "exec.h"

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
