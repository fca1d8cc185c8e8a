#!/usr/bin/env bats
# Starting many jobs at once: every job runs once with its own status, a
# spawn that fails is that job's failure alone, a shortage is waited out,
# and Ctrl-C while spawns are under way leaves nothing running.  (async
# spawns on spawner threads, the other modes in their workers.)

load helper

# Wait at most 10 s for the background fanout; its status in $status.
reap_within_10s() {
	wait_until 10 not kill -0 "$pid" 2> /dev/null || {
		kill -KILL "$pid"
		wait "$pid" || :
		return 1
	}
	reap
}

# A sleep long enough to outlast any test, and ours alone to find.
marker() {
	echo "$((900 + RANDOM % 99)).$$$RANDOM"
}

# The exit values in joblog FILE, by job number: "seq exitval" lines.
exits() {
	awk -F '\t' 'NR > 1 { print $1, $7 }' "$1" | sort -n
}

@test "many jobs started at once each run once and report their own status" {
	run --separate-stderr fanout -j64 --joblog log \
	    'echo {} >> ran; exit $(({} % 5))' ::: $(seq 400)
	[ "$status" -eq 101 ]
	[ "$(sort -n ran)" = "$(seq 400)" ]
	[ "$(exits log)" = "$(for i in $(seq 400); do
	    echo "$i $((i % 5))"; done)" ]
}

@test "a job that cannot be executed fails alone while the others run" {
	# The third spawn is refused as no shortage is.  Process mode's workers count their
	# calls each, so there one slot makes it the third job's.
	if [ "$FANOUT_MODE" = process ]; then j=1; else j=8; fi
	run --separate-stderr with_faults posix_spawn:ENOSYS:3:1 \
	    timeout -k 5 60 "$FANOUT_BIN" -j$j --joblog log 'echo {}' \
	    ::: $(seq 40)
	[ "$status" -eq 1 ]
	[ "$(awk -F '\t' 'NR > 1 && $7 == 126' log | wc -l)" -eq 1 ]
	[ "$(awk -F '\t' 'NR > 1 && $7 == 0' log | wc -l)" -eq 39 ]
	[ "$(wc -l <<<"$output")" -eq 39 ]
	grep -q "^fanout: 1 of 40 jobs failed" <<<"$stderr"
	grep -q "^fanout: job [0-9]*: cannot execute 'echo': Function not implemented$" <<<"$stderr"
	grep -q "^fanout:   job [0-9]*: exit 126 (Function not implemented): echo [0-9]*$" <<<"$stderr"
}

@test "spawns short of processes are waited out and every job runs" {
	run --separate-stderr with_faults posix_spawn:EAGAIN:1:12 \
	    timeout -k 5 60 "$FANOUT_BIN" -j8 -k 'echo {}' ::: $(seq 40)
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 40)" ]
	[ -z "$stderr" ]
}

@test "Ctrl-C while jobs wait for a process to spawn leaves none running" {
	m=$(marker)
	# From the third spawn on every one fails for long: in async and
	# thread modes two jobs run and six wait, in process mode each
	# worker's first spawn succeeds.
	spawn_faulty posix_spawn:EAGAIN:3:100000 -j8 \
	    'recordpid {}.pid; exec sleep '"$m" ::: $(seq 30)
	wait_until 20 has_pids 2
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
	gone ./*.pid
	n=$(ls ./*.pid | wc -l)
	if [ "$FANOUT_MODE" = process ]; then
		[ "$n" -le 8 ]
	else
		# The waiting jobs never ran.
		[ "$n" -eq 2 ]
	fi
}

has_pids() {
	[ "$(ls ./*.pid 2> /dev/null | wc -l)" -ge "$1" ]
}

@test "Ctrl-C while many jobs are being spawned leaves none running" {
	m=$(marker)
	spawn_fanout -j100 'recordpid {}.pid; exec sleep '"$m" ::: $(seq 400)
	wait_until 20 has_pids 10
	kill -INT "$pid"
	reap_within_10s
	[ "$status" -eq 130 ]
	gone ./*.pid
	# Nothing was started after the end either.
	n=$(ls ./*.pid | wc -l)
	sleep 0.2
	[ "$(ls ./*.pid | wc -l)" -eq "$n" ]
	gone ./*.pid
}
