#!/usr/bin/env bats
# Output: grouped, in order, line-buffered or ungrouped; bytes exact;
# nothing lost, nothing mixed; bounded memory through spill files.

load helper

@test "grouped output keeps each job's stdout then stderr together" {
	run --separate-stderr fanout -j4 'printf "%s-1\n" {}; sleep 0.1; printf "%s-2\n" {}; echo {}-e >&2' ::: a b c d
	[ "$status" -eq 0 ]
	for j in a b c d; do
		grep -A1 -x "$j-1" <<<"$output" | tail -1 | grep -qx "$j-2"
	done
	[ "$(sort <<<"$stderr" | tr '\n' ' ')" = "a-e b-e c-e d-e " ]
}

@test "-k gives input order whatever the durations" {
	run fanout -j4 -k 'sleep 0.$((5 - {})); echo {}' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n2\n3\n4\n5')" ]
}

@test "-k order is exact with many skewed jobs" {
	run fanout -j8 -k 'sleep 0.0$((RANDOM % 5)); echo {}' ::: $(seq 60)
	[ "$output" = "$(seq 60)" ]
}

@test "-k keeps stdout and stderr per job, in order" {
	run --separate-stderr fanout -j3 -k both ::: 3 1 2
	[ "$output" = "$(printf '3-out\n1-out\n2-out')" ]
	[ "$stderr" = "$(printf '3-err\n1-err\n2-err')" ]
}

@test "bytes pass through exactly: NUL, invalid UTF-8, no final newline" {
	printf 'a\0b\377\376c' > expect
	fanout -j2 'cat {}' ::: expect > got
	cmp expect got
	fanout -j2 -k --lb 'cat {}' ::: expect > got
	cmp expect got
	fanout -j2 -u 'cat {}' ::: expect > got
	cmp expect got
}

@test "fanout never invents a newline between jobs" {
	run fanout -k 'printf %s {}' ::: a b c
	[ "$output" = "abc" ]
}

@test "large output spills and comes back byte for byte" {
	head -c 5000000 /dev/urandom > blob
	fanout -j3 -k 'cat blob; : {}' ::: 1 2 3 > got
	[ "$(stat -c %s got)" -eq 15000000 ]
	cat blob blob blob | cmp - got
}

@test "held output spills into --tmpdir as an unlinked 0600 file" {
	mkdir spill
	"$FANOUT_BIN" --tmpdir spill 'head -c 3000000 /dev/zero; waitfor seen; : {}' ::: 1 > /dev/null &
	pid=$!
	wait_until 20 spilled "$pid"
	touch seen
	wait $pid
	[[ "$found" == *"(deleted)"* ]]
	[ "$mode" = 600 ]
	[ -z "$(ls -A spill)" ]
}

# spilled PID: PID holds a file in ./spill; sets $found and its $mode.
spilled() {
	local fd
	found=$(ls -l "/proc/$1/fd" 2>/dev/null | grep "$PWD/spill") || return 1
	fd=$(awk '{ print $9 }' <<<"$found")
	mode=$(stat -L -c %a "/proc/$1/fd/$fd")
}

@test "8 jobs of 50,000 lines each: no line lost or split, every mode of output" {
	# 2.3 MB a job: past the 1 MiB a spool holds in memory at -j8, and
	# many pipe buffers.
	for o in --group -k --line-buffer '-k --line-buffer'; do
		fanout -j8 $o lines ::: 1 2 3 4 5 6 7 8 ::: 50000 > out
		[ "$(wc -l < out)" -eq 400000 ]
		[ "$(grep -cvx '[1-8] [0-9]* abcdefghijklmnopqrstuvwxyz0123456789' out)" -eq 0 ]
		[ "$(LC_ALL=C sort -u out | wc -l)" -eq 400000 ]
	done
}

@test "grouped output of 8 jobs is 8 whole blocks" {
	fanout -j8 lines ::: 1 2 3 4 5 6 7 8 ::: 20000 > out
	[ "$(cut -d' ' -f1 out | uniq | wc -l)" -eq 8 ]
}

@test "--line-buffer writes lines as they come" {
	# Each job's first line must reach the file while the job still runs.
	"$FANOUT_BIN" -j2 --lb 'echo {}-start; waitfor go-{}; echo {}-end' ::: a b > out &
	pid=$!
	wait_until 20 grep -qx a-start out
	wait_until 20 grep -qx b-start out
	touch go-a
	wait_until 20 grep -qx a-end out
	touch go-b
	wait $pid
	[ "$(sed -n 3,4p out)" = "$(printf 'a-end\nb-end')" ]
	[ "$(sed -n 1,2p out | sort)" = "$(printf 'a-start\nb-start')" ]
}

