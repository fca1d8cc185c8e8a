/*
 * progress: --progress, --bar and --eta, one status line on stderr:
 *
 *	fanout: [#######.............] 35% 42/120 done, 8 running,
 *	    1 failed, 21.3/s, ETA 4s
 *
 * (one line; the bar with --bar, the ETA with --eta or --bar, both only
 * when the total is known).  On a terminal the line is redrawn in place
 * ("\r", erase to the end of the line), at most 10 times a second, cut
 * to the terminal's width so that it never wraps.  It is erased before
 * fanout writes job output to the terminal and drawn again under that
 * output at the next progress_draw(), at once, so that it stays in sight
 * under output that scrolls.  It ends with a newline when the run ends.
 * Not on a terminal, only the final line is printed.
 *
 * The total is known for argument lists, with --total N, and when the
 * streamed input source is a regular file: the input counts its records
 * ahead (input_count()).  From a pipe there is no total: counts and
 * rate only.
 *
 * Single-threaded; the scheduler's thread.
 */
#ifndef FANOUT_PROGRESS_H
#define FANOUT_PROGRESS_H

#include <stdint.h>

struct config;
struct progress;
struct run_stats;

struct progress *progress_new(const struct config *);
void	progress_free(struct progress *);
/* Whether the line is redrawn in place (stderr is a terminal). */
int	progress_live(const struct progress *);
/*
 * Redraw if due (or always, with final): a tenth of a second after the
 * last draw, or at once when job output erased the line.  total: the
 * number of jobs, or -1; skipped: jobs an earlier run did (--resume),
 * counted as done.
 */
void	progress_draw(struct progress *, const struct run_stats *,
	    long total, long skipped, int final);
/*
 * The width of the terminal on stderr ($COLUMNS, else 80, when it does
 * not say), or 0 when stderr is not a terminal.
 */
int	progress_width(void);
/* The width of the terminal on fd, else $COLUMNS, else 80. */
int	progress_cols(int fd);
/*
 * fanout is about to write to fd: erase the line if it is in the way.
 * eol: whether what it writes ends a line; when it does not, on the
 * terminal, the line is drawn next on a line of its own, under it.
 */
void	progress_erase(struct progress *, int fd, int eol);

#endif
