#!/usr/bin/env bats
# --results DIR: DIR/<seq>/stdout, stderr and status; nothing printed.

load helper

@test "--results saves each job's stdout, stderr and status, and prints nothing" {
	run --separate-stderr fanout --results R both ::: a b
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(cat R/1/stdout)" = a-out ]
	[ "$(cat R/1/stderr)" = a-err ]
	[ "$(cat R/2/stdout)" = b-out ]
	[ "$(cat R/2/stderr)" = b-err ]
	[ -f R/1/status ]
	[ -f R/2/status ]
}

@test "status is one line of exit, signal, start, runtime, command" {
	before=$(date +%s)
	run --separate-stderr fanout --results R 'sleep 0.3; exit {}' ::: 3
	[ "$status" -eq 1 ]
	read -r line < R/1/status
	[ "$(wc -l < R/1/status)" -eq 1 ]
	[[ "$line" =~ ^exit=3\ signal=0\ start=([0-9]+)\.[0-9]{3}\ runtime=([0-9]+\.[0-9]{3})\ command=sleep\ 0\.3\;\ exit\ 3$ ]]
	[ "${BASH_REMATCH[1]}" -ge $((before - 1)) ]
	awk -v r="${BASH_REMATCH[2]}" 'BEGIN { exit !(r >= 0.29 && r < 5) }'
}

@test "status records a signal and a time-out as the joblog does" {
	printf '%s\n' 'kill -9 $$' 'sleep 5' > cmds
	run --separate-stderr fanout --results R --timeout 0.3 < cmds
	[ "$status" -eq 2 ]
	[[ "$(cat R/1/status)" == "exit=0 signal=9 "* ]]
	[[ "$(cat R/2/status)" == "exit=-1 signal=15 "* ]]
}

@test "a command's newline and backslash are escaped in status" {
	fanout --results R 'printf %s {}' ::: "$(printf 'a\\\\b\nc')"
	[ "$(wc -l < R/1/status)" -eq 1 ]
	[[ "$(cat R/1/status)" == *"command=printf %s 'a\\\\\\\\b\\nc'" ]]
}

@test "output is saved byte for byte" {
	fanout --results R "printf 'x\\0y\\377'; printf 'no newline' >&2; : {}" ::: a
	[ "$(od -An -c R/1/stdout | tr -s ' ')" = " x \\0 y 377" ]
	[ "$(cat R/1/stderr)" = "no newline" ]
}

@test "paths never come from input values" {
	mkdir R
	fanout --results R 'echo {}' ::: ../escape /etc/passwd 'a b' '*'
	[ "$(cd R && find . | sort | tr '\n' ' ')" = ". ./1 ./1/status ./1/stderr ./1/stdout ./2 ./2/status ./2/stderr ./2/stdout ./3 ./3/status ./3/stderr ./3/stdout ./4 ./4/status ./4/stderr ./4/stdout " ]
	[ ! -e escape ]
	[ "$(cat R/2/stdout)" = /etc/passwd ]
}

@test "an existing directory is reused without losing other files" {
	mkdir -p R/1 R/keep
	echo mine > R/keep/file
	echo old > R/1/note
	echo stale > R/1/stdout
	fanout --results R echo ::: new
	[ "$(cat R/keep/file)" = mine ]
	[ "$(cat R/1/note)" = old ]
	[ "$(cat R/1/stdout)" = new ]
}

@test "--results holds live output too: --line-buffer, -k and -v print nothing" {
	run --separate-stderr fanout --results R --line-buffer -k -v --tag 'echo {}; echo e{} >&2' ::: a b
	[ -z "$output" ]
	[ -z "$stderr" ]
	[ "$(cat R/2/stdout)" = b ]
	[ "$(cat R/2/stderr)" = eb ]
}

@test "the failure list still goes to stderr" {
	run --separate-stderr fanout --results R 'exit {}' ::: 0 4
	[ "$status" -eq 1 ]
	[ -z "$output" ]
	[[ "$stderr" == "fanout: 1 of 2 jobs failed"* ]]
}

@test "the joblog counts Receive under --results" {
	fanout --results R --joblog jl 'printf 1234; : {}' ::: a
	[ "$(tail -1 jl | cut -f6)" = 4 ]
}

