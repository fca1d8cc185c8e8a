/*
 * Unit tests of the command template (src/tmpl.c) and of the choice to
 * skip the shell (src/direct.c): what a job's shell line and argv are
 * for given words and values, without running anything.  The bats files
 * test the same strings end to end; here each rule is probed alone.
 * Prints one line per failure and a closing count; exits 1 on failure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "direct.h"
#include "input.h"
#include "options.h"
#include "tmpl.h"
#include "util.h"

#define CHECK_STR(got, want) check_str((got), (want), __LINE__)

/* Takes got, which the caller allocated. */
static void
check_str(char *got, const char *want, int line)
{
	if (strcmp(got, want) == 0)
		npass++;
	else {
		nfail++;
		fprintf(stderr, "%s:%d: got [%s], want [%s]\n", __FILE__,
		    line, got, want);
	}
	free(got);
}

#define MAXV	8

struct job {
	struct config	 cfg;
	struct tmpl	*t;
	struct arg	 v[MAXV];
	struct args	 args;
	struct tmpl_ctx	 ctx;
};

/* Compile words (NULL-ended) with the values vals (NULL-ended). */
static void
job_make(struct job *j, const char *const *words, const char *const *vals,
    int quote)
{
	char msg[512];
	size_t n;

	memset(j, 0, sizeof(*j));
	for (n = 0; words[n] != NULL; n++)
		;
	j->cfg.cmd = (char **)words;
	j->cfg.ncmd = n;
	j->cfg.quote_cmd = quote;
	j->cfg.shell = "/bin/sh";
	for (n = 0; vals[n] != NULL && n < MAXV; n++) {
		j->v[n].p = vals[n];
		j->v[n].len = strlen(vals[n]);
	}
	j->args.v = j->v;
	j->args.n = n;
	j->args.nrecords = n;
	j->ctx.args = &j->args;
	j->ctx.seq = 1;
	j->ctx.slot = 1;
	j->ctx.total = -1;
	if (tmpl_compile(&j->t, &j->cfg, NULL, 0, msg, sizeof(msg)) < 0) {
		fprintf(stderr, "tmpl_compile: %s\n", msg);
		exit(1);
	}
}

/* The shell line of words for one value. */
static char *
line1(const char *const *words, const char *val, int quote)
{
	const char *vals[] = { val, NULL };
	struct buf out = { 0 };
	struct job j;

	job_make(&j, words, vals, quote);
	tmpl_line(j.t, &j.ctx, &out);
	tmpl_free(j.t);
	buf_addc(&out, '\0');
	return out.p;
}

/* The argv of words for one value, words joined by '|'. */
static char *
argv1(const char *const *words, const char *val)
{
	const char *vals[] = { val, NULL };
	struct buf out = { 0 };
	struct job j;
	size_t i, n;

	job_make(&j, words, vals, 0);
	if (tmpl_direct(j.t) == NULL) {
		tmpl_free(j.t);
		return xstrdup("(shell)");
	}
	n = tmpl_argv(j.t, &j.ctx, &out);
	for (i = 0; i + 1 < out.len; i++)
		if (out.p[i] == '\0')
			out.p[i] = '|';
	(void)n;
	tmpl_free(j.t);
	return out.p;
}

