#!/usr/bin/env bats
# The shell completions complete fanout's options before COMMAND, the
# command name, the command's own arguments, and files after ::: and ::::.
# Each case runs the completion as the shell would on TAB.

load helper

COMPLETIONS=$BATS_TEST_DIRNAME/../completions
BASH_COMPLETION=/usr/share/bash-completion/bash_completion

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	# A command of our own with a known completion, and files to find.
	mkdir bin
	printf '#!/bin/sh\n' >bin/mycmd
	chmod +x bin/mycmd
	PATH=$PWD/bin:$PATH
	touch file1 file2
	case $BATS_TEST_DESCRIPTION in
	bash:*)
		[ -r "$BASH_COMPLETION" ] ||
			skip "bash-completion is not installed (tests/deps installs it)"
		;;
	fish:*)
		command -v fish >/dev/null ||
			skip "fish is not installed (tests/deps installs it)"
		;;
	esac
}

# bash_complete WORD...: the candidates bash's completion offers for the
# last WORD of the command line WORD... (a word "=" joins its neighbours,
# as bash splits --opt=value), one a line, sorted.
bash_complete() {
	local line=fanout w
	for w in "$@"; do
		if [ "$w" = = ] || [ "${line: -1}" = = ]; then
			line+=$w
		else
			line+=" $w"
		fi
	done
	COMP_LINE=$line bash -c '
		. "$1"
		. "$2"
		complete -W "alpha beta --kept" mycmd
		shift 2
		COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1))
		COMP_POINT=${#COMP_LINE}
		_fanout fanout "${COMP_WORDS[-1]}" "${COMP_WORDS[-2]}" 2>/dev/null
		printf "%s\n" "${COMPREPLY[@]}" | LC_ALL=C sort
	' bash "$BASH_COMPLETION" "$COMPLETIONS/fanout.bash" fanout "$@"
}

# fish_complete LINE: the candidates fish offers at the end of LINE, one a
# line, without their descriptions.
fish_complete() {
	HOME=$BATS_TEST_TMPDIR fish -c \
	    'source $argv[1]; complete -C $argv[2]' \
	    "$COMPLETIONS/fanout.fish" "$1" | cut -f1 | LC_ALL=C sort
}

@test "bash: fanout's options before the command" {
	run bash_complete --keep-o
	[ "$status" -eq 0 ]
	[ "$output" = --keep-order ]
}

@test "bash: the command name after fanout's options" {
	run bash_complete -j 2 myc
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
}

@test "bash: the command name after --" {
	run bash_complete -k -- myc
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
}

@test "bash: the command's own completion for its arguments" {
	run bash_complete -j 2 mycmd al
	[ "$status" -eq 0 ]
	[ "$output" = alpha ]
}

@test "bash: an option's argument is not taken for the command" {
	run bash_complete --mode thread -kj 4 --timeout 5 mycmd al
	[ "$status" -eq 0 ]
	[ "$output" = alpha ]
}

@test "bash: no fanout option after the command" {
	run bash_complete mycmd --ke
	[ "$status" -eq 0 ]
	[ "$output" = --kept ]
}

@test "bash: files for a command with no completion of its own" {
	run bash_complete -k mycmd-none fi
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
}

@test "bash: files after :::" {
	run bash_complete echo ::: a fi
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
}

@test "bash: files after ::::" {
	run bash_complete echo :::: file
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
}

@test "bash: --mode's values" {
	run bash_complete --mode th
	[ "$status" -eq 0 ]
	[ "$output" = thread ]
}

@test "bash: --compare='s modes, a comma-separated list" {
	run bash_complete --compare = th
	[ "$status" -eq 0 ]
	[ "$output" = thread ]
	run bash_complete --compare = process,
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'process,async\nprocess,process\nprocess,thread')" ]
}

@test "fish: the command name and its own arguments" {
	run fish_complete 'fanout -j 2 mycm'
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
	run fish_complete 'fanout -j 2 ls --almost-al'
	[ "$status" -eq 0 ]
	[ "$output" = --almost-all ]
}

@test "fish: no fanout option after the command" {
	run fish_complete 'fanout -j 2 mycmd --keep-o'
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	run fish_complete 'fanout -j 2 --keep-o'
	[ "$status" -eq 0 ]
	[ "$output" = --keep-order ]
}

@test "fish: --compare='s modes" {
	run fish_complete 'fanout --compare=th'
	[ "$status" -eq 0 ]
	[ "$output" = --compare=thread ]
	run fish_complete 'fanout --compare=async,pro'
	[ "$status" -eq 0 ]
	[ "$output" = --compare=async,process ]
}
