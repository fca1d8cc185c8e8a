#!/usr/bin/env bats
# Time limits, termination sequences, retries, halts, delays.  Real child
# trees, each recorded by pid so the test checks exactly its own.

load helper

@test "a time limit ends the job's whole process group" {
	run --separate-stderr fanout --timeout 1 "sh -c 'recordpid gc.pid; exec sleep 900'; : {}" ::: 1
	[ "$status" -eq 1 ]
	[ -f gc.pid ]
	gone gc.pid
}

@test "a timed-out job counts as failed and says so" {
	run --separate-stderr fanout -k --timeout 0.5 'sleep {}; echo {}' ::: 0 5
	[ "$status" -eq 1 ]
	[ "$output" = "0" ]
	[[ "$stderr" == *"job 2: timed out after 0.5s: sleep 5; echo 5"* ]]
}

@test "--timeout N% is relative to the median runtime of the successes" {
	start=$SECONDS
	run --separate-stderr fanout -j1 -k --timeout 300% 'sleep {}; echo {}' ::: 0.2 0.2 0.2 30
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '0.2\n0.2\n0.2')" ]
	[[ "$stderr" == *"job 4: timed out after"* ]]
	[ $((SECONDS - start)) -lt 20 ]
}

@test "no time limit applies before the first success under --timeout N%" {
	run fanout -j1 -k --timeout 1% 'sleep {}; echo {}' ::: 0.5
	[ "$status" -eq 0 ]
	[ "$output" = "0.5" ]
}

@test "a job that ignores TERM still ends" {
	start=$SECONDS
	run --separate-stderr fanout --timeout 1 "trap '' TERM; sh -c 'recordpid gc.pid; exec sleep 900' & wait; wait; : {}" ::: 1
	[ "$status" -eq 1 ]
	[ $((SECONDS - start)) -lt 10 ]
	[ -f gc.pid ]
	gone gc.pid
}

@test "--termseq sets the signals and waits" {
	# The time limit leaves the shell ample time to set its trap; the
	# background sleep, which ignores INT as any in a script does, is
	# recorded so that it cannot outlive the test.
	run --separate-stderr fanout --timeout 1 --termseq INT,100,KILL,25 "trap 'echo got INT; exit 3' INT; sh -c 'recordpid bg.pid; exec sleep 30' & wait; : {}" ::: 1
	[ "$status" -eq 1 ]
	[ "$output" = "got INT" ]
}

@test "a malformed --termseq is refused" {
	for bad in '' FOO,10 TERM,abc TERM,-1 ,; do
		run --separate-stderr fanout --termseq "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --termseq: '$bad' is not a termination sequence"* ]]
	done
}

@test "--retries N runs a failing job up to N times in all" {
	run --separate-stderr fanout --retries 3 'x={}; echo try $FANOUT_ATTEMPT; [ $FANOUT_ATTEMPT = 3 ]' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "try 3" ]
	run --separate-stderr fanout --retries 2 'echo try $FANOUT_ATTEMPT; exit 1; : {}' ::: a
	[ "$status" -eq 1 ]
	[ "$output" = "try 2" ]
}

@test "--retries 0 means no limit" {
	run fanout --retries 0 'x={}; [ $FANOUT_ATTEMPT -ge 7 ] && echo done $FANOUT_ATTEMPT' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "done 7" ]
}

@test "--retry-delay waits before each retry, doubling" {
	start=$(date +%s.%N)
	run fanout --retries 3 --retry-delay 0.3 'exit 1; : {}' ::: a
	end=$(date +%s.%N)
	[ "$status" -eq 1 ]
	# 0.3 + 0.6 seconds of waiting at least.
	awk -v a="$start" -v b="$end" 'BEGIN { exit !(b - a >= 0.85) }'
}

@test "a job waiting for a retry holds no slot" {
	run fanout -j1 -k --retries 2 --retry-delay 1 'echo {} $FANOUT_ATTEMPT $(date +%s%N); [ {} = b ] || [ $FANOUT_ATTEMPT = 2 ]' ::: a b
	[ "$status" -eq 0 ]
	b_start=$(awk '$1 == "b" { print $3 }' <<<"$output")
	a_retry=$(awk '$1 == "a" { print $3 }' <<<"$output")
	[ "$b_start" -lt "$a_retry" ]
}

@test "--halt now,fail=1 stops at the first failure with its status" {
	start=$SECONDS
	run --separate-stderr fanout -j3 --halt now,fail=1 'sleep {}; exit 3' ::: 0.1 30 30 30
	[ "$status" -eq 3 ]
	[ $((SECONDS - start)) -lt 20 ]
	# Jobs 2 and 3 were ended, job 4 never started: the list says so.
	[[ "$stderr" == *"fanout: halted by --halt: 1 job done, 1 failed, 2 cut short, 1 never started"* ]]
}

