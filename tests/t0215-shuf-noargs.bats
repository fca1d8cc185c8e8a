#!/usr/bin/env bats
# --shuf (jobs in random order) and -N0 (a job per record, no argument),
# as GNU parallel has them.

load helper

@test "--shuf runs every job once, numbered in the order they run" {
	run --separate-stderr fanout --shuf -k -j3 echo '{#}' '{}' ::: $(seq 200)
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 200 ]
	# -k orders by job number, which follows the running order...
	[ "$(printf '%s\n' "${lines[@]}" | cut -d' ' -f1)" = "$(seq 200)" ]
	# ...and the values are each there once, not in input order.
	vals=$(printf '%s\n' "${lines[@]}" | cut -d' ' -f2)
	[ "$(sort -n <<<"$vals")" = "$(seq 200)" ]
	[ "$vals" != "$(seq 200)" ]
}

@test "--shuf reads a streamed input whole and shuffles jobs of -n records" {
	seq 30 | fanout --shuf -n 3 echo > out
	[ "$(wc -l < out)" -eq 10 ]
	# Each job keeps its three records together, in order.
	[ "$(sort -n out | tr '\n' ' ')" = "$(seq 30 | paste -d' ' - - - | sort -n | tr '\n' ' ')" ]
	[ "$(tr ' ' '\n' < out | sort -n)" = "$(seq 30)" ]
}

@test "--shuf with no input runs nothing; with --resume it is refused" {
	run --separate-stderr fanout --shuf echo ::: 
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	run --separate-stderr fanout --shuf --resume --joblog jl 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--resume does not work with --shuf"* ]]
	[ ! -e ran ] && [ ! -e jl ]
}

@test "-N0 runs the command once per record, with no argument" {
	run --separate-stderr fanout -k -N0 echo x ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'x\nx\nx')" ]
	run --separate-stderr fanout -k -n0 echo '[{}]' '{#}' ::: a b
	[ "$output" = "$(printf '[]\n1\n[]\n2' | paste -d' ' - -)" ]
	seq 3 | fanout -N0 --joblog jl echo hi > out
	[ "$(grep -c '^hi$' out)" -eq 3 ]
	[ "$(tail -n +2 jl | cut -f9 | sort | uniq)" = "echo hi" ]
	run --separate-stderr fanout -N -1 echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"-N: '-1' is not a whole number >= 0"* ]]
}

@test "-N0 and --shuf give what GNU parallel gives" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	parallel --will-cite -k -N0 echo x '{#}' ::: a b c > want
	fanout -k -N0 echo x '{#}' ::: a b c > got
	diff want got
	parallel --will-cite --shuf echo ::: $(seq 50) | sort -n > want
	fanout --shuf echo ::: $(seq 50) | sort -n > got
	diff want got
}
