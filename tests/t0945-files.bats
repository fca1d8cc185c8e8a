#!/usr/bin/env bats
# --files: each job's stdout saved in a file of its own, its name printed,
# as GNU parallel's --files.

load helper

teardown() {
	kill_recorded
	if [ -n "${small:-}" ]; then
		umount "$small"
	fi
}

@test "--files saves each job's stdout and prints the files' names" {
	mkdir t
	run --separate-stderr fanout -k --files --tmpdir "$PWD/t" 'seq {}; echo err {} >&2' ::: 3 5
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 2 ]
	[ "$(cat "${lines[0]}")" = "$(seq 3)" ]
	[ "$(cat "${lines[1]}")" = "$(seq 5)" ]
	[[ "${lines[0]}" == "$PWD/t/fanout"*.par ]]
	# stderr is not saved: it goes where it always goes.
	[ "$stderr" = "$(printf 'err 3\nerr 5')" ]
	[ "$(ls t | wc -l)" -eq 2 ]
}

@test "--files keeps bytes exactly, and a job with no output gets an empty file" {
	printf 'a\0b\nno newline' > data
	run --separate-stderr fanout --files --tmpdir "$PWD" 'cat {}' ::: data
	cmp data "$output"
	run --separate-stderr fanout --files --tmpdir "$PWD" true ::: a
	[ -f "$output" ] && [ ! -s "$output" ]
}

@test "--files with --tag and --line-buffer: a name per job, tagged" {
	run --separate-stderr fanout --lb --tag --files --tmpdir "$PWD" echo ::: x
	[ "$status" -eq 0 ]
	[[ "$output" == "x	$PWD/fanout"*.par ]]
	[ "$(cat "${output#x	}")" = x ]
}

@test "--files refuses -u and --results" {
	run --separate-stderr fanout --files -u 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--files does not work with -u"* ]]
	run --separate-stderr fanout --files --results r 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--files and --results both say where output goes"* ]]
	[ ! -e ran ]
}

@test "--files on a full disk leaves no truncated file and exits 255" {
	[ "$(id -u)" = 0 ] || skip "needs root to mount a small tmpfs"
	small=$PWD/small
	mkdir small
	mount -t tmpfs -o size=64k tmpfs small || { small=; skip "cannot mount a tmpfs here"; }
	run --separate-stderr fanout -j1 -k --files --tmpdir "$small" 'head -c 40000 /dev/zero; : {}' ::: 1 2 3
	[ "$status" -eq 255 ]
	[ "${#lines[@]}" -eq 1 ]
	[ "$(wc -c < "${lines[0]}")" -eq 40000 ]
	[[ "$stderr" == *"--files: cannot write $small/fanout"*"No space left on device"* ]]
	# Only the whole file is left.
	[ "$(ls small | wc -l)" -eq 1 ]
}
