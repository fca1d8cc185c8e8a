#!/usr/bin/env bats
# Behaviours where fanout followed its own rule and GNU parallel another:
# each is run under both, with -k, and stdout and the exit status must be
# the same byte for byte.  Without GNU parallel installed, the comparison
# is skipped with a reason; fanout's own side is still checked.

load helper

# same_as_gnu ARG...: `fanout -k $ONLY ARG...` and `parallel -k ARG...`,
# both reading the file $IN (default /dev/null) and writing into a pipe,
# give the same stdout, byte for byte, and the same status; fanout's are
# in $output, $stderr and $status, GNU's stderr, its prefix made
# fanout's, in $gnu_stderr.  With $FIELDS, only those TAB-separated
# fields of each line are compared (cut -f), to leave out a joblog's
# times.
same_as_gnu() {
	local gstatus
	# $ONLY is split into words on purpose.
	{ "$FANOUT_BIN" -k $ONLY "$@" < "${IN:-/dev/null}" 2> same.err &&
	    echo 0 > st || echo $? > st; } | cut -f "${FIELDS:-1-}" > same.out
	status=$(cat st)
	output=$(cat same.out)
	stderr=$(cat same.err)
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	rm -f same.gnu
	{ gnu_parallel "${IN:-/dev/null}" -k "$@" 2> same.err &&
	    echo 0 > st || echo $? > st; } | cut -f "${FIELDS:-1-}" > same.gnu
	gstatus=$(cat st)
	gnu_stderr=$(sed 's/^parallel:/fanout:/' same.err)
	if ! cmp -s same.out same.gnu || [ "$status" != "$gstatus" ]; then
		printf 'fanout, %s:\n%s\nGNU parallel, %s:\n%s\n' \
		    "$status" "$output" "$gstatus" "$(cat same.gnu)" >&2
		return 1
	fi
}

@test ":::+ stops at the shortest linked source" {
	same_as_gnu echo ::: a b c :::+ 1 2 ::: x y
	[ "$output" = $'a 1 x\na 1 y\nb 2 x\nb 2 y' ]
}

@test "::::+ stops at the shortest linked file" {
	printf '1\n2\n' > two
	same_as_gnu echo ::: a b c ::::+ two
	[ "$output" = $'a 1\nb 2' ]
}

@test "a lone ::::+ links its files, to the shortest" {
	printf 'x\ny\nz\n' > three
	printf '1\n2\n' > two
	same_as_gnu echo ::::+ three two
	[ "$output" = $'x 1\ny 2' ]
}

@test "--link still wraps the shorter sources round" {
	same_as_gnu --link echo ::: a b c :::+ 1 2
	[ "$output" = $'a 1\nb 2\nc 1' ]
}

@test "-E that empties one of several sources leaves one empty value" {
	same_as_gnu -E stop echo 'x{1}y{2}z' ::: stop a ::: 1 2
	[ "$output" = $'xy1z\nxy2z' ]
}

@test "-E that empties a streamed source leaves one empty value" {
	echo stop > in
	IN=in same_as_gnu -E stop echo 'x{1}y{2}z' :::: - ::: 1 2
	[ "$output" = $'xy1z\nxy2z' ]
}

@test "an empty file among several sources gives one empty value" {
	same_as_gnu echo 'x{1}y{2}z' ::: 1 2 :::: /dev/null
	[ "$output" = $'x1yz\nx2yz' ]
}

@test "standard input beside an empty file still runs its records" {
	printf 'a\nb\n' > in
	IN=in same_as_gnu echo 'x{1}y{2}z' :::: - :::: /dev/null
	[ "$output" = $'xayz\nxbyz' ]
}

@test "no job when every source is empty, or the only one is" {
	same_as_gnu -E stop echo 'x{1}y{2}z' ::: stop ::: stop
	[ -z "$output" ]
	same_as_gnu -E stop echo 'x{}y' ::: stop a
	[ -z "$output" ]
	same_as_gnu echo 'x{1}y{2}z' :::: - :::: /dev/null
	[ -z "$output" ]
}

@test "-d splits ::: values too, an empty last piece included" {
	same_as_gnu -d , echo 'x{}y' ::: a,b, c,,d
	[ "$output" = $'xay\nxby\nxy\nxcy\nxy\nxdy' ]
}

@test "-d splits every ::: source, and -E ends one inside a word" {
	same_as_gnu -d , -E b echo 'x{1}y{2}z' ::: a,b,c d ::: 1,2
	[ "$output" = $'xay1z\nxay2z' ]
}

