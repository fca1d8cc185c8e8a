#!/usr/bin/env bats
# The examples shipped in examples/ work as their comments say.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	mkdir -p bin
	ln -sf "$FANOUT_BIN" bin/fanout
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

# start_httpd DIR: serve DIR on loopback (tests/fixtures/httpd); sets $base
# to its URL.  teardown ends it by its recorded pid.
start_httpd() {
	# A grandchild, which the shell does not report on when teardown kills it.
	(sh -c 'recordpid httpd.pid; exec httpd "$1" port' sh "$1" 3>&- &)
	wait_for_file port
	base=http://127.0.0.1:$(cat port)
	# A proxy of the environment must not see the local server.
	export no_proxy=127.0.0.1 NO_PROXY=127.0.0.1
}

@test "fetch-urls fetches every URL into a file named by its job number" {
	command -v curl >/dev/null || skip "curl is not installed (tests/deps installs it)"
	mkdir www
	echo one >www/a
	seq 1000 >www/b
	start_httpd www
	printf '%s\n' "$base/a" "$base/b" >urls
	run --separate-stderr "$EX/fetch-urls" urls 'out dir'
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "$(cat 'out dir/1')" = one ]
	[ "$(cat 'out dir/2')" = "$(seq 1000)" ]
	# --tag: each job's -w line after its URL.
	[ "$(printf '%s\n' "${lines[@]}" | LC_ALL=C sort)" = \
	    "$(printf '%s\t200 4\n%s\t200 3893' "$base/a" "$base/b")" ]
}

@test "fetch-urls retries a transient HTTP error, and gives up after 3 tries" {
	command -v curl >/dev/null || skip "curl is not installed (tests/deps installs it)"
	mkdir www
	echo one >www/flaky
	touch www/flaky.fail-once
	start_httpd www
	printf '%s\n' "$base/flaky" "$base/missing" >urls
	run --separate-stderr "$EX/fetch-urls" urls out
	[ "$status" -eq 1 ]
	[ "$(cat out/1)" = one ]
	[ ! -e out/2 ]
	[ "$(grep -c '^flaky$' www/.log)" -eq 2 ]
	[ "$(grep -c '^missing$' www/.log)" -eq 3 ]
	[[ $stderr == *"job 2: exit 22:"* ]]
}

@test "resize-images shows three commands, then makes every thumbnail" {
	# ImageMagick's convert stands in as a script that names its input in
	# the output file it is given.
	printf '#!/bin/sh\n[ "$2 $3" = "-thumbnail 200x200" ] || exit 2\necho "thumb of $1" >"$4"\n' >bin/convert
	chmod +x bin/convert
	mkdir photos
	for f in a b 'c d' e; do echo "$f" >"photos/$f.jpg"; done
	run --separate-stderr "$EX/resize-images" photos/*.jpg
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 3 ]
	[ "${lines[0]}" = "convert photos/a.jpg -thumbnail 200x200 photos/a.thumb.jpg" ]
	for f in a b 'c d' e; do
		[ "$(cat "photos/$f.thumb.jpg")" = "thumb of photos/$f.jpg" ]
	done
}

@test "every example is run by this file" {
	missing=
	for f in "$EX"/*; do
		grep -q "\"\$EX/${f##*/}\"" "$BATS_TEST_FILENAME" ||
			missing="$missing ${f##*/}"
	done
	[ -z "$missing" ] || { echo "not run:$missing"; false; }
}

@test "every curl that --retries retries fails on an HTTP error (curl -f)" {
	bad=$(grep -h -- '--retries.*curl ' "$BATS_TEST_DIRNAME/../README.md" \
	    "$BATS_TEST_DIRNAME/../man/fanout.1" "$EX"/* |
	    grep -v -- 'curl -[a-zA-Z]*f' || :)
	[ -z "$bad" ] || { echo "without -f: $bad"; false; }
}
