/*
 * columns: a record split into its values and trimmed (columns.h).
 * A literal separator is found with memchr(3) or memmem(3); a regular
 * expression is split as Perl's split does, by colsep_match().
 */
#include "columns.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

void
columns_push(struct spans *sv, size_t kind, size_t off, size_t len)
{
	struct span *s;

	sv->v = xgrow(sv->v, &sv->cap, sv->n + 1, sizeof(*sv->v));
	s = &sv->v[sv->n++];
	s->kind = kind;
	s->off = off;
	s->len = len;
}

int
columns_init(struct columns *cs, const char *sep, int csv, int trim_left,
    int trim_right, char *msg, size_t msgsize)
{
	int r;

	cs->csv = csv;
	cs->trim_left = trim_left;
	cs->trim_right = trim_right;
	if ((r = colsep_compile(&cs->colsep, sep, msg, msgsize)) < 0)
		return r;
	if (csv && (cs->colsep.kind != COLSEP_LIT || cs->colsep.litlen != 1 ||
	    cs->colsep.lit[0] == '"')) {
		colsep_free(&cs->colsep);
		snprintf(msg, msgsize, "--csv: --colsep must be one character, "
		    "not a quote ('%s')", sep);
		return -EINVAL;
	}
	return 0;
}

void
columns_free(struct columns *cs)
{
	colsep_free(&cs->colsep);
	buf_free(&cs->buf);
}

char *
columns_ptr(const struct columns *cs, char *base, const struct span *sp)
{
	return (sp->kind == SPAN_COLS ? cs->buf.p : base) + sp->off;
}

static void
col_copy(struct columns *cs, const char *p, size_t len, struct spans *out)
{
	size_t off = cs->buf.len;

	buf_add(&cs->buf, p, len);
	buf_addc(&cs->buf, '\0');
	columns_push(out, SPAN_COLS, off, len);
}

/* Split as Perl's split does (colsep.h). */
static void
split_re(struct columns *cs, const char *p, size_t len, struct spans *out)
{
	size_t field = 0, so, eo;

#ifndef REG_STARTEND
	len = strnlen(p, len);
#endif
	while (colsep_match(&cs->colsep, p, len, field, &so, &eo)) {
		col_copy(cs, p + field, so - field, out);
		field = eo;
	}
	col_copy(cs, p + field, len - field, out);
}

/* RFC 4180's fields, unquoted, into the columns' buffer. */
static void
split_csv(struct columns *cs, const char *p, size_t len, struct spans *out)
{
	char sep = cs->colsep.lit[0];
	size_t i = 0, off;
	int quoted;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	for (;;) {
		off = cs->buf.len;
		for (quoted = 0; i < len && (quoted || p[i] != sep); i++) {
			if (p[i] != '"')
				buf_addc(&cs->buf, p[i]);
			else if (quoted && i + 1 < len && p[i + 1] == '"')
				buf_addc(&cs->buf, p[i++]);
			else
				quoted = !quoted;
		}
		buf_addc(&cs->buf, '\0');
		columns_push(out, SPAN_COLS, off, cs->buf.len - off - 1);
		if (i++ >= len)
			break;
	}
}

static void
split(struct columns *cs, char *base, size_t off, size_t len,
    struct spans *out)
{
	char *s = base + off, *end = s + len, *q;

	if (cs->csv) {
		split_csv(cs, s, len, out);
		return;
	}
	switch (cs->colsep.kind) {
	case COLSEP_NONE:
		columns_push(out, SPAN_REC, off, len);
		break;
	case COLSEP_LIT:
		for (;;) {
			if (cs->colsep.litlen == 1)
				q = memchr(s, cs->colsep.lit[0],
				    (size_t)(end - s));
			else
				q = memmem(s, (size_t)(end - s),
				    cs->colsep.lit, cs->colsep.litlen);
			if (q == NULL)
				break;
			*q = '\0';
			columns_push(out, SPAN_REC, (size_t)(s - base),
			    (size_t)(q - s));
			s = q + cs->colsep.litlen;
		}
		columns_push(out, SPAN_REC, (size_t)(s - base),
		    (size_t)(end - s));
		break;
	default:
		split_re(cs, s, len, out);
		break;
	}
}

/*
 * What --trim takes off: Perl's \s, as GNU parallel's, so that the CR
 * of a CRLF line goes with the blanks.
 */
static int
trimmed(char c)
{
	return c != '\0' && strchr(" \t\n\v\f\r", c) != NULL;
}

void
columns_split(struct columns *cs, char *base, size_t off, size_t len,
    struct spans *out)
{
	size_t i, first = out->n;
	struct span *sp;
	char *q;

	split(cs, base, off, len, out);
	for (i = first; i < out->n; i++) {
		sp = &out->v[i];
		q = columns_ptr(cs, base, sp);
		while (cs->trim_left && sp->len > 0 && trimmed(*q)) {
			q++;
			sp->off++;
			sp->len--;
		}
		while (cs->trim_right && sp->len > 0 &&
		    trimmed(q[sp->len - 1]))
			q[--sp->len] = '\0';
	}
}
