#!/usr/bin/env bats
# --csv: records and fields as RFC 4180 has them, as GNU parallel's --csv.

load helper

@test "--csv splits at commas outside quotes and unquotes fields" {
	printf 'a,"b,c",d\n"x""y","multi\nline",z\n' > in.csv
	run --separate-stderr fanout -k --csv echo '@{1}@' '@{2}@' '@{3}@' :::: in.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '@a@ @b,c@ @d@\n@x"y@ @multi\nline@ @z@')" ]
}

@test "--csv from a pipe written in two parts keeps a quoted newline in its field" {
	mkfifo p
	{ printf 'a,"x\n'; waitfor more; printf 'y",b\n'; } > p &
	exec 5<p
	fanout --csv -k --joblog jl echo '[{2}]' <&5 > out &
	pid=$!
	touch more
	wait "$pid"
	exec 5<&-
	[ "$(cat out)" = "$(printf '[x\ny]')" ]
	[ "$(tail -n +2 jl | wc -l)" -eq 1 ]
}

@test "--csv counts records, not lines, and drops a CR before the newline" {
	printf 'h1,h2\r\n1,"a\nb"\r\n2,c\r\n' > in.csv
	run --separate-stderr fanout -k --csv --header : echo '{##}:{h1}:[{h2}]' :::: in.csv
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '2:1:[a\nb]\n2:2:[c]')" ]
}

@test "--csv takes a one-character --colsep" {
	run --separate-stderr fanout -k --csv --colsep ';' echo '@{1}@' '@{2}@' ::: 'a;"b;c"'
	[ "$output" = "@a@ @b;c@" ]
	for bad in '::' '"'; do
		run --separate-stderr fanout --csv --colsep "$bad" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == *"--csv: --colsep must be one character, not a quote"* ]]
	done
	[ ! -e ran ]
}

@test "--csv gives what GNU parallel gives" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	parallel --will-cite --csv echo ::: a 2>/dev/null >/dev/null ||
	    skip "GNU parallel's --csv needs Perl's Text::CSV, not installed"
	printf 'a,"b,c",d\n"x""y","multi\nline",z\n,,\n' > in.csv
	parallel --will-cite -k --csv echo '@{1}@' '@{2}@' '@{3}@' :::: in.csv > want
	fanout -k --csv echo '@{1}@' '@{2}@' '@{3}@' :::: in.csv > got
	diff want got
}
