#!/usr/bin/env bats
# --compare[=MODES] --runs K: every pass is a child fanout; the table on
# stdout, the JSON with --report.

load helper

# The modes this binary has, one per line, as its error message lists them.
modes() {
	"$FANOUT_BIN" --mode no-such-mode true 2>&1 |
	    sed -n 's/.*(choose \(.*\))$/\1/p' | tr -d ' ' | tr , '\n'
}

# The table's rows: the lines after the header row.
rows() {
	tail -n +3 <<<"$output"
}

@test "--compare runs every mode and prints one row per mode" {
	run --separate-stderr fanout --compare -j2 true ::: a b c
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "${lines[0]}" = "3 jobs, -j 2, 1 run per mode; medians" ]
	[[ "${lines[1]}" =~ ^mode\ +wall\ +min-max\ +jobs/s\ +user\ +sys\ +peak\ RSS\ +failed\ +start\ p50\ +start\ p99$ ]]
	[ "$(rows | awk '{ print $1 }' | sort)" = "$(modes | sort)" ]
}

@test "the rows are aligned under the header" {
	run --separate-stderr fanout --compare true ::: a b
	# Every column ends where its header ends.
	ends=$(awk 'NR >= 2 { sub(/  <- fastest$/, ""); print length($0) }' <<<"$output" | sort -u)
	[ "$(wc -l <<<"$ends")" -eq 1 ]
}

@test "--compare=MODE runs only that mode, with no mark" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" true ::: a b
	[ "$status" -eq 0 ]
	[ "$(rows | wc -l)" -eq 1 ]
	[ "$(rows | awk '{ print $1 }')" = "$FANOUT_MODE" ]
	[[ "$output" != *fastest* ]]
}

@test "the fastest mode is marked" {
	[ "$(modes | wc -l)" -ge 2 ] || skip "one mode only"
	run --separate-stderr fanout --compare true ::: a b
	[ "$(grep -c '<- fastest$' <<<"$output")" -eq 1 ]
}

@test "--runs K runs each mode K times" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" --runs 3 --report r.json true ::: a
	[[ "${lines[0]}" == "1 job, -j "*", 3 runs per mode; medians" ]]
	[ "$(jq -c '.compare.wall_s.runs | length' r.json)" = 3 ]
}

@test "standard input is read once and fed to every pass" {
	run --separate-stderr sh -c 'seq 20 | "$FANOUT_BIN" --compare --runs 2 --report r.json true'
	[ "$status" -eq 0 ]
	[ "${lines[0]%%,*}" = "20 jobs" ]
	[ "$(jq -c '.compare.jobs' r.json | sort -u)" = 20 ]
}

@test "an input source that is a pipe is read once and fed to every pass" {
	seq 7 > f
	run --separate-stderr bash -c '"$FANOUT_BIN" --compare --report r.json true :::: <(seq 3) f'
	[ "$status" -eq 0 ]
	[ "$(jq -c '.compare.jobs' r.json | sort -u)" = 21 ]
	run --separate-stderr sh -c '"$FANOUT_BIN" --compare --report r.json true :::: /dev/stdin f < f'
	[ "$status" -eq 0 ]
	[ "$(jq -c '.compare.jobs' r.json | sort -u)" = 49 ]
}

@test "the jobs' output is discarded: stdout holds only the table" {
	run --separate-stderr fanout --compare 'echo out-{}; echo err-{} >&2' ::: a b
	[ "$status" -eq 0 ]
	[[ "$output" != *out-* ]]
	[ -z "$stderr" ]
}

@test "failed jobs are counted" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" --report r.json 'exit {}' ::: 0 1 1
	[ "$status" -eq 2 ]
	[ "$(rows | awk '{ print $(NF - 2) }')" = 2 ]
	[ "$(jq -c .compare.failed r.json)" = 2 ]
}

@test "--compare --report writes one valid JSON object per mode" {
	run --separate-stderr fanout --compare --report r.json true ::: a b
	[ "$status" -eq 0 ]
	[ "$(wc -l < r.json)" -eq "$(modes | wc -l)" ]
	jq -e '.compare | (.mode | type) == "string" and .runs == 1 and .jobs == 2
	    and .wall_s.median > 0 and .wall_s.min <= .wall_s.median
	    and .wall_s.median <= .wall_s.max and .jobs_per_s > 0
	    and .user_s >= 0 and .sys_s >= 0 and .maxrss_kb > 0
	    and .failed == 0 and .start_latency_s.p50 <= .start_latency_s.p99
	    and (.fastest | type) == "boolean"' r.json >/dev/null
}

@test "fanout's CPU leaves out the jobs' own CPU" {
	burn="awk 'BEGIN { for (i = 0; i < 20000000; i++) s += i }'"
	# One job's own user time, as the shell measures it.
	TIMEFORMAT=%U
	{ time bash -c "$burn" 2>/dev/null; } 2> one
	run --separate-stderr fanout --compare="$FANOUT_MODE" --report r.json "$burn; : {}" ::: a b
	[ "$status" -eq 0 ]
	# Counting the two jobs would give at least twice one job; fanout's
	# own time, even sanitized, stays under one.
	jq -e --argjson one "$(cat one)" '.compare.user_s < $one' r.json >/dev/null
}

@test "a pass that fails shows why and fanout exits 255" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" true :::: no-such-file
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"cannot open 'no-such-file'"* ]]
	[[ "$stderr" == *"fanout: --compare: the $FANOUT_MODE pass failed (exit 255)" ]]
}

@test "a bad --compare list is refused" {
	for bad in nosuch "$FANOUT_MODE,nosuch" ",$FANOUT_MODE" "$FANOUT_MODE,"; do
		run --separate-stderr fanout --compare="$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --compare: '$bad' is not a list of modes (choose from "* ]]
	done
}

@test "--runs needs --compare and a count of at least 1" {
	run --separate-stderr fanout --runs 2 true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --runs: '2' needs --compare" ]
	run --separate-stderr fanout --compare --runs 0 true ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --runs: '0' is not a whole number >= 1" ]
}

@test "--compare refuses options whose output it would discard" {
	run --separate-stderr fanout --compare --joblog jl true ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --compare cannot be combined with --joblog"* ]]
	[ ! -e jl ]
}

@test "--compare refuses input larger than 1 GiB" {
	truncate -s 2G big || skip "no sparse files here"
	run --separate-stderr fanout --compare true < big
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --compare: standard input is larger than 1 GiB, the most a comparison reads; compare on a sample (head -n ...)" ]
	[ -z "$output" ]
}
