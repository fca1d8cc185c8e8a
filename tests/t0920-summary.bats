#!/usr/bin/env bats
# --summary: the table on stderr at the end of the run.

load helper

# The value part of the summary row NAME (after "fanout:   NAME").
row() {
	grep "^fanout:   $1 " <<<"$stderr" | sed "s/^fanout:   $1 *//"
}

@test "--summary prints a table on stderr and nothing more on stdout" {
	run --separate-stderr fanout -k --summary echo ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[ "${stderr%%$'\n'*}" = "fanout: summary" ]
	for name in jobs 'wall time' 'job time' runtime slowest fanout mode; do
		grep -q "^fanout:   $name " <<<"$stderr"
	done
}

@test "the rows are aligned" {
	run --separate-stderr fanout --summary echo ::: a
	# Every value starts in the same column.
	tail -n +2 <<<"$stderr" > table
	awk '{ if (substr($0, 20, 1) != " " || substr($0, 21, 1) == " ") bad = 1 }
	     END { exit bad }' table
}

@test "it counts jobs done, failed, timed out and retried" {
	run --separate-stderr fanout --summary --timeout 2 --retries 2 'sleep {}; exit $(( {} == 1 ))' ::: 0 1 9
	[ "$status" -eq 2 ]
	[ "$(row jobs)" = "3 done, 2 failed, 1 timed out, 2 retried" ]
}

@test "it gives wall time, job time and the speed-up" {
	run --separate-stderr fanout -j4 --summary 'sleep 0.5; : {}' ::: 1 2 3 4
	[ "$status" -eq 0 ]
	# Four overlapping half-second jobs; a loaded machine only adds time.
	[[ "$(row 'job time')" =~ ^([0-9]+\.[0-9]{3})s\ in\ all,\ speed-up\ ([0-9.]+)x$ ]]
	awk -v t="${BASH_REMATCH[1]}" -v s="${BASH_REMATCH[2]}" \
	    'BEGIN { exit !(t >= 2 && t < 4 && s > 2 && s <= 4.2) }'
}

@test "it gives runtime p50, p90, p99 and max" {
	run --separate-stderr fanout -j5 --summary 'sleep 0.{}' ::: 1 2 3 4 5
	[ "$status" -eq 0 ]
	# Each in ms, or in s from 1 s on (a loaded machine gets there).
	d='([0-9]+\.[0-9]+)(ms|s)'
	[[ "$(row runtime)" =~ ^p50\ $d,\ p90\ $d,\ p99\ $d,\ max\ $d$ ]]
	# p50 is at least the 0.3 s job's, the others the 0.5 s one's, and
	# with five runtimes p90 and p99 are the max; load only adds.
	awk -v a="${BASH_REMATCH[1]}${BASH_REMATCH[2]}" \
	    -v b="${BASH_REMATCH[3]}${BASH_REMATCH[4]}" \
	    -v c="${BASH_REMATCH[5]}${BASH_REMATCH[6]}" \
	    -v d="${BASH_REMATCH[7]}${BASH_REMATCH[8]}" '
	    function ms(v) { return v ~ /ms$/ ? v + 0 : v * 1000 }
	    BEGIN { a = ms(a); b = ms(b); c = ms(c); d = ms(d)
		exit !(a >= 300 && a <= b && b >= 500 && b < 60000 &&
		    b == c && c == d) }'
}

@test "it lists the three slowest jobs, slowest first" {
	# Half a second apart, more than a loaded machine's spawn jitter.
	run --separate-stderr fanout -j5 --summary 'sleep {}' ::: 0.1 1.6 0.6 2.1 1.1
	slow=$(grep -A2 '^fanout:   slowest ' <<<"$stderr" | sed 's/.*job \([0-9]*\): .*/\1/' | tr '\n' ' ')
	[ "$slow" = "4 2 5 " ]
	grep -q 'job 4: sleep 2.1$' <<<"$stderr"
}

@test "it shows fanout's own CPU and peak memory, the mode and -j" {
	run --separate-stderr fanout -j3 --summary true ::: a
	[ "$status" -eq 0 ]
	[[ "$(row fanout)" =~ ^user\ [0-9.]+(us|ms|s),\ sys\ [0-9.]+(us|ms|s),\ peak\ RSS\ [0-9]+\.[0-9]\ MiB ]]
	[ "$(row mode)" = "$FANOUT_MODE, -j 3" ]
}

@test "it counts the jobs --resume skipped" {
	fanout --joblog jl true ::: a b
	run --separate-stderr fanout --summary --resume --joblog jl true ::: a b c
	[ "$status" -eq 0 ]
	[ "$(row jobs)" = "1 done, 0 failed, 0 timed out, 0 retried, 2 skipped (already done)" ]
}

@test "the summary follows the failure list" {
	run --separate-stderr fanout --summary 'exit {}' ::: 1
	[[ "$stderr" == "fanout: 1 of 1 job failed"*"fanout: summary"* ]]
}

@test "--quiet keeps the summary but drops the failure list" {
	run --separate-stderr fanout --quiet --summary 'exit {}' ::: 1
	[ "$status" -eq 1 ]
	[ "${stderr%%$'\n'*}" = "fanout: summary" ]
}
