#!/usr/bin/env bats
# zsh's completion (completions/_fanout) completes fanout's options before
# COMMAND, the command name, the command's own arguments, and files after
# ::: and ::::.  Each case types the line into an interactive zsh on a
# pseudo-terminal (zsh's zpty module) and presses TAB; the completion
# widget there records every candidate offered.

load helper

COMPLETIONS=$BATS_TEST_DIRNAME/../completions

# compinit reads the first line of every completion function there is, for
# seconds on a busy machine: once per file, into a dump that every test's
# zsh then loads unchecked.
setup_file() {
	command -v zsh >/dev/null || return 0
	HOME=$BATS_FILE_TMPDIR ZC_DIR=$COMPLETIONS zsh -f -c '
		fpath=($ZC_DIR $fpath)
		autoload -Uz compinit && compinit -u -d "$1"
	' zsh "$BATS_FILE_TMPDIR/zcompdump"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	command -v zsh >/dev/null ||
		skip "zsh is not installed (tests/deps installs it)"
	# A command of our own with a known completion, and files to find.
	mkdir bin
	printf '#!/bin/sh\n' >bin/mycmd
	chmod +x bin/mycmd
	PATH=$PWD/bin:$PATH
	touch file1 file2
	# The interactive zsh's set-up: fanout's completion and mycmd's, and
	# TAB bound to a completion widget that, around the usual one, writes
	# the candidates to $ZC_OUT, first of all where _fanout was loaded
	# from.
	cat >zc.rc <<-'EOF'
	PS1= RPS1=
	fpath=($ZC_DIR $fpath)
	autoload -Uz compinit && compinit -C -d $ZC_DUMP
	_mycmd() { compadd alpha beta --kept }
	compdef _mycmd mycmd
	_zc_capture() {
		local -a got
		compadd() {
			# -O, -A and -D ask for matches without adding them.
			if (( ${@[(I)-[OAD]*]} )); then
				builtin compadd "$@"
				return
			fi
			local -a reply
			builtin compadd -O reply "$@"
			got+=("$reply[@]")
			builtin compadd "$@"
		}
		_main_complete
		unfunction compadd
		print -rl -- "$functions_source[_fanout]" "${(@u)got}" \
		    >$ZC_OUT.tmp && mv $ZC_OUT.tmp $ZC_OUT
	}
	zle -C zc-capture complete-word _zc_capture
	bindkey '^I' zc-capture
	EOF
}

# zsh_complete LINE: the candidates zsh offers on TAB at the end of LINE,
# one a line, sorted.  Fails unless the completion that ran is
# completions/_fanout.
zsh_complete() {
	rm -f zc.out
	HOME=$BATS_TEST_TMPDIR ZC_DIR=$COMPLETIONS ZC_OUT=$PWD/zc.out \
	    ZC_DUMP=$BATS_FILE_TMPDIR/zcompdump \
	    zsh -f -c '
		zmodload zsh/zpty || exit 1
		zpty -b zc zsh -f -i
		zpty -w zc "source ${(q)1}"
		zpty -w -n zc "$2"$'"'\t'"'
		# Up to 20 s for the widget to write its file.
		for i in {1..1000}; do
			[[ -e $ZC_OUT ]] && break
			sleep 0.02
		done
		zpty -d zc
	' zsh "$PWD/zc.rc" "$1" || return 1
	if [ ! -e zc.out ]; then
		echo "zsh offered nothing within 20 s" >&2
		return 1
	fi
	local src
	src=$(head -n 1 zc.out)
	if [ "$src" != "$COMPLETIONS/_fanout" ]; then
		echo "fanout's completion is $src, not _fanout" >&2
		return 1
	fi
	tail -n +2 zc.out | LC_ALL=C sort
}

@test "zsh: fanout's options before the command" {
	run zsh_complete 'fanout -j 2 --keep-o'
	[ "$status" -eq 0 ]
	[ "$output" = --keep-order ]
}

@test "zsh: fanout's long options after fanout --" {
	run zsh_complete 'fanout --'
	[ "$status" -eq 0 ]
	# Every long option, and nothing else.
	[ "$(grep -c -v -- '^--[a-z]' <<<"$output")" -eq 0 ]
	grep -qx -- --keep-order <<<"$output"
	grep -qx -- --mode <<<"$output"
	grep -qx -- --compare <<<"$output"
	[ "$(wc -l <<<"$output")" -ge 100 ]
}

@test "zsh: the command name after fanout's options" {
	run zsh_complete 'fanout -j 2 myc'
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
}

@test "zsh: the command name after --" {
	run zsh_complete 'fanout -- myc'
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
	run zsh_complete 'fanout -k -- myc'
	[ "$status" -eq 0 ]
	[ "$output" = mycmd ]
}

@test "zsh: --mode's values" {
	run zsh_complete 'fanout --mode '
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'async\nprocess\nthread')" ]
	run zsh_complete 'fanout --mode th'
	[ "$status" -eq 0 ]
	[ "$output" = thread ]
}

@test "zsh: the command's own completion for its arguments" {
	run zsh_complete 'fanout --mode thread -kj 4 --timeout 5 mycmd al'
	[ "$status" -eq 0 ]
	[ "$output" = alpha ]
}

@test "zsh: no fanout option after the command" {
	run zsh_complete 'fanout -j 2 mycmd --ke'
	[ "$status" -eq 0 ]
	[ "$output" = --kept ]
}

@test "zsh: files after ::::" {
	# mycmd's own completion offers no files: these are fanout's.
	run zsh_complete 'fanout mycmd :::: fi'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
	run zsh_complete 'fanout -- mycmd :::: file1 :::: fi'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
}

@test "zsh: files after :::" {
	run zsh_complete 'fanout mycmd ::: a fi'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'file1\nfile2')" ]
}
