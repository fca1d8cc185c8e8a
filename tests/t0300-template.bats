#!/usr/bin/env bats
# Templates: every replacement string, -I, the implicit {}, records as
# commands; values always quoted so that no input injects shell syntax,
# alike whether the job runs directly or through the shell; -q,
# --dry-run and -v spelling.  The quoting rules and the path edge cases
# one by one are in tests/unit/tmpl_test.c.
#
# Every expectation that overlaps GNU parallel was checked against
# `parallel -k --will-cite` (20221122); deliberate differences say so.

load helper

# The values of the injection tests, and what argv prints for them.
hostile=(
	'$(touch pwned)' '`touch pwned`' 'a; touch pwned' 'a && touch pwned'
	'| touch pwned' "x'; touch pwned; '" 'x"; touch pwned; "' '>pwned'
	'<f1' $'a\ntouch pwned' '$HOME' '\\' '!' '#c' '~' 'a=b' '{}' '&' '('
)
hostile_out() {
	printf '%s\n' '[$(touch pwned)]' '[`touch pwned`]' '[a; touch pwned]' \
	    '[a && touch pwned]' '[| touch pwned]' "[x'; touch pwned; ']" \
	    '[x"; touch pwned; "]' '[>pwned]' '[<f1]' '[a' 'touch pwned]' \
	    '[$HOME]' '[\\]' '[!]' '[#c]' '[~]' '[a=b]' '[{}]' '[&]' '[(]'
}

# Replacement strings

@test "{} is the whole record" {
	run --separate-stderr fanout -k argv {} ::: /a/b/c.txt 'sp ace'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[/a/b/c.txt]' '[sp ace]')" ]
}

@test "{.} drops the extension of the last path component" {
	run --separate-stderr fanout -k argv {.} ::: /a/b/c.txt a.tar.gz 'sp ace/f.x' a.b/c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[/a/b/c]' '[a.tar]' '[sp ace/f]' '[a.b/c]')" ]
}

@test "{/} is the basename" {
	run --separate-stderr fanout -k argv {/} ::: /a/b/c.txt c.txt 'sp ace/f.x'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[c.txt]' '[c.txt]' '[f.x]')" ]
}

@test "{//} is the dirname, . for a bare name" {
	run --separate-stderr fanout -k argv {//} ::: /a/b/c.txt c.txt 'sp ace/f.x'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[/a/b]' '[.]' '[sp ace]')" ]
}

@test "{/.} is the basename without its extension" {
	run --separate-stderr fanout -k argv {/.} ::: /a/b/c.txt a.tar.gz 'sp ace/f.x'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[c]' '[a.tar]' '[f]')" ]
}

@test "{#} is the job's sequence number, from 1, in input order" {
	run --separate-stderr fanout -k -j3 'sleep 0.$((3 - {#})); echo {#} {}' ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 a' '2 b' '3 c')" ]
}

@test "{%} is the job slot: always 1 under -j1" {
	run --separate-stderr fanout -k -j1 echo {%} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 1 1)" ]
}

@test "{%}: jobs running at once have distinct slots from 1 to -j" {
	# Each job ends only once all three run.
	run --separate-stderr fanout -j3 'echo {%}; touch on-{}; waitfor on-a on-b on-c' ::: a b c
	[ "$status" -eq 0 ]
	[ "$(sort <<<"$output")" = "$(printf '%s\n' 1 2 3)" ]
}