# The joblog's header and lines, without its times.
JOBLOG_OUT=$'Seq\tHost\tSend\tReceive\tExitval\tSignal\tCommand\n0\n1\t:\t0\t2\t0\t0\techo 0; exit 0\n1\n2\t:\t0\t2\t1\t0\techo 1; exit 1'

@test "--joblog - with --resume runs every job, the log on stdout" {
	FIELDS=1,2,5- same_as_gnu -j1 --joblog - --resume \
	    'echo {}; exit {}' ::: 0 1
	[ "$output" = "$JOBLOG_OUT" ]
	[ "$status" -eq 1 ]
}

@test "--joblog - with --resume-failed runs every job, the log on stdout" {
	FIELDS=1,2,5- same_as_gnu -j1 --joblog - --resume-failed \
	    'echo {}; exit {}' ::: 0 1
	[ "$output" = "$JOBLOG_OUT" ]
	[ "$status" -eq 1 ]
}

@test "--joblog - with --retry-failed runs the input, the log on stdout" {
	FIELDS=1,2,5- same_as_gnu -j1 --joblog - --retry-failed \
	    'echo {}; exit {}' ::: 0 1
	[ "$output" = "$JOBLOG_OUT" ]
	[ "$status" -eq 1 ]
}

@test "--halt names the job that failed, as GNU does" {
	ONLY=--quiet same_as_gnu -j1 --halt now,fail=1 'echo {}; exit {}' \
	    ::: 0 1 2
	[ "$stderr" = $'fanout: This job failed:\necho 1; exit 1' ]
	[ "$stderr" = "$gnu_stderr" ]
}

@test "--halt names each job it counts until the halt" {
	ONLY=--quiet same_as_gnu -j1 --halt soon,success=2 'exit {}' \
	    ::: 1 0 1 0 0
	[ "$stderr" = $'fanout: This job succeeded:\nexit 0\nfanout: This job succeeded:\nexit 0' ]
	[ "$stderr" = "$gnu_stderr" ]
}

@test "a job killed at its time limit is named, as GNU does" {
	ONLY=--quiet same_as_gnu -j1 --timeout 1 'echo {}; sleep {}' ::: 0 30
	[ "$stderr" = $'fanout: Warning: This job was killed because it timed out:\nfanout: Warning: echo 30; sleep 30' ]
	[ "$stderr" = "$gnu_stderr" ]
}

@test "the failure list is still there without --quiet" {
	run --separate-stderr fanout -j1 --halt now,fail=1 'exit {}' ::: 0 1 2
	[ "$status" -eq 1 ]
	[ "${stderr_lines[0]}" = "fanout: This job failed:" ]
	[ "${stderr_lines[1]}" = "exit 1" ]
	[ "${stderr_lines[2]}" = "fanout: halted by --halt: 2 jobs done, 1 failed, 1 never started" ]
}

@test "--colsep trims the columns, as --trim lr" {
	same_as_gnu --colsep , echo '[{1}][{2}]' ::: ' a , b ' 'c,d  '
	[ "$output" = $'[a][b]\n[c][d]' ]
	same_as_gnu --colsep '\s*,' echo '[{1}][{2}]' ::: ' a , b '
	[ "$output" = '[a][b]' ]
}

@test "--trim says otherwise after --colsep; --csv is not trimmed" {
	same_as_gnu --colsep , --trim n echo '[{1}][{2}]' ::: ' a , b '
	[ "$output" = '[ a ][ b ]' ]
	same_as_gnu --colsep , --trim l echo '[{1}][{2}]' ::: ' a , b '
	[ "$output" = '[a ][b ]' ]
	same_as_gnu --csv echo '[{1}][{2}]' ::: ' a , b '
	[ "$output" = '[ a ][ b ]' ]
}

@test "-q with no command: each value is one quoted word, as GNU's" {
	printf '%s\n' 'echo hi' echo 'printf %s\n' > in
	same_as_gnu -q :::: in
	same_as_gnu -q -n2 ::: echo 'a  b'
	same_as_gnu -q --colsep , ::: 'printf %s-\n,x y,z'
}

@test "{n} may end in white space or a newline inside its braces, as GNU's" {
	same_as_gnu echo $'{1\n}' '{-1 }' $'{2\t}' ::: a.b ::: c
	[ "$output" = "a.b c c" ]
	same_as_gnu echo '{1. }' '{ 1}' ::: a.b
	[ "$output" = "{1. } { 1} a.b" ]
}
