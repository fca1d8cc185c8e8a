#!/usr/bin/env bats
# fanout short of its own resources (descriptors, processes, memory for
# epoll, disk for held output), a job that closes its stdout, a reader
# that stalls.  A shortage of fanout's own never fails or loses a job;
# Ctrl-C still ends the run promptly; every finished job's output and log
# line are delivered; the status is right; every mode agrees.  Real limits
# where the machine allows, the fault library (tests/fault.c) for exact,
# repeatable shortages.

load helper

teardown() {
	kill_recorded
	# A fanout that did not end when it should have, and a stalled reader.
	if [ -n "${pid:-}" ]; then
		kill -KILL "$pid" 2>/dev/null || :
	fi
	if [ -p "$BATS_TEST_TMPDIR/o" ] || [ -p o ]; then
		touch "$BATS_TEST_TMPDIR/drain"
	fi
	if [ -n "${small:-}" ] && mountpoint -q "$small"; then
		umount "$small"
	fi
	if [ -n "${nbdir:-}" ]; then
		rm -rf "$nbdir"
	fi
}

# delivered N: out holds 1..N once each, and jl logs jobs 1..N, all 0.
delivered() {
	local want
	want=$(seq "$1" | tr '\n' ' ')
	[ "$(sort -n out | tr '\n' ' ')" = "$want" ]
	[ "$(tail -n +2 jl | cut -f1 | sort -n | tr '\n' ' ')" = "$want" ]
	[ "$(tail -n +2 jl | cut -f7 | sort -u)" = 0 ]
}

# Start fanout in the background, in its own process group so that it
# gets SIGINT as from a terminal; sets $pid.  Output in out and err.  The
# command must exec fanout (no shell function) so that $pid is fanout.
spawn() {
	set -m
	"$@" > out 2> err &
	pid=$!
	set +m
}

# interrupt: Ctrl-C to the background fanout, which must die of it within
# 10 s; $status is its status.
interrupt() {
	kill -INT "$pid"
	wait_until 10 exited
	status=0
	wait "$pid" || status=$?
	pid=
}

# faults SPEC: set $fenv to the environment that makes fanout fail the
# calls SPEC names, for `env` (with_faults is a shell function, which
# `spawn` could not exec).
faults() {
	[ -r "$FAULT_LIB" ] || { echo "no $FAULT_LIB: run make test" >&2; return 1; }
	fenv=("FANOUT_FAULTS=$1" "LD_PRELOAD=$FAULT_LIB"
	    "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0")
}

exited() {
	[ ! -e "/proc/$pid" ] || [ "$(ps -o stat= -p "$pid" | cut -c1)" = Z ]
}

# A fault SPEC applied to a run of 8 quick jobs: each a job start's own
# shortage (numbered past fanout's setup calls in every mode), a few
# calls long.
start_faults=(pipe2:EMFILE:3:6 pipe2:ENFILE:3:6 posix_spawn:EAGAIN:1:6
    epoll_ctl:ENOMEM:1:3)

# Under limits this low, a leak check at exit (an ASan build's) has no
# descriptor or thread of its own to work with, and fails the run.
no_leak_check=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0

# did_all_or_refused N WHAT COUNT: the run under a WHAT limit of N, its
# status in $status, did all COUNT jobs (then ok=N), or refused before
# any job, saying why; refusing is wrong once a lower limit did all.
did_all_or_refused() {
	if [ "$status" -eq 0 ]; then
		delivered "$3"
		ok=$1
		return
	fi
	echo "$2 limit $1: status $status: $(cat err)"
	[ "$ok" -eq 0 ]
	[ "$status" -eq 255 ]
	[ ! -s out ]
	grep -q "$2 limit ($1) leaves no room for a job\|Too many open files" err
}

