#!/usr/bin/env bats
# Default options: $FANOUT and -J/--profile NAME, as GNU parallel's
# $PARALLEL and profiles.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	export XDG_CONFIG_HOME=$BATS_TEST_TMPDIR/config
	mkdir -p "$XDG_CONFIG_HOME/fanout"
}

@test "\$FANOUT's options come first, split as the shell splits words" {
	FANOUT="-k --tagstring a\\ b" run --separate-stderr fanout echo ::: x y
	[ "$status" -eq 0 ]
	[ "$output" = $'a b\tx\na b\ty' ]
	FANOUT="--tagstring 'q r' -k" run fanout echo ::: x
	[ "$output" = $'q r\tx' ]
	FANOUT='--tagstring "d \"e\"" -k' run fanout echo ::: x
	[ "$output" = $'d "e"\tx' ]
	FANOUT=$'-k\n-j1' run fanout echo ::: 1 2
	[ "$output" = $'1\n2' ]
}

@test "\$FANOUT agrees with GNU parallel's \$PARALLEL" {
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	for opts in "-k --tagstring a\\ b" "--tagstring 'q r' -k"; do
		ours=$(FANOUT=$opts "$FANOUT_BIN" echo ::: x y)
		theirs=$(PARALLEL=$opts parallel --will-cite echo ::: x y)
		[ "$ours" = "$theirs" ] || { echo "$opts: $ours / $theirs"; false; }
	done
}

@test "the command line overrides \$FANOUT" {
	FANOUT="--tagstring env -k" run fanout --tagstring line echo ::: x
	[ "$output" = $'line\tx' ]
}

@test "a bad \$FANOUT is refused, naming it" {
	FANOUT="--tagstring 'open" run --separate-stderr fanout echo ::: x
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: \$FANOUT: a quote is not closed" ]
	[ -z "$output" ]
	FANOUT="--no-such-option" run --separate-stderr fanout echo ::: x
	[ "$status" -eq 255 ]
	[[ $stderr == *no-such-option* ]]
}

@test "-J NAME reads options from the profile, comments and all" {
	printf '%s\n' '# for the tests' '--tagstring P\ Q  # tagged' '-k' \
	    > "$XDG_CONFIG_HOME/fanout/tagged"
	run --separate-stderr fanout -J tagged echo ::: x y
	[ "$status" -eq 0 ]
	[ "$output" = $'P Q\tx\nP Q\ty' ]
	run fanout --profile tagged echo ::: x
	[ "$output" = $'P Q\tx' ]
	run fanout --profile=tagged echo ::: x
	[ "$output" = $'P Q\tx' ]
	run fanout -Jtagged echo ::: x
	[ "$output" = $'P Q\tx' ]
}

@test "profiles come first, then \$FANOUT, then the command line" {
	echo '--tagstring P -k' > "$XDG_CONFIG_HOME/fanout/p"
	echo '--tagstring Q' > "$XDG_CONFIG_HOME/fanout/q"
	run fanout -J p -J q echo ::: x
	[ "$output" = $'Q\tx' ]
	FANOUT="--tagstring E" run fanout -J p echo ::: x
	[ "$output" = $'E\tx' ]
	FANOUT="--tagstring E" run fanout -J p --tagstring L echo ::: x
	[ "$output" = $'L\tx' ]
}

@test "a missing profile is refused before any job runs" {
	run --separate-stderr fanout -J nothere touch ran ::: x
	[ "$status" -eq 255 ]
	[[ $stderr == "fanout: --profile: cannot read '$XDG_CONFIG_HOME/fanout/nothere': "* ]]
	[ ! -e ran ]
}

@test "a profile named with a / is that file; without XDG_CONFIG_HOME, ~/.config" {
	echo '--tagstring F' > prof
	run fanout -J ./prof echo ::: x
	[ "$output" = $'F\tx' ]
	mkdir -p home/.config/fanout
	echo '--tagstring H' > home/.config/fanout/h
	HOME=$PWD/home XDG_CONFIG_HOME= run fanout -J h echo ::: x
	[ "$output" = $'H\tx' ]
}

@test "--compare's passes get \$FANOUT's and the profile's options once" {
	# Each pass is a fanout of its own: it must see each default option
	# once, from its command line or from $FANOUT, not from both.  The
	# job writes down its parent's (the pass's or its worker's) argv.
	echo '--tagstring P' > "$XDG_CONFIG_HOME/fanout/p"
	FANOUT="--tagstring E" run --separate-stderr fanout -J p \
	    --compare=thread,async --runs 1 \
	    'tr "\0" " " < /proc/$PPID/cmdline >> argv; echo >> argv; : {}' ::: a
	[ "$status" -eq 0 ]
	[ "$(wc -l < argv)" -eq 2 ]
	while read -r line; do
		[ "$(grep -o -- '--tagstring' <<< "$line" | wc -l)" -eq 1 ]
		[[ $line != *" -J "* ]]
	done < argv
}
