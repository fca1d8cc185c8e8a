#!/usr/bin/env bats
# --compare's verdict: a mode is marked fastest only when its range of
# wall times lies wholly below every other mode's, and a comparison whose
# passes had failed jobs exits non-zero, naming those passes.
#
# The passes' durations are made, not hoped for: each job counts the
# passes in a file (one job a pass), and sleeps in the passes SLOW lists.
# With --compare=A,B --runs 2 the passes run A B, then B A: passes 1-4.

load helper

# The modes this binary has, one per line, as its error message lists them.
modes() {
	"$FANOUT_BIN" --mode no-such-mode true 2>&1 |
	    sed -n 's/.*(choose \(.*\))$/\1/p' | tr -d ' ' | tr , '\n'
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	OTHER=$(modes | grep -vx "$FANOUT_MODE" | head -n 1)
	cat > pass <<'EOS'
#!/bin/sh
# Pass number N: the Nth run of this job, one job per pass.
n=$(( $(cat count 2>/dev/null || echo 0) + 1 ))
echo "$n" > count
case " $SLOW " in *" $n "*) sleep 3 ;; esac
case " ${FAIL-} " in *" $n "*) exit 1 ;; esac
exit 0
EOS
	chmod +x pass
}

# The row of mode $1 in the table.
row() {
	grep "^$1 " <<<"$output"
}

@test "a mode whose every run beats every run of the others is marked fastest" {
	[ -n "$OTHER" ] || skip "one mode only"
	# Passes 1 and 4 are $FANOUT_MODE's: both slow.
	SLOW="1 4" run --separate-stderr fanout --compare="$FANOUT_MODE,$OTHER" \
	    --runs 2 --report r.json ./pass ::: x
	[ "$status" -eq 0 ]
	[ "$(cat count)" = 4 ]
	[[ "$(row "$OTHER")" == *"  <- fastest" ]]
	[[ "$(row "$FANOUT_MODE")" != *fastest* ]]
	[[ "$output" != *"no mode is clearly fastest"* ]]
	[ "$(jq -c 'select(.compare.fastest) | .compare.mode' r.json)" = "\"$OTHER\"" ]
}

@test "when the modes' ranges overlap no mode is marked fastest, and the table says so" {
	[ -n "$OTHER" ] || skip "one mode only"
	# Pass 1 is $FANOUT_MODE's, pass 3 $OTHER's: each mode has a slow
	# run and a quick one, whichever median is lower.
	SLOW="1 3" run --separate-stderr fanout --compare="$FANOUT_MODE,$OTHER" \
	    --runs 2 --report r.json ./pass ::: x
	[ "$status" -eq 0 ]
	[ "$(cat count)" = 4 ]
	[[ "$output" != *"<- fastest"* ]]
	[ "${lines[-1]}" = "no mode is clearly fastest: their wall time ranges overlap" ]
	[ "$(jq -c .compare.fastest r.json | sort -u)" = false ]
}

@test "a single mode is never marked fastest nor said to overlap" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" --runs 2 true ::: x
	[ "$status" -eq 0 ]
	[[ "$output" != *fastest* ]]
}

@test "failed jobs in every pass: the status counts them and each pass is named" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" --runs 2 'exit {}' ::: 0 1 1
	[ "$status" -eq 2 ]
	[ "$stderr" = "fanout: --compare: the $FANOUT_MODE pass, run 1 of 2, had 2 failed jobs
fanout: --compare: the $FANOUT_MODE pass, run 2 of 2, had 2 failed jobs" ]
	# The table is still printed, with the count.
	[ "$(row "$FANOUT_MODE" | awk '{ print $(NF - 2) }')" = 2 ]
}

@test "a failed job in one pass only makes --compare exit non-zero, naming that pass" {
	[ -n "$OTHER" ] || skip "one mode only"
	# Pass 3 is $OTHER's second run.
	FAIL=3 SLOW="" run --separate-stderr fanout \
	    --compare="$FANOUT_MODE,$OTHER" --runs 2 ./pass ::: x
	[ "$status" -eq 1 ]
	[ "$stderr" = "fanout: --compare: the $OTHER pass, run 2 of 2, had 1 failed job" ]
}

@test "more than 100 failed jobs in a pass give status 101" {
	run --separate-stderr fanout --compare="$FANOUT_MODE" false ::: $(seq 101)
	[ "$status" -eq 101 ]
	[ "$stderr" = "fanout: --compare: the $FANOUT_MODE pass, run 1 of 1, had 101 failed jobs" ]
}
