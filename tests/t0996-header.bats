#!/usr/bin/env bats
# --header outside --pipe, as GNU parallel has it: values and names split
# at TAB without --colsep, a CRLF header line, --header N and REGEX (the
# first line of each source, whatever they say), --header 0 (files name
# their sources), and the values fanout refuses.  Each form is checked
# against GNU parallel, where it is installed, on the same input with
# -k: stdout byte for byte and the exit status.

load helper

# The inputs live in w/, the outputs beside it: gnu_parallel's answers
# are kept under a digest of the files in the working directory.
setup() {
	mkdir -p "$BATS_TEST_TMPDIR/w" && cd "$BATS_TEST_TMPDIR/w"
}

# same ARG...: fanout -k ARG... and GNU parallel -k ARG..., both on stdin
# $IN (default /dev/null), write the same stdout, byte for byte, and exit
# with the same status; fanout's stderr is in $stderr.
same() {
	local st=0 gst=0

	gnu_parallel "${IN:-/dev/null}" -k "$@" > ../gnu.out 2> ../gnu.err ||
	    gst=$?
	"$FANOUT_BIN" -k "$@" < "${IN:-/dev/null}" > ../ours.out \
	    2> ../ours.err || st=$?
	stderr=$(cat ../ours.err)
	cmp ../ours.out ../gnu.out || {
		echo "fanout:"; od -c ../ours.out
		echo "GNU parallel:"; od -c ../gnu.out
		false
	}
	[ "$st" -eq "$gst" ] || { echo "status $st, GNU's $gst"; false; }
}

@test "--header : without --colsep splits the names and the values at TAB" {
	printf 'a\tb\n1\t2\n3\t4\n' > f
	same --header : echo {a} {b} :::: f
	[ "$(cat ../ours.out)" = $'1 2\n3 4' ]
	same --header : echo {b}-{1}-{2}-{} :::: f
	same --header : echo {a} {b} < f
}

@test "--header : at TAB leaves the values untrimmed" {
	printf 'a\tb\n x \t y \n' > f
	same --header : echo '[{a}][{b}][{1}][{}]' :::: f
	[ "$(cat ../ours.out)" = '[ x ][ y ][ x ][ x   y ]' ]
}

@test "--header : at TAB names the columns of every source, files and ::: alike" {
	printf 'a\tb\n1\t2\n' > f
	printf 'c\td\n3\t4\n5\t6\n' > g
	same --header : echo {a} {b} {c} {d} {1} {4} / {} :::: f g
	same --header : echo {c}{d} {a} {b} {} ::: a x y :::: g
	same --header : echo {a} {b} {1} {} :::: f ::: x y
}

@test "a CRLF header line names its last column without the CR" {
	printf 'a,b\r\n1,2\r\n3,4\r\n' > f
	same --header : --colsep , echo {a}-{b}- :::: f
	[ "$(cat ../ours.out)" = $'1-2-\n3-4-' ]
	# Held rather than streamed: the second source.
	same --header : --colsep , echo {a}-{b}-{x} ::: x 1 :::: f
}

@test "without --colsep the CR of a data row stays in its value, as GNU's" {
	printf 'a\tb\r\n1\t2\r\n' > f
	same --header : echo {a}-{b}- :::: f
	[ "$(od -An -c ../ours.out | tr -d ' ')" = '1-2\r-\n' ]
}

@test "--trim takes off CR, VT and FF too, as Perl's \\s" {
	same --colsep , echo '[{1}][{2}]' ::: $'\r a\f,\vb\r'
	[ "$(cat ../ours.out)" = '[a][b]' ]
	same --trim l echo '[{}]' ::: $'\r\v a\r'
	[ "$(od -An -c ../ours.out | tr -d ' ')" = '[a\r]\n' ]
}

