#!/usr/bin/env bats
# Pictures: the runtime histogram of --summary (and of the report's
# summary), and the --bar line kept under job output on a terminal.

load helper

# Run fanout with a pseudo-terminal of COLS columns as its stdin, stdout
# and stderr; what the terminal received goes to the file tty.out.
on_tty() {
	command -v script >/dev/null || skip "script(1) is not installed"
	local cols=$1 cmd="$FANOUT_BIN" a
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

@test "on a terminal the bar is drawn again under each job's output" {
	on_tty 100 -j1 --bar 'echo out{}' ::: $(seq 20)
	# Every output line is followed on the terminal by the bar, before
	# the next job's output erases it again.
	for i in $(seq 20); do
		grep -E -A1 "(^|K)out$i"$'\r$' tty.out | tail -1 > next
		[[ "$(cat next)" == $'\r''fanout: ['* ]] || {
			echo "no bar after out$i"; cat -v tty.out; false; }
	done
}

@test "on a terminal the bar leaves job output intact" {
	on_tty 100 -j2 --bar 'printf "%s-a\n%s-b\n" {} {}' ::: $(seq 15)
	# Take the bar's lines and erasures away: the output remains, in
	# full, and the final bar comes after it.
	perl -0pe 's/\rfanout: [^\r\n]* in [^\r\n]*\e\[K\r\n\z//;
	    s/\rfanout: [^\r\n]*\e\[K//g; s/\r\e\[K//g; s/\r\n/\n/g' tty.out |
	    sort > got
	for i in $(seq 15); do printf '%s-a\n%s-b\n' $i $i; done | sort > want
	cmp got want
	perl -0ne 'exit !/-b\r\n(\r\e\[K|\rfanout: [^\r\n]*\e\[K)*\rfanout: \[#+\] 100% 15\/15 done[^\r\n]*\e\[K\r\n\z/' tty.out
}
