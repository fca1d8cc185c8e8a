#!/usr/bin/env bats
# Resource-aware starts: --load, --memfree and -j FILE.  No test reads
# the machine's real load or memory: FANOUT_LOADAVG_FILE and
# FANOUT_MEMINFO_FILE (test hooks, see src/res.h) name fifos here, so
# that each look fanout takes is an open the test answers, and the test
# knows what fanout saw and when it looked again.

load helper

# The hooks' fifos.
use_load() {
	mkfifo load
	export FANOUT_LOADAVG_FILE=$PWD/load
}

use_mem() {
	mkfifo mem
	export FANOUT_MEMINFO_FILE=$PWD/mem
}

# One line of /proc/loadavg or /proc/meminfo's fields.
loadavg() {
	printf '%s 0.50 0.40 1/123 4567\n' "$1"
}

meminfo() {
	printf 'MemTotal:       16000000 kB\nMemFree:          100000 kB\n'
	printf 'MemAvailable:   %8s kB\nBuffers:           10000 kB\n' "$1"
}

# feed FIFO VALUE: answer fanout's next look with VALUE; fail if it does
# not look within 20 s.
feed() {
	local what=loadavg
	[ "$1" = mem ] && what=meminfo
	timeout 20 bash -c "$(declare -f "$what"); $what \"\$1\" > \"\$2\"" \
	    feed "$2" "$1"
}

# keep_feeding FIFO VALUE: answer every look from now on, in the
# background (teardown ends it).
keep_feeding() {
	( while feed "$1" "$2"; do :; done ) &
	feeder=$!
}

teardown() {
	[ -z "${feeder:-}" ] || kill "$feeder" 2>/dev/null || :
	kill_recorded
}

@test "--load holds a job back while the load is at MAX, looks again each second, starts it when it falls" {
	use_load
	spawn_fanout -j2 --load 1 'touch started.{}; waitfor go' ::: 1 2
	feed load 0.10		# fanout checks it can read it
	feed load 0.10		# job 1 may start
	feed load 1.00		# job 2 is held back: the load is MAX
	feed load 5.00		# so fanout looks again: still held
	[ -e started.1 ]
	[ ! -e started.2 ]
	feed load 0.99
	wait_for_file started.2
	touch go
	reap
	[ "$status" -eq 0 ]
	[ ! -s err ]
}

@test "--load N% is N% of the CPUs" {
	use_load
	max=$(awk -v n="$(nproc)" 'BEGIN { printf "%.2f", n * 0.5 }')
	under=$(awk -v n="$(nproc)" 'BEGIN { printf "%.2f", n * 0.5 - 0.01 }')
	spawn_fanout --load 50% 'touch started.{}' ::: 1
	feed load 0.00
	feed load "$max"
	feed load "$max"
	[ ! -e started.1 ]
	feed load "$under"
	reap
	[ "$status" -eq 0 ]
	[ -e started.1 ]
}

@test "--load +N and -N count from the CPUs" {
	use_load
	n=$(nproc)
	spawn_fanout -j1 --load +1 'touch started.{}' ::: 1
	feed load 0.00
	feed load "$((n + 1)).00"
	feed load "$n.99"
	reap
	[ "$status" -eq 0 ]
	[ -e started.1 ]
	[ "$n" -ge 2 ] || skip "-N needs 2 CPUs or more"
	spawn_fanout -j1 --load -1 'touch started.{}' ::: 2
	feed load 0.00
	feed load "$((n - 1)).00"
	feed load "$((n - 2)).99"
	reap
	[ "$status" -eq 0 ]
	[ -e started.2 ]
}

