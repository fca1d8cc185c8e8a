#!/usr/bin/env bats
# --pipe --round-robin: -j jobs started once share the blocks of the
# stream on their standard input.

load helper

# Every line of the files named, sorted: what the jobs were given.
all_sorted() {
	cat "$@" | LC_ALL=C sort
}

# Whether each of the files named holds whole blocks of $1 consecutive
# numbers from seq, each block starting at a multiple of $1 plus one.
whole_blocks_of() {
	local n=$1
	shift
	awk -v n="$n" '
	    FNR % n == 1 || n == 1 { first = $1; if ((first - 1) % n) bad = 1 }
	    { if ($1 != first + (FNR - 1) % n) bad = 1 }
	    END { exit bad }' "$@"
}

@test "--round-robin: the jobs' inputs together are the input, records whole" {
	seq 200000 > in
	run --separate-stderr fanout --pipe --round-robin -j3 --block 10k \
	    'cat > out.{#}' < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(all_sorted out.*)" = "$(LC_ALL=C sort in)" ]
	[ "$(cat out.* | wc -c)" -eq "$(wc -c < in)" ]
}

@test "--round-robin: at most -j jobs start, each once, many blocks or not" {
	seq 200000 > in
	run --separate-stderr fanout --pipe --round-robin -j3 --block 10k \
	    --joblog log 'echo job {#} slot {%}; cat > /dev/null' < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(sort <<< "$output")" = "$(printf 'job %s slot %s\n' 1 1 2 2 3 3)" ]
	[ "$(wc -l < log)" -eq 4 ]
}

@test "--round-robin: each job is given whole blocks of -N records" {
	seq 3000 > in
	fanout --pipe --round-robin -j2 -N 3 'cat > out.{#}' < in
	[ -s out.1 ] && [ -s out.2 ]
	whole_blocks_of 3 out.1
	whole_blocks_of 3 out.2
	[ "$(all_sorted out.*)" = "$(LC_ALL=C sort in)" ]
	# The check itself sees a block cut.
	printf '%s\n' 1 2 3 5 6 > cut
	run ! whole_blocks_of 3 cut
}

@test "--round-robin: fewer blocks than -j start only as many jobs" {
	seq 4 > in
	run --separate-stderr fanout --pipe --round-robin -j5 -N 2 \
	    --joblog log 'echo job {#}; cat' < in
	[ "$status" -eq 0 ]
	[ "$(grep -c '^job' <<< "$output")" -eq 2 ]
	[ "$(grep -v '^job' <<< "$output" | sort -n)" = "$(seq 4)" ]
	[ "$(wc -l < log)" -eq 3 ]
}

@test "--round-robin: an empty input starts no job" {
	run --separate-stderr fanout --pipe --round-robin -j3 --joblog log \
	    'echo ran' < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
	[ "$(wc -l < log)" -eq 1 ]
}

@test "--round-robin: jobs that exit early neither hang fanout nor kill it" {
	seq 1000000 > in
	run --separate-stderr timeout 20 "$FANOUT_BIN" --pipe --round-robin \
	    -j2 --block 10k 'head -1' < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(wc -l <<< "$output")" -eq 2 ]
	[ "$(sed -n 1p <<< "$output")" -ne "$(sed -n 2p <<< "$output")" ]
}

@test "--round-robin: once every job has ended, the rest of the stream is left unread" {
	# An endless stream: fanout must end all the same.
	run --separate-stderr timeout 20 sh -c \
	    'yes | "$0" --pipe --round-robin -j2 --block 10k "head -1"' \
	    "$FANOUT_BIN"
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$output" = "$(printf 'y\ny')" ]
}

@test "--round-robin: a job that exits at once loses its block, the others get the rest" {
	seq 100000 > in
	fanout --pipe --round-robin -j3 -N 1000 \
	    'if [ {#} = 2 ]; then exit 0; fi; cat > out.{#}' < in
	[ ! -e out.2 ]
	# Job 2 took its first block at least; the rest went to 1 and 3.
	n=$(cat out.1 out.3 | wc -l)
	[ "$n" -le 99000 ]
	[ "$n" -ge 90000 ]
	whole_blocks_of 1000 out.1 out.3
}

@test "--round-robin: --halt soon ends the stdin of the jobs still running" {
	seq 1000000 > in
	run --separate-stderr timeout 20 "$FANOUT_BIN" --pipe --round-robin \
	    -j2 --block 10k --halt soon,fail=1 \
	    'if [ {#} = 1 ]; then exit 3; fi; cat > /dev/null' < in
	[ "$status" -eq 3 ]
}

