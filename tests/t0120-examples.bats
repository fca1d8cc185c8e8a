#!/usr/bin/env bats
# The examples shipped in examples/ work as their comments say.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	mkdir -p bin
	ln -sf "$FANOUT" bin/fanout
	PATH=$PWD/bin:$PATH
	EX=$BATS_TEST_DIRNAME/../examples
}

@test "checksum-tree lists every file once, in a stable order" {
	mkdir -p t/a t/b
	for f in t/a/1 t/a/2 t/b/3 't/b/with space'; do echo "$f" > "$f"; done
	run "$EX/checksum-tree" t
	[ "$status" -eq 0 ]
	[ "$output" = "$(find t -type f | LC_ALL=C sort | xargs -d '\n' sha256sum)" ]
}

@test "compress-logs compresses every .log file and keeps the originals" {
	mkdir -p logs/deep
	seq 1000 > logs/a.log
	seq 2000 > 'logs/deep/b c.log'
	echo keep > logs/other.txt
	run "$EX/compress-logs" logs
	[ "$status" -eq 0 ]
	[ "$(gzip -dc logs/a.log.gz)" = "$(seq 1000)" ]
	[ "$(gzip -dc 'logs/deep/b c.log.gz')" = "$(seq 2000)" ]
	[ -e logs/a.log ]
	[ ! -e logs/other.txt.gz ]
}
