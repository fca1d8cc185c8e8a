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
	run --separate-stderr parallel --will-cite -k "$@" < in
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
