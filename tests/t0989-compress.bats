#!/usr/bin/env bats
# --compress, --compress-program and --decompress-program: held output
# that spills to --tmpdir (past 1 MiB a stream at -j2 and fewer) is
# written through the compressor and read back through the decompressor,
# byte for byte, stdout and stderr apart; a program that fails is
# fanout's own failure, named, and never a silent loss.

load helper

# Two outputs past the spill threshold, with NUL bytes and binary noise,
# and the programs the tests compress with: zsave keeps a copy of what
# it wrote to the spill file (its stdout) and logs that it ran.
setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	head -c 1500000 /dev/urandom > a.bin
	head -c 1000000 /dev/zero >> a.bin
	head -c 2200000 /dev/urandom > b.bin
	printf 'tail\0end' >> b.bin
	cat > zsave <<'SH'
#!/bin/sh
echo ran >> "$ZDIR/ran"
gzip -c -1 || exit
cat < /proc/$$/fd/1 > "$ZDIR/disk.$$"
SH
	chmod +x zsave
	export ZDIR=$PWD
}

# both ARGS...: run fanout with ARGS on the two jobs (a to stdout, b to
# stderr; then b, a), -j2, grouped or -k as ARGS say, into out and err.
both() {
	fanout -j2 "$@" 'cat {1}; cat {2} >&2' ::: a.bin b.bin :::+ \
	    b.bin a.bin > out 2> err
}

# The streams, each job's part whole, in the order given or its reverse.
check_streams() {
	if [ "$1" = any ] && ! cmp -s out <(cat a.bin b.bin); then
		cmp out <(cat b.bin a.bin)
		cmp err <(cat a.bin b.bin)
	else
		cmp out <(cat a.bin b.bin)
		cmp err <(cat b.bin a.bin)
	fi
}

@test "-k: spilled stdout and stderr round-trip byte for byte, apart" {
	both -k --compress-program ./zsave --decompress-program 'gzip -dc'
	check_streams
	[ "$(wc -l < ran)" -ge 2 ]
}

@test "grouped: spilled stdout and stderr round-trip byte for byte, apart" {
	both --compress-program ./zsave --decompress-program 'gzip -dc'
	check_streams any
	[ "$(wc -l < ran)" -ge 2 ]
}

@test "the spill file on disk holds the compressor's output" {
	both -k --compress-program ./zsave --decompress-program 'gzip -dc'
	n=0
	for f in disk.*; do
		# gzip's format, not the raw stream.
		gzip -t "$f"
		gzip -dc < "$f" | cmp -s - a.bin || gzip -dc < "$f" |
		    cmp - b.bin
		n=$((n + 1))
	done
	[ "$n" -ge 2 ]
}

@test "--compress alone picks an installed program and round-trips" {
	both -k --compress
	check_streams
}

@test "output below the spill threshold never starts the compressor" {
	fanout -k --compress-program ./zsave echo ::: a b > out
	[ "$(cat out)" = $'a\nb' ]
	[ ! -e ran ]
}

@test "a job's exit status is its own under --compress" {
	st=0
	fanout -k --compress 'cat a.bin; exit {}' ::: 0 3 > out || st=$?
	[ "$st" -eq 1 ]
	cmp out <(cat a.bin a.bin)
}

@test "a --compress-program that exits 1 is fanout's failure, named" {
	printf '#!/bin/sh\ncat > /dev/null\nexit 1\n' > zfail
	chmod +x zfail
	run --separate-stderr fanout -k --compress-program ./zfail \
	    cat ::: a.bin
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"job 1: cannot hold its output: compress program './zfail' failed with exit status 1"* ]]
}

@test "a --compress-program that does not exist is fanout's failure" {
	run --separate-stderr fanout -k --compress-program ./no-such-zip \
	    cat ::: a.bin
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"compress program './no-such-zip' failed with exit status 127"* ]]
}

@test "a compressor killed by a signal is fanout's failure, named" {
	run --separate-stderr fanout -k \
	    --compress-program 'head -c 1000 > /dev/null; kill -KILL $$' \
	    cat ::: a.bin
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"compress program 'head -c 1000 > /dev/null; kill -KILL \$\$'"*"killed by signal 9"* ]]
}

@test "a --decompress-program that fails is fanout's failure, named" {
	run --separate-stderr fanout -k --compress-program 'gzip -c' \
	    --decompress-program 'cat > /dev/null; exit 2' cat ::: a.bin
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"decompress program 'cat > /dev/null; exit 2' failed with exit status 2"* ]]
}

@test "a --decompress-program that loses bytes is fanout's failure" {
	run --separate-stderr fanout -k --compress-program 'gzip -c' \
	    --decompress-program 'gzip -dc | head -c 1000' cat ::: a.bin
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"decompress program 'gzip -dc | head -c 1000' did not give back the bytes it was given"* ]]
}

@test "--compress leaves -u and --line-buffer output as it is" {
	fanout -u --compress-program ./zsave cat ::: a.bin > out
	cmp out a.bin
	seq 300000 > lines
	fanout --line-buffer --compress-program ./zsave cat ::: lines > out
	cmp out lines
	[ ! -e ran ]
}

@test "--compress -k gives GNU parallel's stdout and status" {
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	fanout -k --compress cat ::: a.bin b.bin > out
	parallel --will-cite -k --compress cat ::: a.bin b.bin > gnu.out
	cmp out gnu.out
}

# fits ARGS...: how many jobs fanout says fit in 128 descriptors.
fits() {
	prlimit --nofile=128:128 "$FANOUT_BIN" -j 100 "$@" true \
	    ::: $(seq 100) 2>&1 | sed -n 's/.* only \([0-9]*\) jobs fit.*/\1/p'
}

@test "--compress counts each job's pipes to its compressors as descriptors" {
	plain=$(fits)
	zipped=$(fits --compress)
	[ -n "$plain" ] && [ -n "$zipped" ]
	[ "$zipped" -lt "$plain" ]
}
