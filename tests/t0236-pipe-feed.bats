#!/usr/bin/env bats
# --pipe's other ways to hand a job its block: --fifo, a named pipe {}.

load helper

# A reproducible binary input of $1 bytes, NUL bytes and newlines among
# them.
binary_of() {
	head -c "$1" /dev/urandom > "$2"
}

@test "--fifo: {} is a named pipe in --tmpdir, mode 0600, removed after the job" {
	mkdir tmp
	seq 5 > in
	run --separate-stderr fanout --tmpdir tmp --pipe --fifo -N 2 -k \
	    'test -p {} && stat -c %a {} && echo {} >> names && paste -sd, {}' < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf '600\n1,2\n600\n3,4\n600\n5')" ]
	[ "$(wc -l < names)" -eq 3 ]
	[ "$(grep -c "^tmp/fanout-fifo\." names)" -eq 3 ]
	[ "$(ls tmp)" = "" ]
}

@test "--fifo: the job's standard input is empty, not the stream" {
	seq 5 > in
	run --separate-stderr fanout --pipe --fifo -N 5 'wc -c; cat {} > /dev/null' < in
	[ "$status" -eq 0 ]
	[ "$output" = "0" ]
}

@test "--fifo: the blocks in order are the input, byte for byte" {
	# Blocks smaller and larger than a pipe's buffer: the writer fills
	# the fifo, waits for room, and goes on.
	binary_of 700000 in
	for size in 1k 300k; do
		fanout --pipe --fifo --recend '' --block "$size" -j3 -k 'cat {}' \
		    < in > out
		cmp in out
	done
	seq 100000 > lines
	fanout --pipe --fifo --block 10k -k 'wc -c < {}' < lines > sizes
	[ "$(awk '{ s += $1 } END { print s }' sizes)" -eq "$(wc -c < lines)" ]
	[ "$(wc -l < sizes)" -gt 50 ]
}

@test "--fifo: a job that opens {} late still reads its whole block" {
	# The writer meets no reader (ENXIO) for a while and tries again;
	# the pause only makes that happen, nothing waits on its length.
	seq 100000 > in
	fanout --pipe --fifo --block 200k -j2 -k 'sleep 0.3; cat {}' < in > out
	cmp in out
}

@test "--pipepart --fifo: the ranges in order are the file, byte for byte" {
	seq 200000 > in
	fanout --pipepart -a in --fifo --block 100k -j2 -k 'cat {}' > out
	[ "$(md5sum < out)" = "$(md5sum < in)" ]
	fanout --pipepart -a in --fifo --block -1 -j3 -k 'cat {}' > out
	[ "$(md5sum < out)" = "$(md5sum < in)" ]
}

@test "--fifo: a job that never opens {} ends the run with its own status" {
	# GNU parallel waits for ever here; fanout's writer gives up once
	# the job has ended.
	seq 1000 > in
	run --separate-stderr timeout 60 "$FANOUT_BIN" --pipe --fifo -N 100 \
	    -k 'echo {#}; exit {#}' < in
	[ "$status" -eq 10 ]
	[ "$output" = "$(seq 10)" ]
}

@test "--fifo: a job that reads only part of its block ends the run normally" {
	# Blocks of about 290 kB, more than a pipe holds: the writer finds
	# the job gone (EPIPE) with most of the block unwritten.
	seq 200000 > in
	run --separate-stderr timeout 60 "$FANOUT_BIN" --pipe --fifo \
	    -N 50000 -k 'head -c 3 {}; echo' < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf '1\n2\n500\n100\n150')" ]
}

@test "--fifo --retries feeds a retried job the same block again" {
	printf 'one\ntwo\n' > in
	run --separate-stderr fanout --pipe --fifo -N 1 --retries 3 \
	    'cat {} >> got.{#}; exit 1' < in
	[ "$status" -eq 2 ]
	[ "$(cat got.1)" = "$(printf 'one\none\none')" ]
	[ "$(cat got.2)" = "$(printf 'two\ntwo\ntwo')" ]
}

@test "--fifo: the joblog's Send is the block's bytes" {
	printf 'ab\ncde\n' > in
	fanout --pipe --fifo -N 1 -k --joblog jl 'cat {}; echo' < in > /dev/null
	[ "$(tail -n +2 jl | cut -f5,6 | tr '\t' ' ' | sort)" = "$(printf '3 4\n4 5')" ]
}

@test "--fifo: a writer thread short of resources is a back-off, not a failure" {
	seq 6 > in
	# Every fifo's writer is a thread; the first few cannot start.
	run --separate-stderr with_faults pthread_create:EAGAIN:1:4 \
	    "$FANOUT_BIN" --pipe --fifo -N 2 -k 'paste -sd, {}' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1,2\n3,4\n5,6')" ]
}

@test "--fifo works with --pipe or --pipepart only" {
	run --separate-stderr fanout --fifo echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"--fifo works with --pipe only"* ]]
}

@test "--fifo and --cat do not go together" {
	run --separate-stderr fanout --pipe --fifo --cat 'cat {}' < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--cat and --fifo do not go together"* ]]
}

@test "--fifo names the block {}: ':::' values do not go with it" {
	run --separate-stderr fanout --pipe --fifo 'cat {}' ::: a < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--fifo names the block's named pipe {}"* ]]
}
