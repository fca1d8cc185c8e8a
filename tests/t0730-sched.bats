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
	# Job 3 cannot start; job 2 fails and halts the run while job 1,
	# the head, still runs.  The dropped job 3 must leave the output
	# queue too: glibc's tunables poison freed memory so that a read of
	# it crashes the plain build (make check's ASan run reports it).
	export GLIBC_TUNABLES=glibc.malloc.tcache_count=0:glibc.malloc.perturb=165
	run --separate-stderr with_faults "$(start_fault 3)" \
	    timeout -k 5 30 "$FANOUT" -k -j3 --halt now,fail=1 \
	    'case {} in 1) exec sleep 60;; 2) echo two; exit 3;; *) touch ran.{};; esac' ::: 1 2 3
	[ "$status" -eq 3 ]
	[ "$output" = "two" ]
	[ ! -e ran.3 ]
	[[ "$stderr" != *AddressSanitizer* ]]
}
