#!/usr/bin/env bats
# Exit status (GNU parallel's) and the failure list.

load helper

@test "all jobs succeed: exit 0, no failure list" {
	run --separate-stderr fanout exitwith ::: 0 0 0
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
}

@test "the exit status is the number of failed jobs" {
	run --separate-stderr fanout exitwith ::: 0 1 2 3 0
	[ "$status" -eq 3 ]
}

@test "more than 100 failed jobs exit 101" {
	run --separate-stderr fanout -j8 exitwith ::: $(yes 1 | head -150)
	[ "$status" -eq 101 ]
	[[ "$stderr" == *"fanout: 150 of 150 jobs failed"* ]]
}

@test "exactly 100 failed jobs exit 100" {
	run --separate-stderr fanout -j8 exitwith ::: $(yes 1 | head -100)
	[ "$status" -eq 100 ]
}

@test "the failure list names job, status and command" {
	run --separate-stderr fanout -k exitwith ::: 0 3 0
	[ "$status" -eq 1 ]
	[ "$stderr" = "$(printf 'fanout: 1 of 3 jobs failed\nfanout:   job 2: exit 3: exitwith 3')" ]
}

@test "the failure list names the signal that killed a job" {
	run --separate-stderr fanout dieby ::: KILL
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"job 1: killed by SIGKILL: dieby KILL"* ]]
}

@test "the failure list shows the first few and counts the rest" {
	run --separate-stderr fanout -j1 exitwith ::: 1 1 1 1 1 1 1 1
	[ "$status" -eq 8 ]
	[[ "$stderr" == *"... and 3 more"* ]]
}

@test "the failure list is in job order: the first five, whatever order they ended in" {
	# Job k ends only after job k+1: they end last to first.
	run --separate-stderr fanout -j8 'if [ {} -lt 8 ]; then waitfor ended-$(({} + 1)); fi; touch ended-{}; exit 1' ::: 1 2 3 4 5 6 7 8
	[ "$status" -eq 8 ]
	[ "$(printf '%s\n' "$stderr" | sed -n 's/^fanout:   job \([0-9]*\):.*/\1/p' | tr '\n' ' ')" = "1 2 3 4 5 " ]
	[[ "$stderr" == *"... and 3 more" ]]
}

@test "--quiet silences the failure list, not the status" {
	run --separate-stderr fanout --quiet exitwith ::: 1 2
	[ "$status" -eq 2 ]
	[ -z "$stderr" ]
}

@test "a failing job's own output is still delivered" {
	run --separate-stderr fanout -k 'echo out-{}; echo err-{} >&2; exit {}' ::: 0 4
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'out-0\nout-4')" ]
	[[ "$stderr" == "$(printf 'err-0\nerr-4')"* ]]
}

@test "no input means no jobs and exit 0" {
	run --separate-stderr fanout echo < /dev/null
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
}