@test "--resume with --results skips the jobs that have a status" {
	fanout --results R echo ::: a b
	rm R/2/status
	fanout --resume --results R 'echo again {}' ::: a b c
	[ "$(cat R/1/stdout)" = a ]
	[ "$(cat R/2/stdout)" = "again b" ]
	[ "$(cat R/3/stdout)" = "again c" ]
}

@test "--resume-failed with --results runs failed jobs again" {
	run --separate-stderr fanout --results R 'echo {}; exit {}' ::: 0 1
	[ "$status" -eq 1 ]
	fanout --resume-failed --results R 'echo again {}' ::: 0 1
	[ "$(cat R/1/stdout)" = 0 ]
	[ "$(cat R/2/stdout)" = "again 1" ]
}

@test "--results does not work with -u" {
	run --separate-stderr fanout --results R -u echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --results does not work with -u"* ]]
}

@test "a --results that is a file or empty is refused before any job" {
	echo x > R
	run --separate-stderr fanout --results R 'touch ran-{}' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --results: cannot use 'R'"* ]]
	[ ! -e ran-a ]
	run --separate-stderr fanout --results '' echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --results: '' is empty" ]
}

# GNU parallel's single-file formats: --results NAME.csv, .tsv, .json.

# The table with Starttime and JobRuntime, which differ each run, as T R.
untimed() {
	sed -E "s/^([0-9]+)($1):\\2[0-9.]+\\2[0-9.]+\\2/\\1\\2:\\2T\\2R\\2/" "$2"
}

@test "--results NAME.csv writes GNU parallel's CSV, quoted where needed" {
	run --separate-stderr fanout -k --results out.csv 'echo {}; echo e{} >&2' ::: a 'b,"c' ::: x
	[ "$status" -eq 0 ]
	[ -z "$output" ]
	[ ! -d out.csv ]
	printf '%s\n' 'Seq,Host,Starttime,JobRuntime,Send,Receive,Exitval,Signal,Command,V1,V2,Stdout,Stderr' \
	    '1,:,T,R,0,4,0,0,"echo a x; echo ea x >&2",a,x,"a x' '","ea x' '"' \
	    '2,:,T,R,0,7,0,0,"echo '"'"'b,""c'"'"' x; echo e'"'"'b,""c'"'"' x >&2","b,""c",x,"b,""c x' \
	    '","eb,""c x' '"' > want
	untimed , out.csv > got
	diff want got
}

@test "--results NAME.tsv separates with tabs and counts failures" {
	run --separate-stderr fanout -k --results out.tsv 'printf {}; exit {}' ::: 0 3
	[ "$status" -eq 1 ]
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\tV1\tStdout\tStderr\n1\t:\tT\tR\t0\t1\t0\t0\t"printf 0; exit 0"\t0\t0\t\n2\t:\tT\tR\t0\t1\t3\t0\t"printf 3; exit 3"\t3\t3\t\n' > want
	untimed '\t' out.tsv > got
	diff want got
}

@test "--results NAME.json writes one JSON object per job" {
	run --separate-stderr fanout -k --results OUT.JSON 'printf "%s\n" {}; echo e >&2' ::: a 'b"c'
	[ "$status" -eq 0 ]
	[ "$(wc -l < OUT.JSON)" -eq 2 ]
	jq -e -s '.[0].Seq == 1 and .[0].Host == ":" and .[0].V == ["a"] and
	    .[0].Stdout == "a\n" and .[0].Stderr == "e\n" and .[0].Exitval == 0 and
	    .[0].Signal == 0 and .[0].Send == 0 and .[0].Receive == 2 and
	    (.[0].Starttime | type) == "number" and .[0].JobRuntime >= 0 and
	    .[1].V == ["b\"c"] and .[1].Stdout == "b\"c\n"' OUT.JSON >/dev/null
}

@test "--results tables: --resume is refused; GNU parallel writes the same" {
	run --separate-stderr fanout --resume --results out.csv 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--resume cannot read a --results table back"* ]]
	[ ! -e ran ]
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	for t in csv tsv; do
		parallel --will-cite -k --results "gnu.$t" 'echo {}; echo e{} >&2; exit {#}' ::: a 'b,"c d' ::: x  || :
		fanout -k --results "ours.$t" 'echo {}; echo e{} >&2; exit {#}' ::: a 'b,"c d' ::: x || :
		sep=,; [ $t = csv ] || sep='\t'
		diff <(untimed "$sep" "gnu.$t") <(untimed "$sep" "ours.$t")
	done
}