@test "--header N outside --pipe takes the first line of each source only, as GNU's" {
	printf 'a\nb\n\nc\n' > f
	same --header 1 echo '[{}]' :::: f
	[ "$(cat ../ours.out)" = $'[b]\n[]\n[c]' ]
	[ -z "$stderr" ]
	same --header 3 echo '[{}]' :::: f
	[ "$(cat ../ours.out)" = $'[b]\n[]\n[c]' ]
	# N above 1 means less than it says: fanout warns.
	[[ "$stderr" == *"--header 3: outside --pipe the header is the first record of each source"* ]]
}

@test "--header REGEX outside --pipe takes the first line of each source, as GNU's" {
	printf 'a\nb\n\nc\n' > f
	for re in '^a' 'b' '.*' '(.*\n){2}' '-'; do
		same --header "$re" echo '[{}]' :::: f
		[ "$(cat ../ours.out)" = $'[b]\n[]\n[c]' ]
		[ -z "$stderr" ]
	done
}

@test "--header N and REGEX name the columns, with --colsep and several sources" {
	printf 'a,b\r\n1,2\r\n3,4\r\n' > f
	same --header 2 --colsep , echo {b}{a}{x} :::: f ::: x 5 6
	same --header '.*' --colsep , echo {b}{a}{x} ::: x 5 6 :::: f
	printf 'a\tb\n1\t2\n' > g
	same --header 1 echo {b}{a} :::: g
}

@test "--header N and REGEX take the first value of each ::: source" {
	same --header 2 echo {x}-{y}-{} ::: x 1 2 ::: y 3
	[ "$(cat ../ours.out)" = $'1-3-1 3\n2-3-2 3' ]
	same --header '^x' echo {x}-{y} ::: x 1 2 ::: y 3
}

@test "--header N and REGEX take the first line of standard input" {
	printf 'a\tb\n1\t2\n3\t4\n' > in
	IN=in same --header 1 echo {b}{a}
	[ "$(cat ../ours.out)" = $'21\n43' ]
	IN=in same --header '(.*\n)' echo {b}{a} :::: -
	IN=in same --header 1 echo {b}{a}{x} :::: - ::: x y
}

@test "--header 0 takes no header, and splits the values at TAB" {
	printf '1\t2\n3\t4\n' > f
	same --header 0 echo {1}-{2}- :::: f
	[ "$(cat ../ours.out)" = $'1-2-\n3-4-' ]
	same --header 0 echo '[{}]' ::: a b
}

@test "--header 0: a file's name stands for its source's value" {
	mkdir d
	printf 'p\nq\n' > d/x
	printf 'a\nb\n' > f
	same --header 0 -a f -a d/x echo {d/x}{f}
	[ "$(cat ../ours.out)" = $'pa\nqa\npb\nqb' ]
	same --header 0 echo {d/x.}-{d/x/}-{d/x//} :::: d/x
	same --header 0 echo {f}{d/x} :::: f d/x
}

@test "--header with a negative number of lines is refused, saying so" {
	run --separate-stderr fanout --header -1 'touch ran' ::: a b
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --header: '-1' is negative: give a number of lines (0 for none), ':' or a regular expression" ]
	[ ! -e ran ]
}

@test "--header with a bad regular expression is refused, naming it" {
	run --separate-stderr fanout --header '(' 'touch ran' ::: a b
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --header: invalid regular expression '(': "* ]]
	[ ! -e ran ]
}

@test "an empty --header is refused, saying what it takes" {
	run --separate-stderr fanout --header '' 'touch ran' ::: a b
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --header: '' is empty: give ':' (the first record names the columns), a number of lines or a regular expression" ]
	[ ! -e ran ]
}

@test "--pipe refuses --header REGEX, and takes --header N" {
	printf 'h\n1\n2\n' > in
	run --separate-stderr fanout --pipe --header '^h' 'touch ran' < in
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --header '^h': --pipe takes ':' or a number of records atop each block, not a regular expression" ]
	[ ! -e ran ]
	run --separate-stderr fanout --pipe --header 1 -N1 -k cat < in
	[ "$status" -eq 0 ]
	[ "$output" = $'h\n1\nh\n2' ]
}
