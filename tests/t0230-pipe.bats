#!/usr/bin/env bats
# --pipe: standard input cut into blocks at record boundaries, each block
# one job's standard input, as GNU parallel's --pipe.

load helper

# A reproducible input of lines of random lengths, NUL bytes among them,
# with no final newline: bytes $1, seeded by $2.  No line is empty: on
# runs of empty records GNU parallel -N miscounts.
lines_of() {
	awk -v n="$1" -v seed="$2" 'BEGIN {
		srand(seed)
		for (len = 0; len < n; ) {
			l = 1 + int(rand() * rand() * 300)
			for (i = 0; i < l && len < n; i++) {
				printf "%c", 48 + int(rand() * 40)
				len++
			}
			if (len < n) { printf "\n"; len++ }
		}
	}' | tr '5' '\000'
}

@test "--pipe: the blocks in order are the input, byte for byte" {
	# The smallest blocks make a job of nearly every record: a shorter
	# input gives them as many edges to get wrong at a fraction of the
	# jobs.
	lines_of 20000 1 > small
	for size in 1 100; do
		fanout --pipe --block "$size" -k cat < small > out
		cmp small out
	done
	lines_of 300000 1 > in
	for size in 1k 64k 1M; do
		fanout --pipe --block "$size" -k cat < in > out
		cmp in out
	done
	[ "$(fanout --pipe --block 1k -k 'echo x' < in | wc -l)" -gt 200 ]
}

@test "--pipe never cuts a record, and a record longer than the block comes whole" {
	{ printf 'a\n'; head -c 5000 /dev/zero | tr '\0' b; printf '\nc\nd\n'; } > in
	run --separate-stderr fanout --pipe --block 100 -k 'wc -c' < in
	[ "$status" -eq 0 ]
	# The long record's block holds it whole: it is not cut at 100.
	[ "$output" = "$(printf '2\n5001\n4')" ]
}

@test "--pipe cuts blocks where GNU parallel does" {
	lines_of 100000 2 > in
	for size in 8k 30k; do
		fanout --pipe --block "$size" -k 'wc -c' < in > ours
		gnu_parallel in --pipe --block "$size" -k 'wc -c' > theirs
		cmp ours theirs
	done
}

@test "--pipe -N and -L give exactly N records a block, the last fewer" {
	seq 10 > in
	run --separate-stderr fanout --pipe -N 3 -k 'echo "{#}: $(paste -sd,)"' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1: 1,2,3\n2: 4,5,6\n3: 7,8,9\n4: 10')" ]
	run --separate-stderr fanout --pipe -L 4 -k 'paste -sd,' < in
	[ "$output" = "$(printf '1,2,3,4\n5,6,7,8\n9,10')" ]
}

@test "--pipe -N agrees with GNU parallel on binary input" {
	lines_of 30000 3 > in
	fanout --pipe -N 25 -k 'echo ==; cat' < in > ours
	gnu_parallel in --pipe -N 25 -k 'echo ==; cat' > theirs
	cmp ours theirs
}

@test "--pipe: a final record without an end is the last block's" {
	printf 'a\nb\nc' > in
	run --separate-stderr fanout --pipe -N 1 -k 'od -An -c' < in
	[ "$output" = "$(printf '   a  \\n\n   b  \\n\n   c')" ]
}

@test "--recend, --recstart and --rrs split and strip as GNU parallel" {
	run --separate-stderr fanout --pipe --recend ';' -N 2 -k 'cat; echo' \
	    < <(printf 'a;b;c')
	[ "$output" = "$(printf 'a;b;\nc')" ]
	run --separate-stderr fanout --pipe --recstart X -N 1 -k 'echo "[$(cat)]"' \
	    < <(printf 'Xa\nXb\nc\nXd')
	[ "$output" = "$(printf '[Xa]\n[Xb\nc]\n[Xd]')" ]
	run --separate-stderr fanout --pipe --recstart X --rrs -N 1 -k 'echo "[$(cat)]"' \
	    < <(printf 'Xa\nXb\nc\nXd\n')
	[ "$output" = "$(printf '[a]\n[b\nc]\n[d]')" ]
	run --separate-stderr fanout --pipe --recend 'X' --rrs -N 1 -k 'echo "[$(cat)]"' \
	    < <(printf 'aXbXc')
	[ "$output" = "$(printf '[a]\n[b]\n[c]')" ]
	# Both: a boundary is an end followed by a start.
	run --separate-stderr fanout --pipe --recend '\n' --recstart '>' -N 1 -k 'echo "[$(cat)]"' \
	    < <(printf '>a\nb\n>c\n')
	[ "$output" = "$(printf '[>a\nb]\n[>c]')" ]
}

