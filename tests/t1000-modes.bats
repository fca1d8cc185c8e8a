#!/usr/bin/env bats
# The three execution modes: identical observable behaviour, no leaks.
# These tests name modes explicitly, so each pass of `make test` checks
# all of them.

load helper

modes() {
	for m in process thread async; do
		if "$FANOUT_BIN" --mode "$m" --dry-run true ::: x >/dev/null 2>&1; then
			echo "$m"
		fi
	done
}

@test "every mode gives the same stdout, stderr and status" {
	cases=(
		"-k both ::: a b c"
		"-k exitwith ::: 0 3 0 5"
		"-k --tag dieby ::: TERM"
		"-k --lb lines ::: 1 2 ::: 3"
		"-k -v echo ::: x y"
		"--timeout 1 -k sleep ::: 0 30"
		"--retries 2 -k sh -c 'exit \$FANOUT_ATTEMPT' ::: 1"
		"-k --no-shell nosuchprog-xyz ::: a"
		"-k -n2 argv ::: a b c"
		"-j1 -k --halt now,fail=1 exitwith ::: 0 4 0"
	)
	for c in "${cases[@]}"; do
		eval "set -- $c"
		FANOUT_MODE=async "$FANOUT_BIN" "$@" > ref.out 2> ref.err && ref=0 || ref=$?
		for m in $(modes); do
			FANOUT_MODE=$m "$FANOUT_BIN" "$@" > got.out 2> got.err && st=0 || st=$?
			cmp ref.out got.out || { echo "stdout differs in $m: $c"; false; }
			cmp ref.err got.err || { echo "stderr differs in $m: $c"; diff ref.err got.err; false; }
			[ "$st" -eq "$ref" ] || { echo "status $st != $ref in $m: $c"; false; }
		done
	done
}

@test "no mode leaks descriptors across 300 sequential jobs" {
	# The job counts its parent's descriptors (fanout's, or its worker's
	# in process mode) once the parent is idle, waiting for it: after 10
	# jobs and after 210, so that a leak of one per job shows 200.
	for m in $(modes); do
		FANOUT_MODE=$m "$FANOUT_BIN" -j1 -k 'if [ $(({} % 200)) = 10 ]; then sleep 0.3; ls /proc/$PPID/fd | wc -l; fi' ::: $(seq 300) > counts
		[ "$(wc -l < counts)" -eq 2 ]
		[ "$(sed -n 1p counts)" -eq "$(sed -n 2p counts)" ] || { echo "$m: $(cat counts)"; false; }
	done
}

@test "a job in any mode inherits only 0, 1, 2 and what fanout inherited" {
	expected=$(fds | sort -n | tr '\n' ' ')
	for m in $(modes); do
		got=$(FANOUT_MODE=$m "$FANOUT_BIN" 'fds | sort -n | tr "\n" " "; : {}' ::: 1)
		[ "$got" = "$expected" ] || { echo "$m: $got vs $expected"; false; }
	done
}
