/*
 * shell: a small reader of POSIX shell quoting, for the harnesses'
 * properties.  It splits a simple command line into the words a POSIX
 * shell would pass to exec, and refuses anything the shell would give a
 * meaning beyond quoting: an unquoted metacharacter, an expansion, a
 * glob, a comment, a tilde, or an unterminated quote.
 */
#ifndef FANOUT_FUZZ_SHELL_H
#define FANOUT_FUZZ_SHELL_H

#include <stddef.h>

struct shell_words {
	char	*p;		/* the words, each ended by '\0' */
	size_t	*len;		/* each word's length ('\0' may occur in one) */
	size_t	 n;
};

/*
 * Split s[0..len) into words.  Returns 0, or -1 when the shell would do
 * more than remove quotes and split at blanks.  Free with shell_free.
 */
int	shell_split(const char *s, size_t len, struct shell_words *w);
void	shell_free(struct shell_words *w);

#endif