@test "{##} is the total number of jobs" {
	# GNU parallel knows {##} only under --plus.
	run --separate-stderr fanout -k echo {##} {#} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '3 1' '3 2' '3 3')" ]
}

@test "{##} is known for standard input too" {
	printf 'a\nb\nc\n' > in
	run --separate-stderr fanout -k echo {##} {} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '3 a' '3 b' '3 c')" ]
	run --separate-stderr fanout -k -n2 echo {##} {} < in
	[ "$output" = "$(printf '%s\n' '2 a b' '2 c')" ]
}

@test "{n} is the value of source n" {
	run --separate-stderr fanout -k argv {2} {1} ::: a b ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[1]' '[a]' '[1]' '[b]')" ]
}

@test "{n} is column n under --colsep" {
	run --separate-stderr fanout -k --colsep , argv {2} {1} ::: 'a b,c'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[c]' '[a b]')" ]
}

@test "{n.} {n/} {n//} {n/.} apply the path strings to source n" {
	run --separate-stderr fanout -k argv {1} {2} {1.} {2/} {2//} {2/.} {1/.} ::: x/a.b ::: /p/q/r.s
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x/a.b]' '[/p/q/r.s]' '[x/a]' '[r.s]' '[/p/q]' '[r]' '[a]')" ]
}

@test "{n.} and {n/} apply to columns" {
	run --separate-stderr fanout -k --colsep , argv {2.} {2/} ::: a,/x/y.z
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[/x/y]' '[y.z]')" ]
}

@test "{n} past the last source gives no argument" {
	# As in GNU parallel: it expands to nothing, and the word vanishes.
	run --separate-stderr fanout -k argv {3} {1} ::: a ::: b
	[ "$status" -eq 0 ]
	[ "$output" = "[a]" ]
}

@test "-I STR replaces STR instead of {}, the other strings still work" {
	run --separate-stderr fanout -k -I @@ argv x@@y @@. {} {.} ::: a.b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[xa.by]' '[a.b.]' '[{}]' '[a]')" ]
}

@test "a template without a replacement string gets ' {}' appended" {
	run --separate-stderr fanout -k argv x ::: a 'b c' ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x]' '[a]' '[x]' '[b c]' '[x]' '[]')" ]
}

@test "any replacement string, even {#}, stops the ' {}' being appended" {
	run --separate-stderr fanout -k argv {#} ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[1]' '[2]')" ]
}

@test "the same replacement string may appear many times" {
	run --separate-stderr fanout -k argv {} {} x{}{} {/}{/} ::: 'a b'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a b]' '[a b]' '[xa ba b]' '[a ba b]')" ]
}

@test "without COMMAND each record is the command line" {
	printf 'echo a\nargv "b c" d\n' > in
	run --separate-stderr fanout -k < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' a '[b c]' '[d]')" ]
	run --separate-stderr fanout -k ::: 'echo hi' 'argv x  y'
	[ "$output" = "$(printf '%s\n' hi '[x]' '[y]')" ]
}

@test "without COMMAND --dry-run prints each record as it is" {
	run --separate-stderr fanout -k --dry-run ::: 'echo hi' 'argv x  y'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'echo hi' 'argv x  y')" ]
}

# Nothing injects

@test "hostile values reach a directly executed command as literal data" {
	touch f1
	run --separate-stderr fanout -k argv {} ::: "${hostile[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = "$(hostile_out)" ]
	[ ! -e pwned ]
}

@test "hostile values reach a shell command as literal data" {
	touch f1
	run --separate-stderr fanout -k 'argv {} | cat' ::: "${hostile[@]}"
	[ "$status" -eq 0 ]
	[ "$output" = "$(hostile_out)" ]
	[ ! -e pwned ]
}

@test "direct execution and the shell give identical results for the same values" {
	touch f1 f2
	vals=("${hostile[@]}" '*' 'f?' '[f]1' -n -e -- '' ' ' 'a	b' '日本語 é' if then)
	fanout -k argv {} x ::: "${vals[@]}" > direct
	fanout -k --no-shell argv {} x ::: "${vals[@]}" > noshell
	fanout -k --shell argv {} x ::: "${vals[@]}" > shell
	fanout -k 'argv {} x | cat' ::: "${vals[@]}" > pipe
	cmp direct noshell
	cmp direct shell
	cmp direct pipe
	[ "$(wc -l < direct)" -eq 63 ]
	[ ! -e pwned ]
}

@test "globs in values stay literal with matching files present" {
	touch f1 f2
	run --separate-stderr fanout -k argv {} ::: '*' 'f?' '[f]1' 'f*'
	[ "$output" = "$(printf '%s\n' '[*]' '[f?]' '[[f]1]' '[f*]')" ]
	run --separate-stderr fanout -k 'argv {} | cat' ::: '*' 'f?' '[f]1' 'f*'
	[ "$output" = "$(printf '%s\n' '[*]' '[f?]' '[[f]1]' '[f*]')" ]
}

@test "a newline in a value stays inside its one argument" {
	# GNU splits ::: words at newlines ([a] [b]); SPEC §3 keeps them.
	run --separate-stderr fanout -k argv {} x ::: $'a\nb'
	[ "$output" = "$(printf '%s\n' '[a' 'b]' '[x]')" ]
	run --separate-stderr fanout -k 'argv {} x | cat' ::: $'a\nb'
	[ "$output" = "$(printf '%s\n' '[a' 'b]' '[x]')" ]
	printf 'a\nb\0' > in
	run --separate-stderr fanout -k -0 'argv {} x | cat' < in
	[ "$output" = "$(printf '%s\n' '[a' 'b]' '[x]')" ]
}

@test "values with leading dashes arrive as plain arguments" {
	run --separate-stderr fanout -k argv x {} ::: -n -e -- '-rf /'
	[ "$output" = "$(printf '%s\n' '[x]' '[-n]' '[x]' '[-e]' '[x]' '[--]' '[x]' '[-rf /]')" ]
	run --separate-stderr fanout -k 'argv x {} | cat' ::: -n -e -- '-rf /'
	[ "$output" = "$(printf '%s\n' '[x]' '[-n]' '[x]' '[-e]' '[x]' '[--]' '[x]' '[-rf /]')" ]
}

@test "an empty value is one empty argument" {
	run --separate-stderr fanout -k argv a {} b ::: ''
	[ "$output" = "$(printf '%s\n' '[a]' '[]' '[b]')" ]
	run --separate-stderr fanout -k 'argv a {} b | cat' ::: ''
	[ "$output" = "$(printf '%s\n' '[a]' '[]' '[b]')" ]
}

@test "unicode and blanks arrive byte for byte" {
	run --separate-stderr fanout -k argv {} ::: '日本語 é' ' ' $'a\tb'
	[ "$output" = "$(printf '%s\n' '[日本語 é]' '[ ]' "$(printf '[a\tb]')")" ]
	run --separate-stderr fanout -k 'argv {} | cat' ::: '日本語 é' ' ' $'a\tb'
	[ "$output" = "$(printf '%s\n' '[日本語 é]' '[ ]' "$(printf '[a\tb]')")" ]
}

@test "the path strings' values are quoted too" {
	run --separate-stderr fanout -k 'argv {.} {/} {//} {/.} | cat' ::: '$(touch pwned)/`touch pwned`.x y' "a'b/c d'.e;f"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[$(touch pwned)/`touch pwned`]' \
	    '[`touch pwned`.x y]' '[$(touch pwned)]' '[`touch pwned`]' \
	    "[a'b/c d']" "[c d'.e;f]" "[a'b]" "[c d']")" ]
	[ ! -e pwned ]
}

