#!/usr/bin/env bats
# The scheduler under pressure: jobs whose start backs off, halts under
# -k, time limits at the edges of their range, the descriptor limit jobs
# get, retries under -k --line-buffer.  Synchronised with fifos and
# files, never with sleeps.

load helper

# A fault that makes the mode under test refuse its Nth job start with a
# shortage of its own: async spawns the job itself; thread mode retries
# its spawns inside the worker, so there the worker thread cannot be
# made; process mode cannot make the worker's socket.
start_fault() {
	case $FANOUT_MODE in
	thread)		echo "pthread_create:EAGAIN:$1" ;;
	process)	echo "socketpair:EAGAIN:$1" ;;
	*)		echo "posix_spawn:EAGAIN:$1" ;;
	esac
}

@test "-k: a job backing off from a shortage is dropped safely when the run halts" {
	# The third start cannot happen; the other of jobs 2 and 3 fails
	# and halts the run while job 1, the head, still runs.  (Async's
	# spawners may take 2 and 3 in either order: either may be the one
	# that backs off.)  The dropped job must leave the output queue too:
	# glibc's tunables poison freed memory so that a read of it crashes
	# the plain build (make check's ASan run reports it).
	export GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.perturb=165
	run --separate-stderr with_faults "$(start_fault 3)" \
	    timeout -k 5 30 "$FANOUT_BIN" -k -j3 --halt now,fail=1 \
	    'case {} in 1) exec sleep 60;; *) touch ran.{}; echo failed {}; exit 3;; esac' ::: 1 2 3
	[ "$status" -eq 3 ]
	[ "$(ls ran.*)" = "ran.${output#failed }" ]
	[[ "$output" == "failed "[23] ]]
	[[ "$stderr" != *AddressSanitizer* ]]
}

@test "-k: --halt now,fail=2 halts when two jobs failed, though the head runs on" {
	mkfifo never
	# Job 1 (the head) blocks opening a fifo nobody writes; 2 and 3
	# fail; from 4 on jobs mark that they started and block too.
	run --separate-stderr timeout -k 5 30 "$FANOUT_BIN" -k -j3 --halt now,fail=2 \
	    'case {} in 1) cat never;; 2|3) echo out {}; exit 1;; *) touch started.{}; cat never;; esac' \
	    ::: 1 2 3 4 5 6 7
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf 'out 2\nout 3')" ]
	[ ! -e started.5 ]
	[ ! -e started.6 ]
	[ ! -e started.7 ]
}

@test "-k: --halt now,success=2 halts when two jobs succeeded, though the head runs on" {
	mkfifo never
	run --separate-stderr timeout -k 5 30 "$FANOUT_BIN" -k -j3 --halt now,success=2 \
	    'case {} in 1) cat never;; 2|3) echo out {};; *) touch started.{}; cat never;; esac' \
	    ::: 1 2 3 4 5 6 7
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'out 2\nout 3')" ]
	[ ! -e started.5 ]
	[ ! -e started.6 ]
	[ ! -e started.7 ]
}

@test "--timeout N% refuses a percentage out of range, naming the option" {
	for v in 1e20% 1000001% 0% -5% 0x10% .5%; do
		run --separate-stderr fanout --timeout "$v" echo ::: 1
		[ "$status" -eq 255 ]
		[ -z "$output" ]
		[[ "$stderr" == *"--timeout: '$v'"* ]]
	done
	run fanout -k --timeout 1000000% echo ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2')" ]
}

@test "a deadline weeks away does not wrap the wait's timeout" {
	command -v strace >/dev/null || skip "strace is not installed"
	strace -o /dev/null true 2>/dev/null || skip "strace cannot trace here"
	# LeakSanitizer cannot run under ptrace (make check's ASan build).
	ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
	    run --separate-stderr strace -f -qq -o trace \
	    -e trace=poll,epoll_wait,epoll_pwait \
	    "$FANOUT_BIN" --timeout 30d 'sleep 0.2; echo {}' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
	grep -q 'poll\|epoll_wait' trace
	# Waits get -1 (no deadline) or a timeout that fits an int of ms.
	run grep -E 'poll.*, -[0-9]{2,}(\)| <unfinished)' trace
	[ "$status" -eq 1 ]
}

@test "--timeout 30d lets a short job end normally" {
	run --separate-stderr timeout -k 5 30 "$FANOUT_BIN" -k --timeout 30d \
	    'sleep 0.1; echo {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
}

@test "jobs get the descriptor limit fanout was started with, not the one it raised" {
	[ "$(ulimit -Hn)" = unlimited ] || [ "$(ulimit -Hn)" -gt 1024 ] ||
	    skip "the hard descriptor limit leaves no room to raise"
	# -j 200 needs more than 256 descriptors; -j0 raises to the hard limit.
	for j in 200 0; do
		run --separate-stderr sh -c \
		    'ulimit -Sn 256 && exec "$FANOUT_BIN" -j '$j' "ulimit -n; : {}" ::: x y'
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf '256\n256')" ]
	done
}

@test "-k --lb: a retried job's failed attempt is shown whether or not it was the head" {
	mkfifo b2
	# Job a's first attempt, the head, waits until b's second attempt
	# runs, so b's first attempt failed while b was not the head.
	run --separate-stderr timeout -k 5 30 "$FANOUT_BIN" -k --lb -j2 --retries 2 \
	    'echo try {} $FANOUT_ATTEMPT
	     case {}$FANOUT_ATTEMPT in a1) read x < b2; exit 1;; b1) exit 1;;
	     b2) echo > b2;; esac' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'try a 1\ntry a 2\ntry b 1\ntry b 2')" ]
}

@test "--lb without -k: a retried job's partial last line comes out at its attempt's end" {
	run --separate-stderr fanout --lb -j1 --retries 2 \
	    'printf "try {} $FANOUT_ATTEMPT;"; [ $FANOUT_ATTEMPT = 2 ]' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "try a 1;try a 2;" ]
}
