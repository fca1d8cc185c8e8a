#!/usr/bin/env bats
# Defects where fanout parted from GNU parallel without meaning to: the
# termination sequence stopped at the job's first process, -X built lines
# the kernel refuses, the descriptor budget cut -j hard and silently, and
# a record longer than -s ran anyway.  Where GNU parallel is installed,
# it is run on the same input for comparison.

load helper

gnu() {
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	parallel --will-cite "$@"
}

# The job: its leader ends on TERM, having started a child that ignores
# TERM; both are recorded, and "ready" says both traps are set.
GROUP_JOB="trap 'touch leader-term; exit 1' TERM; sh -c 'trap \"\" TERM; recordpid child.pid; exec sleep 900' & waitfor child.pid; recordpid leader.pid; touch ready; wait; : {}"

@test "--termseq goes on against the job's group after its leader exits" {
	run --separate-stderr fanout --timeout 3 "$GROUP_JOB" ::: 1
	[ "$status" -eq 1 ]
	# The time limit came after both traps were set.
	[ -f ready ] && [ -f leader-term ]
	gone leader.pid child.pid
}

@test "--termseq without KILL still ends the job's group with KILL" {
	run --separate-stderr fanout --timeout 3 --termseq TERM,50 \
	    "$GROUP_JOB" ::: 1
	[ "$status" -eq 1 ]
	[ -f ready ] && [ -f leader-term ]
	gone leader.pid child.pid
}

@test "-u: a job's child that ignores TERM does not hold the caller's pipe" {
	# Before, the child kept cat reading until cat's own time limit.
	run bash -c '"$FANOUT" -u --timeout 3 "$1" ::: 1 2> err |
	    timeout 20 cat > out; echo "${PIPESTATUS[*]}"' sh "$GROUP_JOB"
	[ "$output" = "1 0" ]
	[ -f ready ] && [ -f leader-term ]
	gone leader.pid child.pid
}
