#!/usr/bin/env bats
# tests/deps, which make test and .ci/run call: a missing tool is installed
# with apt-get as root, saying so on one line; otherwise the one command to
# run is printed.  Run here with jq hidden from PATH, and stand-ins for id
# and apt-get.

load helper

DEPS=$BATS_TEST_DIRNAME/deps

# A PATH holding every tool the script may look for, but jq; `id` says the
# uid $1, and apt-get logs its arguments to apt.log and exits $2.
hide_jq() {
	local t p
	mkdir bin
	for t in bats script parallel perl ssh ssh-keygen curl fish zsh mandoc \
	    strace clang uname mktemp cat rm chmod; do
		p=$(command -v "$t") && [ "${p#/}" != "$p" ] && ln -s "$p" bin/
	done
	printf '#!/bin/sh\necho %s\n' "$1" >bin/id
	printf '#!/bin/sh\necho "$*" >>%s/apt.log\necho "E: from apt-get"\nexit %s\n' \
	    "$PWD" "$2" >bin/apt-get
	chmod +x bin/id bin/apt-get
}

@test "deps: nothing to do when every tool is there" {
	command -v jq >/dev/null || skip "jq is missing: run tests/deps"
	run --separate-stderr sh "$DEPS" test
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
}

@test "deps: not root, it prints the one command to run and fails" {
	hide_jq 1000 0
	PATH=$PWD/bin run --separate-stderr /bin/sh "$DEPS" test
	[ "$status" -eq 1 ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "make test needs "*jq*": sudo apt-get install "*jq* ]]
	[ ! -e apt.log ]
}

@test "deps: as root, it installs the missing tools with apt-get, saying so" {
	hide_jq 0 0
	PATH=$PWD/bin run --separate-stderr /bin/sh "$DEPS" test
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "${#stderr_lines[@]}" -eq 1 ]
	[[ $stderr == "make test: installing "*jq*" with apt-get" ]]
	[ "$(sed -n 1p apt.log)" = "update -q" ]
	[[ $(sed -n 2p apt.log) == "install -y -q "*jq* ]]
}

@test "deps: apt-get's failure is shown and is the status" {
	hide_jq 0 100
	PATH=$PWD/bin run --separate-stderr /bin/sh "$DEPS" test
	[ "$status" -eq 100 ]
	[[ $stderr == *"E: from apt-get"* ]]
}

@test "deps: make test and CI take their list from tests/deps" {
	grep -q '^	@sh tests/deps test$' "$BATS_TEST_DIRNAME/../Makefile"
	grep -q '^sh tests/deps check$' "$BATS_TEST_DIRNAME/../.ci/run"
}