@test "--round-robin: NUL bytes and newlines inside records pass" {
	for i in $(seq 3000); do printf 'rec %d\nmore\0' "$i"; done > in
	fanout --pipe --round-robin -j3 --recend '\0' --block 1k \
	    'cat > out.{#}' < in
	[ -s out.1 ] && [ -s out.2 ] && [ -s out.3 ]
	[ "$(cat out.* | tr '\0\n' '\n ' | LC_ALL=C sort)" = \
	    "$(tr '\0\n' '\n ' < in | LC_ALL=C sort)" ]
	[ "$(cat out.* | wc -c)" -eq "$(wc -c < in)" ]
}

@test "--round-robin: --header comes once atop each job's input" {
	{ echo H; seq 3000; } > in
	fanout --pipe --round-robin -j3 -N 10 --header 1 'cat > out.{#}' < in
	for f in out.1 out.2 out.3; do
		[ "$(head -1 "$f")" = H ]
		[ "$(grep -c H "$f")" -eq 1 ]
	done
	[ "$(grep -hv H out.* | sort -n)" = "$(seq 3000)" ]
}

@test "--round-robin: the joblog's Send is the bytes each job was given" {
	seq 100000 > in
	fanout --pipe --round-robin -j3 --block 10k --joblog log \
	    'cat > out.{#}' < in
	for j in 1 2 3; do
		[ "$(awk -v j="$j" '$1 == j { print $5 }' log)" -eq \
		    "$(wc -c < out.$j)" ]
	done
}

@test "--round-robin -k: output in job order" {
	seq 100000 > in
	run --separate-stderr fanout --pipe --round-robin -j3 --block 10k -k \
	    'wc -l | sed "s/^/{#} /"' < in
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f1 <<< "$output" | paste -sd,)" = "1,2,3" ]
	[ "$(awk '{ s += $2 } END { print s }' <<< "$output")" -eq 100000 ]
}

@test "--pipepart --round-robin: the ranges go whole to at most -j jobs" {
	seq 100000 > in
	run --separate-stderr fanout --pipepart -a in --round-robin -j3 \
	    --block 10k 'cat > out.{#}; echo {#}'
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output" | paste -sd,)" = "1,2,3" ]
	[ "$(all_sorted out.*)" = "$(LC_ALL=C sort in)" ]
}

# send_is_given N: the joblog's Send of jobs 1..N is the size of out.N.
send_is_given() {
	local j
	for j in $(seq "$1"); do
		[ "$(awk -v j="$j" '$1 == j { print $5 }' log)" -eq \
		    "$(wc -c < out.$j)" ] || return 1
	done
}

# Lines of 8 bytes, numbered from 1: --block 2M cuts blocks of 262144
# of them, whole_blocks_of can tell where each range was read from.
fixed_lines() {
	seq -f '%07.0f' 1 "$1"
}

@test "--pipepart --round-robin: ranges of MiBs go whole, each from its own offset" {
	fixed_lines 1200000 > in
	fanout --pipepart -a in --round-robin -j2 --block 2M --joblog log \
	    'cat > out.{#}'
	[ -s out.1 ] && [ -s out.2 ]
	whole_blocks_of 262144 out.1 out.2
	all_sorted out.* > got
	cmp in got
	send_is_given 2
	# The check itself sees a range read from the wrong offset.
	fixed_lines 263143 | tail -n 262144 > wrong
	run ! whole_blocks_of 262144 wrong
}

@test "--pipepart --round-robin: ranges of MiBs, --header once atop each job" {
	{ echo HEAD; fixed_lines 1200000; } > in
	fanout --pipepart -a in --header 1 --round-robin -j3 --block 2M \
	    --joblog log 'cat > out.{#}'
	for j in 1 2 3; do
		[ "$(head -1 out.$j)" = HEAD ]
		[ "$(grep -c '^HEAD$' out.$j)" -eq 1 ]
	done
	grep -hv '^HEAD$' out.* | LC_ALL=C sort > got
	tail -n +2 in | cmp - got
	send_is_given 3
}

@test "--pipepart --round-robin: a job that exits early loses its range alone, the other reads on" {
	fixed_lines 1200000 > in
	fanout --pipepart -a in --round-robin -j2 --block 2M --joblog log \
	    'if [ {#} = 1 ]; then head -n 1 > out.1; else cat > out.2; fi'
	[ "$(cat out.1)" = 0000001 ]
	# Job 1's range is bigger than its pipe: it never took another.
	whole_blocks_of 262144 out.2
	LC_ALL=C sort out.2 > got
	tail -n +262145 in | cmp - got
	[ "$(awk '$1 == 2 { print $5 }' log)" -eq "$(wc -c < out.2)" ]
	n=$(awk '$1 == 1 { print $5 }' log)
	[ "$n" -gt 0 ]
	[ "$n" -lt $((2 * 1024 * 1024)) ]
}

