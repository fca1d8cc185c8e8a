/*
 * direct: the analysis of whether the shell may be skipped.  It errs
 * towards the shell: a false "no" only costs a fork of /bin/sh, a false
 * "yes" would change what the command means.  The program is looked up
 * as the shell would (PATH order, an empty entry being the current
 * directory), and a function that bash would import from the
 * environment under the program's name keeps the shell.
 */
#include "direct.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "options.h"
#include "util.h"

void
direct_scan_init(struct direct_scan *s)
{
	memset(s, 0, sizeof(*s));
	s->plain = 1;
}

void
direct_scan_word(struct direct_scan *s)
{
	s->words++;
	s->start = 1;
	s->prev = '\0';
}

/*
 * A value may expand to nothing (an absent column, tmpl.h), so the text
 * after it may still start the word: start stays as it was.
 */
void
direct_scan_value(struct direct_scan *s)
{
	s->prev = '\0';
}

/*
 * Conservative: '~' after '=' or ':' is expanded by bash in any
 * assignment-like word; '=' at a word start is zsh's; '=' in the first
 * word makes it an assignment.
 */
void
direct_scan_text(struct direct_scan *s, const char *p, size_t n)
{
	size_t k;
	char c;

	for (k = 0; k < n && s->plain; k++) {
		c = p[k];
		if (strchr("'\"$`\\|&;<>()*?[]{}!\n", c) ||
		    (s->start && (c == '#' || c == '~' || c == '=')) ||
		    (c == '~' && (s->prev == '=' || s->prev == ':')) ||
		    (s->words == 1 && c == '='))
			s->plain = 0;
		s->start = 0;
		s->prev = c;
	}
}

/* bash runs a function exported under this name instead of any file. */
static int
exported_function(const char *name)
{
	struct buf b = { 0 };
	int found;

	buf_addf(&b, "BASH_FUNC_%s%%%%", name);
	found = getenv(b.p) != NULL;
	buf_clear(&b);
	buf_addf(&b, "BASH_FUNC_%s()", name);
	found |= getenv(b.p) != NULL;
	buf_free(&b);
	return found;
}

int
direct_choose(char **path, const char *prog, int syntax,
    enum shell_use use, const char **msg)
{
	*path = NULL;
	if (use == SHELL_ALWAYS)
		return 0;
	if (prog == NULL) {
		if (use != SHELL_NEVER)
			return 0;
		*msg = "--no-shell needs a program name, not a replacement "
		    "string, as the command's first word";
		return -EINVAL;
	}
	if (use == SHELL_NEVER) {
		if ((*path = util_which(prog)) == NULL)
			*path = xstrdup(prog);	/* the job fails with 127 */
		return 0;
	}
	if (!syntax && !exported_function(prog))
		*path = util_which(prog);
	return 0;
}