@test "Ctrl-C ends a run held back by --load, which waits without spinning" {
	use_load
	spawn_fanout --load 2 'touch started.{}' ::: 1 2
	feed load 9.00
	feed load 9.00
	feed load 9.00
	feed load 9.00		# two seconds held back
	# utime + stime in clock ticks: a loop that spins burns a second.
	stat=$(cat "/proc/$pid/stat")
	set -- ${stat##*) }
	[ $(( ${12} + ${13} )) -lt "$(( $(getconf CLK_TCK) / 2 ))" ]
	kill -INT "$pid"
	keep_feeding load 9.00	# should it look once more
	reap
	[ "$status" -eq 130 ]
	[ ! -e started.1 ]
	grep -qx "fanout: interrupted by SIGINT: 0 jobs done, 0 failed, 2 never started" err
}

@test "--memfree holds jobs back while less memory is available" {
	use_mem
	# 100M is 102400 kB; under half of it is under 51200 kB.
	spawn_fanout --memfree 100M 'touch started.{}' ::: 1
	feed mem 200000
	feed mem 102399		# held back
	feed mem 60000		# looks again: still held back
	[ ! -e started.1 ]
	keep_feeding mem 102400
	reap
	[ "$status" -eq 0 ]
	[ -e started.1 ]
	[ ! -s err ]
}

@test "--memfree: under half, the youngest job is ended and run again, neither failed nor retried" {
	use_mem
	spawn_fanout -j2 --memfree 100M --joblog log --summary \
	    'echo {} >> runs.{}; n=$(wc -l < runs.{}); touch started.{}.$n
	     if [ {}$n = 21 ]; then recordpid job.pid; exec sleep 900; fi
	     [ {} = 1 ] && waitfor go; echo done {}' ::: 1 2
	feed mem 200000
	feed mem 200000		# job 1 starts
	feed mem 200000		# job 2 starts
	wait_for_file started.1.1
	wait_for_file started.2.1
	wait_for_file job.pid
	feed mem 51199		# a look while they run: job 2 is ended
	gone job.pid
	keep_feeding mem 200000
	wait_for_file started.2.2
	touch go
	reap
	[ "$status" -eq 0 ]
	[ "$(sort out)" = "$(printf 'done 1\ndone 2')" ]
	[ ! -e started.1.2 ]
	[ "$(wc -l < runs.2)" -eq 2 ]
	grep -q "^fanout: --memfree: 50.0 MiB available, under half of 100.0 MiB: ending job 2 to run it again later$" err
	# Logged once each, as succeeded.
	[ "$(wc -l < log)" -eq 3 ]
	[ "$(awk -F'\t' 'NR > 1 && $7 == 0 && $8 == 0' log | wc -l)" -eq 2 ]
	grep -Eq "^fanout: +jobs +2 done, 0 failed, 0 timed out, 0 retried$" err
}

@test "-j FILE read again as a job ends raises the jobs at once" {
	echo 1 > procs
	spawn_fanout -j procs 'touch started.{}; waitfor go.{}' ::: 1 2 3 4
	wait_for_file started.1
	echo 3 > procs
	touch go.1
	# Jobs 2, 3 and 4 all run at once, none of them let go yet.
	wait_for_file started.2
	wait_for_file started.3
	wait_for_file started.4
	touch go.2 go.3 go.4
	reap
	[ "$status" -eq 0 ]
	[ ! -s err ]
}

@test "-j FILE gone bad mid-run keeps the last good count and warns once" {
	echo 2 > procs
	spawn_fanout -j procs 'touch started.{}; waitfor go.{}' ::: 1 2 3 4 5
	wait_for_file started.1
	wait_for_file started.2
	echo 'two or so' > procs
	touch go.1
	wait_for_file started.3
	rm procs
	touch go.2
	wait_for_file started.4
	touch go.3 go.4 go.5
	reap
	[ "$status" -eq 0 ]
	[ "$(cat err)" = "fanout: -j procs: holds no job count now; still running at most 2 at once" ]
}

@test "-j FILE takes -j's forms, and a count wins over a file of that name" {
	n=$(nproc)
	for form in '+1' '-1' '50%' '0' ' 3 '; do
		printf '%s\n' "$form" > procs
		run --separate-stderr fanout -j procs 'echo {%}' ::: a
		[ "$status" -eq 0 ]
		[ "$output" = 1 ]
	done
	echo 1 > 2
	run --separate-stderr fanout -j 2 --dry-run 'echo {%}' ::: a b
	[ "$output" = "$(printf 'echo 1\necho 2')" ]
}

@test "bad --load, --memfree and -j FILE values are refused before any job" {
	for bad in x '' 1e3 0x10 -1.5 1.5.5 1000001 +x 5%% .5; do
		run --separate-stderr fanout --load "$bad" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --load: '$bad' is not a load"* ]]
	done
	for bad in garbage '' 1KB -1M 1Kx 1e3 ' 1M' 99999999999999999999; do
		run --separate-stderr fanout --memfree "$bad" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --memfree: '$bad' is not a size"* ]]
	done
	run --separate-stderr fanout --memfree 0 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --memfree: '0' is zero (leave it out for no limit)" ]
	for bad in garbage '' '1 2' 1x; do
		printf '%s\n' "$bad" > procs
		run --separate-stderr fanout -j procs 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "fanout: -j: 'procs' holds no job count (N, N%, +N, -N or 0)" ]
	done
	run --separate-stderr fanout -j nosuchfile 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: -j: 'nosuchfile' is not a job count"* ]]
	[ ! -e ran ]
}

@test "a load or memory source fanout cannot read is an error before any job" {
	FANOUT_LOADAVG_FILE=$PWD/none run --separate-stderr fanout --load 1 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --load: cannot read the load average from '$PWD/none': "* ]]
	echo 'Nothing: 1 kB' > meminfo
	FANOUT_MEMINFO_FILE=$PWD/meminfo run --separate-stderr fanout --memfree 1G 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --memfree: cannot read the available memory from '$PWD/meminfo'" ]
	[ ! -e ran ]
}

@test "--memfree counts MemFree, Buffers, Cached and SwapCached where MemAvailable is missing" {
	printf 'MemFree: 1000 kB\nBuffers: 24 kB\nCached: 0 kB\nSwapCached: 0 kB\n' > meminfo
	FANOUT_MEMINFO_FILE=$PWD/meminfo run --separate-stderr fanout --memfree 1M echo ok ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "ok a" ]
}

@test "a retry due while every slot is busy waits for a slot without spinning" {
	# Job a fails and is due again after 0.1 s, while job b holds the
	# one slot for 2 s: the loop must sleep until b ends, not spin on
	# the retry's passed deadline (which burned about a second of CPU).
	TIMEFORMAT='%U %S'
	{ time "$FANOUT_BIN" -j1 --retries 2 --retry-delay 0.1 \
	    'if [ {} = a ] && [ $FANOUT_ATTEMPT = 1 ]; then exit 1; fi; [ {} = b ] && sleep 2; echo {}' \
	    ::: a b > out 2> err; } 2> cpu
	[ "$(sort out)" = "$(printf 'a\nb')" ]
	awk '{ exit !($1 + $2 < 0.4) }' cpu
}