@test "--pipepart --round-robin: short of pipes for the jobs' stdin, fanout waits and loses none" {
	fixed_lines 100000 > in
	run --separate-stderr with_faults pipe2:EMFILE:5:4 \
	    "$FANOUT_BIN" --pipepart -a in --round-robin -j2 --block 200k cat
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	LC_ALL=C sort <<< "$output" > got
	cmp in got
}

@test "--pipepart --round-robin: a file that shrinks while it is dealt is said, and ends the run" {
	# Many times the job's pipe: the dealer has ranges left to write
	# when the job empties the file.
	seq 1000000 > in
	run --separate-stderr fanout -j1 --round-robin --pipepart -a in \
	    --block 100k 'head -c 1000 > /dev/null; truncate -s 0 in; wc -c'
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: cannot read input: the file shrank while it was read; job 1 got its block cut short" ]
	[ "$output" -lt "$(seq 1000000 | wc -c)" ]
}

@test "--round-robin: the same records and number of jobs as GNU parallel" {
	seq 5000 > in
	gnu_parallel in --pipe --round-robin -j3 --block 2k \
	    'echo job {#}; cat' > gnu
	fanout --pipe --round-robin -j3 --block 2k 'echo job {#}; cat' \
	    < in > ours
	[ "$(LC_ALL=C sort ours)" = "$(LC_ALL=C sort gnu)" ]
	[ "$(grep -c '^job' ours)" -eq 3 ]
}

@test "--round-robin: fewer blocks than -j, as many jobs as GNU parallel" {
	seq 3 > in
	gnu_parallel in --pipe --round-robin -j5 -N 1 'echo job {#}; cat' > gnu
	fanout --pipe --round-robin -j5 -N 1 'echo job {#}; cat' < in > ours
	[ "$(LC_ALL=C sort ours)" = "$(LC_ALL=C sort gnu)" ]
}

@test "--round-robin without --pipe is an error" {
	run --separate-stderr fanout --round-robin echo ::: a
	[ "$status" -eq 255 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"--round-robin works with --pipe only"* ]]
}

@test "--round-robin does not go with --cat or --fifo" {
	for o in --cat --fifo; do
		run --separate-stderr fanout --pipe --round-robin "$o" cat {}
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"--round-robin does not go with $o"* ]]
	done
}

# loses_none SPEC: with the calls SPEC names failing, fanout waits and
# the jobs are given every record all the same.
loses_none() {
	seq 100 > in
	run --separate-stderr with_faults "$1" \
	    "$FANOUT_BIN" --pipe --round-robin -j2 -N 5 cat < in
	[ "$status" -eq 0 ]
	[ "$(sort -n <<< "$output")" = "$(seq 100)" ]
}

@test "--round-robin: short of pipes for the jobs' stdin, fanout waits and loses none" {
	# Calls 5 to 8 come once the run is set up, in every mode: the
	# jobs' stdin pipes among them.
	loses_none pipe2:EMFILE:5:4
}

@test "--round-robin: short of descriptors for a queued block, fanout waits and loses none" {
	# The first two blocks start the jobs; the next ones are queued.
	loses_none open:EMFILE:3:3
}

@test "--round-robin: a queued block that cannot be kept is reported, and the jobs end" {
	seq 100 > in
	run --separate-stderr with_faults open:ENOSPC:3:1000 \
	    timeout 20 "$FANOUT_BIN" --pipe --round-robin -j2 -N 5 cat < in
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"cannot keep a block of input"*"No space left"* ]]
	[ "$(sort -n <<< "$output")" = "$(seq 10)" ]
}

@test "--round-robin --dry-run lists the jobs that would start, at most -j" {
	seq 100 > in
	run --separate-stderr fanout --dry-run --pipe --round-robin -j2 -N 2 \
	    'cat > {#}' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'cat > 1\ncat > 2')" ]
	seq 2 > in
	run --separate-stderr fanout --dry-run --pipe --round-robin -j5 -N 1 \
	    'cat > {#}' < in
	[ "$output" = "$(printf 'cat > 1\ncat > 2')" ]
}

@test "--round-robin: Ctrl-C ends the jobs and fanout while the stream goes on" {
	seq 2000000 > in
	spawn_fanout --pipe --round-robin -j2 --block 10k \
	    'touch started.{#}; while read -r x; do sleep 0.01; done' < in
	wait_for_file started.1
	wait_for_file started.2
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	grep -q "interrupted by SIGINT" err
}
