/*
 * progress: builds the status line from the run's counts and writes it
 * whole in one write(2).  On a terminal, "drawn" remembers whether the
 * line is on the screen, so that job output can erase it first and the
 * next tick draws it again below that output.
 */
#include "progress.h"
#include "options.h"
#include "report.h"
#include "summary.h"
#include "util.h"

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define REDRAW_NS	(100 * 1000000LL)	/* 10 times a second */
#define COUNT_CHUNK	(1 << 20)

struct progress {
	const struct config	*cfg;
	int			 tty;		/* stderr is a tty */
	int			 out_tty;	/* so is stdout */
	int			 drawn;
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

static int
term_width(void)
{
	struct winsize ws;
	const char *env;
	long v;

	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	env = getenv("COLUMNS");
	if (env != NULL && options_long(env, 20, 10000, &v) == 0)
		return (int)v;
	return 80;
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
	if (!final && now - p->last_ns < REDRAW_NS)
		return;
	p->last_ns = now;
	width = term_width();
	build(p, st, total, skipped, final, width);
	/* Never wrap: a wrapped line cannot be redrawn with "\r". */
	if (p->line.len > (size_t)width - 1)
		p->line.len = (size_t)width - 1;
	buf_clear(&p->out);
	buf_addc(&p->out, '\r');
	buf_add(&p->out, p->line.p, p->line.len);
	buf_adds(&p->out, final ? "\033[K\n" : "\033[K");
	(void)!write_all(2, p->out.p, p->out.len);
	p->drawn = !final;
}

void
progress_erase(struct progress *p, int fd)
{
	if (!p->tty || !p->drawn || (fd == 1 && !p->out_tty))
		return;
	(void)!write_all(2, "\r\033[K", 4);
	p->drawn = 0;
}

/* Counting records without holding them: see progress.h. */
struct counter {
	const struct config	*cfg;
	size_t			 len;		/* of this record */
	int			 blank;		/* blanks so far */
	char			 head[256];	/* its start, for -E */
	size_t			 eoflen;	/* 0: no -E */
	long			 records;
	int			 ended;		/* -E seen */
};

static void
count_end(struct counter *c)
{
	if (c->eoflen > 0 && c->len == c->eoflen &&
	    memcmp(c->head, c->cfg->eof_str, c->eoflen) == 0) {
		c->ended = 1;
		return;
	}
	if (!c->cfg->skip_empty || !c->blank)
		c->records++;
	c->len = 0;
	c->blank = 1;
}

static void
count_bytes(struct counter *c, const char *p, size_t n)
{
	const char *end = p + n, *q;
	size_t i, k;

	while (p < end && !c->ended) {
		q = memchr(p, c->cfg->delim, (size_t)(end - p));
		k = (size_t)((q ? q : end) - p);
		if (c->eoflen > 0 && c->len < sizeof(c->head))
			memcpy(c->head + c->len, p, k < sizeof(c->head) -
			    c->len ? k : sizeof(c->head) - c->len);
		for (i = 0; c->blank && c->cfg->skip_empty && i < k; i++)
			if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' &&
			    p[i] != '\n')
				c->blank = 0;
		c->len += k;
		if (q == NULL)
			break;
		count_end(c);
		p = q + 1;
	}
}

long
progress_count(const struct config *cfg)
{
	struct counter c = { 0 };
	const char *path = NULL;
	struct stat st;
	char *chunk;
	off_t off = 0;
	ssize_t n;
	long jobs;
	int fd = 0;

	if (cfg->nsources > 1 || cfg->xargs_fill || cfg->max_lines > 0 ||
	    cfg->retry_failed)
		return -1;
	if (cfg->nsources == 1) {
		if (cfg->sources[0].kind != SOURCE_FILE)
			return -1;
		if (strcmp(cfg->sources[0].path, "-") != 0)
			path = cfg->sources[0].path;
	}
	c.cfg = cfg;
	c.blank = 1;
	if (cfg->eof_str != NULL) {
		c.eoflen = strlen(cfg->eof_str);
		if (c.eoflen > sizeof(c.head))
			return -1;
	}
	if (path != NULL && (fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    (path == NULL && (off = lseek(fd, 0, SEEK_CUR)) < 0)) {
		if (path != NULL)
			close(fd);
		return -1;
	}
	chunk = xmalloc(COUNT_CHUNK);
	while (!c.ended && (n = pread(fd, chunk, COUNT_CHUNK, off)) > 0) {
		count_bytes(&c, chunk, (size_t)n);
		off += n;
	}
	free(chunk);
	if (path != NULL)
		close(fd);
	if (!c.ended && c.len > 0)
		count_end(&c);
	jobs = c.records;
	if (cfg->header && jobs > 0)
		jobs--;
	if (cfg->max_args > 1)
		jobs = (jobs + cfg->max_args - 1) / cfg->max_args;
	return jobs;
}
