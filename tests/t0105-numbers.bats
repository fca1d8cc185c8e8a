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
	for bad in '\x-1' '\x+f' '\x 1' '\x0x'; do
		run --separate-stderr fanout -d "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: -d: '$bad' is not one character or escape"* ]]
	done
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
