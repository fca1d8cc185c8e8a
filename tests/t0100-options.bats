#!/usr/bin/env bats
# Options: help, version, and a clear error with exit 255 for every kind
# of bad input, before any job starts.

load helper

@test "--help prints a summary grouped by topic and exits 0" {
	run --separate-stderr fanout --help
	[ "$status" -eq 0 ]
	[[ "$output" == *"usage: fanout"* ]]
	[[ "$output" == *"Input:"* ]]
	[[ "$output" == *"Output:"* ]]
	[[ "$output" == *"--keep-order"* ]]
}

@test "--version prints the version" {
	run fanout --version
	[ "$status" -eq 0 ]
	[[ "$output" =~ ^fanout\ [0-9]+\.[0-9]+\.[0-9]+$ ]]
}

@test "an unknown long option is named, exit 255, nothing runs" {
	run --separate-stderr fanout --frobnicate touch ran ::: x
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --frobnicate: unknown option (see fanout --help)" ]
	[ ! -e ran ]
}

@test "an unknown short option is named" {
	run --separate-stderr fanout -y echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: -y: unknown option (see fanout --help)" ]
}

@test "an option missing its value says so" {
	run --separate-stderr fanout -j
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: -j: expects a value (see fanout --help)" ]
}

@test "a flag given a value says it takes none" {
	run --separate-stderr fanout --dry-run=yes echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --dry-run=yes: takes no value" ]
}

@test "a malformed job count is refused" {
	for bad in abc 2x '' -x 1.5 %; do
		run --separate-stderr fanout -j "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: -j: '$bad' is not a job count"* ]]
		[ -z "$output" ]
	done
}

@test "-P is -j, as in GNU parallel and xargs" {
	run --separate-stderr fanout -P nope echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: -P: 'nope' is not a job count"* ]]
}

@test "a malformed -n is refused with the number rule" {
	run --separate-stderr fanout -n -1 echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: -n: '-1' is not a whole number >= 0 (1k is 1000, 1K 1024)" ]
	run --separate-stderr fanout -n 3x echo ::: a
	[ "$status" -eq 255 ]
}

@test "a malformed duration is refused, naming the option" {
	for bad in 1x -1 '' 1.2.3 m 5mm; do
		run --separate-stderr fanout --delay "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --delay: '$bad' is not a duration"* ]]
	done
}

@test "durations take units and combinations" {
	for good in 0 1.5 250ms 2m 1h30m 0.01s 1d; do
		run fanout --delay "$good" --dry-run echo ::: a
		[ "$status" -eq 0 ]
	done
}

@test "an unknown mode is refused with the choices" {
	run --separate-stderr fanout --mode turbo echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --mode: no mode 'turbo' (choose "*"async)" ]]
}

@test "FANOUT_MODE sets the default mode and --mode wins" {
	FANOUT_MODE=turbo run --separate-stderr fanout echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: FANOUT_MODE: no mode 'turbo' (choose "* ]]
	FANOUT_MODE=turbo run fanout --mode async echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
}

@test "a missing input file is named, exit 255, nothing runs" {
	run --separate-stderr fanout touch ran :::: no-such-file
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: "*"no-such-file"*"No such file or directory" ]]
	[ ! -e ran ]
	run --separate-stderr fanout -a no-such-file touch ran
	[ "$status" -eq 255 ]
	[ ! -e ran ]
}

@test "a bad delimiter is refused" {
	run --separate-stderr fanout -d 'a\qb' echo
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: -d: 'a\qb' has an escape fanout does not know"* ]]
	run --separate-stderr fanout -d '' echo
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"use -0 for NUL"* ]]
}

@test "--trim accepts l, r, lr, n only" {
	run --separate-stderr fanout --trim x echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --trim: 'x' is not l, r, lr or n" ]
}

@test "--tag with -u is refused with a suggestion" {
	run --separate-stderr fanout -u --tag echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"use --line-buffer"* ]]
}

@test "--tmpdir must be a directory" {
	run --separate-stderr fanout --tmpdir nowhere echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --tmpdir: 'nowhere': No such file or directory" ]]
}

@test "COMMAND's own flags are never taken as options" {
	run fanout echo -n --help ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "--help a" ]
}

@test "-- ends the options" {
	run fanout -- echo ::: a
	[ "$output" = "a" ]
}

@test "GNU parallel's spellings --dryrun, --argsep, --linebuffer, --spreadstdin and --max-replace-args work" {
	run --separate-stderr fanout --dryrun --argsep @@ echo @@ a
	[ "$status" -eq 0 ]
	[ "$output" = "echo a" ]
	run --separate-stderr fanout --linebuffer -k echo ::: a b
	[ "$output" = "$(printf 'a\nb')" ]
	run --separate-stderr fanout --spreadstdin -N 2 -k 'paste -sd,' < <(seq 3)
	[ "$output" = "$(printf '1,2\n3')" ]
	run --separate-stderr fanout --max-replace-args 2 -k echo a{}b ::: 1 2 3
	[ "$output" = "$(printf 'a1b a2b\na3b')" ]
}

@test "--verbose prints each command on stderr, as GNU parallel's; -v on stdout" {
	run --separate-stderr fanout --verbose echo ::: a
	[ "$output" = "a" ]
	[ "$stderr" = "echo a" ]
	run --separate-stderr fanout -v echo ::: a
	[ "$output" = "$(printf 'echo a\na')" ]
	[ "$stderr" = "" ]
}

@test "--will-cite and --no-notice are accepted and print nothing" {
	run --separate-stderr fanout --will-cite --no-notice echo ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "a" ]
	[ -z "$stderr" ]
}

@test "--arg-sep and --arg-file-sep rename the separators" {
	printf 'f1\n' > list
	run fanout -k --arg-sep ,, --arg-file-sep ,,,, echo ,, a b ,,,, list
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a f1\nb f1')" ]
}

@test ":::: with nothing after it is an error" {
	run --separate-stderr fanout echo ::::
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: '::::' must be followed by a file name" ]
}

@test "an ambiguous option prefix names the options it could be" {
	run --separate-stderr fanout --retr 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --retr: ambiguous: it could be --retries, --retry-delay, --retry-failed" ]
	run --separate-stderr fanout --xyz 'touch ran' ::: a
	[ "$stderr" = "fanout: --xyz: unknown option (see fanout --help)" ]
	[ ! -e ran ]
}

@test "--help, --version and --list-options into a full stdout fail" {
	[ -w /dev/full ] || skip "no /dev/full here"
	for opt in --help --version --list-options; do
		run --separate-stderr fanout "$opt"
		[ "$status" -eq 0 ]
		run --separate-stderr bash -c '"$FANOUT_BIN" "$1" > /dev/full' _ "$opt"
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"cannot write to standard output: No space left on device" ]]
	done
}
