#!/usr/bin/env bats
# Documentation is part of every option: each long option --help lists is
# in the man page and in the bash, zsh and fish completions.

load helper

long_options() {
	fanout --help | grep -o -- '--[a-z][a-z-]*' | sort -u
}

@test "every option in --help is in the man page" {
	missing=
	for o in $(long_options); do
		grep -q -- "Fl -${o#--}\b" "$BATS_TEST_DIRNAME/../man/fanout.1" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every option in --help is in the bash completion" {
	missing=
	for o in $(long_options); do
		grep -q -- "$o\b" "$BATS_TEST_DIRNAME/../completions/fanout.bash" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every option in --help is in the zsh completion" {
	missing=
	for o in $(long_options); do
		grep -q -- "$o\b" "$BATS_TEST_DIRNAME/../completions/_fanout" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every option in --help is in the fish completion" {
	missing=
	for o in $(long_options); do
		grep -q -- "-l ${o#--}\b" "$BATS_TEST_DIRNAME/../completions/fanout.fish" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "the man page is free of mandoc warnings" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -Wwarning "$BATS_TEST_DIRNAME/../man/fanout.1"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
