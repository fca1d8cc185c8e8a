/*
 * quote: shell quoting, in one place.  A quoted value, pasted into a
 * POSIX shell command line, reaches the command as exactly its bytes,
 * one word, whatever they are: no expansion, splitting, globbing or
 * syntax.  Pure functions; any thread.
 */
#ifndef FANOUT_QUOTE_H
#define FANOUT_QUOTE_H

#include <stddef.h>

struct buf;

/* Append s, quoted for the shell, to b.  Empty s becomes ''. */
void	quote_append(struct buf *b, const char *s, size_t len);

/* Length quote_append would add, without building it. */
size_t	quote_len(const char *s, size_t len);

/* Whether s needs no quoting at all. */
int	quote_is_plain(const char *s, size_t len);

/*
 * Quote b's bytes from start to its end in place, as quote_append would
 * have written them.  With force, a plain value is wrapped in '' too
 * (a bare word could be a shell reserved word where it stands).
 */
void	quote_inplace(struct buf *b, size_t start, int force);

/*
 * The other way: split s into words as a shell would, expanding
 * nothing.  Blanks (space, tab, newline) separate words; a backslash
 * takes the next byte as it is; '...' keeps what it holds; "..." too,
 * but a backslash before \, ", $ or ` takes that byte; a # starting a
 * word begins a comment, to the end of the line.  The words, each
 * NUL-ended, are appended to out.  Returns their number, or -EINVAL
 * for a quote never closed.
 */
int	quote_split(const char *s, struct buf *out);

#endif
