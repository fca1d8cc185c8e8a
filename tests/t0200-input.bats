#!/usr/bin/env bats
# Input: records from stdin, argument lists and files; combinations and
# links; delimiters, columns, packing several records per job; filters;
# streaming in bounded memory; records are bytes.
#
# Every expectation that overlaps GNU parallel was checked against
# `parallel -k --will-cite` (20221122); deliberate differences say so.

load helper

# Input sources

@test "records are the lines of standard input" {
	printf 'a\nb c\n' > in
	run --separate-stderr fanout -k argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]')" ]
	[ -z "$stderr" ]
}

@test "::: makes a source of the words that follow" {
	run --separate-stderr fanout -k argv ::: a 'b c' ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '[]')" ]
}

@test ":::: reads a source from a file" {
	printf 'x\ny z\n' > list
	run --separate-stderr fanout -k argv :::: list
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x]' '[y z]')" ]
}

@test "-a and --arg-file read a source from a file" {
	printf 'x\ny z\n' > list
	run --separate-stderr fanout -k -a list argv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x]' '[y z]')" ]
	run --separate-stderr fanout -k --arg-file list argv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x]' '[y z]')" ]
}

@test "-a is repeatable: each file is one more source" {
	printf '1\n2\n' > nums
	printf 'p\nq\n' > lets
	run --separate-stderr fanout -k -a nums -a lets echo
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 p' '1 q' '2 p' '2 q')" ]
}

@test "- as a file is standard input, for :::: and -a" {
	printf '1\n2\n3\n' > nums
	printf 's1\ns2\n' > in
	run --separate-stderr fanout -k echo :::: - ::: x < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 's1 x' 's2 x')" ]
	run --separate-stderr fanout -k -a - -a nums echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 's1 1' 's1 2' 's1 3' 's2 1' 's2 2' 's2 3')" ]
}

@test "several sources give every combination, the first varying slowest" {
	run --separate-stderr fanout -k echo ::: a b ::: 1 2 3 ::: x y
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'a 1 x' 'a 1 y' 'a 2 x' 'a 2 y' \
	    'a 3 x' 'a 3 y' 'b 1 x' 'b 1 y' 'b 2 x' 'b 2 y' 'b 3 x' 'b 3 y')" ]
}

@test "a file source and an argument source combine in GNU order" {
	printf 'x\ny\n' > list
	run --separate-stderr fanout -k argv :::: list ::: 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[x]' '[1]' '[x]' '[2]' '[y]' '[1]' '[y]' '[2]')" ]
}

# Linked sources

@test "--link pairs sources element by element, the shorter wrapping around" {
	run --separate-stderr fanout -k --link echo ::: a b c d ::: 1 2 ::: x y z
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'a 1 x' 'b 2 y' 'c 1 z' 'd 2 x')" ]
}

@test "--link pairs file sources too" {
	printf '1\n2\n3\n' > nums
	printf 'p\nq\n' > lets
	run --separate-stderr fanout -k --link -a nums -a lets echo
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 p' '2 q' '3 p')" ]
}

@test ":::+ links a source to the previous one, to the shortest" {
	# As GNU parallel: unlike --link, :::+ (and ::::+) never wrap.
	run --separate-stderr fanout -k argv ::: a b c :::+ 1 2
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[1]' '[b]' '[2]')" ]
}

@test "::::+ links a file source to the previous one" {
	printf '1\n2\n3\n' > nums
	printf 'p\nq\n' > lets
	run --separate-stderr fanout -k argv ::: a :::: nums ::::+ lets
	[ "$status" -eq 0 ]
	# As GNU: it stops after "a 2 q", at the shortest.
	[ "$output" = "$(printf '%s\n' '[a]' '[1]' '[p]' '[a]' '[2]' '[q]')" ]
}

@test "::::+ - links standard input to the previous source" {
	printf 'p\nq\n' > in
	run --separate-stderr fanout -k echo ::: a b c ::::+ - < in
	[ "$status" -eq 0 ]
	# As GNU: it stops at "b q", at the shortest.
	[ "$output" = "$(printf '%s\n' 'a p' 'b q')" ]
}

@test "a linked pair combines with an earlier source as one source" {
	run --separate-stderr fanout -k echo ::: a b ::: 1 2 :::+ x y
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'a 1 x' 'a 2 y' 'b 1 x' 'b 2 y')" ]
}