@test "--line-buffer keeps a partial last line whole and uninvented" {
	# Both jobs have written their first half before either ends.
	run fanout -j2 --lb 'printf "%s-a" {}; touch half-{}; waitfor half-x half-y; printf "%s-b" {}' ::: x y
	[ "$output" = "x-ax-by-ay-b" ] || [ "$output" = "y-ay-bx-ax-b" ]
}

@test "-k --line-buffer streams the oldest job and keeps order" {
	run fanout -j3 -k --lb 'sleep 0.$((3 - {})); echo {}' ::: 1 2 3
	[ "$output" = "$(printf '1\n2\n3')" ]
}

@test "-u writes straight through" {
	run fanout -u -j1 -k 'echo {}; echo {}-e >&2' ::: a b
	[ "$output" = "$(printf 'a\na-e\nb\nb-e')" ]
}

@test "--tag prefixes every line with the values and a TAB" {
	run fanout -k --tag 'printf "1\n2\n"; : {}' ::: a 'b c'
	[ "$output" = "$(printf 'a\t1\na\t2\nb c\t1\nb c\t2')" ]
}

@test "--tag prefixes stderr lines and a partial last line" {
	run --separate-stderr fanout -k --tag 'printf x; echo e >&2; : {}' ::: a
	[ "$output" = "$(printf 'a\tx')" ]
	[ "$stderr" = "$(printf 'a\te')" ]
}

@test "--tag with several sources joins the values with a space" {
	run fanout -k --tag 'echo {1}{2}' ::: a b ::: 1
	[ "$output" = "$(printf 'a 1\ta1\nb 1\tb1')" ]
}

@test "--tag works with --line-buffer" {
	run fanout -k --lb --tag 'echo x; echo y; : {}' ::: a
	[ "$output" = "$(printf 'a\tx\na\ty')" ]
}

@test "-v prints each command before its output, on stdout" {
	run --separate-stderr fanout -v -k echo ::: a b
	[ "$output" = "$(printf 'echo a\na\necho b\nb')" ]
	[ -z "$stderr" ]
}

@test "-t prints each command on stderr as it starts" {
	run --separate-stderr fanout -t -k echo ::: a 'b c'
	[ "$output" = "$(printf 'a\nb c')" ]
	[ "$stderr" = "$(printf "echo a\necho 'b c'")" ]
}

@test "-k stops starting jobs while too much waits behind a slow one" {
	# Job 1 runs until the test has seen fanout stop starting jobs: the
	# count of started jobs holds still for a second.
	"$FANOUT_BIN" -j2 -k 'if [ {} = 1 ]; then waitfor go; fi; touch started.{}; echo {}' ::: $(seq 200) > out &
	pid=$!
	wait_for_file started.2
	wait_until 30 steady
	touch go
	wait $pid
	[ "$n" -lt 60 ]
	[ "$(cat out)" = "$(seq 200)" ]
}

# steady: the number of started jobs, $n, is the same a second apart.
steady() {
	local before
	before=$(ls started.* | wc -l)
	sleep 1
	n=$(ls started.* | wc -l)
	[ "$n" -eq "$before" ]
}

@test "output to a file opened for append comes through whole" {
	echo first > log
	fanout -k 'head -c 3000000 /dev/zero | tr "\0" {}' ::: a b >> log
	[ "$(stat -c %s log)" -eq 6000006 ]
	[ "$(head -1 log)" = first ]
}

@test "2,000 short jobs each deliver their output exactly once" {
	seq 2000 | fanout -j2 echo > out
	[ "$(wc -l < out)" -eq 2000 ]
	[ "$(sort -n out | uniq | wc -l)" -eq 2000 ]
	seq 2000 | fanout -j8 -k echo > out
	[ "$(cat out)" = "$(seq 2000)" ]
}

@test "--tagstring expands replacement strings, unquoted, then a TAB" {
	run fanout -k --tagstring '{#}:{}:{%}' -j1 'echo x; : {}' ::: a 'b c'
	[ "$output" = "$(printf '1:a:1\tx\n2:b c:1\tx')" ]
}

@test "--tagstring works with --line-buffer and {##}" {
	run fanout -k --lb --tagstring '{1}/{##}' 'printf "1\n2\n"; : {}' ::: a b
	[ "$output" = "$(printf 'a/2\t1\na/2\t2\nb/2\t1\nb/2\t2')" ]
}
