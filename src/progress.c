/*
 * progress: builds the status line from the run's counts and writes it
 * whole in one write(2).  On a terminal, "drawn" remembers whether the
 * line is on the screen, so that job output can erase it first and the
 * next tick (the end of the scheduler's turn that wrote the output)
 * draws it again below that output, whenever the last draw was;
 * "midline" remembers whether that output ended mid-line, so that the
 * line is then drawn on a line of its own rather than over it.
 */
#include "progress.h"
#include "num.h"
#include "options.h"
#include "summary.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define REDRAW_NS	(100 * 1000000LL)	/* 10 times a second */

struct progress {
	const struct config	*cfg;
	int			 tty;		/* stderr is a tty */
	int			 out_tty;	/* so is stdout */
	int			 drawn;
	int			 midline;	/* output ended mid-line */
	int64_t			 last_ns;
	int64_t			 start_ns;
	struct buf		 line;
	struct buf		 out;
};

struct progress *
progress_new(const struct config *cfg)
{
	struct progress *p = xcalloc(1, sizeof(*p));

	p->cfg = cfg;
	p->tty = isatty(2);
	p->out_tty = isatty(1);
	p->start_ns = clock_mono_ns();
	return p;
}

void
progress_free(struct progress *p)
{
	if (p == NULL)
		return;
	buf_free(&p->line);
	buf_free(&p->out);
	free(p);
}

int
progress_live(const struct progress *p)
{
	return p->tty;
}

int
progress_cols(int fd)
{
	struct winsize ws;
	const char *env;
	long v;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (env != NULL && num_signed(env, 20, 10000, &v) == 0)
		return (int)v;
	return 80;
}

int
progress_width(void)
{
	return isatty(2) ? progress_cols(2) : 0;
}

static void
build(struct progress *p, const struct run_stats *st, long total,
    long skipped, int final, int width)
{
	const struct config *cfg = p->cfg;
	struct buf rest = { 0 };
	int64_t elapsed = clock_mono_ns() - p->start_ns;
	long done = st->done + skipped, left;
	double rate = elapsed > 0 ? (double)st->done * 1e9 / (double)elapsed :
	    0;
	int known = total >= 0, bar, i, fill;

	if (known && done > total)
		total = done;
	if (known)
		buf_addf(&rest, "%ld/%ld done", done, total);
	else
		buf_addf(&rest, "%ld done", done);
	buf_addf(&rest, ", %ld running", st->running);
	if (st->failed > 0)
		buf_addf(&rest, ", %ld failed", st->failed);
	if (st->done > 0)
		buf_addf(&rest, ", %.1f/s", rate);
	if (st->hosts != NULL)
		buf_addf(&rest, " (%s)", st->hosts);
	if (final) {
		buf_adds(&rest, " in ");
		summary_dur(&rest, elapsed);
	} else if (known && (cfg->eta || cfg->bar) && st->done > 0 &&
	    rate > 0) {
		left = (long)((double)(total - done) / rate + 0.5);
		if (left < 60)
			buf_addf(&rest, ", ETA %lds", left);
		else if (left < 3600)
			buf_addf(&rest, ", ETA %ldm%02lds", left / 60,
			    left % 60);
		else
			buf_addf(&rest, ", ETA %ldh%02ldm", left / 3600,
			    left / 60 % 60);
	}
	buf_clear(&p->line);
	buf_adds(&p->line, "fanout: ");
	if (cfg->bar && known) {
		bar = width - 8 - 7 - (int)rest.len - 3;
		if (bar > 40)
			bar = 40;
		if (bar >= 10) {
			fill = total > 0 ? (int)((double)done * bar / total) :
			    bar;
			buf_addc(&p->line, '[');
			for (i = 0; i < bar; i++)
				buf_addc(&p->line, i < fill ? '#' : '.');
			buf_adds(&p->line, "] ");
		}
		buf_addf(&p->line, "%3d%% ", total > 0 ?
		    (int)(done * 100 / total) : 100);
	}
	buf_add(&p->line, rest.p, rest.len);
	buf_free(&rest);
}

void
progress_draw(struct progress *p, const struct run_stats *st, long total,
    long skipped, int final)
{
	int64_t now = clock_mono_ns();
	int width;

	if (!p->tty) {
		if (!final)
			return;
		build(p, st, total, skipped, 1, 1 << 20);
		buf_addc(&p->line, '\n');
		(void)!write_all(2, p->line.p, p->line.len);
		return;
	}
	/*
	 * The rate limit is for refreshing a line on the screen.  A line
	 * that job output erased is drawn again at once, under that output,
	 * as GNU parallel does: with jobs printing often, waiting for the
	 * next tenth of a second would leave it off the screen most of the
	 * time.
	 */
	if (!final && p->drawn && now - p->last_ns < REDRAW_NS)
		return;
	p->last_ns = now;
	width = progress_cols(2);
	build(p, st, total, skipped, final, width);
	/* Never wrap: a wrapped line cannot be redrawn with "\r". */
	if (p->line.len > (size_t)width - 1)
		p->line.len = (size_t)width - 1;
	buf_clear(&p->out);
	/*
	 * Output that did not end its line stays whole: "\r" would draw
	 * over it, and the next erasure wipe it.  The line goes under it.
	 */
	if (p->midline)
		buf_addc(&p->out, '\n');
	p->midline = 0;
	buf_addc(&p->out, '\r');
	buf_add(&p->out, p->line.p, p->line.len);
	buf_adds(&p->out, final ? "\033[K\n" : "\033[K");
	(void)!write_all(2, p->out.p, p->out.len);
	p->drawn = !final;
}

void
progress_erase(struct progress *p, int fd, int eol)
{
	if (!p->tty || (fd == 1 && !p->out_tty))
		return;
	p->midline = !eol;
	if (!p->drawn)
		return;
	(void)!write_all(2, "\r\033[K", 4);
	p->drawn = 0;
}