@test "a descriptor limit below what -j needs fails no job and loses nothing" {
	# From a limit too low for one job to one with room for many: each
	# run either does every job, warning only that -j was lowered, or
	# refuses at once, saying why, and runs none (never hangs, never
	# fails a job).  How many descriptors fanout holds depends on the
	# mode and on what it inherits, so the limit where runs start to
	# succeed is found, not assumed; past it every run succeeds.
	local n ok=0
	for n in $(seq 6 24); do
		rm -f jl out err
		status=0
		ASAN_OPTIONS=$no_leak_check prlimit --nofile=$n:$n timeout -k 5 60 "$FANOUT_BIN" -j8 --joblog jl 'echo {}' ::: $(seq 12) > out 2> err || status=$?
		did_all_or_refused "$n" descriptor 12
		[ "$status" -ne 0 ] ||
		    [ "$(grep -vc 'fits* in the descriptor limit' err)" -eq 0 ]
	done
	[ "$ok" -eq 24 ]
}

# fits_one CASE: under limits from one too low for fanout to ones with
# room to spare, the run of CASE (a function of the limit: its output in
# out, its stderr in err, its joblog in jl, what it should print in want)
# either does it all or refuses before any job, saying why; once a limit
# has done it all, every higher one does.
fits_one() {
	local n ok=0
	for n in $(seq 6 48); do
		rm -f jl out err
		status=0
		"$1" "$n" > out 2> err || status=$?
		if [ "$status" -eq 0 ]; then
			cmp out want || { echo "$1: limit $n: wrong output"; false; }
			[ "$(tail -n +2 jl | cut -f7 | sort -u)" = 0 ]
			[ "$(grep -v '^[0-9]*$' err | grep -vc 'fits* in the descriptor limit')" -eq 0 ]
			[ "$ok" -ne 0 ] || ok=$n
			[ "$n" -lt $((ok + 4)) ] || return 0
			continue
		fi
		echo "$1: limit $n: status $status: $(grep -v '^[0-9]*$' err)"
		[ "$ok" -eq 0 ]
		[ "$status" -eq 255 ]
		[ ! -s out ]
		grep -q "descriptor limit ($n) leaves no room for a job\|Too many open files" err
		[ "$(grep -c '^fanout: job ' err)" -eq 0 ]
	done
	echo "$1: no limit up to 48 did it all"
	false
}

# The cases for fits_one: each --pipe form, a job that spills both its
# streams, with and without --compress.
lim() {
	ASAN_OPTIONS=$no_leak_check prlimit --nofile="$1:$1" timeout -k 5 60 \
	    "$FANOUT_BIN" -j 30 --joblog jl "${@:2}"
}
case_pipe() { lim "$1" --pipe --block 1k -k cat < in; }
case_deal() {
	local st=0
	lim "$1" --pipe --round-robin --block 1k cat < in > dealt || st=$?
	sort -n dealt
	return "$st"
}
case_part() { lim "$1" --pipepart -a in --block 1k -k cat; }
case_fifo() { lim "$1" --pipe --fifo --block 1k -k 'cat {}' < in; }
big='yes {} | head -c 1100000; yes {} | head -c 1100000 >&2'
case_spill() { lim "$1" -k "$big" ::: 1 2; }
case_zip() { lim "$1" -k --compress "$big" ::: 1 2; }

@test "a limit with room for fanout and one job's start, not its block, feed or spill, refuses at once" {
	# A job holds more than its start takes: its block's file, its
	# feed, the dealer's blocks, its spilled streams and their
	# compressors.  Under a limit with room for the start alone the one
	# job that runs would wait for ever for descriptors that only it
	# could free, or lose its output.
	seq 3000 > in
	cp in want
	for c in case_pipe case_deal case_part case_fifo; do
		fits_one "$c"
	done
	{ yes 1 | head -c 1100000; yes 2 | head -c 1100000; } > want
	fits_one case_spill
	fits_one case_zip
}

