/*
 * direct: whether a job may skip the shell and exec its program itself,
 * decided once per command template.  The shell may be skipped only when
 * it would do nothing but run the program with the words it was given:
 * the program is a literal name that is found in PATH, is no shell
 * function, and the template's literal text holds nothing the shell
 * interprets.  tmpl walks its words through a direct_scan and asks
 * direct_choose; it never looks at the environment itself.
 *
 * Pure except for direct_choose, which reads PATH and the environment
 * and stats files; single-threaded use at start-up.
 */
#ifndef FANOUT_DIRECT_H
#define FANOUT_DIRECT_H

#include <stddef.h>

#include "options.h"

/*
 * A scan of a template's literal text, word by word.  Zero it, then call
 * direct_scan_word at each word's start, direct_scan_text for literal
 * bytes and direct_scan_value for each replacement string, in order.
 * plain stays 1 while the text holds nothing the shell would interpret.
 */
struct direct_scan {
	size_t	 words;		/* words begun so far */
	int	 start;		/* at the start of a word */
	char	 prev;		/* the literal byte before, or '\0' */
	int	 plain;
};

void	direct_scan_init(struct direct_scan *);
void	direct_scan_word(struct direct_scan *);
/*
 * A value: a quoted piece, but possibly nothing at all (an absent
 * column), so what follows may still start the word.
 */
void	direct_scan_value(struct direct_scan *);
void	direct_scan_text(struct direct_scan *, const char *p, size_t n);

/*
 * Decide whether jobs skip the shell.  prog is the template's literal
 * first word (NULL when it is not literal); syntax is nonzero when the
 * template's text may mean more than its words to the shell (its scan
 * was not plain, or prog is a reserved word).  On success *path is NULL
 * (run the shell) or the program to execve, the caller's to free: under
 * SHELL_NEVER a program not found is returned as written, so that its
 * exec fails with 127.  Returns 0, or -EINVAL with *msg set when
 * SHELL_NEVER has no literal program.
 */
int	direct_choose(char **path, const char *prog, int syntax,
	    enum shell_use use, const char **msg);

#endif