# Delimiters

@test "-0 ends records with NUL; newlines and blanks are data" {
	printf 'a b\0c\nd\0' > in
	run --separate-stderr fanout -k -0 argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a b]' '[c' 'd]')" ]
	run --separate-stderr fanout -k --null argv < in
	[ "$output" = "$(printf '%s\n' '[a b]' '[c' 'd]')" ]
}

@test "-d takes a literal delimiter character" {
	printf 'a,b c,d' > in
	run --separate-stderr fanout -k -d , argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '[d]')" ]
}

@test "-d '\\n' is the newline" {
	printf 'a\nb\n' > in
	run --separate-stderr fanout -k -d '\n' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "-d '\\t' is the TAB" {
	printf 'a\tb c\tc' > in
	run --separate-stderr fanout -k -d '\t' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '[c]')" ]
}

@test "-d '\\0' is NUL, as -0" {
	printf 'a\nb\0c\0' > in
	run --separate-stderr fanout -k -d '\0' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a' 'b]' '[c]')" ]
}

@test "-d '\\\\' is one backslash" {
	# GNU parallel does not decode \\ and splits nothing here.
	printf 'a\\b\\c\n' > in
	run --separate-stderr fanout -k -d '\\' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]' '[c' ']')" ]
}

@test "-d takes an octal escape \\NNN" {
	printf 'a,b,c' > in
	run --separate-stderr fanout -k -d '\054' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]' '[c]')" ]
}

@test "-d takes a hex escape \\xHH" {
	# GNU parallel does not decode \xHH; SPEC §2 asks for it.
	printf 'a,b,c' > in
	run --separate-stderr fanout -k -d '\x2c' argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]' '[c]')" ]
}

# Columns

@test "--colsep , splits columns literally, keeping an empty column" {
	printf 'a,b,c\nd,,f\n' > in
	run --separate-stderr fanout -k --colsep , argv {3} {2} {1} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[c]' '[b]' '[a]' '[f]' '[]' '[d]')" ]
}

@test "--colsep '\\t' splits on TABs only, blanks stay in the column" {
	printf 'a\tb c\td\n' > in
	run --separate-stderr fanout -k --colsep '\t' argv {1} {2} {3} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '[d]')" ]
}

@test "--colsep '\\s+' is a regular expression with Perl's \\s" {
	printf 'a  b\t c\n' > in
	run --separate-stderr fanout -k --colsep '\s+' argv {1} {2} {3} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]' '[c]')" ]
}

@test "--colsep '[,;]' is a regular expression" {
	printf 'a,b;c\n' > in
	run --separate-stderr fanout -k --colsep '[,;]' argv {1} {2} {3} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]' '[c]')" ]
}

@test "--colsep of one character is literal even if it is a regex metacharacter" {
	# GNU treats every --colsep as a regex ('|' and '.' then split
	# nothing useful); SPEC §2 makes a single character literal.
	printf 'a|b\n' > in
	run --separate-stderr fanout -k --colsep '|' argv {1} {2} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
	printf 'a.b\n' > in
	run --separate-stderr fanout -k --colsep . argv {1} {2} < in
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "--colsep refuses repetitions that would take regcomp exponential memory" {
	for sep in 'x{255}{255}{255}' 'a++++++++++++++++++'; do
		run --separate-stderr fanout --colsep "$sep" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "fanout: --colsep: '$sep': too many nested repetitions ('+', {n,m})" ]
	done
	[ ! -e ran ]
	run --separate-stderr fanout --colsep '\d{4}-' echo '{2}' ::: 'a2024-b'
	[ "$output" = b ]
}

@test "--colsep without {n}: the columns are the job's arguments" {
	printf 'a,b c\nd,,f\n' > in
	run --separate-stderr fanout -k --colsep , argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '[d]' '[]' '[f]')" ]
}

@test "--colsep splits ::: values too" {
	run --separate-stderr fanout -k --colsep , argv {2} {1} ::: a,b c,d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[b]' '[a]' '[d]' '[c]')" ]
}

# Several records per job

@test "-n N gives N records per job, the last job what is left" {
	run --separate-stderr fanout -k -n2 'argv {}; echo --' ::: a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b c]' '--' '[d]' '--')" ]
}

@test "-n: {} is all the records, each its own quoted word" {
	run --separate-stderr fanout -k -N3 --dry-run echo {} ::: a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = "echo a 'b c' d" ]
}

