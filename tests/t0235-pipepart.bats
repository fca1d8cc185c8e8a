#!/usr/bin/env bats
# --pipepart: --pipe's blocks, found in a file with small reads near their
# edges and fed to the jobs from the file's ranges.

load helper

# Each block framed, so that its bounds show.
FRAME='printf "[%s]\n" "$(cat; echo =)"'

# A file of records of many lengths, some longer than the blocks, with
# '>' starting some and a few empty lines: 65 records, 5 kinds times 13
# lengths, give every kind in every length.
make_records() {
	local i n
	for ((i = 0; i < 65; i++)); do
		n=$(( (i * 7919) % 13 ))
		case $((i % 5)) in
		0) printf '>%s\n' "$(head -c $((n * 40)) /dev/zero | tr '\0' x)" ;;
		1) printf '\n' ;;
		*) printf 'r%d %s\n' "$i" "$(head -c $n /dev/zero | tr '\0' y)" ;;
		esac
	done
	printf 'last without end'
}

@test "--pipepart cuts the same blocks as --pipe, whatever the separators" {
	make_records > in
	for b in 1 30 333 4k 1M; do
		for seps in "" "--recend >" "--recstart >" \
		    "--recend ab" "--header 2" "--header 1 --recstart >"; do
			# shellcheck disable=SC2086
			want=$(fanout --pipe -a in --block $b -k $seps "$FRAME")
			# shellcheck disable=SC2086
			got=$(fanout --pipepart -a in --block $b -k $seps "$FRAME")
			[ "$got" = "$want" ] || {
				echo "differs: --block $b $seps"; false; }
		done
	done
	run fanout --pipepart --block 100 -k cat :::: in
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat in)" ]
}

@test "--pipepart: the blocks are the file byte for byte, NUL and all" {
	{ printf 'a\0b\n\n\377\376\r\n'; seq 1000; printf 'no end'; } > in
	fanout --pipepart -a in --block 100 -k cat > out
	cmp in out
	fanout --pipepart -a in --block 7 --recend '' -k cat > out
	cmp in out
}

@test "--pipepart --block -N: N blocks a job slot, of about equal size" {
	seq 100000 > in
	run fanout --pipepart -a in --block -1 -j 4 -k 'wc -c'
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 4 ]
	total=0
	for n in "${lines[@]}"; do
		[ "$n" -gt 140000 ] && [ "$n" -lt 150000 ]
		total=$((total + n))
	done
	[ "$total" -eq "$(wc -c < in)" ]
	run fanout --pipepart -a in --block -3 -j 2 'wc -c'
	[ "${#lines[@]}" -eq 6 ]
}

@test "--pipepart: the joblog's Send is each block's bytes" {
	seq 1000 > in
	fanout --pipepart -a in --block 1k -k --joblog log cat > /dev/null
	[ "$(tail -n +2 log | cut -f5 | paste -sd+ | bc)" -eq "$(wc -c < in)" ]
}

# About 8 MiB of numbered lines: blocks of 1M or more outgrow any pipe.
make_big() {
	seq -f 'line %.0f of the file' 1 360000
}

@test "--pipepart: blocks of MiBs are the file byte for byte, in order, --header atop each" {
	make_big > in
	fanout --pipepart -a in --block 3M -k cat > out
	cmp in out
	{ echo HEAD; cat in; } > hin
	fanout --pipepart --header 1 -a hin --block 3M -k --joblog log cat > out
	n=$(tail -n +2 log | wc -l)
	[ "$n" -ge 3 ]
	[ "$(grep -c '^HEAD$' out)" -eq "$n" ]
	grep -v '^HEAD$' out | cmp - in
	fanout --pipe --header 1 -a hin --block 3M -k cat | cmp - out
	fanout --pipepart --fifo --header 1 -a hin --block 3M -k 'cat {}' |
	    cmp - out
	# Send: each block's bytes, its header's included.
	[ "$(tail -n +2 log | cut -f5 | paste -sd+ | bc)" -eq \
	    "$(( $(wc -c < in) + 5 * n ))" ]
}

