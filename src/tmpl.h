/*
 * tmpl: the command template.  It is compiled once from COMMAND's words
 * (joined with single spaces, as GNU parallel does) and then expanded
 * for each job, either into one shell command line in which every
 * substituted value is quoted, or, when fanout can prove that the shell
 * would do nothing but exec the program, into an argv for direct
 * execution.  Both expansions always mean the same command.
 *
 * Replacement strings: {} {.} {/} {//} {/.} {#} {%} {##}, {n} and {n.}
 * {n/} {n//} {n/.} for argument n, {name} for a --header column, -I
 * STR for {}, and --er STR and the like for {.} {/} {/.} {//} {#} {%}
 * (whose brace forms then mean nothing); with --plus, the further modifiers of modifier.h, after a
 * position or name or alone.  A template without any gets " {}"
 * appended.
 *
 * Pure: no I/O after tmpl_compile (which may look the program up in
 * PATH), no globals; expansion may run on any thread.
 */
#ifndef FANOUT_TMPL_H
#define FANOUT_TMPL_H

#include <stddef.h>

struct args;
struct buf;
struct config;

/* What a job's expansion needs besides its arguments. */
struct tmpl_ctx {
	const struct args *args;
	long		 seq;		/* {#} */
	long		 slot;		/* {%} */
	long		 total;		/* {##}; -1 unknown */
};

struct tmpl;

/*
 * Compile cfg's COMMAND.  names are --header column names (may be NULL).
 * Returns 0 or -EINVAL with msg (msgsize bytes) saying what is wrong:
 * --no-shell without COMMAND, or with a replacement string as its first
 * word; a --plus pattern that does not compile; a {= Perl =} expression.
 */
int	tmpl_compile(struct tmpl **, const struct config *cfg,
	    const char *const *names, size_t nnames, char *msg,
	    size_t msgsize);
void	tmpl_free(struct tmpl *);

/*
 * Compile a text with replacement strings, such as --tagstring: nothing
 * is appended and values are never quoted (tmpl_text); words repeat in
 * context as the command's do.  0 or -EINVAL with msg, as tmpl_compile.
 */
int	tmpl_compile_text(struct tmpl **, const char *text,
	    const struct config *cfg, const char *const *names,
	    size_t nnames, char *msg, size_t msgsize);
/* Expand a text template: values as they are, appended to out. */
void	tmpl_text(const struct tmpl *, const struct tmpl_ctx *,
	    struct buf *out);

/*
 * The command as one shell command line, values quoted, appended to out.
 * This is what runs under the shell and what --dry-run, -v, -t and the
 * reports show.
 */
void	tmpl_line(const struct tmpl *, const struct tmpl_ctx *,
	    struct buf *out);

/*
 * Non-NULL when jobs run without a shell: the resolved path of the
 * program (found once, at compile time).  Then tmpl_argv() gives the
 * words.  Under --no-shell a program that was not found is returned as
 * written (no '/'), so that its exec fails and the job exits 127: exec
 * it with execve(), not execvp(), or ./NAME could run.
 */
const char *tmpl_direct(const struct tmpl *);

/*
 * The argv of a direct job, appended to out as NUL-terminated words;
 * returns their number (argv[0] included, as written, not resolved).
 * A value holding a NUL is cut there.
 */
size_t	tmpl_argv(const struct tmpl *, const struct tmpl_ctx *,
	    struct buf *out);

/* Whether the template uses {##} (the input must then be read first). */
int	tmpl_needs_total(const struct tmpl *);
/* Whether a modifier may lengthen its value ({:-STR}, {/RE/STR}). */
int	tmpl_lengthens(const struct tmpl *);
/*
 * Whether the text holds a replacement string (the " {}" a COMMAND
 * without one gets is not counted): a text template without one always
 * expands to itself.
 */
int	tmpl_has_reps(const struct tmpl *);
/* The highest n of the {n} strings (not --header names); 0 if none. */
size_t	tmpl_max_position(const struct tmpl *);

/*
 * For -X/-m: the bytes each value adds to the command line, and the
 * bytes of the line with no values; for a direct job, to its argv, with
 * each word's NUL and the pointer the kernel counts for it.  Every word
 * a value makes counts (each {} of a word that joins the values, each
 * repetition of a context group).  Upper bounds, except that {n} inside
 * a context group is counted as large as the value being added.
 */
size_t	tmpl_arg_cost(const struct tmpl *, const char *p, size_t len);
size_t	tmpl_base_len(const struct tmpl *);

#endif