@test "--pipe -k under a low descriptor limit: jobs held with their blocks fail no job" {
	# A finished job -k holds keeps its block's file beside its spilled
	# streams: counted as the spills alone, the jobs held left those
	# running no room to spill theirs, and they failed.
	seq 50000 > in
	status=0
	prlimit --nofile=100:100 timeout -k 5 120 "$FANOUT_BIN" -j 200 \
	    --pipe --block 8k -k --joblog jl 'cat > /dev/null
	    yes {#} | head -c 1200000; yes {#} | head -c 1200000 >&2' \
	    < in > out 2> err || status=$?
	grep -v '^[0-9]*$' err || :
	[ "$status" -eq 0 ]
	n=$(tail -n +2 jl | wc -l)
	[ "$n" -ge 30 ]
	[ "$(tail -n +2 jl | cut -f7 | sort -u)" = 0 ]
	[ "$(uniq out | tr '\n' ' ')" = "$(seq "$n" | tr '\n' ' ')" ]
	[ "$(wc -c < out)" -eq $((n * 1200000)) ]
	[ "$(grep -v '^fanout: ' err | wc -c)" -eq $((n * 1200000)) ]
	[ "$(grep '^fanout: ' err | grep -vc 'fit in the descriptor limit')" -eq 0 ]
}

@test "each job-start shortage fails no job and loses nothing" {
	for spec in "${start_faults[@]}"; do
		rm -f jl
		with_faults "$spec" timeout -k 5 30 "$FANOUT_BIN" -j3 --joblog jl 'echo {}' ::: $(seq 8) > out 2> err && st=0 || st=$?
		[ "$st" -eq 0 ] || { echo "$spec: status $st: $(cat err)"; false; }
		delivered 8 || { echo "$spec: $(cat out err)"; false; }
		[ ! -s err ] || { echo "$spec: $(cat err)"; false; }
	done
}

@test "Ctrl-C ends a run whose spawns back off, delivering what finished" {
	# Job 1 starts; every later spawn fails, for ever.
	faults posix_spawn:EAGAIN:2
	spawn env "${fenv[@]}" "$FANOUT_BIN" -j1 --joblog jl 'echo {}' ::: 1 2 3
	wait_for_lines jl 2
	interrupt
	[ "$status" -eq 130 ]
	[ "$(cat out)" = 1 ]
	[ "$(tail -n +2 jl | cut -f1)" = 1 ]
}

@test "Ctrl-C ends a -k run whose jobs wait for descriptors" {
	# Job 1 gets its pipes (calls 2-3 in async, 3-4 in thread mode, in
	# process mode 2-3 in the worker); job 2's fail for ever, so it waits
	# in the output order queue without having started.  Stopping must
	# neither deliver nor touch it.
	faults pipe2:EMFILE:5
	spawn env "${fenv[@]}" "$FANOUT_BIN" -j1 -k --joblog jl 'echo {}' ::: 1 2 3
	wait_for_lines jl 2
	interrupt
	[ "$status" -eq 130 ]
	[ "$(cat out)" = 1 ]
	[ "$(tail -n +2 jl | cut -f1)" = 1 ]
	grep -q "^fanout: interrupted by SIGINT: 1 job done, 0 failed" err
	run ! grep -E 'job [0-9]+:|ERROR|Sanitizer' err
}

@test "a temp file refused for lack of space names the job, delivers the rest, exits 255" {
	run --separate-stderr with_faults open:ENOSPC:1 "$FANOUT_BIN" -j1 --joblog jl 'if [ {} = 2 ]; then head -c 3000000 /dev/zero; else echo {}; touch ran-{}; fi' ::: 1 2 3
	[ "$status" -eq 255 ]
	[ "$output" = 1 ]
	[[ "$stderr" == *"job 2"*"No space left on device"* ]]
	[ "$(tail -n +2 jl | cut -f1)" = 1 ]
	[ ! -e ran-3 ]
}

@test "a full temp dir (TMPDIR) names the job, delivers the rest, exits 255" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount a small tmpfs"
	small=$PWD/small
	mkdir small
	mount -t tmpfs -o size=1m tmpfs small || { small=; skip "cannot mount a tmpfs here"; }
	TMPDIR=$small run --separate-stderr "$FANOUT_BIN" -j1 --joblog jl 'if [ {} = 2 ]; then head -c 3000000 /dev/zero; else echo {}; touch ran-{}; fi' ::: 1 2 3
	[ "$status" -eq 255 ]
	[ "$output" = 1 ]
	[[ "$stderr" == *"job 2"*"$small"*"No space left on device"* ]]
	[ "$(tail -n +2 jl | cut -f1)" = 1 ]
	[ ! -e ran-3 ]
	# No spill file survives.
	[ -z "$(ls -A small)" ]
}

