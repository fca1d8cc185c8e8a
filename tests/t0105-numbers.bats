#!/usr/bin/env bats
# Numbers in option values: decimal digits only, as SPEC's rules say.
# strtod and strtol would also take hex, exponents, signs and blanks.

load helper

@test "--timeout refuses hex and exponents, naming the option" {
	for bad in 0x10 0X1p3 1e3 1E3 2.5e-1 1e3s 0x1h; do
		run --separate-stderr fanout --timeout "$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --timeout: '$bad' is not a duration"* ]]
	done
}

@test "--delay and --retry-delay refuse hex and exponents" {
	for opt in --delay --retry-delay; do
		for bad in 0x10 1e3 1ms0x2; do
			run --separate-stderr fanout "$opt" "$bad" true ::: a
			[ "$status" -eq 255 ]
			[[ "$stderr" == "fanout: $opt: '$bad' is not a duration"* ]]
		done
	done
}

@test "decimal durations with units are still taken" {
	for good in 10 1.5 .5m 2. 1500ms 1h30m 0.1m 1d; do
		run --separate-stderr fanout --timeout "$good" echo ok ::: a
		[ "$status" -eq 0 ]
		[ "$output" = "ok a" ]
	done
}

@test "-d refuses a hex escape with a sign or a blank" {
	for bad in '\x-1' '\x+f' '\x 1'; do
		run --separate-stderr fanout -d "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: -d: '$bad' has an escape fanout does not know"* ]]
	done
}

@test "-d '\x0x' is a NUL then an x: two characters, as GNU parallel's" {
	printf 'a\0xb' > in
	run --separate-stderr fanout -k -d '\x0x' echo :::: in
	[ "$status" -eq 0 ]
	[ "$output" = $'a\nb' ]
}

@test "-d still takes one or two hex digits" {
	printf 'a,b' >in
	run fanout -k -d '\x2c' echo :::: in
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "a" ]
	[ "${lines[1]}" = "b" ]
	[ "${#lines[@]}" -eq 2 ]
}

# Under the sanitizer build (make check) the old code stopped here on
# qsort(NULL, 0, ...), undefined behaviour.
@test "--retry-failed with a joblog of successes runs nothing" {
	printf '1\t:\t1700000000.000\t     0.001\t0\t2\t0\t0\techo a\n' >log
	run --separate-stderr fanout --retry-failed --joblog log echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "" ]
	[ "$stderr" = "" ]
}

@test "whole-number options refuse a leading sign" {
	for opt in -n -N -L -s --retries --total; do
		run --separate-stderr fanout "$opt" +2 true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: $opt: '+2' is not a whole number"* ]]
	done
	run --separate-stderr fanout --retries -0 true ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --retries: '-0' is not a whole number"* ]]
}

@test "--runs refuses a leading sign" {
	run --separate-stderr fanout --compare --runs +2 true ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --runs: '+2' is not a whole number"* ]]
}

@test "--halt refuses a signed count or percentage" {
	for bad in now,fail=+1 soon,done=+50% soon,success=-0; do
		run --separate-stderr fanout --halt "$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --halt: '$bad' is not a halt rule"* ]]
	done
}

@test "--termseq refuses a signed signal number or delay" {
	for bad in TERM,+5 +15 TERM,-0 KILL,25,+9; do
		run --separate-stderr fanout --termseq "$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --termseq: '$bad' is not a termination"* ]]
	done
}

@test "--timeout N% refuses hex, exponents and signs" {
	for bad in 0x10% 1e3% 1E3% +5% -5% ' 5%' 5.% .5e1%; do
		run --separate-stderr fanout --timeout "$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --timeout: '$bad' is not a duration or a percentage"* ]]
	done
}

@test "--timeout N% compares the exact value with the limit" {
	run --separate-stderr fanout --timeout 1000000.000000000000000001% true ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --timeout: '1000000.000000000000000001%' is not a percentage above 0 and at most 1000000%"* ]]
	run --separate-stderr fanout --timeout 0.000% true ::: a
	[ "$status" -eq 255 ]
	run --separate-stderr fanout --timeout 1000000.000% echo ok ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "ok a" ]
}

@test "signed -j forms and percentages still work" {
	for good in +1 -1 50% 0 3; do
		run --separate-stderr fanout -j "$good" echo ok ::: a
		[ "$status" -eq 0 ]
		[ "$output" = "ok a" ]
	done
	for bad in +-1 -+1 ++1 +x 1e1 0x2 +5% 5.5%; do
		run --separate-stderr fanout -j "$bad" true ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: -j: '$bad' is not a job count"* ]]
	done
}
