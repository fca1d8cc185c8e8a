#!/usr/bin/env bats
# --progress, --bar, --eta and --total: one line on stderr, redrawn in
# place on a terminal (tested for real under script(1)), one final line
# otherwise.

load helper

# Run fanout with a pseudo-terminal as its stdin, stdout and stderr;
# what the terminal received goes to the file tty.out.
on_tty() {
	command -v script >/dev/null || skip "script(1) is not installed"
	local cmd="$FANOUT_BIN" a
	for a in "$@"; do
		cmd+=" $(printf '%q' "$a")"
	done
	script -qfec "$cmd" /dev/null > tty.out
}

# What each line of tty.out shows once the terminal has drawn it: the
# text after the last carriage return, escape sequences removed.
screen() {
	sed -e 's/\x1b\[K//g' -e 's/\r$//' -e 's/.*\r//' tty.out
}

@test "not on a terminal, --progress prints one final line" {
	run --separate-stderr fanout --progress -k echo ::: a b c
	[ "$output" = "$(printf 'a\nb\nc')" ]
	[[ "$stderr" =~ ^fanout:\ 3/3\ done,\ 0\ running,\ [0-9.]+/s\ in\ [0-9.]+(us|ms|s)$ ]]
}

@test "--bar shows a full bar and 100% at the end" {
	run --separate-stderr fanout --bar true ::: a b c d
	[[ "$stderr" == "fanout: ["*"########] 100% 4/4 done, 0 running, "* ]]
}

@test "failed jobs are counted in the line" {
	run --separate-stderr fanout --progress --quiet 'exit {}' ::: 0 1 1
	[[ "$stderr" == "fanout: 3/3 done, 0 running, 2 failed, "* ]]
}

@test "from a pipe there is no total, only counts and a rate" {
	run --separate-stderr sh -c 'seq 5 | "$FANOUT_BIN" --bar --eta true'
	[[ "$stderr" =~ ^fanout:\ 5\ done,\ 0\ running,\ [0-9.]+/s\ in ]]
}

@test "a regular file as input gives the total without holding it" {
	seq 7 > in
	run --separate-stderr fanout --progress true :::: in
	[[ "$stderr" == "fanout: 7/7 done,"* ]]
	run --separate-stderr fanout --progress -a in true
	[[ "$stderr" == "fanout: 7/7 done,"* ]]
}

@test "standard input redirected from a file is counted and still read whole" {
	seq 9 > in
	run --separate-stderr fanout -k --progress echo < in
	[ "$output" = "$(seq 9)" ]
	[[ "$stderr" == "fanout: 9/9 done,"* ]]
}

@test "the count honours -n, -r, -E, --header and -0" {
	printf 'h\na\n\nb\nc\nSTOP\nd\n' > in
	run --separate-stderr fanout --progress -r -E STOP true < in
	[[ "$stderr" == "fanout: 4/4 done,"* ]]
	run --separate-stderr fanout --progress -n 2 true < in
	[[ "$stderr" == "fanout: 4/4 done,"* ]]
	run --separate-stderr fanout --progress --header : true < in
	[[ "$stderr" == "fanout: 6/6 done,"* ]]
	printf 'a\0b\0c' > in0
	run --separate-stderr fanout --progress -0 true < in0
	[[ "$stderr" == "fanout: 3/3 done,"* ]]
}

@test "--total N gives the total when it cannot be known" {
	run --separate-stderr sh -c 'seq 3 | "$FANOUT_BIN" --progress --total 10 true'
	[[ "$stderr" == "fanout: 3/10 done,"* ]]
}

@test "a malformed --total is refused" {
	run --separate-stderr fanout --total x true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --total: 'x' is not a whole number >= 0" ]
}

@test "on a terminal the line is redrawn in place and ends with a newline" {
	on_tty -j2 --bar 'sleep 0.3; : {}' ::: 1 2 3 4 5 6
	# Several redraws, each "\r<line>\e[K", and the last line kept.
	[ "$(grep -o $'\r''fanout: \[' tty.out | wc -l)" -ge 5 ]
	grep -q $'\x1b\\[K' tty.out
	[[ "$(screen | tail -1)" == "fanout: ["*"] 100% 6/6 done, 0 running, "*" in "* ]]
}

@test "on a terminal the bar fills and an ETA is shown" {
	on_tty -j1 --bar 'sleep 0.25; : {}' ::: 1 2 3 4 5 6 7 8
	grep -q 'ETA [0-9]s' tty.out
	grep -q ' 50% 4/8 done' tty.out
}

@test "on a terminal the line is redrawn at most 10 times a second" {
	on_tty --progress 'sleep 2; : {}' ::: a
	n=$(grep -o $'\r''fanout: ' tty.out | wc -l)
	[ "$n" -ge 5 ]
	[ "$n" -le 23 ]
}

@test "on a terminal, job output never lands inside the progress line" {
	on_tty -j3 --progress 'sleep 0.1; echo out-{}' ::: $(seq 12)
	screen > shown
	# Every line shows either a job's output or the final progress line.
	[ "$(grep -c '^out-[0-9]*$' shown)" -eq 12 ]
	[ "$(grep -vc '^out-[0-9]*$' shown)" -eq 1 ]
	[[ "$(tail -1 shown)" == "fanout: 12/12 done, 0 running, "* ]]
}

@test "on a terminal the line never wraps" {
	command -v script >/dev/null || skip "script(1) is not installed"
	script -qfec "stty cols 50; $FANOUT_BIN --bar 'sleep 0.2; : {}' ::: 1 2 3" /dev/null > tty.out
	screen > shown
	awk '{ if (length($0) > 49) bad = 1 } END { exit bad }' shown
}

@test "on a terminal, output that does not end its line is not drawn over" {
	for o in --group --line-buffer --keep-order; do
		on_tty -j3 "$o" --bar 'sleep 0.1; echo out-{}; printf part-{}' \
		    ::: $(seq 12)
		screen > shown
		# Every job's unfinished line stays on the screen, and the
		# final bar has a line of its own, the last.
		grep -o 'part-[0-9]*' shown | sort -u > parts
		[ "$(wc -l < parts)" -eq 12 ] || {
			echo "$o:"; cat -v tty.out; false; }
		[ "$(grep -o 'out-[0-9]*' shown | sort -u | wc -l)" -eq 12 ]
		[[ "$(tail -1 shown)" == "fanout: ["*"] 100% 12/12 done"* ]]
	done
}