# The limit counts every process of the user, so the tests run as a user
# of their own: a numeric uid with no account and no process (nobody may
# be busy with other work on the machine).
# nobody_setup: pick it ($uid), and a directory it may use holding a copy
# of fanout it may run ($nb).
nobody_setup() {
	[ "$(id -u)" = 0 ] || skip "needs root to run as an unprivileged user"
	uid=$((40000 + $$ % 20000))
	[ "$(ps -u "$uid" --no-headers | wc -l)" -eq 0 ] ||
	    skip "uid $uid already runs processes, which count against its limit"
	nbdir=$(mktemp -d /tmp/fanout-nproc.XXXXXX)
	chmod 755 "$nbdir"
	cp "$FANOUT_BIN" "$nbdir/fanout"
	mkdir -m 777 "$nbdir/w"
	nb=$nbdir/fanout
	cd "$nbdir/w"
}

as_nobody() {
	local n=$1
	shift
	prlimit --nproc="$n:$n" setpriv --reuid="$uid" --regid="$uid" \
	    --clear-groups "$@"
}

@test "a process limit as an unprivileged user fails no job and loses nothing" {
	nobody_setup
	# fanout's own threads or workers count against the limit too: -j is
	# lowered to what fits beside them, with a warning.
	as_nobody 8 timeout -k 5 60 "$nb" -j6 --joblog jl 'echo {}; exec sleep 0.1' ::: $(seq 12) > out 2> err || status=$?
	[ "${status:-0}" -eq 0 ]
	delivered 12
	[ "$(grep -vc 'fits* in the process limit (8)' err)" -eq 0 ]
}

@test "a process limit below -j runs every job or refuses at once" {
	nobody_setup
	# From no room for one job to room for several: each run either does
	# every job or refuses before any, saying why; once runs succeed they
	# keep succeeding.  (Never a stall: workers that hold the tasks the
	# jobs need.)
	[ -z "${TSAN_OPTIONS:-}" ] ||
	    skip "ThreadSanitizer starts a thread of its own after fanout counts its tasks"
	local n ok=0
	for n in 2 3 4 5 6; do
		rm -f jl out err
		status=0
		ASAN_OPTIONS=$no_leak_check as_nobody $n timeout -k 5 30 "$nb" -j6 --joblog jl 'echo {}; exec sleep 0.1' ::: $(seq 12) > out 2> err || status=$?
		did_all_or_refused "$n" process 12
	done
	[ "$ok" -eq 6 ]
}

@test "Ctrl-C ends a run short of processes" {
	nobody_setup
	# Room for fanout and one job: one job runs, the others back off.
	spawn prlimit --nproc=8:8 setpriv --reuid="$uid" --regid="$uid" \
	    --clear-groups "$nb" -j6 --joblog jl 'exec sleep 30; : {}' ::: $(seq 6)
	wait_until 20 user_sleeps
	interrupt
	[ "$status" -eq 130 ]
	[ ! -s out ]
	[ "$(wc -l < jl)" -eq 1 ]
}

user_sleeps() {
	ps -u "$uid" -o comm= | grep -qx sleep
}