@test "several values per job are each quoted in a shell template" {
	run --separate-stderr fanout -k -j1 -X 'argv p{}q | cat' ::: '$(touch pwned)' "'" 'a b'
	[ "$output" = "$(printf '%s\n' '[p$(touch pwned)q]' "[p'q]" '[pa bq]')" ]
	run --separate-stderr fanout -k -n3 'argv {} | cat' ::: '$(touch pwned)' "'" 'a b'
	[ "$output" = "$(printf '%s\n' '[$(touch pwned)]' "[']" '[a b]')" ]
	[ ! -e pwned ]
}

@test "columns are quoted in a shell template" {
	run --separate-stderr fanout -k --colsep , 'argv {2} | cat' ::: 'a,$(touch pwned);b'
	[ "$output" = '[$(touch pwned);b]' ]
	run --separate-stderr fanout -k -I XX 'argv XX | cat' ::: '`touch pwned`'
	[ "$output" = '[`touch pwned`]' ]
	[ ! -e pwned ]
}

@test "a value in command position is quoted even when it is a reserved word" {
	# GNU leaves 'if' bare, so the shell reads a keyword and fails with
	# a syntax error; fanout quotes it (src/tmpl.c) and runs 'if'.
	run --separate-stderr fanout -k --dry-run {} x ::: if echo
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "'if' x" 'echo x')" ]
}

# -q

@test "-q quotes COMMAND's own words so each reaches the program whole" {
	run --separate-stderr fanout -k -q argv 'a b' '$x' {} ::: 'c d'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a b]' '[$x]' '[c d]')" ]
	run --separate-stderr fanout -k -q sh -c 'echo "$1|$0"' 'x y' {} ::: 'c d'
	[ "$output" = "c d|x y" ]
}

@test "--dry-run keeps a newline inside single quotes" {
	printf 'a\nb\0' > in
	run --separate-stderr fanout -k -0 --dry-run argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "argv 'a" "b'")" ]
}

@test "--dry-run runs nothing" {
	run --separate-stderr fanout --dry-run touch {} ::: made
	[ "$status" -eq 0 ]
	[ "$output" = "touch made" ]
	[ ! -e made ]
}

@test "-v prints each quoted command just before its output" {
	run --separate-stderr fanout -k -v argv {} x ::: 'a b' "it's"
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' "argv 'a b' x" '[a b]' '[x]' \
	    "argv 'it'\"'\"'s' x" "[it's]" '[x]')" ]
	run --separate-stderr fanout -k -v 'argv {} | cat' ::: 'a b'
	[ "$output" = "$(printf '%s\n' "argv 'a b' | cat" '[a b]')" ]
}

@test "{n} beyond the first job's values is warned of once, before any job runs" {
	run --separate-stderr fanout -k 'echo /data/{2}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '/data/\n/data/')" ]
	[ "$stderr" = "fanout: the command uses {2}, but job 1 has 1 value: each missing one expands to nothing" ]
	run --separate-stderr fanout -k --colsep , echo '{2}' ::: a,b c,d
	[ "$output" = "$(printf 'b\nd')" ]
	[ -z "$stderr" ]
	run --separate-stderr fanout -N0 echo '{1}' ::: a
	[ -z "$stderr" ]
}

@test "{-n} is the n-th value from the last, with modifiers, as GNU parallel" {
	run --separate-stderr fanout -k echo {-1} {-2} ::: a b ::: c.gz d.gz
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'c.gz a\nd.gz a\nc.gz b\nd.gz b')" ]
	run --separate-stderr fanout -k --colsep , echo {-1.} {-3} ::: a,b,c.gz
	[ "$output" = "c a" ]
	if command -v parallel >/dev/null; then
		run --separate-stderr parallel --will-cite -k echo {-1} {-2} ::: a b ::: c.gz d.gz
		[ "$output" = "$(printf 'c.gz a\nd.gz a\nc.gz b\nd.gz b')" ]
	fi
}
