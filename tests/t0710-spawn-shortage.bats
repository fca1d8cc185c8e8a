#!/usr/bin/env bats
# fanout short of its own resources while starting jobs: pipes, processes,
# memory.  A shortage is waited out, never a job's failure, and waiting
# never keeps a signal from ending the run; a job ended while its start
# waits never runs.  The fault library (tests/fault.c) makes the calls
# fail on cue; a real process limit comes from prlimit as another user.

load helper

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
