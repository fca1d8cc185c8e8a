#!/usr/bin/env bats
# Process mode's workers: what they hold and what becomes of their jobs
# when they die.

load helper

# until_ok SECS CMD...: run CMD until it succeeds, for at most SECS seconds.
until_ok() {
	local end=$((SECONDS + $1))
	shift
	while ! "$@"; do
		[ "$SECONDS" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# Whether process PID holds a descriptor on a file of directory DIR.
holds_in() {
	ls -l "/proc/$1/fd/" 2>/dev/null | grep -q -- "-> $2/"
}

# Whether fanout (PID) or any of its children holds a file of DIR.
any_holds_in() {
	local p
	for p in $1 $(cat /proc/"$1"/task/*/children 2>/dev/null); do
		holds_in "$p" "$2" && return 0
	done
	return 1
}

none_holds_in() {
	! any_holds_in "$@"
}

# Whether FILE has N bytes.
size_is() {
	[ "$(wc -c < "$1")" -eq "$2" ]
}

# A fanout left running by a failed test would hold bats' descriptors.
teardown() {
	[ -z "${pid:-}" ] || kill "$pid" 2>/dev/null || true
}

@test "a process worker holds none of the coordinator's files" {
	[ "$FANOUT_MODE" = process ] || skip "workers exist only in process mode"
	mkdir spill
	mkfifo in
	# Job 1 writes more than a stream may hold in memory and waits: its
	# output stays spilled.  Job 2 runs on a second worker, forked after
	# the spill, and lists what its worker (its parent) holds.
	cat > job.sh <<'EOF'
if [ "$1" = 1 ]; then
	head -c 3000000 /dev/zero
	end=$(($(date +%s) + 120))
	while [ ! -e listed ]; do
		[ "$(date +%s)" -lt $end ] || exit 1
		sleep 0.05
	done
else
	grep '^PPid:' /proc/$PPID/status > worker
	echo "$PPID" >> worker
	ls -l /proc/$PPID/fd/ > fds
	touch listed
fi
EOF
	TMPDIR=$PWD/spill "$FANOUT_BIN" -j2 -k --joblog jl --report rep -a in \
	    sh job.sh {} > out 2> err &
	pid=$!
	exec 7> in
	echo 1 >&7
	until_ok 20 holds_in "$pid" "$PWD/spill"
	echo 2 >&7
	exec 7>&-
	wait "$pid"
	[ "$(wc -c < out)" -eq 3000000 ]
	# What was listed is a worker: fanout's child, not fanout.
	[ "$(sed -n 1p worker)" = "PPid:	$pid" ]
	[ "$(sed -n 2p worker)" != "$pid" ]
	grep -q 'socket:' fds
	run ! grep -e "$PWD/jl" -e "$PWD/rep" -e "$PWD/in" -e "$PWD/spill/" fds
}

@test "a delivered spilled output is freed while later jobs still run" {
	mkdir spill
	mkfifo in
	# Job 1's output is spilled, then job 2 starts (on a worker forked
	# now, in process mode), then job 1 ends and its output is delivered
	# while job 2 runs on.
	cat > job.sh <<'EOF'
gate=$1
touch "started-$gate"
[ "$gate" = go1 ] && head -c 3000000 /dev/zero
end=$(($(date +%s) + 120))
while [ ! -e "$gate" ]; do
	[ "$(date +%s)" -lt $end ] || { touch gave-up; exit 1; }
	sleep 0.05
done
EOF
	TMPDIR=$PWD/spill "$FANOUT_BIN" -j2 -a in sh job.sh {} > out 2> err &
	pid=$!
	exec 7> in
	echo go1 >&7
	until_ok 20 holds_in "$pid" "$PWD/spill"
	echo go2 >&7
	exec 7>&-
	until_ok 20 [ -e started-go2 ]
	touch go1
	until_ok 20 size_is out 3000000
	# Delivered: no process of the run may keep the file, and its space.
	freed=0
	until_ok 10 none_holds_in "$pid" "$PWD/spill" || freed=1
	touch go2
	wait "$pid"
	[ "$freed" -eq 0 ]
	# Job 2 was still running when the file was found gone.
	[ ! -e gave-up ]
}

# Whether no process's command line holds the string $1.
no_procs_with() {
	! pgrep -f -- "$1" >/dev/null
}

@test "a job whose worker dies before it reports the start is killed" {
	[ "$FANOUT_MODE" = process ] || skip "workers exist only in process mode"
	# Each worker kills itself right after it spawned its first job,
	# before it could tell the coordinator the job's pid.
	m="$PWD/orphan-$$"
	run --separate-stderr with_faults posix_spawn:DIE:1 \
	    "$FANOUT_BIN" --retries 2 "sleep 600; : $m {}" ::: 1
	left=0
	until_ok 10 no_procs_with "$m" || left=1
	# The test started them: end the groups it left, whatever happened.
	for p in $(pgrep -f -- "$m"); do
		kill -KILL -- "-$p" 2>/dev/null || true
	done
	[ "$left" -eq 0 ]
	[ "$status" -eq 1 ]
	[ "$(grep -c 'worker lost' <<<"$stderr")" -eq 1 ]
}