/* The path strings, by the rules src/tmpl.c documents. */
static void
test_paths(void)
{
	static const char *const w[] = {
		"echo", "{}", "{.}", "{/}", "{//}", "{/.}", NULL
	};

	CHECK_STR(argv1(w, ".bashrc"),
	    "echo|.bashrc|.bashrc|.bashrc|.|.bashrc");
	CHECK_STR(argv1(w, "dir/.x.y"), "echo|dir/.x.y|dir/.x|.x.y|dir|.x");
	CHECK_STR(argv1(w, ".a.b"), "echo|.a.b|.a|.a.b|.|.a");
	CHECK_STR(argv1(w, "a."), "echo|a.|a|a.|.|a");
	CHECK_STR(argv1(w, ".."), "echo|..|..|..|.|..");
	CHECK_STR(argv1(w, "/a/b/"), "echo|/a/b/|/a/b/|b|/a|b");
	CHECK_STR(argv1(w, "/"), "echo|/|/|/|/|/");
	CHECK_STR(argv1(w, "/x"), "echo|/x|/x|x|/|x");
	CHECK_STR(argv1(w, ""), "echo||||.|");
	CHECK_STR(argv1(w, "a.b/c"), "echo|a.b/c|a.b/c|c|a.b|c");
	CHECK_STR(argv1(w, "./f"), "echo|./f|./f|f|.|f");
	CHECK_STR(argv1(w, "/a/b/c.txt"),
	    "echo|/a/b/c.txt|/a/b/c|c.txt|/a/b|c");
	CHECK_STR(argv1(w, "a.tar.gz"), "echo|a.tar.gz|a.tar|a.tar.gz|.|a.tar");
}

/* How --dry-run, -v and the shell see a value. */
static void
test_quoting(void)
{
	static const char *const echo[] = { "echo", NULL };
	static const char *const ax[] = { "argv", "{}", "x", NULL };
	static const char *const plain[] = {
		"a/b.c_d+e-f", "A-Z_0.9+/", "-", "--", "-n",
	};
	static const char *const quoted[][2] = {
		{ "a b", "'a b'" }, { "*", "'*'" }, { "$x", "'$x'" },
		{ "=", "'='" }, { "~", "'~'" }, { ",", "','" },
		{ ":", "':'" }, { "@", "'@'" }, { "%", "'%'" },
		{ "#", "'#'" }, { "!", "'!'" }, { "\\", "'\\'" },
		{ "\"", "'\"'" }, { "`id`", "'`id`'" },
		{ "\xc3\xa9", "'\xc3\xa9'" }, { "a;b", "'a;b'" },
		{ "it's", "'it'\"'\"'s'" }, { "'", "\"'\"" },
		{ "'a", "\"'\"'a'" }, { "a'", "'a'\"'\"" },
		{ "''", "\"'\"''\"'\"" }, { "a\nb", "'a\nb'" },
	};
	struct buf want = { 0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(plain); i++) {
		buf_clear(&want);
		buf_addf(&want, "echo %s", plain[i]);
		CHECK_STR(line1(echo, plain[i], 0), want.p);
	}
	for (i = 0; i < ARRAY_SIZE(quoted); i++) {
		buf_clear(&want);
		buf_addf(&want, "echo %s", quoted[i][1]);
		CHECK_STR(line1(echo, quoted[i][0], 0), want.p);
	}
	buf_free(&want);
	CHECK_STR(line1(ax, "", 0), "argv '' x");
}

static void
test_reserved_and_q(void)
{
	static const char *const cmdpos[] = { "{}", "x", NULL };
	static const char *const qw[] = { "argv", "a b", "$x", "x{}y", NULL };

	/* A value in command position is quoted even when plain. */
	CHECK_STR(line1(cmdpos, "if", 0), "'if' x");
	CHECK_STR(line1(cmdpos, "echo", 0), "echo x");
	/* -q quotes each word whole, as GNU parallel spells it. */
	CHECK_STR(line1(qw, "c d", 1), "argv 'a b' '$x' 'xc dy'");
	CHECK_STR(line1(qw, "e", 1), "argv 'a b' '$x' xey");
}

