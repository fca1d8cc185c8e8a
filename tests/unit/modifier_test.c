/*
 * Unit tests of the replacement strings' modifiers (src/modifier.c):
 * each form applied to values at its edges (empty values, lone slashes,
 * dotfiles, empty matches, numbers past the end).  t0310-plus.bats runs
 * the same forms end to end, and against GNU parallel when installed.
 * Prints one line per failure and a closing count; exits 1 on failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "modifier.h"
#include "util.h"

/* The body applied to value with --plus; "!" + reason when not one. */
static void
check_mod(const char *body, const char *value, const char *want, int line)
{
	struct buf scratch = { 0 };
	struct mod m;
	const char *p = value;
	size_t n = strlen(value);
	char msg[256] = "", got[512];
	int r;

	r = mod_parse(&m, body, strlen(body), 1, msg, sizeof(msg));
	if (r <= 0)
		snprintf(got, sizeof(got), "!%s", r < 0 ? "error" : "none");
	else {
		mod_apply(&m, &p, &n, &scratch);
		snprintf(got, sizeof(got), "%.*s", (int)n, p);
		mod_free(&m);
	}
	buf_free(&scratch);
	if (strcmp(got, want) == 0)
		npass++;
	else {
		nfail++;
		fprintf(stderr, "%s:%d: {%s} of [%s]: got [%s], want [%s]\n",
		    __FILE__, line, body, value, got, want);
	}
}

#define M(body, value, want)	check_mod((body), (value), (want), __LINE__)

static void
test_paths(void)
{
	M(".", "a/b.c.tar.gz", "a/b.c.tar");
	M("..", "a/b.c.tar.gz", "a/b.c");
	M("...", "a/b.c.tar.gz", "a/b");
	M("..", "x.gz", "x.gz");		/* fewer than two: whole */
	M("..", ".tar.gz", ".tar.gz");		/* a leading dot is no ext */
	M("..", "a..gz", "a");			/* an empty extension counts */
	M("..", "a.b/c.d", "a.b/c.d");		/* never across a slash */
	M("..", "a.b.c/", "a.b.c/");
	M("/..", "/x/a.tar.gz", "a");
	M("/...", "/x/a.b.tar.gz", "a");
	M("+/", "a/b/c", "a/b");
	M("+/", "c", "");
	M("+/", "/x", "");
	M("+/", "a//x", "a/");
	M("+/", "a/b/", "a");
	M("+/", "/", "");
	M("+/", "", "");
	M("+.", "a/b.c.gz", "gz");
	M("+.", "a.b/c", "");
	M("+.", ".bashrc", "");
	M("+..", "a.tar.gz", "tar.gz");
	M("+..", "a.gz", "");
	M("+...", "a.b.tar.gz", "b.tar.gz");
	M("/", "/a/b/", "b");
	M("//", "c.txt", ".");
	M("/.", "/a/b.c", "b");
}

static void
test_colon(void)
{
	M(":-none", "", "none");
	M(":-none", "0", "0");
	M(":-none", "x", "x");
	M(":2", "abcdef", "cdef");
	M(":9", "abc", "");
	M(":0", "abc", "abc");
	M(":1:3", "abcdef", "bcd");
	M(":1:9", "abc", "bc");
	M(":5:1", "abc", "");
	M(":1:0", "abc", "");
	M(":", "abc", "!none");
	M(":x", "abc", "!none");
	M(":1:", "abc", "!none");
	M(":-", "abc", "!none");
	M(":1234567890", "abc", "!none");
}

static void
test_cuts(void)
{
	M("#z.*z.", "z.z.z.foo", "z.foo");
	M("##z.*z.", "z.z.z.foo", "foo");
	M("%.z.*z", "foo.z.z.z", "foo.z");
	M("%%.z.*z", "foo.z.z.z", "foo");
	M("#x", "abc", "abc");
	M("%x", "abc", "abc");
	M("#a*", "aab", "aab");			/* '' is the shortest */
	M("##a*", "aab", "b");
	M("#a|aa", "aab", "ab");
	M("%b*", "abb", "abb");
	M("%%b*", "abb", "a");
	M("#\\d+", "12ab", "2ab");
	M("##\\d+", "12ab", "ab");
	M("%.gz", "a.gz", "a");
	M("#a|b", "ba", "a");
}

static void
test_replace(void)
{
	M("/a/X", "banana", "bXnana");
	M("//a/X", "banana", "bXnXnX");
	M("/#a/X", "banana", "banana");
	M("/#b/X", "banana", "Xanana");
	M("/%a/X", "banana", "bananX");
	M("//a/", "banana", "bnn");
	M("//x*/-", "baaac", "-b-a-a-a-c-");
	M("//a*/-", "baaac", "-b--c-");
	M("/a/b/c", "a", "b/c");		/* STR runs to the end */
	M("/a./X", "b;ac", "b;X");
	M("//[0-9]+/N", "a1b22c333", "aNbNcN");
	M("/x/Y", "", "");
	M("//^/>", "ab", ">ab");
	M("/a", "a", "!none");
	M("//", "a/b", "a");			/* dirname, not a pattern */
	M("/\\1/x", "a", "!error");		/* back-references */
	M("/[/x", "a", "!error");
	/* Stacked '+' would make regcomp() build 2^N copies: refused. */
	M("#a++++++++++++++++++", "a", "!error");
	M("#a++++", "a", "");
}

static void
test_case(void)
{
	M("^a", "abAna", "AbAna");
	M("^^a", "abAna", "AbAnA");
	M("^^[ab]", "abAna", "ABAnA");
	M(",A", "AbAnA", "abAnA");
	M(",,A", "AbAnA", "abana");
	M(",,[A-Z]+", "AbAnA", "abana");
	M("^b", "abc", "abc");
	M("^^.", "a-\xc3\xa9", "A-\xc3\xa9");	/* ASCII letters only */
	M("^", "abc", "!none");
	M("^^", "abc", "!none");
}

static void
test_plain(void)
{
	struct mod m;
	char msg[64];

	/* Without --plus only the path views of {.} {/} {//} {/.}. */
	CHECK(mod_parse(&m, "..", 2, 0, msg, sizeof(msg)) == 0);
	CHECK(mod_parse(&m, ":-x", 3, 0, msg, sizeof(msg)) == 0);
	CHECK(mod_parse(&m, "/.", 2, 0, msg, sizeof(msg)) == 1 &&
	    m.kind == MOD_PATH);
	CHECK(mod_parse(&m, "", 0, 0, msg, sizeof(msg)) == 1 &&
	    m.kind == MOD_NONE);
	CHECK(mod_parse(&m, "[", 1, 1, msg, sizeof(msg)) == 0);
	CHECK(mod_parse(&m, "#[", 2, 1, msg, sizeof(msg)) == -EINVAL &&
	    strstr(msg, "'['") != NULL);
	/* Which forms may grow a value, for -X's budget. */
	CHECK(mod_parse(&m, ":-xy", 4, 1, msg, sizeof(msg)) == 1 &&
	    !mod_narrows(&m));
	mod_free(&m);
	CHECK(mod_parse(&m, "/a/bc", 5, 1, msg, sizeof(msg)) == 1 &&
	    !mod_narrows(&m));
	mod_free(&m);
	CHECK(mod_parse(&m, "^^a", 3, 1, msg, sizeof(msg)) == 1 &&
	    mod_narrows(&m));
	mod_free(&m);
}

int
main(void)
{
	test_paths();
	test_colon();
	test_cuts();
	test_replace();
	test_case();
	test_plain();
	return check_done("modifier");
}