@test "-n: {} inside a word splits the word between the records" {
	run --separate-stderr fanout -k -n2 argv x{}y ::: a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[xa]' '[b cy]' '[xdy]')" ]
}

@test "-N: {1}..{N} are the records of the job" {
	run --separate-stderr fanout -k -N2 argv {2} {1} ::: a 'b c' d e
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[b c]' '[a]' '[e]' '[d]')" ]
}

@test "-N: a missing record gives no argument" {
	# As in GNU parallel: {2} expands to nothing, and the word vanishes.
	run --separate-stderr fanout -k -N2 --dry-run argv {1} {2} ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'argv a b' 'argv c ')" ]
}

@test "-X repeats the word around {} per record (context replace)" {
	run --separate-stderr fanout -k -j1 -X argv pic{}.jpg ::: a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[pica.jpg]' '[picb c.jpg]' '[picd.jpg]')" ]
	run --separate-stderr fanout -j1 -X --dry-run argv pic{}.jpg ::: a 'b c' "d'e"
	[ "$output" = "argv pica.jpg pic'b c'.jpg pic'd'\"'\"'e'.jpg" ]
}

@test "-m puts the records in place of {}, the word around it once" {
	run --separate-stderr fanout -k -j1 -m argv pic{}.jpg ::: a 'b c' d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[pica]' '[b c]' '[d.jpg]')" ]
}

@test "-X spreads the records across the job slots as GNU does" {
	seq 10 > in
	run --separate-stderr fanout -k -j2 -X echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 2 3 4 5' '6 7 8 9 10')" ]
	run --separate-stderr fanout -k -j3 -X echo < in
	[ "$output" = "$(printf '%s\n' '1 2 3 4' '5 6 7 8' '9 10')" ]
	run --separate-stderr fanout -k -j1 -X echo < in
	[ "$output" = "1 2 3 4 5 6 7 8 9 10" ]
}

@test "-m spreads the records across the job slots as GNU does" {
	seq 10 > in
	run --separate-stderr fanout -k -j2 -m echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 2 3 4 5' '6 7 8 9 10')" ]
	run --separate-stderr fanout -k -j4 -m echo < in
	[ "$output" = "$(printf '%s\n' '1 2 3' '4 5 6' '7 8 9' '10')" ]
}

@test "-X and -m spread only the end of a long input over the job slots, as GNU" {
	# Full lines of 11 and 8 values until the last, whose 3 values
	# then go one per slot.
	seq 30 > in
	run --separate-stderr fanout -k -j4 -s 30 -X echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 2 3 4 5 6 7 8 9 10 11' \
	    '12 13 14 15 16 17 18 19' '20 21 22 23 24 25 26 27' 28 29 30)" ]
	# -n's last job of 4 is spread over 3 slots: 2 and 2.
	run --separate-stderr fanout -k -j3 -n4 -m echo < <(seq 12)
	[ "$output" = "$(printf '%s\n' '1 2 3 4' '5 6 7 8' '9 10' '11 12')" ]
	seq 200 > in
	for opts in "-j4 -s 30 -X" "-j3 -s 100 -m" "-j3 -n7 -X"; do
		# $opts is split into words on purpose.
		fanout -k $opts echo < in > ours.out
		gnu_parallel in -k $opts echo > gnu.out
		diff ours.out gnu.out
	done
}

@test "-X packs a directly executed command up to the system limit, never past it" {
	# 300,000 arguments do not fit one execve(2): fanout must split them
	# into commands the kernel accepts (strings and pointers count).
	seq 300000 > in
	run --separate-stderr fanout -k -j1 -X echo < in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" -gt 1 ]
	[ "$(tr ' ' '\n' <<<"$output")" = "$(seq 300000)" ]
}

@test "-m packs a directly executed command up to the system limit, never past it" {
	seq 300000 > in
	run --separate-stderr fanout -k -j1 -m echo < in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" -gt 1 ]
	[ "$(tr ' ' '\n' <<<"$output")" = "$(seq 300000)" ]
}

@test "-X packs a shell command line up to the shell's argument limit" {
	seq 300000 > in
	run --separate-stderr fanout -k -j1 -X 'echo {} | cat' < in
	[ "$status" -eq 0 ]
	[ -z "$stderr" ]
	[ "$(wc -l <<<"$output")" -gt 1 ]
	[ "$(tr ' ' '\n' <<<"$output")" = "$(seq 300000)" ]
}

