/*
 * held: a source's records kept whole (held.h).  coff always has one
 * entry past the last value, the end of data, so that a value's length
 * needs no special case for the last one.
 */
#include "held.h"

#include <stdlib.h>

void
held_begin(struct held *h)
{
	h->rec = xgrow(h->rec, &h->caprec, h->nrec + 1, sizeof(*h->rec));
	h->rec[h->nrec] = h->ncols;
	h->nrec++;
}

void
held_add(struct held *h, const char *p, size_t len)
{
	h->coff = xgrow(h->coff, &h->capcols, h->ncols + 2,
	    sizeof(*h->coff));
	h->coff[h->ncols++] = h->data.len;
	buf_add(&h->data, p, len);
	buf_addc(&h->data, '\0');
	h->coff[h->ncols] = h->data.len;
}

void
held_values(const struct held *h, size_t r, size_t *first, size_t *end)
{
	*first = h->rec[r];
	*end = r + 1 < h->nrec ? h->rec[r + 1] : h->ncols;
}

size_t
held_value(const struct held *h, size_t c, size_t *len)
{
	*len = h->coff[c + 1] - h->coff[c] - 1;
	return h->coff[c];
}

void
held_free(struct held *h)
{
	buf_free(&h->data);
	free(h->coff);
	free(h->rec);
}
