#!/usr/bin/env bats
# Behaviours where fanout followed its own rule and GNU parallel another:
# each is run under both, with -k, and stdout and the exit status must be
# the same byte for byte.  Without GNU parallel installed, the comparison
# is skipped with a reason; fanout's own side is still checked.

load helper

# same_as_gnu ARG...: `fanout -k ARG...` and `parallel -k ARG...` give
# the same stdout and status; fanout's are in $output and $status.
same_as_gnu() {
	local want wstatus=0
	run --separate-stderr "$FANOUT" -k "$@"
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	want=$(parallel --will-cite -k "$@"; echo "status $?")
	if [ "$output"$'\n'"status $status" != "$want" ]; then
		printf 'fanout:\n%s\nstatus %s\nGNU parallel:\n%s\n' \
		    "$output" "$status" "$want" >&2
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
