#!/usr/bin/env bats
# Held output on its way out: large outputs of concurrent jobs, past the
# spool's memory limit, into a pipe or a file, must come out whole,
# unmixed, in order under -k, whatever path the bytes take (memory, the
# spill file, a transfer by the kernel).

load helper

# Each job writes N bytes of its own letter: a run of that letter.
# runs FILE: the letters of FILE's runs, in order ("abcd").
runs() {
	tr -s 'a-z' < "$1"
}

# whole FILE N LETTERS...: FILE holds exactly N bytes of each letter.
whole() {
	local f=$1 n=$2 l
	shift 2
	[ "$(stat -c %s "$f")" -eq $((n * $#)) ] || return 1
	for l in "$@"; do
		[ "$(tr -cd "$l" < "$f" | wc -c)" -eq "$n" ] || return 1
	done
}

# 3 MB is past the memory a spool holds at any -j (1 MiB at most).
JOB='head -c 3000000 /dev/zero | tr "\0" {}'

@test "grouped: large outputs of concurrent jobs into a pipe come out whole and unmixed" {
	run --separate-stderr bash -c '"$FANOUT_BIN" -j4 "$1" ::: a b c d | cat > out' _ "$JOB"
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(runs out | wc -c)" -eq 4 ]
	[ "$(runs out | fold -w1 | sort | tr -d '\n')" = abcd ]
	whole out 3000000 a b c d
}

@test "-k: large outputs of concurrent jobs into a pipe come out whole, in input order" {
	run --separate-stderr bash -c '"$FANOUT_BIN" -j4 -k "$1" ::: a b c d | cat > out' _ "$JOB"
	[ "$status" -eq 0 ]
	[ "$(runs out)" = abcd ]
	whole out 3000000 a b c d
}

@test "grouped and -k: large outputs into a regular file come out whole" {
	for o in --group -k; do
		rm -f out
		fanout -j4 $o "$JOB" ::: a b c d > out
		[ "$(runs out | wc -c)" -eq 4 ]
		whole out 3000000 a b c d
	done
	[ "$(runs out)" = abcd ]
}

@test "output to a file opened for append: large held outputs come through whole" {
	echo start > out
	fanout -j2 -k "$JOB" ::: a b >> out
	[ "$(head -n 1 out)" = start ]
	tail -c +7 out > rest
	[ "$(runs rest)" = ab ]
	whole rest 3000000 a b
}

@test "the first job, still writing while later ones finish, is not split by them" {
	# a writes half, lets the others run to their end, then writes the
	# rest: a job that is written out while it runs must not let theirs
	# in between its halves.
	for o in --group -k; do
		rm -f go out done-*
		"$FANOUT_BIN" -j4 $o 'if [ {} = a ]; then
			head -c 2000000 /dev/zero | tr "\0" a; waitfor go
			head -c 2000000 /dev/zero | tr "\0" a
		else
			head -c 2000000 /dev/zero | tr "\0" {}
			touch done-{}
		fi' ::: a b c d > out &
		pid=$!
		wait_for_file done-b
		wait_for_file done-c
		wait_for_file done-d
		touch go
		wait $pid
		[ "$(runs out | wc -c)" -eq 4 ]
		[ "$(tr -cd a < out | wc -c)" -eq 4000000 ]
		[ "$(tr -cd b < out | wc -c)" -eq 2000000 ]
	done
	[ "$(runs out)" = abcd ]
}

@test "a large held stdout comes before the job's large stderr, each whole" {
	run --separate-stderr bash -c '"$FANOUT_BIN" -j2 "head -c 2000000 /dev/zero | tr \"\\0\" {}; head -c 2000000 /dev/zero | tr \"\\0\" {} >&2" ::: a b > out 2> err'
	[ "$status" -eq 0 ]
	[ "$(runs out | wc -c)" -eq 2 ]
	[ "$(runs err | wc -c)" -eq 2 ]
	whole out 2000000 a b
	whole err 2000000 a b
}

@test "a reader that leaves in the middle of large held output ends fanout with SIGPIPE, silently" {
	start=$SECONDS
	run bash -c '"$FANOUT_BIN" -j2 -k "head -c 3000000 /dev/zero; : {}" ::: 1 2 3 4 5 6 2> err | head -c 100000 > /dev/null; echo "${PIPESTATUS[0]}"'
	[ $((SECONDS - start)) -lt 20 ]
	[ "$output" = 141 ]
	[ ! -s err ]
}

@test "many 1 MiB outputs into a pipe: every byte once, nothing mixed" {
	run --separate-stderr bash -c 'printf "%s\n" a b c d e f g h i j k l m n o p |
	    "$FANOUT_BIN" -j2 "head -c 1048576 /dev/zero | tr \"\\0\" {}" | cat > out'
	[ "$status" -eq 0 ]
	[ "$(runs out | wc -c)" -eq 16 ]
	whole out 1048576 a b c d e f g h i j k l m n o p
}

@test "a job alternating small writes to stdout and stderr keeps each stream whole and in order" {
	run --separate-stderr bash -c '"$FANOUT_BIN" -j2 "i=0; while [ \$i -lt 3000 ]; do echo {}out\$i; echo {}err\$i >&2; i=\$((i + 1)); done" ::: a b > out 2> err'
	[ "$status" -eq 0 ]
	for s in out err; do
		for j in a b; do
			seq 0 2999 | sed "s/^/$j$s/"
		done > want
		# Each job's lines are one block; the blocks come in either order.
		sort -s -k1,1.1 "$s" | cmp - want
		[ "$(cut -c1 "$s" | uniq | wc -l)" -eq 2 ]
	done
}