@test "--pipepart: a job that reads only the start of its block ends, and so do the others" {
	make_big > in
	run --separate-stderr fanout --pipepart -a in --block 1M -k \
	    'if [ $(({#} % 2)) = 0 ]; then head -c 10 | wc -c; [ {#} -gt 4 ]
	    else wc -c; fi'
	# Jobs 2 and 4 fail: the status counts them.
	[ "$status" -eq 2 ]
	[ "${#lines[@]}" -ge 8 ]
	total=0
	for i in "${!lines[@]}"; do
		if [ $(((i + 1) % 2)) = 0 ]; then
			[ "${lines[i]}" -eq 10 ]
		else
			[ "${lines[i]}" -gt 0 ]
			total=$((total + lines[i]))
		fi
	done
	[ "$total" -eq "$(fanout --pipe -a in --block 1M -k wc -c |
	    awk 'NR % 2 { s += $1 } END { print s }')" ]
}

@test "--pipepart --retries: a retried job is fed its whole block again" {
	make_big > in
	fanout --pipe -a in --block 1M -k cksum > want
	# Each job's first try reads a little of its block and fails.
	run --separate-stderr fanout --pipepart -a in --block 1M -k \
	    --retries 3 'if [ -e tried.{#} ]; then cksum
	    else touch tried.{#}; head -c 100 > /dev/null; exit 1; fi'
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat want)" ]
	[ "$(ls tried.* | wc -l)" -eq "$(wc -l < want)" ]
}

@test "--pipepart: a stdin pipe or a feed's thread short at a job's start is a back-off, no block lost" {
	seq 3000 > in
	for spec in pipe2:EMFILE:5:6 pthread_create:EAGAIN:1:4; do
		run --separate-stderr with_faults "$spec" \
		    "$FANOUT_BIN" --pipepart -a in --block 1k -k cat
		[ "$status" -eq 0 ]
		[ "$output" = "$(cat in)" ]
	done
}

@test "--pipepart: under a low descriptor limit the jobs that fit are fed, and all run" {
	# Each fed job holds descriptors of its own besides its engine's:
	# -j counted without them starts jobs that could never spawn.
	seq 200000 > in
	run --separate-stderr timeout -k 5 120 sh -c 'ulimit -n 48 &&
	    exec "$FANOUT_BIN" -j 30 --pipepart -a in --block 20k -k wc -l'
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "${lines[@]}" | paste -sd+ | bc)" -eq 200000 ]
	[ "${#lines[@]}" -ge 50 ]
	[[ $stderr == *"jobs fit in the descriptor limit (48)"* ]] ||
	    [[ $stderr == *"job fits in the descriptor limit (48)"* ]]
}

@test "--pipepart: a read error of the file is said as one, and ends the run" {
	seq 100000 > in
	# The first pread finds the first block's end; the next fail.
	for rr in "" --round-robin; do
		run --separate-stderr with_faults pread:EIO:2:0 \
		    "$FANOUT_BIN" -j1 $rr --pipepart -a in --block 100k wc -c
		[ "$status" -eq 255 ]
		[ "$stderr" = "fanout: cannot read input: Input/output error" ]
		[ "$output" -gt 0 ]
	done
}

@test "--pipepart: a file that shrinks while it is read is said, and ends the run" {
	seq 100000 > in
	# The first job empties the file once it has its block: the
	# second's comes out empty, and no third starts.
	run --separate-stderr fanout -j1 -k --pipepart -a in --block 100k \
	    'wc -c; truncate -s 0 in'
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: cannot read input: the file shrank while it was read; job 2 got its block cut short" ]
	[ "${#lines[@]}" -eq 2 ]
	[ "${lines[0]}" -gt 90000 ]
	[ "${lines[1]}" -eq 0 ]
}

@test "--pipepart refuses what it cannot cut, before any job runs" {
	seq 10 > in
	run --separate-stderr fanout --pipepart cat < in
	[ "$status" -eq 255 ]
	[[ $stderr == *"--pipepart does not go with standard input"* ]]
	run --separate-stderr fanout --pipepart -a in --regexp cat
	[ "$status" -eq 255 ]
	[[ $stderr == *"--pipepart does not go with --regexp"* ]]
	run --separate-stderr fanout --pipepart -a in -N 2 cat
	[ "$status" -eq 255 ]
	mkfifo fifo
	run --separate-stderr fanout --pipepart -a fifo touch ran
	[ "$status" -eq 255 ]
	[[ $stderr == *"'fifo' is not a regular file"* ]]
	run --separate-stderr fanout --pipepart -a missing touch ran
	[ "$status" -eq 255 ]
	[[ $stderr == *"missing"* ]]
	run --separate-stderr fanout --pipe --block -1 -a in touch ran
	[ "$status" -eq 255 ]
	[[ $stderr == "fanout: --block: '-1' is negative"*"--pipepart's)" ]]
	[ ! -e ran ]
}
