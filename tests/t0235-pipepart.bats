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
