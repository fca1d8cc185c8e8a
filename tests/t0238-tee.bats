#!/usr/bin/env bats
# --pipe --tee: one job for each ::: combination, all at once, each given
# the whole stream on its standard input.

load helper

# A few MiB of every byte value, NULs among them, without a final newline.
make_input() {
	head -c 3000000 /dev/urandom > in
	printf 'tail\0without newline' >> in
}

# Whether each out.NAME holds all of in.
each_has_all() {
	local n
	for n in "$@"; do
		cmp in "out.$n" || return 1
	done
}

@test "--tee: every job is given every byte of a piped stream" {
	make_input
	cat in | fanout --pipe --tee 'cat > out.{}' ::: a b c d
	each_has_all a b c d
}

@test "--tee: every job is given every byte of a stream from a file" {
	make_input
	fanout --pipe --tee 'cat > out.{}' ::: a b c < in
	each_has_all a b c
	fanout -a in --pipe --tee 'cat > out.{}' ::: x y
	each_has_all x y
}

@test "--tee: where tee(2) is refused, every job is given every byte all the same" {
	make_input
	run --separate-stderr with_faults tee:EINVAL:1 \
	    "$FANOUT_BIN" --pipe --tee 'cat > out.{}' ::: a b c < <(cat in)
	[ "$status" -eq 0 ]
	each_has_all a b c
}

@test "--tee: one job alone is given every byte" {
	make_input
	cat in | fanout --pipe --tee 'cat > out.{}' ::: a
	each_has_all a
}

@test "--tee: slow jobs are given every byte, the stream paced by them" {
	seq 20000 > in
	cat in | fanout --pipe --tee \
	    'while IFS= read -r l; do printf "%s\n" "$l"; done > out.{}' ::: a b
	each_has_all a b
}

@test "--tee: the jobs are the combinations of the sources, as without --pipe" {
	seq 10 > in
	run --separate-stderr fanout --pipe --tee -k 'echo {1}{2} $(wc -l)' \
	    ::: a b ::: 1 2 < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a1 10\na2 10\nb1 10\nb2 10')" ]
}

@test "--pipepart --tee: every job is given the whole file" {
	make_input
	fanout --pipepart -a in --tee 'cat > out.{}' ::: a b c
	each_has_all a b c
	fanout --pipepart --tee 'cat > out.{1}' :::: in ::: x y
	each_has_all x y
}

@test "--tee: a job that exits early is dropped, the others are given all" {
	make_input
	cat in | fanout --pipe --tee 'sh -c {}' \
	    ::: 'head -c 10 > out.h' 'cat > out.a' 'cat > out.b'
	each_has_all a b
	cmp out.h <(head -c 10 in)
}

@test "--tee: jobs that all exit early end the run" {
	seq 5000000 > in
	run --separate-stderr timeout 60 "$FANOUT_BIN" --pipe --tee \
	    -k 'head -1' ::: a b < <(cat in)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1\n1')" ]
}

@test "--tee: empty input gives every job an empty stdin" {
	run --separate-stderr fanout --pipe --tee -k 'echo {} $(wc -c)' \
	    ::: a b < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a 0\nb 0')" ]
	: > in
	run --separate-stderr fanout --pipe --tee -k 'echo {} $(wc -c)' \
	    ::: a b < <(cat in)
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a 0\nb 0')" ]
}

@test "--tee: the joblog's Send is the bytes each job was given" {
	seq 200000 > in
	cat in | fanout --pipe --tee --joblog log 'sh -c {}' \
	    ::: 'head -c 10 >/dev/null' 'cat >/dev/null'
	size=$(wc -c < in)
	[ "$(awk -F'\t' 'NR > 1 && $9 ~ /cat/ { print $5 }' log)" -eq "$size" ]
	sent=$(awk -F'\t' 'NR > 1 && $9 ~ /head/ { print $5 }' log)
	[ "$sent" -ge 10 ] && [ "$sent" -le "$size" ]
}

@test "--tee: a failed job is never retried: the stream cannot come again" {
	seq 10 > in
	run --separate-stderr fanout --pipe --tee --retries 3 \
	    'echo ran {}; cat > /dev/null; exit 1' ::: a < in
	[ "$status" -eq 1 ]
	[ "$output" = "ran a" ]
}

@test "--tee: GNU parallel's examples give GNU parallel's output" {
	seq 1000 > in
	gnu_parallel in --pipe --tee -k -v wc {} ::: -w -l -c > gnu
	fanout --pipe --tee -k -v wc {} ::: -w -l -c < in > ours
	cmp gnu ours
	gnu_parallel in --pipe --tee -k --tag 'grep {1} | wc {2}' \
	    ::: {0..9} ::: -l -c > gnu
	fanout --pipe --tee -k --tag 'grep {1} | wc {2}' \
	    ::: {0..9} ::: -l -c < in > ours
	cmp gnu ours
}