@test "--regexp makes --recend a regular expression" {
	run --separate-stderr fanout --pipe --regexp --recend '[0-9]+' -N 1 -k 'echo "[$(cat)]"' \
	    < <(printf 'a1b22c333d')
	[ "$output" = "$(printf '[a1]\n[b22]\n[c333]\n[d]')" ]
	run --separate-stderr fanout --pipe --regexp --rrs --recend '\d+' -N 2 -k 'echo "[$(cat)]"' \
	    < <(printf 'a1b22c333d')
	[ "$output" = "$(printf '[ab]\n[cd]')" ]
}

@test "--recend and --recstart variants agree with GNU parallel" {
	lines_of 20000 4 | tr 'A' '>' > in
	for opts in "--recstart >" "--recend \\n --recstart >" \
	    "--recstart > --rrs" "--regexp --recend [0-9]+\\n" \
	    "--regexp --recstart >[a-c]"; do
		# shellcheck disable=SC2086
		fanout --pipe $opts -N 20 -k 'echo ==; cat' < in > ours
		# shellcheck disable=SC2086
		gnu_parallel in --pipe $opts -N 20 -k 'echo ==; cat' > theirs
		cmp ours theirs || { echo "differs: $opts" >&2; return 1; }
	done
}

@test "--pipe -N counts records at any --recend exactly" {
	# GNU parallel puts N+1 records in some blocks here: fanout, exactly N.
	lines_of 50000 5 > in
	fanout --pipe --recend ';' -N 3 -k 'printf "%s\n" "$(tr -cd ";" | wc -c)"' < in > counts
	[ "$(wc -l < counts)" -gt 100 ]
	[ "$(head -n -1 counts | sort -u)" = "3" ]
	[ "$(tail -n 1 counts)" -le 3 ]
	fanout --pipe --recend ';' -N 3 -k cat < in | cmp - in
}