@test "-s caps each command line at SIZE bytes, counted as xargs does" {
	# "echo 1 2 3 4 5 6 7" is 5 + 7 * 2 = 19 bytes with the NULs;
	# xargs -s 20 and GNU parallel -X -s 20 both split here.
	seq 10 > in
	run --separate-stderr fanout -k -j1 -X -s 20 echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '1 2 3 4 5 6 7' '8 9 10')" ]
	run --separate-stderr fanout -k -j1 -m -s 20 echo < in
	[ "$output" = "$(printf '%s\n' '1 2 3 4 5 6 7' '8 9 10')" ]
}

@test "-L N gives N lines per job, each line one record" {
	printf 'a b\nc\nd e f\ng\n' > in
	run --separate-stderr fanout -k -L2 echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 'a b c' 'd e f g')" ]
	run --separate-stderr fanout -k -L2 argv {1} x < in
	[ "$output" = "$(printf '%s\n' '[a b]' '[x]' '[d e f]' '[x]')" ]
}

@test "-L: a line ending in a blank continues onto the next line" {
	printf 'a \nb\nc\n' > in
	run --separate-stderr fanout -k -L1 'echo {#}' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 2)" ]
}

@test "-L counts an empty line, as GNU parallel (xargs skips it)" {
	printf 'a\n\nb\nc\n' > in
	run --separate-stderr fanout -k -L2 'argv {1} {2}; echo --' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[]' '--' '[b]' '[c]' '--')" ]
}

# Filters

@test "-E ends the input at the marker record" {
	seq 10 > in
	run --separate-stderr fanout -k -E 4 echo < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 2 3)" ]
	run --separate-stderr fanout -k -E b echo ::: a b c
	[ "$output" = "a" ]
}

@test "--trim lr trims white space at both ends" {
	printf '  a b  \n\tc\t\n' > in
	run --separate-stderr fanout -k --trim lr argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a b]' '[c]')" ]
}

@test "--trim l and --trim r trim one end" {
	printf '  a b  \n\tc\t\n' > in
	run --separate-stderr fanout -k --trim l argv < in
	[ "$output" = "$(printf '%s\n' '[a b  ]' "$(printf '[c\t]')")" ]
	run --separate-stderr fanout -k --trim r argv < in
	[ "$output" = "$(printf '%s\n' '[  a b]' "$(printf '[\tc]')")" ]
}

@test "--trim n trims nothing" {
	printf '  a b  \n' > in
	run --separate-stderr fanout -k --trim n argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "[  a b  ]" ]
}

@test "--trim applies to each column" {
	printf ' a , b \n' > in
	run --separate-stderr fanout -k --trim lr --colsep , argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "--header : names the columns for {colname}" {
	printf 'name,age\nann,3\nbob,4\n' > in
	run --separate-stderr fanout -k --header : --colsep , argv {age} {name} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[3]' '[ann]' '[4]' '[bob]')" ]
}

@test "--header : names the sources of ::: lists" {
	run --separate-stderr fanout -k --header : argv {y}{x} ::: x 1 2 ::: y a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a1]' '[b1]' '[a2]' '[b2]')" ]
}

@test "--header : keeps {n} working and the header is no job" {
	printf 'name\tage\nann\t3\n' > in
	run --separate-stderr fanout -k --header : --colsep '\t' argv {2}-{name} < in
	[ "$status" -eq 0 ]
	[ "$output" = "[3-ann]" ]
}

