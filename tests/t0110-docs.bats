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

@test "the man page groups its options in the order users look for them" {
	run awk '/^\.Sh / { in_opts = $0 == ".Sh OPTIONS"; next }
	    in_opts && /^\.Ss / { sub(/^\.Ss /, ""); print }' \
	    "$DOCS/man/fanout.1"
	[ "$status" -eq 0 ]
	want="Input Templates Execution Output Failures Reports Modes"
	[ "$(echo $output)" = "$want Remote hosts" ]
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

@test "the README puts fanout on PATH before an example calls it fanout" {
	# Line numbers, in code blocks: the first command line that runs a
	# bare `fanout`, and the first that installs it or puts it on PATH.
	code() {
		awk -v re="$1" '/^```/ { in_code = !in_code; next }
		    in_code && $0 ~ re { print NR; exit }' "$DOCS/README.md"
	}
	first_use=$(code '^(\\$ )?([^#]*[|] *)?fanout ')
	first_path=$(code '^(make install|export PATH=)')
	[ -n "$first_use" ]
	[ -n "$first_path" ]
	[ "$first_path" -lt "$first_use" ]
}

@test "the README says fanout is for Linux, and why" {
	grep -q '^C17, .*Linux' "$DOCS/README.md"
	run ! grep -q '^C17, POSIX' "$DOCS/README.md"
	sed -n '/^### Platforms/,/^###* [^P]/p' "$DOCS/README.md" >platforms
	grep -q 'Linux only' platforms
	grep -q 'epoll' platforms
	grep -q 'pidfd' platforms
	grep -q 'LOOP=poll' platforms
}

@test "the README names every package tests/deps installs" {
	missing=
	for p in $(grep -o 'missing [a-z"][a-z0-9 .-]*' "$DOCS/tests/deps" |
	    sed 's/missing //; s/"//g'); do
		grep -q "\`$p\`" "$DOCS/README.md" || missing="$missing $p"
	done
	[ -z "$missing" ] || { echo "missing:$missing"; false; }
}
