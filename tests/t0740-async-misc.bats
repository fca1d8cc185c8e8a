#!/usr/bin/env bats
# Shortages of the event loop, the self figures of --summary, and the
# durability of --results.

load helper

@test "every job finishes when epoll refuses to watch its descriptors" {
	# Each rule refuses three registrations in a row from the n-th on:
	# a job's pipes and pidfd, a worker's socket, or the signal pipe.
	for err in ENOMEM ENOSPC; do
		for n in 1 2 3 4 5 6 7 8 9 10 11 12; do
			run --separate-stderr with_faults \
			    "epoll_ctl:$err:$n:3" timeout -k 5 60 \
			    "$FANOUT_BIN" -j4 -k 'echo {}' ::: $(seq 20)
			echo "$err from call $n: status $status"
			[ "$status" -eq 0 ]
			[ "$output" = "$(seq 20)" ]
			[ -z "$stderr" ]
		done
	done
}

@test "a refused watch on stdout does not end the run as a closed pipe" {
	export FAULT_LIB
	export -f with_faults
	for n in 1 2 3 4 5 6 7 8; do
		# timeout watches fanout itself, so that a hang ends in a kill.
		run --separate-stderr bash -c 'with_faults "$1" \
		    timeout -k 5 60 "$FANOUT_BIN" -j1 echo ::: 1 2 3 | cat
		    exit "${PIPESTATUS[0]}"' _ "epoll_ctl:ENOMEM:$n:1"
		echo "call $n: status $status"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf '1\n2\n3')" ]
		[ -z "$stderr" ]
	done
}

@test "--summary counts every worker, however many" {
	# Past about 700 pids /proc's list of children no longer fits 4 KiB:
	# process mode needs a thousand workers; the others have none.
	n=20
	if [ "$FANOUT_MODE" = process ]; then
		[ "$(ulimit -u)" = unlimited ] || [ "$(ulimit -u)" -ge 4000 ] ||
		    skip "needs a process limit of 4000 (ulimit -u)"
		n=1000
	fi
	run --separate-stderr fanout -j$n -n0 --summary printenv FANOUT_SLOT \
	    ::: $(seq $n)
	[ "$status" -eq 0 ]
	slots=$(sort -u <<<"$output" | wc -l)
	line=$(grep '^fanout:   fanout ' <<<"$stderr")
	echo "$slots slots; $line"
	if [ "$FANOUT_MODE" = process ]; then
		# One worker per slot used, alive to the end.
		[ "$slots" -gt 700 ]
		[[ "$line" == *"(with $slots workers)" ]]
	else
		[[ "$line" != *worker* ]]
	fi
}

@test "--results makes no status when saving the job's files fails to sync" {
	# fsync 1 and 2 are the job's stdout and stderr, 3 its status.  An
	# earlier run's status must not vouch for the new files either.
	for n in 1 2 3; do
		rm -rf R
		mkdir -p R/1
		echo 'exit=0 signal=0 start=1.000 runtime=0.000 command=old' \
		    > R/1/status
		run --separate-stderr with_faults "fsync:EIO:$n:1" \
		    "$FANOUT_BIN" --results R echo ::: a
		echo "fsync $n: status $status: $stderr"
		[ "$status" -ne 0 ]
		[[ "$stderr" == *"--results: cannot write 'R/1' for job 1: Input/output error"* ]]
		[ ! -e R/1/status ]
		[ ! -e R/1/.status.tmp ]
	done
}

@test "--results reports a failure to sync the directory of a status" {
	run --separate-stderr with_faults "fsync:EIO:4:1" \
	    "$FANOUT_BIN" --results R echo ::: a
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"--results: cannot write 'R/1' for job 1: Input/output error"* ]]
}

@test "--results files are complete and --resume trusts them" {
	# That a status survives power loss cannot be shown here; that the
	# files are whole and nothing temporary is left can.
	run --separate-stderr fanout -j8 --results R \
	    'printf "%s\n" out{}; printf "%s\n" err{} >&2' ::: $(seq 40)
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	for i in $(seq 40); do
		[ "$(cat R/$i/stdout)" = "out$i" ]
		[ "$(cat R/$i/stderr)" = "err$i" ]
		[[ "$(cat R/$i/status)" == "exit=0 signal=0 "*" command=printf "* ]]
	done
	[ -z "$(find R -name '.status.tmp')" ]
	run --separate-stderr fanout --resume --results R 'echo again {}' \
	    ::: $(seq 41)
	[ "$status" -eq 0 ]
	[ "$(cat R/41/stdout)" = "again 41" ]
	[ "$(cat R/1/stdout)" = out1 ]
}
