#!/usr/bin/env bats
# Pictures: the runtime histogram of --summary (and of the report's
# summary).

load helper

# Run fanout with a pseudo-terminal of COLS columns as its stdin, stdout
# and stderr; what the terminal received goes to the file tty.out.
on_tty() {
	command -v script >/dev/null || skip "script(1) is not installed"
	local cols=$1 cmd="$FANOUT" a
	shift
	for a in "$@"; do
		cmd+=" $(printf '%q' "$a")"
	done
	script -qfec "stty cols $cols; $cmd" /dev/null > tty.out
}

# The histogram's rows of the summary in FILE: "BOUND COUNT" each.
hist_rows() {
	grep -E '^fanout:   (histogram| {9}) <= ' "$1" | tr -d '\r' |
	    sed -E 's/^.*<= ([^ ]+) .* ([0-9]+)$/\1 \2/'
}

@test "--summary shows a histogram whose counts add up to the jobs" {
	run --separate-stderr fanout -j4 --summary 'sleep {}' ::: 0 0.1 0.2 0 0.3 0.05 0.4
	[ "$status" -eq 0 ]
	printf '%s\n' "$stderr" > err
	hist_rows err > rows
	n=$(wc -l < rows)
	[ "$n" -ge 8 ] && [ "$n" -le 12 ]
	[ "$(awk '{ s += $2 } END { print s }' rows)" -eq 7 ]
	# The last bound is the longest runtime, the max of the runtime row.
	max=$(grep '^fanout:   runtime ' err | sed 's/.*, max //')
	[ "$(tail -1 rows | cut -d' ' -f1)" = "$max" ]
}

@test "the histogram shows fast and slow jobs as two groups apart" {
	run --separate-stderr fanout -j6 --summary 'sleep {}' ::: 0 0 0 1 1 1
	[ "$status" -eq 0 ]
	printf '%s\n' "$stderr" > err
	hist_rows err | cut -d' ' -f2 | tr '\n' ' ' > counts
	# The shortest runtimes fill the first row, the longest the last, and
	# the log scale leaves empty rows between them.
	[[ "$(cat counts)" =~ ^[1-9][0-9]*\ (.*\ )?0\ (.*\ )?[1-9][0-9]*\ $ ]]
	# One '#' at least for every row that is not empty, none for the others.
	grep -A20 '^fanout:   histogram ' err | grep -E ' [1-9][0-9]*$' |
	    grep -c '#' > bars
	[ "$(cat bars)" -eq "$(tr ' ' '\n' < counts | grep -c '^[1-9]')" ]
	run ! grep -E '#.* 0$' err
}

@test "not on a terminal the histogram is plain ASCII within 72 columns" {
	run --separate-stderr fanout -j4 --summary 'sleep {}' ::: 0 0.2 0.4 0.6
	[ "$status" -eq 0 ]
	printf '%s\n' "$stderr" | grep -A9 '^fanout:   histogram ' > rows
	[ "$(wc -l < rows)" -eq 10 ]
	run ! grep -P '[^\x20-\x7e]' rows
	awk '{ if (length($0) > 72) bad = 1 } END { exit bad }' rows
}

@test "on a terminal the histogram's bars take the terminal's width" {
	on_tty 120 -j4 --summary 'sleep {}' ::: 0 0.2 0.4 0.6
	grep -A9 '^fanout:   histogram ' tty.out | tr -d '\r' > wide
	[ "$(wc -l < wide)" -eq 10 ]
	# Longer than the 72 columns of plain text, and never wrapping.
	awk '{ if (length($0) > m) m = length($0) } END { exit !(m > 100 && m < 120) }' wide
	on_tty 60 -j4 --summary 'sleep {}' ::: 0 0.2 0.4 0.6
	grep -A9 '^fanout:   histogram ' tty.out | tr -d '\r' > narrow
	[ "$(wc -l < narrow)" -eq 10 ]
	awk '{ if (length($0) > 59) bad = 1 } END { exit bad }' narrow
}

@test "the report's summary has the histogram, its counts adding up" {
	run --separate-stderr fanout -j4 --report rep.json 'sleep {}' ::: 0 0.1 0.2 0.3 0.4
	[ "$status" -eq 0 ]
	tail -1 rep.json > sum.json
	[ "$(jq '.summary.runtime_histogram | length' sum.json)" -ge 8 ]
	[ "$(jq '[.summary.runtime_histogram[].count] | add' sum.json)" -eq 5 ]
	# Bounds rise, and the last is the longest runtime.
	jq -e '.summary.runtime_histogram | [.[].le_s] | . == sort' sum.json
	jq -e '.summary.runtime_histogram[-1].le_s == .summary.runtime_s.max' sum.json
}

@test "a run whose jobs all take as long has a one-row histogram" {
	run --separate-stderr fanout --report rep.json --summary true ::: a
	[ "$status" -eq 0 ]
	printf '%s\n' "$stderr" > err
	[ "$(hist_rows err | wc -l)" -eq 1 ]
	[ "$(hist_rows err | cut -d' ' -f2)" -eq 1 ]
	jq -e '.summary.runtime_histogram | length == 1 and .[0].count == 1' \
	    <(tail -1 rep.json)
}
