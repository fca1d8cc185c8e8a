#!/usr/bin/env bats
# Documentation is part of every option: each long option fanout has (the
# table --list-options prints) is in the man page and in the bash, zsh and
# fish completions.

load helper

DOCS=$BATS_TEST_DIRNAME/..

long_options() {
	fanout --list-options
}

# Prints the options of the list that file does not name as pattern does
# (NAME stands for the name without its dashes).
missing_from() {
	local file=$1 pattern=$2 o name missing=
	for o in $(long_options); do
		name=${o#--}
		grep -q -- "${pattern//NAME/$name}" "$file" || missing="$missing $o"
	done
	echo "$missing"
}

@test "--list-options prints long options, one per line" {
	run --separate-stderr fanout --list-options
	[ "$status" -eq 0 ]
	[ "$stderr" = "" ]
	[ "${#lines[@]}" -ge 40 ]
	for l in "${lines[@]}"; do
		[[ "$l" =~ ^--[a-z][a-z-]*$ ]] || { echo "bad line: $l"; false; }
	done
	[ "$(printf '%s\n' "${lines[@]}" | sort | uniq -d)" = "" ]
}

@test "--list-options names every long option --help shows" {
	list=$(long_options)
	missing=
	for o in $(fanout --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qx -- "$o" <<<"$list" || missing="$missing $o"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every long option is in the man page" {
	missing=$(missing_from "$DOCS/man/fanout.1" 'Fl -NAME\b')
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every long option is in the bash completion" {
	missing=$(missing_from "$DOCS/completions/fanout.bash" '--NAME\b')
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every long option is in the zsh completion" {
	missing=$(missing_from "$DOCS/completions/_fanout" '--NAME\b')
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "every long option is in the fish completion" {
	missing=$(missing_from "$DOCS/completions/fanout.fish" '-l NAME\b')
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}

@test "the man page is free of mandoc warnings" {
	command -v mandoc >/dev/null || skip "mandoc is not installed"
	run mandoc -Tlint -Wwarning "$DOCS/man/fanout.1"
	[ "$status" -eq 0 ]
	[ -z "$output" ]
}
