/*
 * part: --pipepart's blocks, byte ranges of a seekable file.  Where
 * --pipe's blocker reads the whole stream, this reads only near each
 * block's edge: the last record boundary within the block's size, found
 * by reading back from it, or, when a record is longer than that, the
 * first one after, found by reading on.  The ranges, in order, cover the
 * file after its header exactly; the blocks are the same as --pipe's
 * would be (literal --recend and --recstart; no --regexp, -N or --rrs).
 *
 * Single-threaded: the scheduler's thread.
 */
#ifndef FANOUT_PART_H
#define FANOUT_PART_H

#include <stddef.h>
#include <sys/types.h>

struct block_rules;
struct parter;

/*
 * Open path for ranges by ru's rules; per_slot > 0 (--block -N) makes
 * the size the file's length over per_slot * slots.  0, or -errno:
 * -ESPIPE when path is not a regular file.
 */
int	part_open(struct parter **, const struct block_rules *ru,
	    const char *path, long per_slot, long slots);
/* The next range: 1 and *off, *len; 0 at the end; -errno. */
int	part_next(struct parter *, off_t *off, size_t *len);
/* Take back the range just handed out, which started at off. */
void	part_back(struct parter *, off_t off);
/* The --header records' bytes, copied atop every block. */
const char *part_head(const struct parter *, size_t *len);
/* The file, for copying the ranges out. */
int	part_fd(const struct parter *);
void	part_close(struct parter *);

#endif
