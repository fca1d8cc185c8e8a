#!/usr/bin/env bats
# --plus: GNU parallel's further replacement strings, end to end, and the
# Perl forms fanout refuses.  tests/unit/modifier_test.c probes each form
# at its edges; here they run as jobs, through a shell and directly, and
# against GNU parallel itself when it is installed.

load helper

@test "--plus path forms, alone, by position and by column name" {
	run --separate-stderr fanout --plus -k echo '{..}' '{...}' '{/..}' '{/...}' '{+/}' '{+.}' '{+..}' '{+...}' ::: d/a.b.tar.gz x.gz
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "d/a.b d/a a.b a d gz tar.gz b.tar.gz" ]
	[ "${lines[1]}" = "x.gz x.gz x.gz x.gz  gz  " ]
	run --separate-stderr fanout --plus echo '{2..}' '{1+/}' ::: d/e.f ::: g.tar.gz
	[ "$output" = "g d" ]
	printf 'name\nd/s.tar.gz\n' > in
	run --separate-stderr fanout --plus --header : echo '{name/..}' :::: in
	[ "$output" = "s" ]
}

@test "--plus bash-like forms: default, substring, prefix and suffix" {
	run --separate-stderr fanout --plus -k echo 'x{:-none}x' '{:2}' '{:1:3}' ::: '' abcdef
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "xnonex  " ]
	[ "${lines[1]}" = "xabcdefx cdef bcd" ]
	run --separate-stderr fanout --plus echo '{#z.*z.}' '{##z.*z.}' '{%.z.*z}' '{%%.z.*z}' ::: z.z.foo.z.z
	[ "$output" = "foo.z.z z z.z.foo z" ]
	run --separate-stderr fanout --plus echo '{2%.gz}' '{1#a\*}' ::: 'a*b' ::: x.gz
	[ "$output" = "x b" ]
}

@test "--plus replacement and case forms" {
	run --separate-stderr fanout --plus echo '{/a/X}' '{//a/X}' '{/#b/X}' '{/%a/X}' '{^b}' '{^^a}' '{,B}' '{,,[AN]}' ::: banana
	[ "$status" -eq 0 ]
	[ "$output" = "bXnana bXnXnX Xanana bananX Banana bAnAnA banana banana" ]
	run --separate-stderr fanout --plus echo '{,B}' '{,,[AN]}' ::: BANANA
	[ "$output" = "bANANA Banana" ]
}

@test "--plus values stay quoted: neither value nor STR reaches the shell" {
	run --separate-stderr fanout --plus echo '{/x/$(touch pwned)}' '{//a/;touch pwned2}' '{:-`touch pwned3`}' ::: 'x' 'a' ''
	[ "$status" -eq 0 ]
	[ ! -e pwned ] && [ ! -e pwned2 ] && [ ! -e pwned3 ]
	run --separate-stderr fanout -k --plus 'echo {/x/y}' ::: 'x$(touch pwned4)' "x'; touch pwned5 #"
	[ "${lines[0]}" = 'y$(touch pwned4)' ]
	[ "${lines[1]}" = "y'; touch pwned5 #" ]
	[ ! -e pwned4 ] && [ ! -e pwned5 ]
}

@test "--plus forms in --tagstring and under -X" {
	run --separate-stderr fanout --plus --tagstring '{/..}' 'echo x' ::: d/a.tar.gz
	[ "$output" = "$(printf 'a\tx d/a.tar.gz')" ]
	# A form that lengthens values still fits -s: every line within it.
	run --separate-stderr fanout --plus -X -s 60 --dry-run echo '{//a/aaaa}' ::: $(printf 'a%.0s ' $(seq 40))
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -gt 2 ]
	for l in "${lines[@]}"; do
		[ "${#l}" -le 60 ]
	done
	[ "$(printf '%s\n' "${lines[@]}" | tr ' ' '\n' | grep -c aaaa)" -eq 40 ]
}

@test "without --plus its forms are literal text, as in GNU parallel" {
	run --separate-stderr fanout echo '{..}' '{:-x}' '{+/}' ::: a.b.c
	[ "$status" -eq 0 ]
	[ "$output" = "{..} {:-x} {+/} a.b.c" ]
}

@test "Perl forms and bad patterns are refused before any job runs" {
	run --separate-stderr fanout 'touch ran; echo {= s/a/b/ =}' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"'{= ... =}' is a Perl expression and fanout has no Perl: --plus gives"* ]]
	run --separate-stderr fanout --rpl '{..} s:\.[^.]*$::' 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--rpl: "*"is Perl, and fanout has no Perl"* ]]
	run --separate-stderr fanout --plus 'touch ran; echo {#[a}' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--plus: invalid regular expression '[a'"* ]]
	run --separate-stderr fanout --plus --tagstring '{/\1/x}' 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --tagstring: --plus: '\\1': back-references are not supported" ]]
	[ ! -e ran ]
}

@test "--plus gives what GNU parallel gives" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	forms=('{..}' '{...}' '{/..}' '{/...}' '{+/}' '{+..}' '{+...}'
	    '{:-E}' '{:2}' '{1:1:2}' '{#a.}' '{##a.}' '{%.b}' '{%%.b}'
	    '{/a/X}' '{//a/X}' '{/#a/X}' '{/%b/X}' '{^a}' '{^^[ab]}'
	    '{,A}' '{,,[AB]}' '{2+.}' '{2%.gz}')
	vals=(x/a.b.c.tar.gz a.a.b.b aAbB '' d/e.gz)
	parallel --will-cite --plus -k echo "${forms[@]}" ::: "${vals[@]}" ::: f.tar.gz > want
	fanout --plus -k echo "${forms[@]}" ::: "${vals[@]}" ::: f.tar.gz > got
	diff want got
}
