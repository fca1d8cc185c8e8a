#!/usr/bin/env bats
# --joblog in GNU parallel's format, --resume, --resume-failed,
# --retry-failed.  The format is checked against a literal file, and
# against GNU parallel itself when it is installed.

load helper

# The joblog with Starttime's and JobRuntime's digits made N, so that
# widths, decimals and alignment are compared, not the clock.
shape() {
	awk 'BEGIN { FS = OFS = "\t" }
	     NR > 1 { gsub(/[0-9]/, "N", $3); gsub(/[0-9]/, "N", $4) }
	     { print }' "$1"
}

# Seqs of a joblog, one per line, in file order.
seqs() {
	tail -n +2 "$1" | cut -f1
}

@test "the joblog is GNU parallel's format, byte for byte" {
	printf '%s\n' 'echo hello' 'exit 3' 'kill -9 $$' 'sleep 5' > cmds
	run --separate-stderr fanout -j1 --timeout 1 --joblog jl < cmds
	[ "$status" -eq 3 ]
	shape jl > got
	diff "$FIXTURES/joblog.expected" got
}

@test "GNU parallel writes the same joblog shape" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	printf '%s\n' 'echo hello' 'exit 3' 'kill -9 $$' 'sleep 5' > cmds
	run --separate-stderr parallel --will-cite -j1 --timeout 1 --joblog jl < cmds
	[ "$status" -eq 3 ]
	shape jl > got
	diff "$FIXTURES/joblog.expected" got
}

@test "Starttime is the epoch time of the start, JobRuntime the runtime" {
	before=$(date +%s)
	fanout --joblog jl 'sleep 0.4; : {}' ::: a
	after=$(date +%s)
	start=$(tail -1 jl | cut -f3)
	runtime=$(tail -1 jl | cut -f4)
	awk -v s="$start" -v b="$before" -v a="$after" -v r="$runtime" \
	    'BEGIN { exit !(s >= b - 1 && s <= a + 1 && r >= 0.39 && r < 5) }'
}

@test "Receive counts the job's stdout bytes only" {
	fanout --joblog jl 'printf 12345; echo abc >&2; : {}' ::: a 2>/dev/null
	[ "$(tail -1 jl | cut -f5,6)" = "$(printf '0\t5')" ]
}

@test "a command's newlines are logged as NUL bytes, as GNU does" {
	fanout --joblog jl 'echo {}' ::: "$(printf 'a\nb')" >/dev/null
	[ "$(tail -1 jl | cut -f9 | tr '\0' @)" = "echo 'a@b'" ]
}

@test "a new run truncates the joblog" {
	fanout --joblog jl echo ::: a b c >/dev/null
	fanout --joblog jl echo ::: d >/dev/null
	[ "$(wc -l < jl)" -eq 2 ]
	[ "$(head -1 jl | cut -f1)" = Seq ]
}

@test "--joblog +FILE appends, with a header only in an empty file" {
	fanout --joblog +jl echo ::: a b >/dev/null
	fanout --joblog +jl echo ::: c >/dev/null
	[ "$(wc -l < jl)" -eq 4 ]
	[ "$(grep -c '^Seq' jl)" -eq 1 ]
}

@test "--joblog - writes the log to stdout" {
	run fanout --joblog - 'echo x; : {}' ::: a
	[ "$status" -eq 0 ]
	[ "${lines[0]}" = "$(printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand')" ]
	[ "${lines[1]}" = x ]
	[[ "${lines[2]}" == "1	:	"*"	0	2	0	0	echo x; : a" ]]
}

@test "under -k a job is logged only once its output is delivered" {
	fanout -k -j2 --joblog jl 'sleep {}; echo {}' ::: 0.6 0.1 >/dev/null
	[ "$(seqs jl | tr '\n' ' ')" = "1 2 " ]
}

