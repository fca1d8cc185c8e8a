#!/usr/bin/env bats
# Context replace under -N and -L, and references to absent columns or
# sources.  Each case checks fanout's own answer, then, where GNU
# parallel is installed, that GNU's is the same on the same input with
# -k: stdout byte for byte and the exit status.

load helper

# same ARG...: fanout -k ARG... on stdin $IN (default /dev/null): its
# stdout, byte for byte, in $ours, less a last newline in $output, its
# stderr in $stderr and its status in $status.  Nothing is written in
# the test's directory, whose files make the key of GNU's cached answers.
same() {
	local err=$BATS_FILE_TMPDIR/stderr

	ours=$("$FANOUT_BIN" -k "$@" < "${IN:-/dev/null}" 2> "$err"; echo "x$?")
	status=${ours##*x}
	ours=${ours%x*}
	output=${ours%$'\n'}
	stderr=$(cat "$err")
}

# gnu_same ARG...: GNU parallel -k ARG... on the same stdin gives the
# stdout and status fanout gave to the last `same`.
gnu_same() {
	local gnu

	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	gnu=$(gnu_parallel "${IN:-/dev/null}" -k "$@" 2> /dev/null;
	    echo "x$?")
	if [ "${gnu%x*}" != "$ours" ] || [ "${gnu##*x}" != "$status" ]; then
		printf 'fanout, %s:\n%s\nGNU parallel, %s:\n%s\n' \
		    "$status" "$ours" "${gnu##*x}" "${gnu%x*}" >&2
		return 1
	fi
}

# check EXPECTED ARG...: fanout -k ARG... prints EXPECTED (and a newline)
# and exits 0, as GNU parallel does.
check() {
	local want=$1
	shift
	same "$@"
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
	gnu_same "$@"
}

@test "-N repeats the word around {} once per argument, as -X" {
	check $'a1b a2b\na3b a4b' -N2 echo a{}b ::: 1 2 3 4
	check $'[a1b]\n[a2b]\n[a3b]\n[a4b]' -N2 argv a{}b ::: 1 2 3 4
	check $'a1b a2b\na3b' -N2 echo a{}b ::: 1 2 3
}

@test "-L repeats the word around {} once per line, but not with -m; -l does not" {
	check $'a1b a2b\na3b a4b' -L2 echo a{}b ::: 1 2 3 4
	check $'a1 2b\na3 4b' -j1 -m -L2 echo a{}b ::: 1 2 3 4
	check $'a1 2b\na3 4b' -j1 -L2 -m echo a{}b ::: 1 2 3 4
	check $'a1 2b\na3 4b' -l2 echo a{}b ::: 1 2 3 4
	check $'a1 2b\na3 4b' -n2 echo a{}b ::: 1 2 3 4
}

@test "-N repeats {.} {/} and words with two strings, {#} and {1} as they are" {
	check $'a1b a2b\na3b a4b' -N2 echo a{.}b ::: 1.x 2.y 3 4
	check $'a1.xb a2.yb\na3b a4b' -N2 echo a{/}b ::: d/1.x e/2.y 3 4
	check $'a1b1c a2b2c\na3b3c a4b4c' -N2 echo a{}b{}c ::: 1 2 3 4
	check $'a1b1c a2b1c\na3b2c a4b2c' -N2 echo a{}b{#}c ::: 1 2 3 4
	check $'a1b1c a2b1c\na3b3c a4b3c' -N2 echo a{}b{1}c ::: 1 2 3 4
	check $'a1b\na2b' -N2 echo a{#}b ::: 1 2 3 4
	check $'a1b2c\na3b4c' -N2 echo a{1}b{2}c ::: 1 2 3 4
}

@test "-N: an empty argument repeats the word with nothing in it" {
	check $'[a1b]\n[ab]\n[a3b]\n[a4b]' -N2 argv a{}b ::: 1 '' 3 4
	check $'[1]\n[]\n[3]\n[4]' -N2 argv {} ::: 1 '' 3 4
	check $'xy xy\nx3y x4y' -N2 echo x{}y ::: '' '' 3 4
}

@test "-N with -X or -m repeats the word per argument, at most N a job" {
	check $'a1b a2b\na3b a4b\na5b' -j1 -X -N2 echo a{}b ::: 1 2 3 4 5
	check $'a1b a2b\na3b a4b\na5b' -j1 -m -N2 echo a{}b ::: 1 2 3 4 5
}

@test "-N repeats the word per value of every source and column" {
	check $'a1b axb a1b ayb\na2b axb a2b ayb' -N2 echo a{}b ::: 1 2 ::: x y
	check $'a1b a2b a3b a4b\na5b a6b' -N2 --colsep , echo a{}b \
	    ::: 1,2 3,4 5,6
}

@test "-q: the blank-separated run around {} repeats, not the whole word" {
	check $'[a 1]\n[2 b]\n[a 3]\n[4 b]' -N2 -q argv 'a {} b' ::: 1 2 3 4
	check $'[a1b]\n[a2b]\n[a3b]\n[a4b]' -N2 -q argv 'a{}b' ::: 1 2 3 4
	check $'[x a1b]\n[a2b y]\n[x a3b]\n[a4b y]' -X -q argv 'x a{}b y' \
	    ::: 1 2 3 4
}

@test "context replace: a tab before the word repeats with it, as in GNU parallel" {
	check $'[x\ta1b]\n[\ta2b  y]\n[x\ta3b]\n[\ta4b  y]' -X -q \
	    argv $'x\ta{}b  y' ::: 1 2 3 4
	check $'echo x\ta1b \ta2b\tc1 \tc2\necho x\ta3b \ta4b\tc3 \tc4' \
	    --dry-run -N2 $'echo x\ta{}b\tc{}' ::: 1 2 3 4
}

@test "--tagstring repeats in context as the command does" {
	check $'a1b a2b\tx 1 2\na3b a4b\tx 3 4' -N2 --tagstring 'a{}b' \
	    echo x ::: 1 2 3 4
	check $'a1b a2b a3b a4b\tx 1 2 3 4' -j1 -X --tagstring 'a{}b' \
	    echo x ::: 1 2 3 4
	check $'ab  c\tx 1 2' --colsep , --tagstring 'a{3}b {3} c' echo x \
	    ::: 1,2
}

@test "-N0 and -L0: no replacement string gives anything, even with -q" {
	check $'[xy]\n[z]\n[xy]\n[z]' -N0 -X argv x{}y {} {1} z ::: 1 2
	check '[x]' -N0 -q argv {} {1} x ::: 1
	check $'[xy]\n[x]' -N0 -q argv x{}y {1} x ::: 1
	check '[x]' -L0 argv {} {1} x ::: 1
}

@test "-s counts every word -N repeats, as GNU parallel" {
	check $'xxxxxxxxxx1 xxxxxxxxxx2\nxxxxxxxxxx3 xxxxxxxxxx4\nxxxxxxxxxx5 xxxxxxxxxx6' \
	    -j1 -m -N10 -s 40 echo xxxxxxxxxx{} ::: 1 2 3 4 5 6
	check $'xxxxxxxxxx1 xxxxxxxxxx2 xxxxxxxxxx3\nxxxxxxxxxx4 xxxxxxxxxx5 xxxxxxxxxx6' \
	    -j1 -m -N10 -s 41 echo xxxxxxxxxx{} ::: 1 2 3 4 5 6
	check $'xxxxxxxxxx1y1y xxxxxxxxxx2y2y\nxxxxxxxxxx3y3y xxxxxxxxxx4y4y\nxxxxxxxxxx5y5y xxxxxxxxxx6y6y' \
	    -j1 -m -N3 -s 41 echo xxxxxxxxxx{}y{}y ::: 1 2 3 4 5 6
}

@test "-m packs no more words than fit when -N repeats them" {
	# Without -s: the system's limit, against 60 words each holding a
	# value 3 times, over 300 KiB in all.
	local v
	v=$(head -c 2000 /dev/zero | tr '\0' v)
	for i in $(seq 60); do echo "$v$i"; done > in
	run --separate-stderr fanout -k -m -N60 "sh -c 'echo \$#' _ a{}b{}c{}" \
	    < in
	[ "$status" -eq 0 ]
	[ "$(echo "$output" | awk '{ n += $1 } END { print n }')" -eq 60 ]
	[ "$(echo "$output" | wc -l)" -gt 1 ]
}

@test "an absent column, a whole word, gives no argument; the warning stays" {
	check '1 x' --colsep , echo {1} {3} x ::: 1,2
	[ "$stderr" = "fanout: the command uses {3}, but job 1 has 2 values: each missing one expands to nothing" ]
	check $'[1]\n[x]' --colsep , argv {1} {3} x ::: 1,2
	check $'[1]\n[3]\n[x]\n[4]\n[x]' --colsep , argv {1} {3} x \
	    ::: 1,2,3 4,5
	check $'[1]\n[2]\n[x]' --colsep , -X argv {3} {} x ::: 1,2
}

@test "an absent column inside a word or quotes expands to nothing" {
	check $'[1]\n[xy]' --colsep , argv {1} x{3}y ::: 1,2
	check $'[1]\n[x]' --colsep , argv {1}{3} {3}{3} x ::: 1,2
	check $'[1]\n[1]\n[x]' --colsep , argv {1} {3}{#} x ::: 1,2
	check $'[1]\n[]' --colsep , argv {1} "'{3}'" ::: 1,2
	check $'[1]\n[]' --colsep , argv {1} '"{3}"' ::: 1,2
}

@test "text after an absent column starts the word, as the shell reads it" {
	# '#' there begins a comment; so it must run through the shell
	# even where fanout would otherwise run echo directly.
	same echo {2}#{2} x ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	gnu_same echo {2}#{2} x ::: a
}

@test "-q: an absent column is an empty argument, as in GNU parallel" {
	check $'[1]\n[]\n[x]' -q --colsep , argv {1} {3} x ::: 1,2
	check $'[1]\n[a  b]\n[x]' -q --colsep , argv {1} 'a {3} b' x ::: 1,2
}

@test "{3} with two ::: sources gives no argument, whatever its form" {
	check $'[1]\n[x]' argv {1} {3} x ::: 1 ::: 2
	check $'[1]\n[x]' argv {1} {3.} {3/} {3//} {3/.} x ::: 1 ::: 2
	check $'[1]\n[x]\n[2]\n[x]' -N1 argv {1} {2} x ::: 1 2
}

@test "--plus: an absent column gives nothing, not {n:-STR}'s STR" {
	check $'[1]\n[x]' --plus --colsep , argv {1} {3:-def} x ::: 1,2
	check $'[1]\n[def]\n[x]' --plus --colsep , argv {1} {2:-def} x ::: 1,
}

@test "--header: a column the record lacks gives no argument" {
	check $'[1]\n[x]' --header : --colsep , argv {a} {b} {2} x ::: a,b 1
	printf 'a,b\n1\n' > in
	IN=in check $'[1]\n[x]' --header : --colsep , argv {a} {b} x
}

@test "--dry-run and --no-shell show and run an absent column as no argument" {
	check 'argv 1  x' --dry-run --colsep , argv {1} {3} x ::: 1,2
	check "argv 1 '' x" --dry-run -q --colsep , argv {1} {3} x ::: 1,2
	run --separate-stderr fanout --no-shell --colsep , argv {3} {1} x \
	    ::: 1,2
	[ "$status" -eq 0 ]
	[ "$output" = $'[1]\n[x]' ]
}

@test "a job without arguments still has {} and {1} as empty values" {
	printf '1\n2\n' > in
	# The job reads its block: GNU parallel, writing a block to a job
	# that has left, sometimes exits 1.
	printf '#!/bin/sh\ncat > /dev/null\nexec argv "$@"\n' > drain
	chmod +x drain
	IN=in check $'[xy]\n[]\n[]' --pipe ./drain x{}y {} {1}
	IN=in check $'[xy]\n[]\n[]' --pipe -q ./drain x{}y {} {1}
}