@test "--header : {colname.} and {colname/} take the path modifiers" {
	printf 'file\n/x/y.z\n' > in
	run --separate-stderr fanout -k --header : argv {file.} {file/} {file//} {file/.} < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[/x/y]' '[y.z]' '[/x]' '[y]')" ]
}

@test "-r skips records that are empty or only white space" {
	printf 'a\n\n  \n\t\nb\n' > in
	run --separate-stderr fanout -k -r argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
	run --separate-stderr fanout -k --no-run-if-empty argv ::: a '' ' ' b
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "-r with -0 skips empty records" {
	printf 'a\0\0b\0' > in
	run --separate-stderr fanout -k -0 -r argv < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "empty lines are empty records: one job each, with an empty argument" {
	printf '\n\n' > in
	run --separate-stderr fanout -k 'echo {#}; argv {}' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' 1 '[]' 2 '[]')" ]
}

# Streaming and memory

@test "input streams: a job runs as soon as its record has arrived" {
	# b comes only once a's output has been read.
	exec 5< <( (echo a; waitfor got-a; echo b) | "$FANOUT_BIN" echo 3>&- )
	read -r -t 20 first <&5 || :
	touch got-a
	read -r -t 20 second <&5 || :
	exec 5<&-
	[ "$first" = a ]
	[ "$second" = b ]
}

@test "memory does not grow with the number of records" {
	[ -x /usr/bin/time ] || skip "/usr/bin/time is not installed"
	if ldd "$FANOUT_BIN" 2>/dev/null | grep -q -e libasan -e libtsan; then
		skip "peak RSS means nothing under a sanitizer"
	fi
	seq 1000000 > in
	/usr/bin/time -f %M -o rss "$FANOUT_BIN" --dry-run echo < in > out
	[ "$(wc -l < out)" -eq 1000000 ]
	[ "$(tail -1 out)" = "echo 1000000" ]
	# Peak RSS in KiB: under 8 MiB for 1,000,000 records.
	[ "$(tail -1 rss)" -lt 8192 ]
}

# Records are bytes

@test "CR and invalid UTF-8 pass through untouched" {
	printf 'a\r\nb\377\376c\n' > in
	fanout -k argv < in > got
	printf '[a\r]\n[b\377\376c]\n' > expect
	cmp expect got
	fanout -k 'printf "[%s]\n" {} | cat' < in > got
	cmp expect got
}

@test "a NUL inside a line is cut there, alike in direct and shell jobs" {
	# argv cannot carry a NUL, so the value ends at it, as xargs does
	# (GNU parallel substitutes the two characters \0 instead).  What
	# must hold either way: the rest of the command line still arrives,
	# the quoting stays balanced, and direct and shell jobs agree.
	printf 'a\0b\nc\n' > in
	run --separate-stderr fanout -k argv {} x < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a]' '[x]' '[c]' '[x]')" ]
	run --separate-stderr fanout -k 'printf "[%s]" {} x; echo' < in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[a][x]' '[c][x]')" ]
	# Only the warning that the value was cut (see below).
	[[ "$stderr" == "fanout: standard input holds a NUL byte"* ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	run --separate-stderr fanout -k --dry-run 'printf %s {} x' < in
	[ "$output" = "$(printf '%s\n' 'printf %s a x' 'printf %s c x')" ]
}

@test "a last record without a final delimiter still counts" {
	printf 'a\nb' > in
	run --separate-stderr fanout -k argv < in
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
	printf 'a\0b' > in
	run --separate-stderr fanout -k -0 argv < in
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
	printf 'a\nb' > list
	run --separate-stderr fanout -k argv :::: list
	[ "$output" = "$(printf '%s\n' '[a]' '[b]')" ]
}

@test "a 10 MB line is read whole" {
	# GNU refuses it ("Command line too long"), even under --dry-run;
	# fanout has no cap below the system's (SPEC §13).
	head -c 10000000 /dev/zero | tr '\0' a > in
	echo >> in
	fanout --dry-run echo < in > out
	[ "$(wc -c < out)" -eq 10000006 ]
	[ "$(head -c 8 out)" = "echo aaa" ]
}

@test "a NUL byte in input read without -0 is warned of once; -0 reads it" {
	run --separate-stderr bash -c 'printf "a\0b\nc\0d\n" | "$FANOUT_BIN" -k echo'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nc')" ]
	[ "$stderr" = "fanout: standard input holds a NUL byte: a value ends there in the command line (for NUL-separated input use -0)" ]
	run --separate-stderr bash -c 'printf "a\0b\0" | "$FANOUT_BIN" -0 -k echo'
	[ "$output" = "$(printf 'a\nb')" ]
	[ -z "$stderr" ]
}

@test "reading records from a terminal says so, and how to end it" {
	command -v script >/dev/null || skip "script(1) is not installed"
	script -qec "$FANOUT_BIN echo" /dev/null < /dev/null > tty.out
	grep -q "reading input from the terminal, one record per line (end it with Ctrl-D)" tty.out
	script -qec "$FANOUT_BIN echo ::: a" /dev/null < /dev/null > tty.out
	run ! grep -q "reading input from the terminal" tty.out
}