@test "a retried job is logged once, with its last attempt" {
	run --separate-stderr fanout --retries 3 --joblog jl 'echo try $FANOUT_ATTEMPT; exit 1; : {}' ::: a
	[ "$status" -eq 1 ]
	[ "$output" = "try 3" ]
	[ "$(wc -l < jl)" -eq 2 ]
	[ "$(tail -1 jl | cut -f7)" = 1 ]
}

@test "jobs ended by --halt now are not logged" {
	run --separate-stderr fanout -j2 --halt now,fail=1 --joblog jl 'sleep {}; exit 1' ::: 0.2 30
	[ "$status" -eq 1 ]
	[ "$(seqs jl)" = 1 ]
}

@test "jobs ended by a signal to fanout are not logged" {
	set -m
	"$FANOUT_BIN" -j2 --joblog jl 'if [ {} = 2 ]; then recordpid job.pid; exec sleep 900; fi; echo {}' ::: 1 2 > out 2> err &
	pid=$!
	set +m
	wait_for_lines jl 2
	wait_for_file job.pid
	kill -TERM "$pid"
	status=0
	wait "$pid" || status=$?
	[ "$status" -eq 143 ]
	[ "$(seqs jl)" = 1 ]
	[ "$(cat out)" = 1 ]
	gone job.pid
}

@test "--dry-run leaves the joblog alone" {
	echo keep > jl
	fanout --dry-run --joblog jl echo ::: a >/dev/null
	[ "$(cat jl)" = keep ]
}

@test "an unwritable joblog fails before any job runs" {
	run --separate-stderr fanout --joblog /nonexistent/dir/jl 'touch ran-{}' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --joblog: cannot write '/nonexistent/dir/jl'"* ]]
	[ ! -e ran-a ]
}

@test "a malformed --joblog value is refused" {
	for bad in '' '+'; do
		run --separate-stderr fanout --joblog "$bad" echo ::: a
		[ "$status" -eq 255 ]
		[[ "$stderr" == "fanout: --joblog: '$bad' "* ]]
	done
}

@test "after kill -9, --resume runs exactly the jobs not logged" {
	# Job 100 cannot end before the kill, so the first run cannot finish.
	set -m
	"$FANOUT_BIN" -j10 --joblog jl 'if [ {} = 100 ]; then waitfor killed; fi; sleep 0.0$((RANDOM % 5)); echo {}' ::: $(seq 300) > out1 2>/dev/null &
	pid=$!
	set +m
	wait_for_lines jl 61
	kill -9 "$pid"
	status=0
	wait "$pid" || status=$?
	touch killed
	[ "$status" -eq 137 ]
	seqs jl | sort -n > first
	[ "$(wc -l < first)" -ge 59 ]
	[ "$(wc -l < first)" -lt 300 ]
	fanout -j10 --resume --joblog jl 'if [ {} = 100 ]; then waitfor killed; fi; sleep 0.0$((RANDOM % 5)); echo {}' ::: $(seq 300) > out2
	# The second run ran exactly the rest...
	tail -n +$(( $(wc -l < first) + 2 )) jl | cut -f1 | sort -n > second
	[ -z "$(comm -12 first second)" ]
	sort -n out2 > ran
	diff second ran
	# ...and the joblog ends with each Seq exactly once.
	[ "$(seqs jl | sort -n | uniq -d)" = "" ]
	[ "$(seqs jl | sort -n | uniq | wc -l)" -eq 300 ]
	# Nothing whose output was lost is skipped: every value came out.
	[ "$(sort -n out1 out2 | uniq | wc -l)" -eq 300 ]
}

@test "--resume appends to the joblog and runs only unlogged jobs" {
	fanout -k --joblog jl echo ::: a b >/dev/null
	run fanout -k --resume --joblog jl echo ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'c\nd')" ]
	[ "$(seqs jl | tr '\n' ' ')" = "1 2 3 4 " ]
	[ "$(grep -c '^Seq' jl)" -eq 1 ]
}

