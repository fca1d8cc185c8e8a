#!/usr/bin/env bats
# fanout short of its own resources while starting jobs: pipes, processes,
# memory.  A shortage is waited out, never a job's failure, and waiting
# never keeps a signal from ending the run; a job ended while its start
# waits never runs.  The fault library (tests/fault.c) makes the calls
# fail on cue; a real process limit comes from prlimit as another user.

load helper

marker() {
	echo "$((900 + RANDOM % 99)).$$$RANDOM"
}

# Wait until a file matching the glob exists (at most ~10 s).
wait_file() {
	for _ in $(seq 100); do
		compgen -G "$1" > /dev/null && return 0
		sleep 0.1
	done
	return 1
}

# Wait at most ~10 s for the background fanout to end; its status in
# $status.  One still running then is killed, and the test fails.
reap_within_10s() {
	for _ in $(seq 100); do
		kill -0 "$pid" 2> /dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2> /dev/null; then
		kill -KILL "$pid"
		wait "$pid" || true
		echo "fanout still running 10 s after the signal" >&2
		return 1
	fi
	status=0
	wait "$pid" || status=$?
}

# The jobs write their pid into ran-SEQ: end the ones still alive.
no_tasks_of() {
	[ "$(ps -L -u "$1" --no-headers | wc -l)" -eq 0 ]
}

kill_jobs() {
	local f
	for f in ran-*; do
		[ ! -s "$f" ] || kill -KILL "$(cat "$f")" 2> /dev/null || true
	done
}

teardown() {
	kill_jobs
	[ -z "${nproc_dir:-}" ] || rm -rf "$nproc_dir"
}

# Two slots, two jobs; every spawn after the first fails with EAGAIN.  In
# thread and async modes one job runs and the other waits for a process
# (in its worker, or in the scheduler); in process mode each worker counts
# its own calls, so both run and only the signal itself is tested.
start_one_of_two() {
	m=$(marker)
	spawn_faulty posix_spawn:EAGAIN:2 -j2 "$@" \
	    "echo \$\$ > ran-{}; exec sleep $m" ::: 1 2
	wait_file 'ran-*'
}

@test "Ctrl-C ends the run while a job waits for a process" {
	start_one_of_two --joblog log
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
	# Ended by the user, not failed: no log line, no failure listed.
	[ "$(wc -l < log)" -eq 1 ]
	[ ! -s out ]
	grep -q "^fanout: interrupted by SIGINT: 0 jobs done, 0 failed" err
	run ! grep -E "job [0-9]+:|cannot" err
}

@test "SIGTERM ends the run while a job waits for a process" {
	start_one_of_two
	kill -TERM "$pid"
	reap_within_10s
	[ "$status" -eq 143 ]
}

@test "a second Ctrl-C ends the run at once while a job waits for a process" {
	m=$(marker)
	# The running job ignores the first request; only the second's
	# SIGKILL can end it.
	spawn_faulty posix_spawn:EAGAIN:2 -j2 --termseq TERM,60000,KILL,25 \
	    "trap '' INT TERM; echo \$\$ > ran-{}; sleep $m & wait; wait" \
	    ::: 1 2
	wait_file 'ran-*'
	kill -INT "$pid"
	sleep 0.3
	kill -0 "$pid"
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
}

@test "a job ended while it waits for a process never runs, under a real process limit" {
	if [ "$(id -u)" != 0 ] || ! command -v setpriv > /dev/null ||
	    ! command -v prlimit > /dev/null; then
		skip "needs root, setpriv and prlimit to run under a process limit"
	fi
	# A user of our own, so that no other process (another copy of
	# this suite among them) counts against its limit.
	uid=$((40000 + $$ % 20000))
	as_user=(setpriv --reuid="$uid" --regid="$uid" --clear-groups)
	nproc_dir=$(mktemp -d "${TMPDIR:-/tmp}/fanout-nproc.XXXXXX")
	chmod 777 "$nproc_dir"
	cd "$nproc_dir"
	m=$(marker)
	cmd="echo \$\$ > ran-{}; exec sleep $m"

	# How many tasks fanout in this mode (and under this build's
	# runtime) holds with both jobs running: the limit is one fewer,
	# so that the second job can start only once the first has ended.
	# Measured under a limit in force too (async starts spawner threads
	# only under one with thousands to spare).
	set -m
	"${as_user[@]}" prlimit --nproc=1000 "$FANOUT_BIN" -j2 "$cmd" ::: 1 2 \
	    > out 2> err &
	pid=$!
	set +m
	wait_file ran-1 && wait_file ran-2
	tasks=$(ps -L -u "$uid" --no-headers | wc -l)
	kill -INT "$pid"
	reap_within_10s
	kill_jobs
	rm -f ran-*
	# The first run's workers and jobs may still be exiting; the limit
	# counts them until they are gone.
	wait_until 10 no_tasks_of "$uid"

	set -m
	"${as_user[@]}" prlimit --nproc=$((tasks - 1)) "$FANOUT_BIN" -j2 "$cmd" \
	    ::: 1 2 > out 2> err &
	pid=$!
	set +m
	wait_file 'ran-*'
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
	[ "$(ls ran-* | wc -l)" -eq 1 ]
}

@test "a job's pipes that cannot be made yet are waited for, not its failure" {
	# pipe2 from the third call on is the jobs', in every mode.
	run --separate-stderr with_faults pipe2:EMFILE:3:4 \
	    "$FANOUT_BIN" -j2 -k 'echo out-{}; echo err-{} >&2' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'out-%s\n' 1 2 3 4 5)" ]
	[ "$stderr" = "$(printf 'err-%s\n' 1 2 3 4 5)" ]
}

@test "a file table that is full is waited for, not a job's failure" {
	run --separate-stderr with_faults pipe2:ENFILE:3:6 \
	    "$FANOUT_BIN" -j2 -k --joblog log 'echo {}' ::: 1 2 3 4 5
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
	    "$FANOUT_BIN" -j1 -k ./noshebang ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'via sh: a\nvia sh: b')" ]
	[ -z "$stderr" ]
}

@test "a spawn short of processes waits longer before each new try" {
	# Every spawn after the first fails, and each failure is logged with
	# its time: between two tries fanout must wait at least the
	# back-off, 10 ms doubling each time.  The job spawned first holds
	# its slot until the end, so that the other is spawned beside it: by
	# a worker thread, or by async's spawners.  A process-mode worker
	# counts its own calls: one slot, there, so that b is its worker's
	# second spawn.
	export FANOUT_FAULTS_LOG=$PWD/faults
	if [ "$FANOUT_MODE" = process ]; then
		spawn_faulty posix_spawn:EAGAIN:2 -j1 'echo {}' ::: a b
	else
		spawn_faulty posix_spawn:EAGAIN:2 -j2 \
		    'echo {}; exec waitfor never' ::: a b
	fi
	wait_until 60 has_lines faults 6
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
	head -n 6 faults | awk '
	    NR > 1 { gap = ($2 - last) / 1e6; need = 10 * 2 ^ (NR - 2)
		     printf "gap %d: %.1f ms, at least %d\n", NR - 1, gap, need
		     if (gap < need) bad = 1 }
	    { last = $2 }
	    END { exit bad }'
}