@test "--header repeats the header records atop every block" {
	printf 'h1\nh2\n1\n2\n3\n4\n5\n' > in
	run --separate-stderr fanout --pipe --header 2 -N 2 -k 'paste -sd,' < in
	[ "$output" = "$(printf 'h1,h2,1,2\nh1,h2,3,4\nh1,h2,5')" ]
	run --separate-stderr fanout --pipe --header : -N 3 -k 'paste -sd,' < in
	[ "$output" = "$(printf 'h1,h2,1,2\nh1,3,4,5')" ]
	# A header alone makes no job.
	run --separate-stderr fanout --pipe --header 2 'echo ran' < <(printf 'h1\nh2\n')
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--pipe: {#} numbers the blocks, {%} is a slot, -k keeps their order" {
	seq 100 > in
	run --separate-stderr fanout --pipe -j 3 -N 10 -k 'echo {#} {%} $(head -n 1)' < in
	[ "$status" -eq 0 ]
	[ "$(printf '%s\n' "$output" | cut -d' ' -f1 | paste -sd,)" = "$(seq 10 | paste -sd,)" ]
	[ "$(printf '%s\n' "$output" | cut -d' ' -f3 | paste -sd,)" = "1,11,21,31,41,51,61,71,81,91" ]
	printf '%s\n' "$output" | cut -d' ' -f2 | while read -r slot; do
		[ "$slot" -ge 1 ] && [ "$slot" -le 3 ]
	done
}

@test "--pipe: empty input runs no job" {
	run --separate-stderr fanout --pipe 'echo ran' < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
}

@test "--pipe: a job that reads none of its block does not stop the run" {
	seq 100000 > in
	run --separate-stderr fanout --pipe --block 10k true < in
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	run --separate-stderr fanout --pipe --block 10k 'head -c 1 >/dev/null' < in
	[ "$status" -eq 0 ]
}

@test "--pipe: the joblog's Send is the block's bytes" {
	printf 'ab\ncde\n' > in
	fanout --pipe -N 1 -k --joblog jl 'cat; echo' < in > /dev/null
	[ "$(tail -n +2 jl | cut -f5,6 | tr '\t' ' ' | sort)" = "$(printf '3 4\n4 5')" ]
}

@test "--pipe --retries feeds a retried job the same block again" {
	printf 'one\ntwo\n' > in
	run --separate-stderr fanout --pipe -N 1 --retries 3 'cat >> got.{#}; exit 1' < in
	[ "$status" -eq 2 ]
	[ "$(cat got.1)" = "$(printf 'one\none\none')" ]
	[ "$(cat got.2)" = "$(printf 'two\ntwo\ntwo')" ]
}

@test "--pipe -a FILE cuts the file, not standard input" {
	seq 6 > in
	run --separate-stderr fanout --pipe -N 4 -a in -k 'paste -sd,' < /dev/null
	[ "$output" = "$(printf '1,2,3,4\n5,6')" ]
	run --separate-stderr fanout --pipe -N 4 -k 'paste -sd,' :::: in < /dev/null
	[ "$output" = "$(printf '1,2,3,4\n5,6')" ]
}

@test "--pipe with ::: gives each block the next -N values, then none, as GNU" {
	seq 6 > in
	run --separate-stderr fanout --pipe -N 2 -k 'echo {} - $(paste -sd,)' ::: a b c d e < in
	[ "$output" = "$(printf 'a b - 1,2\nc d - 3,4\ne - 5,6')" ]
	run --separate-stderr fanout --pipe -N 3 -k 'echo x{}x $(paste -sd,)' ::: a < in
	[ "$output" = "$(printf 'xax 1,2,3\nxx 4,5,6')" ]
}

@test "--cat: {} names a file that holds the block, removed after the job" {
	mkdir tmp
	seq 5 > in
	run --separate-stderr fanout --tmpdir tmp --pipe --cat -N 2 -k \
	    'echo "{#} $(paste -sd, {})"; test -f {} && echo "{}" >> names' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1 1,2\n2 3,4\n3 5')" ]
	[ "$(wc -l < names)" -eq 3 ]
	[ "$(ls tmp)" = "" ]
}

# has_files DIR N: DIR holds at least N files.
has_files() {
	[ "$(ls "$1" | wc -l)" -ge "$2" ]
}

@test "--cat: a run ended by a signal leaves no block in --tmpdir" {
	# While the job holds the only slot, the next block waits in its own
	# file, cut ahead: the end by a signal removes it too.
	mkdir tmp
	seq 10 > in
	spawn_fanout --tmpdir tmp --pipe --cat -N 2 -j1 \
	    'recordpid job.pid; exec sleep 900; : {}' < in
	wait_for_file job.pid
	wait_until 20 has_files tmp 2
	kill -TERM "$pid"
	reap
	[ "$status" -eq 143 ]
	gone job.pid
	[ "$(ls tmp)" = "" ]
}

@test "--pipe: a record written in two parts is never cut between them" {
	mkfifo p
	{ printf 'aa'; waitfor more; printf 'bb\ncc\n'; } > p &
	exec 5<p
	fanout --pipe -N 1 -k 'echo "[$(cat)]"' <&5 > out &
	pid=$!
	touch more
	wait "$pid"
	exec 5<&-
	[ "$(cat out)" = "$(printf '[aabb]\n[cc]')" ]
}

@test "--pipe: a closed downstream ends the run" {
	seq 200000 > in
	run --separate-stderr bash -c '"$FANOUT_BIN" --pipe --block 1k -k cat < in | head -n 1'
	[ "$status" -eq 0 ]
	[ "$output" = "1" ]
}

@test "--pipe: bad values are refused before any job runs" {
	for bad in 0 -1 x 1.5.5 10Q 100000T; do
		run --separate-stderr fanout --pipe --block "$bad" 'touch ran' < /dev/null
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --block: '$bad' "* ]]
	done
	run --separate-stderr fanout --pipe --recend '\q' 'touch ran' < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--recend: '\\q' has an escape"* ]]
	run --separate-stderr fanout --pipe --regexp --recend '(' 'touch ran' < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--regexp"* ]]
	for opt in -X --shuf "--colsep ," -0 -N0; do
		# shellcheck disable=SC2086
		run --separate-stderr fanout --pipe $opt 'touch ran' < /dev/null
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"--pipe does not go with"* ]]
	done
	for opt in "--block 1M" "--recend ;" --regexp --rrs --cat; do
		# shellcheck disable=SC2086
		run --separate-stderr fanout $opt 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"with --pipe only"* ]]
	done
	run --separate-stderr fanout --pipe -a missing 'touch ran'
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"missing"* ]]
	[ ! -e ran ]
}

@test "--pipe: a block that cannot be kept in --tmpdir is reported, not lost" {
	seq 10 > in
	# The first temp file open is the block's: fail it for good.
	run --separate-stderr with_faults open:ENOSPC:1:1000 \
	    "$FANOUT_BIN" --pipe -N 5 'cat' < in
	[ "$status" -ne 0 ]
	[[ "$stderr" == *"cannot keep a block of input"*"No space left"* ]]
}

@test "--pipe: short of descriptors for a block, fanout waits and loses none" {
	seq 10 > in
	run --separate-stderr with_faults open:EMFILE:1:3 \
	    "$FANOUT_BIN" --pipe -N 5 -k cat < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(seq 10)" ]
}

@test "--pipe: --tag, --timeout and --halt work on blocks as on argument jobs" {
	seq 4 > in
	run --separate-stderr fanout --pipe -N 2 --tag -k cat < in
	[ "$output" = "$(printf '\t1\n\t2\n\t3\n\t4')" ]
	seq 6 > in
	run --separate-stderr fanout --pipe -N 2 -k --timeout 1 \
	    'read -r x; if [ "$x" = 3 ]; then exec sleep 30; fi; echo "$x"; cat' < in
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf '1\n2\n5\n6')" ]
	[[ "$stderr" == *"job 2: timed out"* ]]
	run --separate-stderr fanout -j 1 --pipe -N 2 --halt now,fail=1 \
	    'read -r x; [ "$x" != 3 ]' < in
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"halted by --halt"* ]]
}