@test "--resume with no joblog yet runs everything and creates it" {
	run fanout -k --resume --joblog jl echo ::: a b
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$(head -1 jl | cut -f1)" = Seq ]
}

@test "--resume-failed runs the failed and the unlogged jobs again" {
	run --separate-stderr fanout -k --joblog jl 'echo {}; [ {} != b ]' ::: a b c
	[ "$status" -eq 1 ]
	run fanout -k --resume-failed --joblog jl 'echo again {}' ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'again b\nagain d')" ]
	[ "$(seqs jl | tr '\n' ' ')" = "1 2 3 2 4 " ]
}

@test "--retry-failed runs the logged failed commands again, ignoring input" {
	run --separate-stderr fanout -k --joblog jl 'echo {}; exit {}' ::: 0 1 0 2
	[ "$status" -eq 2 ]
	run --separate-stderr fanout -k --retry-failed --joblog jl 'echo ignored {}' ::: x y z
	[ "$status" -eq 2 ]
	[ "$output" = "$(printf '1\n2')" ]
	[ "$(seqs jl | tr '\n' ' ')" = "1 2 3 4 2 4 " ]
}

@test "--retry-failed keeps each job's Seq" {
	run --separate-stderr fanout --joblog jl 'exit {}' ::: 0 0 5
	[ "$status" -eq 1 ]
	run fanout --retry-failed --joblog jl
	[ "$status" -eq 1 ]
	[ "$(tail -1 jl | cut -f1)" = 3 ]
	[ "$(tail -1 jl | cut -f9)" = "exit 5" ]
}

@test "--resume reads a joblog GNU parallel wrote" {
	printf 'Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n' > jl
	printf '1\t:\t1700000000.123\t     0.002\t0\t2\t0\t0\techo a\n' >> jl
	printf '3\t:\t1700000000.130\t     1.520\t0\t0\t-1\t15\techo c\n' >> jl
	run fanout -k --resume --joblog jl echo ::: a b c
	[ "$output" = b ]
	run fanout -k --resume-failed --joblog jl echo ::: a b c
	[ "$output" = c ]
}

@test "--resume accepts a headerless log, as GNU's --joblog +FILE writes" {
	printf '1\t:\t1700000000.123\t     0.002\t0\t2\t0\t0\techo a\n' > jl
	run fanout -k --resume --joblog jl echo ::: a b
	[ "$output" = b ]
}

@test "GNU parallel --resume accepts fanout's joblog" {
	command -v parallel >/dev/null || skip "GNU parallel is not installed"
	run --separate-stderr fanout -k --joblog jl 'echo {}; exit {}' ::: 0 1
	[ "$status" -eq 1 ]
	run parallel --will-cite -k --resume --joblog jl 'echo again {}' ::: 0 1 2
	[ "$output" = "again 2" ]
	run parallel --will-cite -k --resume-failed --joblog jl 'echo again {}' ::: 0 1 2
	[ "$output" = "again 1" ]
}

@test "a malformed joblog is refused with its line number" {
	printf 'Seq\tHost\n1\t:\t1.0\t1.0\t0\t0\t0\t0\techo\nnot a log line\n' > jl
	run --separate-stderr fanout --resume --joblog jl echo ::: a
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --joblog: 'jl' line 3 is not a joblog line (Seq Host Starttime JobRuntime Send Receive Exitval Signal Command, TAB-separated)" ]
	[ -z "$output" ]
}

@test "--resume and --retry-failed need a joblog" {
	run --separate-stderr fanout --resume echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --resume needs --joblog FILE"* ]]
	run --separate-stderr fanout --retry-failed echo ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == "fanout: --retry-failed needs --joblog FILE"* ]]
}

@test "--retry-failed with a missing joblog is an error" {
	run --separate-stderr fanout --retry-failed --joblog missing
	[ "$status" -eq 255 ]
	[ "$stderr" = "fanout: --retry-failed: cannot read 'missing': No such file or directory" ]
}
