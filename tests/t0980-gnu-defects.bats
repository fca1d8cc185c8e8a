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
	run bash -c '"$FANOUT_BIN" -u --timeout 3 "$1" ::: 1 2> err |
	    timeout 20 cat > out; echo "${PIPESTATUS[*]}"' sh "$GROUP_JOB"
	[ "$output" = "1 0" ]
	[ -f ready ] && [ -f leader-term ]
	gone leader.pid child.pid
}

# Under a 512 KiB stack the kernel takes 128 KiB of arguments, so a few
# thousand values fill a command line.
@test "-X: values in two words of one command fit the kernel's limit" {
	seq 20000 > in
	run --separate-stderr bash -c 'ulimit -s 512 && "$FANOUT_BIN" -X echo "a{}" "b{}" < in > out'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(wc -w < out)" -eq 40000 ]
	[ "$(tr ' ' '\n' < out | grep -c '^a')" -eq 20000 ]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	bash -c 'ulimit -s 512 && parallel --will-cite -X echo "a{}" "b{}" < in > gnu'
	cmp <(tr ' ' '\n' < out | sort) <(tr ' ' '\n' < gnu | sort)
}

@test "-m: a word with several {} fits the kernel's limit" {
	seq 20000 > in
	run --separate-stderr bash -c 'ulimit -s 512 && "$FANOUT_BIN" -m echo "x{}{}" < in > out'
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(grep -c . out)" -ge 2 ]
}

@test "-s counts each copy of a value in a word with several {}" {
	seq 1000 1030 | sed 's/^/abcdef/' > in
	run --separate-stderr fanout -k -s 100 -X echo 'a{}b{}c' :::: in
	[ "$status" -eq 0 ]
	# GNU parallel packs 3 to a line here: "echo" and 3 words of 23.
	[ "$(printf '%s\n' "$output" | awk '{ print NF }' | sort -u)" = "$(printf '1\n3')" ]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	[ "$output" = "$(gnu -k -s 100 -X echo 'a{}b{}c' :::: in)" ]
}

@test "-s: a record too long for it stops the run, as GNU parallel does" {
	printf 'a\n%056d\nc\n' 0 > in
	run --separate-stderr fanout -s 30 echo :::: in
	[ "$status" -eq 255 ]
	# The job before it ran; neither it nor any after did.
	[ "$output" = a ]
	[[ "$stderr" == "fanout: job 2: its command line is 62 bytes, more than -s 30 allows; no further jobs run: echo 000"* ]]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	# One job at a time: GNU kills the jobs still running when it stops,
	# so with more the first one's output is a race.
	run --separate-stderr gnu -j1 -s 30 echo :::: in
	[ "$status" -eq 255 ]
	[ "$output" = a ]
}

@test "-s with -X: one value too long for it stops the run" {
	printf 'a\n%056d\nc\n' 0 > in
	run --separate-stderr fanout -k -s 61 -X echo :::: in
	[ "$status" -eq 255 ]
	[ "$output" = a ]
	[[ "$stderr" == "fanout: job 2: its command line is 62 bytes, more than -s 61 allows"* ]]
	run --separate-stderr fanout -k -s 62 -X echo :::: in
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | wc -l)" -eq 3 ]
}

# Each job waits (at most 10 s) until 6 have started, then says how many
# it saw: the first 6 see 6 or more only if they all ran at once.
RENDEZVOUS='touch r{}; n=0; while [ "$(ls r* | wc -l)" -lt 6 ] && [ $n -lt 500 ]; do sleep 0.02; n=$((n + 1)); done; ls r* | wc -l'

# every_at_least N: each line of $output is a number of at least N.
every_at_least() {
	[ -n "$output" ] &&
	    [ "$(printf '%s\n' "$output" | sort -n | head -n 1)" -ge "$1" ]
}

@test "-j 0 under 50 descriptors runs several jobs at once and says how many" {
	run --separate-stderr bash -c 'ulimit -n 50 && exec "$FANOUT_BIN" -j0 "$1" ::: $(seq 20)' sh "$RENDEZVOUS"
	[ "$status" -eq 0 ]
	every_at_least 6
	[[ "$stderr" =~ ^"fanout: -j 0: only "([0-9]+)" jobs fit in the descriptor limit (50); running "([0-9]+)" at once"$ ]]
	[ "${BASH_REMATCH[1]}" -ge 6 ] && [ "${BASH_REMATCH[1]}" = "${BASH_REMATCH[2]}" ]
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	rm -f r*
	run --separate-stderr bash -c 'ulimit -n 50 && exec parallel --will-cite -j0 "$1" ::: $(seq 20)' sh "$RENDEZVOUS"
	every_at_least 6
}

@test "-j 0 under 50 descriptors says nothing when every job fits" {
	run --separate-stderr bash -c 'ulimit -n 50 && exec "$FANOUT_BIN" -j0 "$1" ::: 1 2 3 4 5 6' sh "$RENDEZVOUS"
	[ "$status" -eq 0 ]
	every_at_least 6
	[ -z "$stderr" ]
}

@test "a -j cut by the descriptor limit is said on stderr" {
	run --separate-stderr bash -c 'ulimit -n 50 && exec "$FANOUT_BIN" -j 40 "echo {}" ::: 1 2'
	[ "$status" -eq 0 ]
	[[ "$stderr" =~ ^"fanout: -j 40: only "[0-9]+" jobs fit in the descriptor limit (50); running "[0-9]+" at once"$ ]]
}
