#!/usr/bin/env bats
# More of GNU parallel's and xargs' forms: --show-limits, xargs' line
# continuation under -L, --delay Nauto and a -d of several characters.
# Each is checked against GNU parallel, where it is installed, on the
# same input with -k: stdout byte for byte and the exit status.

load helper

# gnu ARG...: GNU parallel -k ARG... on stdin "in" (default /dev/null)
# into gnu.out and $gnu_status; skips when GNU parallel is absent.
gnu() {
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	gnu_status=0
	parallel --will-cite -k "$@" < "${IN:-/dev/null}" > gnu.out \
	    2> gnu.err || gnu_status=$?
}

# same ARG...: fanout -k ARG... and GNU parallel -k ARG... on stdin $IN
# give the same stdout, byte for byte, and the same status; fanout's are
# in $output, $stderr and $status.
same() {
	run --separate-stderr "$FANOUT_BIN" -k "$@" < "${IN:-/dev/null}"
	printf '%s\n' "$output" > ours.out
	gnu "$@"
	printf '%s\n' "$(cat gnu.out)" > gnu.cmp
	diff ours.out gnu.cmp
	[ "$status" -eq "$gnu_status" ]
}

@test "--show-limits prints xargs' limits on stderr, then runs as usual" {
	run --separate-stderr fanout -k --show-limits -s 1000 echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb' ]
	[[ "$stderr" == *"Your environment variables take up "*" bytes"* ]]
	[[ "$stderr" == *"POSIX upper limit on argument length (this system): "* ]]
	[[ "$stderr" == *"Maximum length of command we could actually use: "* ]]
	[[ "$stderr" == *$'\nSize of command buffer we are actually using: 1000\n'* ]]
	# GNU prints its own two lines and a note on stdout; past them, the
	# jobs' output and the status are the same.
	gnu --show-limits -s 1000 echo ::: a b
	[ "$(grep -v -e '^Maximal' -e '^$' -e '^Execution will' \
	    -e '^and ' -e '^press ' gnu.out)" = "$output" ]
	[ "$gnu_status" -eq 0 ]
}

@test "--show-limits keeps the failures' count as status, and runs nothing on no input" {
	run --separate-stderr fanout --show-limits 'exit {}' ::: 3 0 4
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"Size of command buffer we are actually using: "* ]]
	run --separate-stderr fanout --show-limits echo ran < /dev/null
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[[ "$stderr" == *"Maximum length of command we could actually use: "* ]]
	gnu --show-limits 'exit {}' ::: 3 0 4
	[ "$gnu_status" -eq 2 ]
}

@test "-L: a line ending in a blank joins the next one into one value" {
	printf 'a b \nc\nd\te\t\nf\ng\n' > in
	IN=in same -L1 argv {}
	[ "$output" = $'[a b c]\n[d\te\tf]\n[g]' ]
	IN=in same -L2 echo
	[ "$output" = $'a b c d\te\tf\ng' ]
}

@test "-L: a joined line goes on over empty and blank lines, -r skips a lone blank one" {
	printf 'a  \nb\nc \n d\ne\t \n\nf\n \ng\n' > in
	IN=in same -L1 argv {}
	[ "$output" = $'[a  b]\n[c  d]\n[e\t f]\n[ g]' ]
	IN=in same -r -L1 argv {}
	[ "$output" = $'[a  b]\n[c  d]\n[e\t f]\n[g]' ]
	printf 'a\n\nb\n' > in
	IN=in same -L1 argv {}
	[ "$output" = $'[a]\n[]\n[b]' ]
}

@test "-L: -E after a joining line ends input, which keeps that line" {
	printf 'a \nEOF\nb\n' > in
	IN=in same -E EOF -L1 echo '[{}]'
	[ "$output" = '[a ]' ]
	printf 'a \n' > in
	IN=in same -L1 echo '[{}]'
	[ "$output" = '[a ]' ]
}

@test "-L joins ::: words and :::: files, and {#} counts joined lines" {
	same -L1 echo '{#}[{}]' ::: 'a ' b c
	[ "$output" = $'1[a b]\n2[c]' ]
	printf 'a \nb\n' > f
	same -L1 echo '[{1}] [{2}]' :::: f ::: x y
	[ "$output" = $'[a b] [x]\n[a b] [y]' ]
	seq 5 | sed 's/$/ /' > in
	IN=in same -L1 echo '{#}'
	[ "$output" = 1 ]
}

@test "-l joins as -L does" {
	printf 'a \nb\nc\n' > in
	IN=in same -l echo '[{}]'
	[ "$output" = $'[a b]\n[c]' ]
}

@test "--delay DURauto is taken, and the jobs run as under GNU parallel" {
	same --delay 0.05auto echo ::: a b c
	[ "$output" = $'a\nb\nc' ]
	same --delay 0.05auto 'exit {}' ::: 0 1 2
	[ "$status" -eq 2 ]
}

@test "--delay DURauto lengthens the delay by 30% after each failure" {
	# The gap before the 5th start is at least 0.2 * 1.3^3 s: a lower
	# bound only, which load can never break.
	run --separate-stderr fanout -j1 --delay 0.2auto --joblog log \
	    'exit 1' ::: 1 2 3 4 5
	[ "$status" -eq 5 ]
	gap=$(awk -F '\t' 'NR > 1 { t[NR] = $3 } END { print t[6] - t[5] }' log)
	awk -v g="$gap" 'BEGIN { exit !(g >= 0.43) }'
	run --separate-stderr fanout --delay 0.2xauto true ::: 1
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--delay"*"is not a duration"* ]]
}