/* Which templates skip the shell. */
static void
test_direct(void)
{
	static const char *const plain[] = { "echo", "a", "{}", NULL };
	static const char *const pipe[] = { "echo {} | cat", NULL };
	static const char *const assign[] = { "A=b", "echo", NULL };
	static const char *const tilde[] = { "echo", "x=~", NULL };
	static const char *const hash[] = { "echo", "#c", NULL };
	static const char *const midhash[] = { "echo", "a#c", NULL };
	static const char *const reserved[] = { "if", "true", NULL };
	static const char *const missing[] = {
		"no-such-program-here", NULL
	};
	struct direct_scan s;
	char *path = NULL;
	const char *msg = NULL;

	CHECK_STR(argv1(plain, "v w"), "echo|a|v w");
	CHECK_STR(argv1(pipe, "v"), "(shell)");
	CHECK_STR(argv1(assign, "v"), "(shell)");
	CHECK_STR(argv1(tilde, "v"), "(shell)");
	CHECK_STR(argv1(hash, "v"), "(shell)");
	CHECK_STR(argv1(midhash, "v"), "echo|a#c|v");
	CHECK_STR(argv1(reserved, "v"), "(shell)");
	CHECK_STR(argv1(missing, "v"), "(shell)");

	/*
	 * A value may expand to nothing (an absent column), so '#' right
	 * after one may start a comment; after text it is mid-word.
	 */
	direct_scan_init(&s);
	direct_scan_word(&s);
	direct_scan_text(&s, "echo", 4);
	direct_scan_word(&s);
	direct_scan_value(&s);
	direct_scan_text(&s, "#", 1);
	CHECK(!s.plain);
	direct_scan_init(&s);
	direct_scan_word(&s);
	direct_scan_value(&s);
	direct_scan_text(&s, "x#", 2);
	CHECK(s.plain);
	direct_scan_word(&s);
	direct_scan_text(&s, "a=~", 3);
	CHECK(!s.plain);

	CHECK(direct_choose(&path, NULL, 0, SHELL_NEVER, &msg) < 0 &&
	    msg != NULL && path == NULL);
	CHECK(direct_choose(&path, "echo", 0, SHELL_ALWAYS, &msg) == 0 &&
	    path == NULL);
	CHECK(direct_choose(&path, "no-such-program-here", 0, SHELL_NEVER,
	    &msg) == 0 && path != NULL &&
	    strcmp(path, "no-such-program-here") == 0);
	free(path);
	CHECK(direct_choose(&path, "echo", 0, SHELL_AUTO, &msg) == 0 &&
	    path != NULL && strcmp(path, "/bin/echo") == 0);
	free(path);
	setenv("BASH_FUNC_echo%%", "() { :; }", 1);
	CHECK(direct_choose(&path, "echo", 0, SHELL_AUTO, &msg) == 0 &&
	    path == NULL);
	unsetenv("BASH_FUNC_echo%%");
}

/*
 * -m/-X: the line never outgrows the cost the budget was told, even when
 * values land where a command starts and are guarded as reserved words
 * (fanout --shell -m '' ::: if if if if if made " 'if' if 'if' if 'if'",
 * 21 bytes against a budget of 20).
 */
static void
test_budget(void)
{
	static const char *const words[][3] = {
		{ "", NULL }, { "echo", NULL }, { "echo", "{}", NULL },
		{ "x;", NULL },
	};
	static const char *const vals[] = { "if", "if", "if", "if", "if",
	    "done", "1", "a b", NULL };
	struct buf out = { 0 };
	struct job j;
	char msg[512];
	size_t i, k, cost;

	for (i = 0; i < ARRAY_SIZE(words); i++) {
		job_make(&j, words[i], vals, 0);
		j.cfg.xargs_fill = 1;
		j.cfg.shell_use = SHELL_ALWAYS;
		tmpl_free(j.t);
		if (tmpl_compile(&j.t, &j.cfg, NULL, 0, msg, sizeof(msg)) < 0) {
			CHECK(0);
			continue;
		}
		buf_clear(&out);
		tmpl_line(j.t, &j.ctx, &out);
		cost = tmpl_base_len(j.t);
		for (k = 0; k < j.args.n; k++)
			cost += tmpl_arg_cost(j.t, j.v[k].p, j.v[k].len);
		CHECK(out.len <= cost);
		tmpl_free(j.t);
	}
	buf_free(&out);
}

int
main(void)
{
	/* Program look-ups must not depend on who runs the tests. */
	setenv("PATH", "/bin:/usr/bin", 1);
	test_paths();
	test_quoting();
	test_reserved_and_q();
	test_direct();
	test_budget();
	return check_done("tmpl");
}
