#!/usr/bin/env bats
# -d of several characters, as GNU parallel takes it: records end at the
# whole string, on stdin, in :::: files and in ::: values (which GNU
# parallel reads as one stream, each value followed by the delimiter),
# with {#}, --tagstring, -E, -n, -N, -L and -k following those records.
# fanout's answer is checked first, then compared with GNU parallel's,
# where it is installed: stdout byte for byte and the exit status.

load helper

# ours ARG...: fanout -k ARG... on stdin $IN (default /dev/null); its
# stdout byte for byte in ours.out and, as run gives them, in $output,
# $stderr and $status.
ours() {
	status=0
	"$FANOUT_BIN" -k "$@" < "${IN:-/dev/null}" > ours.out 2> ours.err ||
	    status=$?
	output=$(cat ours.out)
	stderr=$(cat ours.err)
}

# as_gnu ARG...: GNU parallel -k ARG... on the same stdin gives what
# ours gave: stdout byte for byte and the status.  Skips, saying why,
# when GNU parallel is not installed.
as_gnu() {
	local gstatus=0

	mv ours.out ours.keep
	rm -f ours.err
	gnu_parallel "${IN:-/dev/null}" -k "$@" > gnu.out 2> gnu.err ||
	    gstatus=$?
	mv ours.keep ours.out
	if ! cmp -s ours.out gnu.out || [ "$status" != "$gstatus" ]; then
		printf 'fanout, %s:\n%s\nGNU parallel, %s:\n%s\n' "$status" \
		    "$(exact < ours.out)" "$gstatus" "$(exact < gnu.out)" >&2
		return 1
	fi
}

# both ARG...: ours ARG..., then as_gnu ARG...
both() {
	ours "$@"
	as_gnu "$@"
}

@test "-d '\\n\\n' cuts stdin at blank lines, {#} numbering those records" {
	printf 'a\nb\n\nc\nd\n\n' > in
	IN=in ours -d '\n\n' echo '{#}:{}'
	[ "$status" -eq 0 ]
	[ "$output" = $'1:a\nb\n2:c\nd' ]
	IN=in as_gnu -d '\n\n' echo '{#}:{}'
}

@test "-d of several characters cuts a :::: file, --tagstring following its records" {
	printf 'a\nb\n\nc\nd\n\n' > f
	ours -d '\n\n' --tagstring '<{#}>' echo '[{}]' :::: f
	[ "$status" -eq 0 ]
	[ "$output" = $'<1>\t[a\n<1>\tb]\n<2>\t[c\n<2>\td]' ]
	as_gnu -d '\n\n' --tagstring '<{#}>' echo '[{}]' :::: f
}

@test "-d of several characters: a last record without it counts, a last one ends it" {
	printf 'aXYbXYc' > in
	IN=in ours -d XY argv
	[ "$output" = $'[a]\n[b]\n[c]' ]
	IN=in as_gnu -d XY argv
	printf 'aXYbXY' > in
	IN=in ours -d XY argv
	[ "$output" = $'[a]\n[b]' ]
	IN=in as_gnu -d XY argv
}

@test "-d of several characters: two in a row make an empty record, a part of one is data" {
	printf 'aXYXYbXcY' > in
	IN=in ours -d XY argv {}
	[ "$output" = $'[a]\n[]\n[bXcY]' ]
	IN=in as_gnu -d XY argv {}
	# Three newlines: a record, then a newline, the third not ending it.
	printf 'a\n\n\n' > in
	IN=in ours -d '\n\n' argv {}
	[ "$output" = $'[a]\n[\n]' ]
	IN=in as_gnu -d '\n\n' argv {}
}

@test "-d of several characters takes the first match, left to right" {
	printf 'aXXXbXX' > in
	IN=in ours -d XX argv {}
	[ "$output" = $'[a]\n[Xb]' ]
	IN=in as_gnu -d XX argv {}
}

@test "-d of several characters splits ::: values, an empty last piece included" {
	ours -d ', ' echo 'x{}y' ::: 'a, b, ' 'c, , d'
	[ "$output" = $'xay\nxby\nxy\nxcy\nxy\nxdy' ]
	as_gnu -d ', ' echo 'x{}y' ::: 'a, b, ' 'c, , d'
}

@test "-d of several characters reads ::: values as one stream, as GNU parallel" {
	# Each value is followed by the delimiter: "a\n" then "\n\n" holds
	# the delimiter right after the a, the newline left begins "\nb".
	ours -d '\n\n' argv {} ::: $'a\n' b
	[ "$output" = $'[a]\n[\nb]' ]
	as_gnu -d '\n\n' argv {} ::: $'a\n' b
	ours -d XX argv {} ::: aX b XXc
	[ "$output" = $'[a]\n[Xb]\n[]\n[c]' ]
	as_gnu -d XX argv {} ::: aX b XXc
}

@test "-d of several characters with -E ends the input at that record" {
	printf 'a\nb\n\nEOF\n\nc\n\n' > in
	IN=in ours -d '\n\n' -E EOF argv {}
	[ "$output" = $'[a\nb]' ]
	IN=in as_gnu -d '\n\n' -E EOF argv {}
	ours -d ';;' -E stop argv {} ::: 'a;;stop;;b'
	[ "$output" = '[a]' ]
	as_gnu -d ';;' -E stop argv {} ::: 'a;;stop;;b'
}