@test "--pipepart --tee: GNU parallel's example gives GNU parallel's output" {
	for w in apple banana cherry date elder fig grape; do
		for i in 1 2 3; do echo "$w$i"; done
	done > words
	: > in
	gnu_parallel in -a words --pipepart --tee -k --tag \
	    'grep {1} | wc {2}' ::: {a..e} ::: -l -c > gnu
	fanout -a words --pipepart --tee -k --tag 'grep {1} | wc {2}' \
	    ::: {a..e} ::: -l -c > ours
	cmp gnu ours
}

@test "--tee --header: the header goes once, atop the stream, as GNU's" {
	printf 'h\n1\n2\n' > in
	gnu_parallel in --pipe --tee --header : -k 'echo {}; cat' ::: a b > gnu
	fanout --pipe --tee --header : -k 'echo {}; cat' ::: a b < in > ours
	cmp gnu ours
}

@test "--tee: -j lower than the jobs is refused before anything starts" {
	seq 10 > in
	run --separate-stderr fanout -j2 --pipe --tee 'touch ran.{}; cat' \
	    ::: a b c < in
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--tee: its 3 jobs each read the whole stream"*"-j 2 is too few"* ]]
	[ "$output" = "" ]
	run ls ran.a ran.b ran.c
	[ "$status" -ne 0 ]
}

@test "--tee: -j as high as the jobs, or -j 0, runs them all" {
	seq 10 > in
	run --separate-stderr fanout -j3 --pipe --tee -k 'wc -l' ::: a b c < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '10\n10\n10')" ]
	run --separate-stderr fanout -j0 --pipe --tee -k 'wc -l' ::: a b c < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '10\n10\n10')" ]
}

@test "--tee: more jobs than the descriptor limit allows is one clear error" {
	seq 10 > in
	run --separate-stderr bash -c 'ulimit -n 40 &&
	    exec "$0" --pipe --tee "touch ran.{}; cat" ::: $(seq 30) < in' \
	    "$FANOUT_BIN"
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --tee: only $(echo "$stderr" |
	    sed 's/.*only \([0-9]*\) .*/\1/') of its 30 jobs fit in the limits (descriptors, processes), and every one must run at once" ]
	[ "$output" = "" ]
	run ls ran.1
	[ "$status" -ne 0 ]
}

@test "--tee without --pipe is refused" {
	run --separate-stderr fanout --tee echo ::: a < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--tee works with --pipe only"* ]]
}

@test "--tee without ::: values is refused" {
	run --separate-stderr fanout --pipe --tee wc < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--tee needs ::: values"* ]]
	seq 3 > in
	run --separate-stderr fanout -a in --pipe --tee wc
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--tee needs ::: values"* ]]
}

@test "--tee does not go with --round-robin, --cat or --fifo" {
	for o in --round-robin --cat --fifo; do
		run --separate-stderr fanout --pipe --tee "$o" cat ::: a \
		    < /dev/null
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"--tee does not go with $o"* ]]
	done
}

@test "--tee --dry-run lists every job" {
	run --separate-stderr fanout --dry-run --pipe --tee 'wc {}' \
	    ::: -l -c < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'wc -l\nwc -c')" ]
}

@test "--tee: Ctrl-C while the jobs wait for input ends them and fanout" {
	mkfifo f
	exec 7<> f
	spawn_fanout --pipe --tee 'touch started.{}; cat > /dev/null' \
	    ::: a b < f
	wait_for_file started.a
	wait_for_file started.b
	kill -INT "$pid"
	reap
	exec 7>&-
	[ "$status" -eq 130 ]
	grep -q "interrupted by SIGINT" err
}

@test "--tee: --halt ends the others, which wait for input" {
	mkfifo f
	exec 7<> f
	run --separate-stderr timeout 60 "$FANOUT_BIN" --halt now,fail=1 \
	    --pipe --tee 'if [ {} = a ]; then exit 1; fi; cat > /dev/null' \
	    ::: a b < f
	exec 7>&-
	[ "$status" -eq 1 ]
}

@test "--tee: short of pipes for the jobs' stdin, fanout waits and loses none" {
	make_input
	run --separate-stderr with_faults pipe2:EMFILE:5:4 \
	    "$FANOUT_BIN" --pipe --tee 'cat > out.{}' ::: a b c < <(cat in)
	[ "$status" -eq 0 ]
	each_has_all a b c
}

@test "--tee: short of threads or processes for the jobs, fanout waits and loses none" {
	make_input
	run --separate-stderr with_faults pthread_create:EAGAIN:2:3,posix_spawn:EAGAIN:1:3 \
	    "$FANOUT_BIN" --pipe --tee 'cat > out.{}' ::: a b c < <(cat in)
	[ "$status" -eq 0 ]
	each_has_all a b c
}
