/*
 * check: what every unit test (tests/unit/NAME_test.c) counts with.  A
 * failed check prints its file, line and condition and the test goes
 * on; check_done() prints the closing count and gives the exit status.
 * Included once, by the test's own file.
 */
#ifndef FANOUT_UNIT_CHECK_H
#define FANOUT_UNIT_CHECK_H

#include <stdio.h>

static int npass, nfail;

#define CHECK(cond) check((cond), __FILE__, __LINE__, #cond)

static void
check(int ok, const char *file, int line, const char *what)
{
	if (ok) {
		npass++;
		return;
	}
	nfail++;
	fprintf(stderr, "%s:%d: failed: %s\n", file, line, what);
}

/* "NAME: N passed, M failed"; 1 when any check failed, else 0. */
static int
check_done(const char *name)
{
	printf("%s: %d passed, %d failed\n", name, npass, nfail);
	return nfail > 0;
}

#endif
