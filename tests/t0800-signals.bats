#!/usr/bin/env bats
# Signals to fanout, a closed downstream pipe, a full disk.  Real signals
# to a real fanout started in the background.

load helper

marker() {
	echo "$((900 + RANDOM % 99)).$$$RANDOM"
}

# Start fanout in the background with its output in files; sets $pid.
# Runs under `set -m` so that it has its own process group, as a job
# started from an interactive shell would, and a plain shell's "ignore
# INT in background jobs" does not apply.
spawn_fanout() {
	set -m
	"$FANOUT" "$@" > out 2> err &
	pid=$!
	set +m
}

# Wait until a file has at least N lines (at most ~10 s).
wait_lines() {
	for _ in $(seq 100); do
		[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ] && return 0
		sleep 0.1
	done
	return 1
}

# Wait for the background fanout; its status in $status.  (Not through
# `run`: a subshell cannot wait for its parent's child.)
reap() {
	status=0
	wait "$pid" || status=$?
}

@test "SIGINT ends the jobs, flushes finished output, and fanout dies of SIGINT" {
	m=$(marker)
	spawn_fanout -j3 'if [ {} = 1 ]; then echo done-{}; else echo partial-{}; touch started-{}; sleep '"$m"'; fi' ::: 1 2 3
	wait_lines started-2 0 && wait_lines started-3 0
	sleep 0.2
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	[ "$(cat out)" = "done-1" ]
	! pgrep -f "sleep $m"
}

@test "SIGTERM ends the jobs and fanout dies of SIGTERM" {
	m=$(marker)
	spawn_fanout -j2 "sleep $m; : {}" ::: 1 2
	sleep 0.5
	kill -TERM "$pid"
	reap
	[ "$status" -eq 143 ]
	! pgrep -f "sleep $m"
}

@test "a second SIGTERM kills the jobs at once" {
	m=$(marker)
	spawn_fanout --termseq TERM,60000,KILL,25 "trap '' TERM; sleep $m & wait; wait; : {}" ::: 1
	sleep 0.5
	kill -TERM "$pid"
	sleep 0.3
	kill -0 "$pid"
	kill -TERM "$pid"
	start=$SECONDS
	reap
	[ "$status" -eq 143 ]
	[ $((SECONDS - start)) -lt 10 ]
}

@test "jobs ended by a signal are not reported as failures" {
	spawn_fanout "sleep 30; : {}" ::: 1
	sleep 0.5
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	! grep -q "failed" err
}

@test "SIGHUP drains: no new jobs, running ones finish, normal status" {
	spawn_fanout -j2 -k 'touch started-{}; sleep 1; echo {}' ::: 1 2 3 4
	wait_lines started-2 0
	kill -HUP "$pid"
	reap
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf '1\n2')" ]
	[ ! -e started-3 ]
}

@test "a SIGHUP ignored at start stays ignored (nohup)" {
	set -m
	(trap '' HUP; exec "$FANOUT" -j1 -k 'sleep 0.3; echo {}' ::: 1 2 3 > out 2> err) &
	pid=$!
	set +m
	sleep 0.2
	kill -HUP "$pid"
	reap
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf '1\n2\n3')" ]
}

@test "SIGTSTP stops every job and fanout; SIGCONT resumes them" {
	spawn_fanout -j1 'for i in 1 2 3 4 5 6 7 8 9 10; do echo $i >> ticks; sleep 0.1; done; : {}' ::: 1
	wait_lines ticks 2
	kill -TSTP "$pid"
	sleep 0.3
	[ "$(ps -o stat= -p "$pid" | cut -c1)" = T ]
	n=$(wc -l < ticks)
	sleep 0.5
	[ "$(wc -l < ticks)" -eq "$n" ]
	kill -CONT "$pid"
	reap
	[ "$status" -eq 0 ]
	[ "$(wc -l < ticks)" -eq 10 ]
}

@test "SIGUSR1 lists the running jobs on stderr" {
	spawn_fanout -j2 'sleep 1; : {}' ::: a b
	sleep 0.4
	kill -USR1 "$pid"
	reap
	[ "$status" -eq 0 ]
	grep -q "2 jobs running" err
	grep -q "sleep 1; : a" err
}

@test "a closed downstream pipe ends running jobs and fanout, silently, with SIGPIPE" {
	m=$(marker)
	start=$SECONDS
	# The jobs write a line and go on running: fanout has nothing more
	# to write, and must notice the reader leaving all the same.
	run bash -c 'seq 100000 | "$FANOUT" --line-buffer -j2 "echo {}; sleep '"$m"' & wait" 2> err | head -1; echo "${PIPESTATUS[1]}"'
	[ $((SECONDS - start)) -lt 5 ]
	[ "${lines[0]}" = 1 ] || [ "${lines[0]}" = 2 ]
	[ "${lines[1]}" = 141 ]
	[ ! -s err ]
	sleep 0.2
	! pgrep -f "sleep $m"
}

@test "a closed pipe with fast jobs ends promptly too" {
	start=$SECONDS
	run bash -c 'seq 100000 | "$FANOUT" -j2 echo 2> err | head -1; echo "${PIPESTATUS[1]}"'
	[ $((SECONDS - start)) -lt 5 ]
	[ "${lines[1]}" = 141 ]
	[ ! -s err ]
}

@test "a full temp dir is reported, names job and dir, and exits 255" {
	if [ "$(id -u)" != 0 ] || ! mkdir -p small || ! mount -t tmpfs -o size=1m tmpfs small 2>/dev/null; then
		skip "needs root to mount a small tmpfs"
	fi
	run --separate-stderr fanout --tmpdir small -j1 -k 'if [ {} = 1 ]; then echo first; else head -c 5000000 /dev/zero; fi' ::: 1 2 3
	umount small
	[ "$status" -eq 255 ]
	[ "$output" = "first" ]
	[[ "$stderr" == *"job 2"*"$PWD/small"*"No space left on device"* ]] || [[ "$stderr" == *"job 2"*"small"*"No space left"* ]]
}