@test "-d of several characters with -n2 and -N2 packs those records" {
	printf 'a b\n\nc\n\nd e\n\n' > in
	IN=in ours -d '\n\n' -n2 argv
	[ "$output" = $'[a b]\n[c]\n[d e]' ]
	IN=in as_gnu -d '\n\n' -n2 argv
	printf 'a b\n\nc\n\nd e\n\nf\n\n' > in
	IN=in ours -d '\n\n' -N2 argv {2} {1}
	[ "$output" = $'[c]\n[a b]\n[f]\n[d e]' ]
	IN=in as_gnu -d '\n\n' -N2 argv {2} {1}
}

@test "-d of several characters with -L1: a record ending in a blank joins the next" {
	printf 'a \n\nb\n\nc' > in
	IN=in ours -d '\n\n' -L1 argv {}
	[ "$output" = $'[a b]\n[c]' ]
	IN=in as_gnu -d '\n\n' -L1 argv {}
	# The joining delimiter is the last thing: the record ends there.
	printf 'a;;b ;;' > in
	IN=in ours -d ';;' -L1 argv {}
	[ "$output" = $'[a]\n[b ]' ]
	IN=in as_gnu -d ';;' -L1 argv {}
}

@test "-d of several characters with -r skips blank records" {
	printf 'a\n\n \n\nb\n\n' > in
	IN=in ours -r -d '\n\n' argv {}
	[ "$output" = $'[a]\n[b]' ]
	IN=in as_gnu -r -d '\n\n' argv {}
}

@test "-d of several characters with --colsep splits the record's columns" {
	printf 'a\nb\n\nc\nd\n\n' > in
	IN=in ours -d '\n\n' --colsep '\n' echo '{2}-{1}'
	[ "$output" = $'b-a\nd-c' ]
	IN=in as_gnu -d '\n\n' --colsep '\n' echo '{2}-{1}'
}

@test "-d of several characters in a held file, combined with ::: values" {
	printf 'a\n\nb\n\n' > f
	ours -d '\n\n' argv {1} {2} ::: x y :::: f
	[ "$output" = $'[x]\n[a]\n[x]\n[b]\n[y]\n[a]\n[y]\n[b]' ]
	as_gnu -d '\n\n' argv {1} {2} ::: x y :::: f
}

# The reader's first read(2) of a regular file fills its buffer, 128 KiB
# less the NUL (src/reader.c, READ_CHUNK and buf_reserve); a pipe gives
# at most 64 KiB a read.  A delimiter across either edge is whole only
# once the next read has come.  Records stay under GNU parallel's
# command line limit.
big_input() {
	{
		head -c 40000 /dev/zero | tr '\0' a
		printf '@#!'
		head -c $((65535 - 40003)) /dev/zero | tr '\0' b
		printf '@#!'
		head -c 40000 /dev/zero | tr '\0' c
		printf '@#!'
		head -c $((131070 - 105541)) /dev/zero | tr '\0' d
		printf '@#!e@#!f'
	} > big
	[ "$(head -c 65538 big | tail -c 3)" = '@#!' ]
	[ "$(head -c 131073 big | tail -c 3)" = '@#!' ]
	printf '#!/bin/sh\necho "$1 ${#2}"\n' > len
	chmod +x len
}

BIG_OUT=$'1 40000\n2 25532\n3 40000\n4 25529\n5 1\n6 1'

@test "-d of several characters across the reader's buffer edge, from a file" {
	big_input
	ours -d '@#!' ./len {#} {} :::: big
	[ "$status" -eq 0 ]
	[ "$output" = "$BIG_OUT" ]
	as_gnu -d '@#!' ./len {#} {} :::: big
}

@test "-d of several characters across the reader's buffer edge, from a pipe" {
	big_input
	run --separate-stderr sh -c 'cat big | "$FANOUT_BIN" -k -d "@#!" \
	    ./len {#} {}'
	[ "$status" -eq 0 ]
	[ "$output" = "$BIG_OUT" ]
}

@test "--csv with -d of several characters keeps a quoted delimiter in its field" {
	printf 'a,"x@@y",b@@c,d@@' > in
	IN=in ours --csv -d @@ argv {1} {2} {3}
	[ "$status" -eq 0 ]
	# The second record has no third field: no argument, as in GNU.
	[ "$output" = $'[a]\n[x@@y]\n[b]\n[c]\n[d]' ]
}

@test "-d wins over -0 whatever their order, as in GNU parallel" {
	printf 'a,b\n' > in
	IN=in ours -d , -0 argv {}
	[ "$output" = $'[a]\n[b\n]' ]
	IN=in as_gnu -d , -0 argv {}
	IN=in ours -0 -d , argv {}
	[ "$output" = $'[a]\n[b\n]' ]
	IN=in as_gnu -0 -d , argv {}
}

@test "-d with an escape fanout does not know is refused, naming it" {
	run --separate-stderr fanout -d 'a\qb' echo ::: x
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: -d: 'a\\qb' has an escape fanout does not know"* ]]
	run --separate-stderr fanout --delimiter '\x' echo ::: x
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"'\\x' has an escape fanout does not know"* ]]
}

@test "--pipe still refuses -d of several characters, pointing at --recend" {
	run --separate-stderr fanout --pipe -d '\n\n' cat < /dev/null
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--pipe does not go with -0 or -d"*"--recend"* ]]
}
