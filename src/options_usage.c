/*
 * options_usage: --help and --list-options, both read from the table.
 * A --help row is the option's names and value in a column of 22, then
 * its help text; continuation lines of the text are indented to match.
 */
#include "options_table.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

/* The width of the names' column, after two blanks. */
#define NAMES_WIDTH	22

static const char intro[] =
"usage: fanout [OPTIONS] [COMMAND [ARG...]] [::: VALUE...] [:::: FILE...]\n"
"\n"
"Run COMMAND once per input record, many at once.  Input is lines of\n"
"standard input, or the values after :::, or the lines of the files\n"
"after :::: .  Replacement strings in COMMAND take each record's value.\n"
"\n";

static const char outro[] =
"Durations: 1.5, 250ms, 2m, 1h30m (ms, s, m, h, d).  FANOUT_MODE sets the\n"
"default mode.  Exit status: 0 all jobs succeeded, 1-100 that many failed,\n"
"101 more, 255 fanout itself failed.  See fanout(1).\n";

static const char *const titles[NGROUPS] = {
	"Input", "Pipe mode", "Command", "Running", "Output",
	"Remote hosts", "Reports", NULL,
};

/* "-n, -N, --max-args N", "--shell[=PROG]": the names' column. */
static void
names(const struct opt_def *d, char *buf, size_t size)
{
	size_t len = 0, i;
	const char *s;

	buf[0] = '\0';
	if (d->usage != NULL) {
		snprintf(buf, size, "%s", d->usage);
		return;
	}
	for (s = d->shorts; s != NULL && *s != '\0'; s++)
		len += (size_t)snprintf(buf + len, size - len, "%s-%c",
		    len ? ", " : "", *s);
	for (i = 0; i < 2 && d->longs[i] != NULL; i++)
		len += (size_t)snprintf(buf + len, size - len, "%s--%s",
		    len ? ", " : "", d->longs[i]);
	if (d->meta != NULL)
		snprintf(buf + len, size - len, d->arg == optional_argument ?
		    "[=%s]" : " %s", d->meta);
}

static void
row(FILE *f, const struct opt_def *d)
{
	const char *p = d->help, *nl;
	char buf[64];

	names(d, buf, sizeof(buf));
	fprintf(f, "  %-*s", NAMES_WIDTH - 1, buf);
	for (;;) {
		nl = strchr(p, '\n');
		fprintf(f, " %.*s\n", nl ? (int)(nl - p) : (int)strlen(p), p);
		if (nl == NULL)
			break;
		p = nl + 1;
		fprintf(f, "  %-*s", NAMES_WIDTH - 1, "");
	}
}

void
options_usage(FILE *f)
{
	size_t i;
	int g;

	fputs(intro, f);
	for (g = 0; g < NGROUPS; g++) {
		if (titles[g] != NULL)
			fprintf(f, "%s:\n", titles[g]);
		for (i = 0; i < options_ntable; i++)
			if (options_table[i].group == (enum opt_group)g &&
			    options_table[i].help != NULL)
				row(f, &options_table[i]);
		fputc('\n', f);
	}
	fputs(outro, f);
}

void
options_list(FILE *f)
{
	const struct opt_def *d;
	size_t i, k;

	for (i = 0; i < options_ntable; i++) {
		d = &options_table[i];
		for (k = 0; k < 2; k++) {
			if (d->longs[k] != NULL)
				fprintf(f, "--%s\n", d->longs[k]);
			if (d->aliases[k] != NULL)
				fprintf(f, "--%s\n", d->aliases[k]);
		}
	}
}
