#!/usr/bin/env bats
# GNU parallel's and xargs' spellings and value forms: each is run
# through fanout and, where it is installed, through GNU parallel on the
# same input, with -k, and the two must agree byte for byte, exit status
# too.

load helper

# same ARGS...: stdin (saved to in) through fanout -k ARGS and GNU's
# parallel -k ARGS; both outputs and statuses must match.
same() {
	cat > in
	run --separate-stderr fanout -k "$@" < in
	printf '%s\n' "$output" > ours
	ours_status=$status
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	rm -f gnu
	run --separate-stderr gnu_parallel in -k "$@"
	printf '%s\n' "$output" > gnu
	diff ours gnu
	[ "$ours_status" -eq "$status" ]
}

@test "-n, -N, -L and -s take GNU's unit prefixes" {
	seq 3000 | same -n 1k echo
	[ "$(wc -l < ours)" -eq 3 ]
	seq 3000 | same -N 1Ki echo {1}
	[ "$(cat ours)" = "$(printf '1\n1025\n2049')" ]
	seq 3000 | same -L 2k echo
	[ "$(wc -l < ours)" -eq 2 ]
	seq 3000 | same -j1 -m -s 1k echo
	[ "$(awk 'length > 1000' ours)" = "" ]
	[ "$(wc -l < ours)" -gt 10 ]
}