@test "--halt now,fail=1 returns 128+S for a job killed by signal S" {
	run --separate-stderr fanout --halt now,fail=1 dieby ::: KILL
	[ "$status" -eq 137 ]
}

@test "--halt soon,fail=1 lets running jobs finish and starts no more" {
	# Job 1 fails once job 2 runs; job 2 runs on well after that.
	run --separate-stderr fanout -j2 -k --halt soon,fail=1 'case {} in 1) waitfor started.2; echo 1; touch failed; exit 1;; 2) touch started.2; waitfor failed; sleep 0.5; echo 2;; *) echo {};; esac' ::: 1 2 3 4
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '1\n2')" ]
}

@test "--halt fail=N returns N, fail=N% returns N" {
	run --separate-stderr fanout -j1 --halt soon,fail=2 'exit {}' ::: 3 5 9 1
	[ "$status" -eq 2 ]
	run --separate-stderr fanout -j1 --halt now,fail=50% 'exit {}' ::: 1 2 3 4 5 6
	[ "$status" -eq 50 ]
}

@test "--halt N% is of all the jobs: reached at the 2nd of 4 failures" {
	run --separate-stderr fanout -k -j1 --halt now,fail=50% \
	    'echo {}; exit 1' ::: 1 2 3 4
	[ "$status" -eq 50 ]
	[ "$output" = $'1\n2' ]
}

@test "--halt N% is of all the jobs when they come from a pipe" {
	# Odd ones fail: 2 of the first 3, but 5 of 10 only at the 9th.
	run --separate-stderr fanout -k -j1 --halt now,fail=50% \
	    'echo {}; exit $(({} % 2))' < <(seq 10)
	[ "$status" -eq 50 ]
	[ "$output" = "$(seq 9)" ]
}

@test "--halt done=N returns the failed count, not N" {
	run --separate-stderr fanout -j1 --halt now,done=2 'exit {}' ::: 0 3 0
	[ "$status" -eq 1 ]
}

@test "--halt N% not reached gives the failed jobs' percentage, rounded up" {
	run --separate-stderr fanout -j1 --halt now,fail=50% 'exit {}' ::: 1 0 0
	[ "$status" -eq 34 ]
	run --separate-stderr fanout -j1 --halt now,success=50% \
	    'exit {}' ::: 1 0 1 1
	[ "$status" -eq 75 ]
}

@test "--halt now,success=1 stops at the first success with status 0" {
	run --separate-stderr fanout -j1 --halt now,success=1 'echo {}; exit {}' ::: 1 0 1 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n0')" ]
}

@test "--halt's old numeric forms: 1 and 2 on a failure, -1 and -2 on a success" {
	run --separate-stderr fanout -j1 --halt 2 'echo {}; exit {}' ::: 0 3 0
	[ "$status" -eq 3 ]
	[ "$output" = "$(printf '0\n3')" ]
	run --separate-stderr fanout -j1 --halt -2 'echo {}; exit {}' ::: 1 0 1
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n0')" ]
	run --separate-stderr fanout -j1 --halt -1 'echo {}; exit {}' ::: 1 0 1
	[ "$output" = "$(printf '1\n0')" ]
	if command -v parallel >/dev/null; then
		run --separate-stderr parallel --will-cite -j1 --halt -2 'echo {}; exit {}' ::: 1 0 1
		[ "$output" = "$(printf '1\n0')" ]
	fi
}

@test "--halt now,done=1 returns the job's status" {
	run --separate-stderr fanout -j1 --halt now,done=1 'exit 4; : {}' ::: a b
	[ "$status" -eq 4 ]
}

@test "retried attempts do not count toward --halt" {
	run fanout -j1 --retries 2 --halt now,fail=1 '[ $FANOUT_ATTEMPT = 2 ] && echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "a malformed --halt is refused" {
	for bad in later,fail=1 now,oops=1 now,fail= now,fail=x now,fail=0 now; do
		run --separate-stderr fanout --halt "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --halt: '$bad' is not a halt rule"* ]]
	done
}

@test "--delay spaces job starts" {
	# The start times fanout logs, not the jobs' own clocks: a loaded
	# machine may run one job's first command late, never early.
	run fanout -j3 --delay 0.3 --joblog jl true ::: 1 2 3
	[ "$status" -eq 0 ]
	tail -n +2 jl | cut -f3 | sort -n | awk '
		NR > 1 && $1 - prev < 0.295 { bad = 1 }
		{ prev = $1 }
		END { exit bad || NR != 3 }'
}
