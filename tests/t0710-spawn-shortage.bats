#!/usr/bin/env bats
# fanout short of its own resources while starting jobs: pipes, processes,
# memory.  A shortage is waited out, never a job's failure, and waiting
# never keeps a signal from ending the run; a job ended while its start
# waits never runs.  The fault library (tests/fault.c) makes the calls
# fail on cue; a real process limit comes from prlimit as another user.

load helper

@test "a job's pipes that cannot be made yet are waited for, not its failure" {
	# pipe2 from the third call on is the jobs', in every mode.
	run --separate-stderr with_faults pipe2:EMFILE:3:4 \
	    "$FANOUT" -j2 -k 'echo out-{}; echo err-{} >&2' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'out-%s\n' 1 2 3 4 5)" ]
	[ "$stderr" = "$(printf 'err-%s\n' 1 2 3 4 5)" ]
}

@test "a file table that is full is waited for, not a job's failure" {
	run --separate-stderr with_faults pipe2:ENFILE:3:6 \
	    "$FANOUT" -j2 -k --joblog log 'echo {}' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 2 3 4 5)" ]
	[ -z "$stderr" ]
	[ "$(cut -f7 log | sort | uniq -c | tr -s ' ')" = "$(printf ' 5 0\n 1 Exitval')" ]
}

@test "a script without #! runs through the shell while spawns are short" {
	printf 'echo "via sh: $1"\n' > noshebang
	chmod +x noshebang
	# The first attempt meets ENOEXEC; then the shell's spawn and the
	# next two attempts fail for want of processes.
	run --separate-stderr with_faults posix_spawn:EAGAIN:2:3 \
	    "$FANOUT" -j1 -k ./noshebang ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'via sh: a\nvia sh: b')" ]
	[ -z "$stderr" ]
}