@test "a job that closes its stdout early is neither failed nor cut short" {
	run --separate-stderr fanout -j3 -k --joblog jl 'echo out-{}; exec >&-; echo err-{} >&2; sleep 0.3; touch done-{}' ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'out-%s\n' 1 2 3)" ]
	[ "$stderr" = "$(printf 'err-%s\n' 1 2 3)" ]
	# fanout waited for each process, not for its stdout to close.
	[ -e done-1 ] && [ -e done-2 ] && [ -e done-3 ]
	[ "$(tail -n +2 jl | cut -f7 | tr '\n' ' ')" = "0 0 0 " ]
}

@test "a job that closes stdout and stderr at once still counts" {
	run --separate-stderr fanout -j2 --joblog jl 'exec >&- 2>&-; sleep 0.2; exit {}' ::: 0 3
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == *"job 2: exit 3"* ]]
	[ "$(tail -n +2 jl | sort -n | cut -f7 | tr '\n' ' ')" = "0 3 " ]
}

# A reader of fifo `o` that takes 1000 bytes, then stalls until the file
# `drain` appears, then reads the rest; its pid in $reader.
stalled_reader() {
	mkfifo o
	{ head -c 1000 > part1; touch stalled; waitfor drain; cat > part2; } < o &
	reader=$!
}

@test "a stalled reader loses nothing once it drains" {
	stalled_reader
	"$FANOUT_BIN" -j4 --joblog jl 'lines {}; touch ran-{}' ::: 1 2 3 4 5 6 7 8 ::: 20000 > o 2> err &
	pid=$!
	wait_for_file stalled
	# A job is delivered only once it has ended, so by now one has run;
	# which one is up to the scheduler.  While fanout blocks writing it,
	# the other jobs may block on their own full pipes.
	ls ran-* > /dev/null
	touch drain
	status=0
	wait "$pid" || status=$?
	wait "$reader"
	[ "$status" -eq 0 ]
	[ "$(ls ran-* | wc -l)" -eq 8 ]
	cat part1 part2 > out
	[ "$(wc -l < out)" -eq 160000 ]
	[ "$(cut -d' ' -f1 out | uniq | wc -l)" -eq 8 ]
	[ "$(tail -n +2 jl | wc -l)" -eq 8 ]
	[ ! -s err ]
}

@test "Ctrl-C ends a run whose reader has stalled" {
	# fanout blocks in write() to the stalled pipe; Ctrl-C ends that
	# write, drops what the reader would not take, and ends the run.
	stalled_reader
	set -m
	"$FANOUT_BIN" -j2 --joblog jl 'if [ {} = 1 ]; then lines 1 20000; else recordpid job.pid; exec sleep 900; fi' ::: 1 2 > o 2> err &
	pid=$!
	set +m
	wait_for_file stalled
	wait_for_file job.pid
	interrupt
	touch drain
	wait "$reader"
	[ "$status" -eq 130 ]
	gone job.pid
}

@test "every mode gives the same result under each shortage" {
	# One job at a time, so that the output order is the input order
	# and job 5's large output is held, and spilled, until it ends.
	for spec in "${start_faults[@]}" open:ENOSPC:1; do
		for m in process thread async; do
			with_faults "$spec" timeout -k 5 30 "$FANOUT_BIN" --mode "$m" -j1 'if [ {} = 5 ]; then head -c 3000000 /dev/zero | wc -c; else echo {}; fi' ::: $(seq 8) > "$m.out" 2> "$m.err" && st=0 || st=$?
			echo "$st" > "$m.st"
		done
		for m in thread async; do
			cmp process.out "$m.out" || { echo "$spec: stdout differs in $m"; false; }
			cmp process.err "$m.err" || { echo "$spec: stderr differs in $m"; diff process.err "$m.err"; false; }
			cmp process.st "$m.st" || { echo "$spec: status $(cat "$m.st") in $m, $(cat process.st) in process"; false; }
		done
	done
}
