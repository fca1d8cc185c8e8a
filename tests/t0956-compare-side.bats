#!/usr/bin/env bats
# --compare --summary: under the table, each mode's histogram of its jobs'
# runtimes (every run's), on common bins: side by side, one row per bin
# and one column per mode, when that fits in the width (the terminal's,
# else $COLUMNS, else 80); else one mode under another.  --report has
# them as JSON, on the same bins.

load helper

# The modes this binary has, one per line, as its error message lists them.
modes() {
	"$FANOUT_BIN" --mode no-such-mode true 2>&1 |
	    sed -n 's/.*(choose \(.*\))$/\1/p' | tr -d ' ' | tr , '\n'
}

# The lines of $output after the table: the histograms' title and rows.
hist_lines() {
	sed -n '/^job runtimes, all runs$/,$p' <<<"$output" | tail -n +2
}

# The sum of each column of counts in the side-by-side rows on stdin
# (the words that are numbers: labels have units), one a line.
column_sums() {
	awk '{ k = 0; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/) s[++k] += $i
		if (k > n) n = k }
	    END { for (k = 1; k <= n; k++) print s[k] }'
}

# The longest line of the histograms in $output.
hist_width() {
	hist_lines | awk '{ if (length($0) > m) m = length($0) } END { print m }'
}

@test "--compare --summary: the modes' histograms side by side" {
	COLUMNS=200 run --separate-stderr fanout --compare --summary -j2 \
	    true ::: a b c d
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	hist_lines > h
	# The header names the modes in the table's order, on one line.
	[ "$(head -n 1 h | xargs)" = "$(tail -n +3 <<<"$output" |
	    sed '/^$/q' | awk 'NF { print $1 }' | xargs)" ]
	tail -n +2 h > rows
	[ "$(wc -l < rows)" -ge 1 ]
	[ "$(wc -l < rows)" -le 10 ]
	[ "$(grep -c -v '^<= ' rows)" -eq 0 ]
	# Every mode's column counts its 4 jobs.
	[ "$(column_sums < rows | sort -u)" = 4 ]
	[ "$(column_sums < rows | wc -l)" -eq "$(modes | wc -l)" ]
}

@test "--compare --summary --runs K: the histograms count every run's jobs" {
	COLUMNS=200 run --separate-stderr fanout --compare="$FANOUT_MODE" \
	    --summary --runs 2 true ::: a b c
	[ "$status" -eq 0 ]
	[ "$(hist_lines | sed -n 1p | xargs)" = "$FANOUT_MODE" ]
	[ "$(hist_lines | tail -n +2 | column_sums)" = 6 ]
}

@test "slow jobs stand apart from fast ones in every mode's column" {
	COLUMNS=200 run --separate-stderr fanout --compare --summary -j4 \
	    'sleep {}' ::: 0 0 0 1.5
	[ "$status" -eq 0 ]
	# The slow job alone in the last bin, in every column.
	[ "$(hist_lines | tail -n 1 | column_sums | sort -u)" = 1 ]
	[ "$(hist_lines | tail -n +2 | column_sums | sort -u)" = 4 ]
}

@test "stacked, one mode under another, when side by side does not fit" {
	[ "$(modes | wc -l)" -ge 2 ] || skip "one mode only: it fits"
	COLUMNS=40 run --separate-stderr fanout --compare --summary -j2 \
	    true ::: a b c
	[ "$status" -eq 0 ]
	hist_lines > h
	# Each mode's name on a line of its own, its rows under it.
	[ "$(grep -v '^<= ' h | xargs)" = "$(modes | xargs)" ]
	for m in $(modes); do
		sed -n "/^$m\$/,/^[^<]/p" h | grep '^<= ' | column_sums > sum
		[ "$(cat sum)" = 3 ]
	done
	# Bars are still drawn: the fullest bin has one.
	grep -q '^<= .*#' h
}

@test "the histograms keep within the width, never in its last column" {
	for cols in 40 60 200; do
		COLUMNS=$cols run --separate-stderr fanout --compare --summary \
		    -j2 true ::: a b c
		[ "$status" -eq 0 ]
		[ "$(hist_width)" -lt "$cols" ]
		run ! grep -P '[^\x20-\x7e]' <<<"$output"
	done
	# Wide enough, the bars widen with it.
	COLUMNS=40 run fanout --compare="$FANOUT_MODE" --summary true ::: a
	narrow=$(hist_width)
	COLUMNS=200 run fanout --compare="$FANOUT_MODE" --summary true ::: a
	[ "$(hist_width)" -gt "$narrow" ]
}

@test "on a terminal the histograms take the terminal's width" {
	command -v script >/dev/null || skip "script(1) is not installed"
	[ "$(modes | wc -l)" -ge 2 ] || skip "one mode only: it fits"
	# COLUMNS says narrow; the terminal, wide, is what counts.
	COLUMNS=40 script -qfec "stty cols 200; $(printf '%q' "$FANOUT_BIN") \
	    --compare --summary true ::: a b" /dev/null > tty.out
	output=$(tr -d '\r' < tty.out)
	# Side by side: one header line naming every mode.
	[ "$(hist_lines | sed -n 1p | xargs)" = "$(modes | xargs)" ]
	[ "$(hist_width)" -lt 200 ]
}

@test "--compare --report: each mode's histogram, the text's bins and counts" {
	COLUMNS=200 run --separate-stderr fanout --compare --summary \
	    --report r.json -j2 'sleep {}' ::: 0 0 0 0.3
	[ "$status" -eq 0 ]
	# As the summary's: an array of {le_s, count}, bounds rising.
	jq -e '.compare.runtime_histogram | length >= 1 and
	    all(.[]; keys == ["count", "le_s"]) and
	    ([.[].le_s] | . == sort) and ([.[].count] | add) == 4' \
	    r.json >/dev/null
	# Every mode on the same bins.
	[ "$(jq -c '[.compare.runtime_histogram[].le_s]' r.json |
	    sort -u | wc -l)" -eq 1 ]
	# The counts are those of the text: one row per bin, a column per
	# mode, the modes in the report's order, which is the table's.
	jq -s -r '[.[].compare.runtime_histogram | map(.count)] |
	    transpose[] | map(tostring) | join(" ")' r.json > json.counts
	hist_lines | tail -n +2 |
	    awk '{ s = ""; for (i = 1; i <= NF; i++) if ($i ~ /^[0-9]+$/)
		s = s (s == "" ? "" : " ") $i; print s }' > text.counts
	[ "$(cat json.counts)" = "$(cat text.counts)" ]
}

@test "--compare --report --runs K: the histogram counts every run's jobs" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" --runs 2 \
	    --report r.json true ::: a b c
	[ "$status" -eq 0 ]
	[ "$(jq '[.compare.runtime_histogram[].count] | add' r.json)" -eq 6 ]
}

@test "--compare without --summary prints the table alone" {
	run --separate-stderr fanout --compare true ::: a b
	[ "$status" -eq 0 ]
	[[ "$output" != *"job runtimes"* ]]
	[[ "$output" != *"<= "* ]]
}
