#!/usr/bin/env bats
# Signals to fanout, a closed downstream pipe, a full disk.  Real signals
# to a real fanout started in the background, sent once the jobs say they
# are ready.

load helper

# fanout is still running: not exited, not a zombie.
fanout_alive() {
	[ "$(ps -o stat= -p "$pid" | cut -c1)" != Z ] && kill -0 "$pid"
}

fanout_stopped() {
	[ "$(ps -o stat= -p "$pid" | cut -c1)" = T ]
}

@test "SIGINT ends the jobs, flushes finished output, and fanout dies of SIGINT" {
	spawn_fanout -j3 'if [ {} = 1 ]; then echo done-{}; else echo partial-{}; recordpid job-{}.pid; exec sleep 900; fi' ::: 1 2 3
	wait_for_file job-2.pid
	wait_for_file job-3.pid
	# Job 1 ends on its own; its output is out before the signal.
	wait_until 20 grep -q done-1 out
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	[ "$(cat out)" = "done-1" ]
	gone job-2.pid job-3.pid
}

@test "SIGTERM ends the jobs and fanout dies of SIGTERM" {
	spawn_fanout -j2 "recordpid job-{}.pid; exec sleep 900" ::: 1 2
	wait_for_file job-1.pid
	wait_for_file job-2.pid
	kill -TERM "$pid"
	reap
	[ "$status" -eq 143 ]
	gone job-1.pid job-2.pid
}

@test "a second SIGTERM kills the jobs at once" {
	# The job ignores TERM, and so does its sleep; it notes each TERM
	# it gets, so that the second goes only once the first has arrived.
	spawn_fanout --termseq TERM,60000,KILL,25 "trap '' TERM; sh -c 'recordpid bg.pid; exec sleep 900' & trap 'touch got-term' TERM; touch trapped; wait; wait; : {}" ::: 1
	wait_for_file trapped
	wait_for_file bg.pid
	kill -TERM "$pid"
	wait_for_file got-term
	fanout_alive
	kill -TERM "$pid"
	start=$SECONDS
	reap
	[ "$status" -eq 143 ]
	[ $((SECONDS - start)) -lt 10 ]
	gone bg.pid
}

@test "jobs ended by a signal are not reported as failures" {
	spawn_fanout "recordpid job.pid; exec sleep 900; : {}" ::: 1
	wait_for_file job.pid
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	# Said to be cut short by the interruption, not listed as failed.
	grep -qx "fanout: interrupted by SIGINT: 0 jobs done, 0 failed, 1 cut short, 0 never started" err
	run ! grep -q "job 1:" err
	gone job.pid
}

@test "SIGHUP drains: no new jobs, running ones finish, normal status" {
	# The jobs run on for a while after the signal, then end normally.
	spawn_fanout -j2 -k 'touch started-{}; waitfor hup-sent; sleep 0.3; echo {}' ::: 1 2 3 4
	wait_for_file started-1
	wait_for_file started-2
	kill -HUP "$pid"
	touch hup-sent
	reap
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf '1\n2')" ]
	[ ! -e started-3 ]
}

@test "a SIGHUP ignored at start stays ignored (nohup)" {
	set -m
	(trap '' HUP; exec "$FANOUT_BIN" -j1 -k 'touch started-{}; waitfor hup-sent; echo {}' ::: 1 2 3 > out 2> err) &
	pid=$!
	set +m
	wait_for_file started-1
	kill -HUP "$pid"
	touch hup-sent
	reap
	[ "$status" -eq 0 ]
	[ "$(cat out)" = "$(printf '1\n2\n3')" ]
}

@test "SIGTSTP stops every job and fanout; SIGCONT resumes them" {
	spawn_fanout -j1 'for i in 1 2 3 4 5 6 7 8 9 10; do echo $i >> ticks; sleep 0.1; done; : {}' ::: 1
	wait_for_lines ticks 2
	kill -TSTP "$pid"
	wait_until 10 fanout_stopped
	# fanout stops itself last: from then on the job ticks no more.
	n=$(wc -l < ticks)
	sleep 0.5
	[ "$(wc -l < ticks)" -eq "$n" ]
	kill -CONT "$pid"
	reap
	[ "$status" -eq 0 ]
	[ "$(wc -l < ticks)" -eq 10 ]
}

@test "SIGUSR1 lists the running jobs on stderr" {
	spawn_fanout -j2 'touch started-{}; waitfor listed; : {}' ::: a b
	wait_for_file started-a
	wait_for_file started-b
	kill -USR1 "$pid"
	wait_until 20 grep -q "2 jobs running" err
	touch listed
	reap
	[ "$status" -eq 0 ]
	grep -q "waitfor listed; : a" err
	grep -q "waitfor listed; : b" err
}

@test "a closed downstream pipe ends running jobs and fanout, silently, with SIGPIPE" {
	start=$SECONDS
	# The jobs write a line and go on running: fanout has nothing more
	# to write, and must notice the reader leaving all the same.
	run bash -c 'seq 100000 | "$FANOUT_BIN" --line-buffer -j2 "echo {}; sh -c \"recordpid job-{}.pid; exec sleep 900\" & wait" 2> err | head -1; echo "${PIPESTATUS[1]}"'
	[ $((SECONDS - start)) -lt 10 ]
	[ "${lines[0]}" = 1 ] || [ "${lines[0]}" = 2 ]
	[ "${lines[1]}" = 141 ]
	[ ! -s err ]
	for f in job-*.pid; do
		[ ! -e "$f" ] || gone "$f"
	done
}

@test "a closed pipe with fast jobs ends promptly too" {
	start=$SECONDS
	run bash -c 'seq 100000 | "$FANOUT_BIN" -j2 echo 2> err | head -1; echo "${PIPESTATUS[1]}"'
	[ $((SECONDS - start)) -lt 10 ]
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
