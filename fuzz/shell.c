/*
 * shell: quote removal and word splitting as POSIX sh does them
 * (XCU 2.2 Quoting, 2.6.5 Field Splitting is not involved: there are no
 * expansions).  Outside quotes a backslash keeps the next byte (and
 * removes a newline); single quotes keep every byte up to the next ';
 * inside double quotes a backslash only escapes $ ` " \ and newline and
 * is kept before anything else, while an unescaped $ or ` would expand.
 */
#include "shell.h"

#include <stdlib.h>
#include <string.h>

/* Bytes that mean something to the shell when they are not quoted. */
static int
meta(unsigned char c)
{
	return c != '\0' && strchr("|&;<>()$`*?[]{}!\n\"'\\", c) != NULL;
}

static void
put(struct shell_words *w, size_t *cap, size_t *used, char c)
{
	if (*used + 1 >= *cap) {
		*cap = *cap ? 2 * *cap : 64;
		w->p = realloc(w->p, *cap);
		if (w->p == NULL)
			abort();
	}
	w->p[(*used)++] = c;
}

static void
end_word(struct shell_words *w, size_t *cap, size_t *used, size_t *start)
{
	w->len = realloc(w->len, (w->n + 1) * sizeof(*w->len));
	if (w->len == NULL)
		abort();
	w->len[w->n++] = *used - *start;
	put(w, cap, used, '\0');
	*start = *used;
}

int
shell_split(const char *s, size_t len, struct shell_words *w)
{
	size_t i = 0, cap = 0, used = 0, start = 0;
	int inword = 0;
	unsigned char c;

	memset(w, 0, sizeof(*w));
	while (i < len) {
		c = (unsigned char)s[i];
		if (c == ' ' || c == '\t') {
			if (inword)
				end_word(w, &cap, &used, &start);
			inword = 0;
			i++;
			continue;
		}
		if (c == '\\') {
			if (i + 1 >= len)
				goto bad;	/* a trailing backslash */
			if (s[i + 1] != '\n') {
				put(w, &cap, &used, s[i + 1]);
				inword = 1;
			}
			i += 2;
			continue;
		}
		if (c == '\'') {
			for (i++; i < len && s[i] != '\''; i++)
				put(w, &cap, &used, s[i]);
			if (i >= len)
				goto bad;
			i++;
			inword = 1;
			continue;
		}
		if (c == '"') {
			for (i++; i < len && s[i] != '"'; i++) {
				if (s[i] == '$' || s[i] == '`')
					goto bad;
				if (s[i] == '\\' && i + 1 < len &&
				    strchr("$`\"\\\n", s[i + 1]) != NULL) {
					if (s[++i] != '\n')
						put(w, &cap, &used, s[i]);
					continue;
				}
				put(w, &cap, &used, s[i]);
			}
			if (i >= len)
				goto bad;
			i++;
			inword = 1;
			continue;
		}
		if (meta(c))
			goto bad;
		/* A comment, or a tilde prefix, at the start of a word. */
		if (!inword && (c == '#' || c == '~'))
			goto bad;
		put(w, &cap, &used, (char)c);
		inword = 1;
		i++;
	}
	if (inword)
		end_word(w, &cap, &used, &start);
	return 0;
bad:
	shell_free(w);
	return -1;
}

void
shell_free(struct shell_words *w)
{
	free(w->p);
	free(w->len);
	memset(w, 0, sizeof(*w));
}
