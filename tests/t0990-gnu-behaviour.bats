#!/usr/bin/env bats
# Behaviours where fanout followed its own rule and GNU parallel another:
# each is run under both, with -k, and stdout and the exit status must be
# the same byte for byte.  Without GNU parallel installed, the comparison
# is skipped with a reason; fanout's own side is still checked.

load helper

# same_as_gnu ARG...: `fanout -k ARG...` and `parallel -k ARG...`, both
# reading the file $IN (default /dev/null), give the same stdout, byte
# for byte, and the same status; fanout's are in $output, $stderr and
# $status.
same_as_gnu() {
	local gstatus=0
	status=0
	"$FANOUT" -k "$@" < "${IN:-/dev/null}" > same.out 2> same.err ||
	    status=$?
	output=$(cat same.out)
	stderr=$(cat same.err)
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	parallel --will-cite -k "$@" < "${IN:-/dev/null}" > same.gnu \
	    2> /dev/null || gstatus=$?
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