@test "a count with an unknown unit is refused, naming the forms" {
	run --separate-stderr fanout -n 2x echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: -n: '2x' is not a whole number >= 0 (1k"* ]]
}

@test "-L0 runs once per line and gives the line to no string" {
	printf 'a\nb c\n\nd\n' | same -L0 echo x
	[ "$(cat ours)" = "$(printf 'x\nx\nx\nx')" ]
}

@test "-n0 and -N0 run once per record without it" {
	seq 3 | same -n0 echo x
	[ "$(cat ours)" = "$(printf 'x\nx\nx')" ]
	seq 3 | same -N0 echo x
}

@test "-l without a number is one line per job" {
	printf 'a\nb\nc\n' | same -l echo x
	[ "$(cat ours)" = "$(printf 'x a\nx b\nx c')" ]
	printf 'a\nb\nc\n' | same --max-lines echo x
	printf 'a\nb\nc\n' | same -l0 echo x
}

@test "-l takes its number attached or as the next word" {
	printf 'a\nb\nc\n' | same -l2 echo x
	[ "$(cat ours)" = "$(printf 'x a b\nx c')" ]
	printf 'a\nb\nc\n' | same -l 2 echo x
	printf 'a\nb\nc\n' | same --max-lines=2 echo x
	printf 'a\nb\nc\n' | same --max-lines 2 echo x
}

@test "-i and --replace name the replacement string, {} without one" {
	printf 'a\nb\n' | same -iXX echo XX {}
	[ "$(cat ours)" = "$(printf 'a {}\nb {}')" ]
	printf 'a\nb\n' | same --replace=XX echo XX {}
	printf 'a\nb\n' | same --replace XX echo XX
	printf 'a\nb\n' | same -i -- echo [{}]
	[ "$(cat ours)" = "$(printf '[a]\n[b]')" ]
}

@test "-e and --eof stop at the record, no record without a value" {
	printf 'a\nEOF\nb\n' | same -eEOF echo
	[ "$(cat ours)" = a ]
	printf 'a\nEOF\nb\n' | same --eof=EOF echo
	printf 'a\nEOF\nb\n' | same --eof EOF echo
	printf 'a\nEOF\nb\n' | same -E EOF -e -- echo
	[ "$(cat ours)" = "$(printf 'a\nEOF\nb')" ]
}

@test "-x is accepted and a line longer than -s stops the run" {
	printf 'a\n123456789012345\nb\n' | same -j1 -x -s 10 echo
	[ "$(cat ours)" = a ]
	run --separate-stderr fanout -j1 -x -s 10 echo < in
	[ "$status" -eq 255 ]
	printf 'a\nb\n' | same -x echo
}

@test "--process-slot-var sets NAME to the slot less one" {
	# make test's bats may itself run under GNU parallel, which sets it.
	unset PARALLEL_JOBSLOT0
	seq 3 | same -j1 --process-slot-var V 'echo $V-$PARALLEL_JOBSLOT0-{}'
	[ "$(cat ours)" = "$(printf '0--1\n0--2\n0--3')" ]
	seq 3 | same -j1 'echo $PARALLEL_JOBSLOT0-{}'
	[ "$(cat ours)" = "$(printf '0-1\n0-2\n0-3')" ]
}

@test "--process-slot-var: concurrent jobs see different slots" {
	run --separate-stderr fanout -j2 --process-slot-var V \
	    'touch s$V; waitfor s0 s1; echo $V; : {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf '0\n1')" ]
}

@test "--er, --bnr, --bner and --dnr rename {.} {/} {/.} {//}" {
	printf 'a/b.c\nd/e.f\n' | same --er XX echo XX {.}
	[ "$(cat ours)" = "$(printf 'a/b {.}\nd/e {.}')" ]
	printf 'a/b.c\n' | same --extensionreplace XX echo aXXb
	printf 'a/b.c\n' | same --bnr XX echo XX {/}
	printf 'a/b.c\n' | same --basenamereplace XX echo XX
	printf 'a/b.c\n' | same --bner XX echo XX {/.}
	printf 'a/b.c\n' | same --basenameextensionreplace XX echo XX
	printf 'a/b.c\n' | same --dnr XX echo XX {//}
	printf 'a/b.c\n' | same --dirnamereplace XX echo XX
	[ "$(cat ours)" = a ]
}

@test "--seqreplace and --slotreplace rename {#} and {%}" {
	printf 'a\nb\n' | same -j1 --seqreplace XX --slotreplace YY \
	    echo XX YY {#} {%} {}
	[ "$(cat ours)" = "$(printf '1 1 {#} {%%} a\n2 1 {#} {%%} b')" ]
}

@test "renamed strings: the longest name wins, a renamed one over -I's" {
	printf 'a/b.c\n' | same --bnr XX --bner XXY echo XX XXY
	[ "$(cat ours)" = "b.c b" ]
	printf 'a/b.c\n' | same -I XX --bnr XXY echo XX XXY
	printf 'a/b.c\n' | same --er {} echo {}
	[ "$(cat ours)" = a/b ]
	printf 'a/b.c\n' | same -I II --er XX echo XX II {} {.}
}

@test "renamed strings work in --tagstring and without a shell" {
	printf 'a/b.c\n' | same --er XX --tagstring XX echo {}
	[ "$(cat ours)" = "$(printf 'a/b\ta/b.c')" ]
	run --separate-stderr fanout --no-shell --bnr XX argv XX ::: a/b.c
	[ "$status" -eq 0 ]
	[ "$output" = "[b.c]" ]
}

@test "an empty renamed string is refused" {
	run --separate-stderr fanout --er '' echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --extensionreplace: '' is empty" ]
}

# tty ARGS...: fanout or GNU's parallel (ARGS) under a terminal of
# script(1)'s, stdin and stdout on it.
under_tty() {
	command -v script > /dev/null || skip "script(1) is not installed"
	script -qec "$(printf '%q ' "$@")" /dev/null < /dev/null
}

@test "-o and --open-tty give jobs the terminal as stdin" {
	cmd='test -t 0 && echo tty || echo none; : {}'
	run under_tty "$FANOUT_BIN" -k -o "$cmd" ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'tty\r\ntty\r')" ]
	ours=$output
	run under_tty "$FANOUT_BIN" -k --open-tty "$cmd" ::: 1
	[ "$output" = "$(printf 'tty\r')" ]
	run under_tty "$FANOUT_BIN" -k "$cmd" ::: 1
	[ "$output" = "$(printf 'none\r')" ]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	run under_tty parallel --will-cite -k -o "$cmd" ::: 1 2
	[ "$output" = "$ours" ]
}

@test "-o without a terminal: jobs read /dev/null, as GNU's" {
	# setsid: no controlling terminal, whoever runs the suite.
	run --separate-stderr setsid -w "$FANOUT_BIN" -k -o 'cat; echo {}' ::: 1 \
	    <<< in
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	run --separate-stderr setsid -w parallel --will-cite -k -o \
	    'cat; echo {}' ::: 1 <<< in
	[ "$status" -eq 0 ]
	[ "$output" = 1 ]
}
