/*
 * json: the few JSON pieces the reports write, appended to a struct buf.
 *
 * Strings are always valid JSON (RFC 8259) whatever bytes they are given:
 * '"' and '\' are escaped, control characters become \n, \t, \r, \b, \f
 * or \u00XX, valid UTF-8 passes through as is, and every byte that is not
 * part of a well-formed UTF-8 sequence (a stray continuation byte, a
 * truncated sequence, an overlong form, a surrogate, a code point above
 * U+10FFFF) becomes U+FFFD, written \ufffd.  A NUL byte is \u0000.
 *
 * Pure functions; safe from any thread.
 */
#ifndef FANOUT_JSON_H
#define FANOUT_JSON_H

#include <stddef.h>
#include <stdint.h>

struct buf;

/* A quoted JSON string of len bytes. */
void	json_str(struct buf *, const char *p, size_t len);
/* The same for a C string; NULL gives null. */
void	json_cstr(struct buf *, const char *s);
/* A duration or amount of seconds from nanoseconds: 6 decimals. */
void	json_secs(struct buf *, int64_t ns);
/* A wall-clock time as RFC 3339 UTC with milliseconds, quoted. */
void	json_time(struct buf *, int64_t wall_ns);
/* "true" or "false". */
void	json_bool(struct buf *, int);

#endif
