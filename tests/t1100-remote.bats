#!/usr/bin/env bats
# Remote hosts: -S, --sshloginfile, transfers, per-host slots, host loss.
# Against a real OpenSSH server on loopback (tests/remote.bash): node1..node3
# are separate "hosts" on 127.0.0.1..3 with their own home directories, and
# their jobs run on this machine, so a test sees their files and processes.
# Jobs that must overlap hold at a barrier file (waitfor); nothing sleeps.

load helper
load remote

# spawn_rfanout ARGS...: spawn_fanout through the test server's ssh.
spawn_rfanout() {
	spawn_fanout --ssh "$FANOUT_SSH" "$@"
}

# max_per_host LOG: from lines "+ HOST" (a job starts) and "- HOST" (it
# ends), the most jobs each host ran at once: "HOST N" lines, sorted.
max_per_host() {
	awk '{ c[$2] += ($1 == "+") ? 1 : -1; if (c[$2] > m[$2]) m[$2] = c[$2] }
	    END { for (h in m) print h, m[h] }' "$1" | sort
}

# started_per_host LOG: how many "+ HOST" lines each host has, sorted.
started_per_host() {
	awk '$1 == "+" { n[$2]++ } END { for (h in n) print h, n[h] }' "$1" | sort
}

# A job that holds at the barrier $T/go, logging its start and end.
held_job() {
	echo "echo + \${SSHD_NODE:-local} >> $T/log; $FIXTURES/waitfor $T/go; echo - \${SSHD_NODE:-local} >> $T/log; : {}"
}

# A job that records itself and a background child of its process group,
# then sleeps: both must be gone once fanout ends the job.
sleeper_job() {
	echo "sh -c '$FIXTURES/recordpid $T/bg-{}.pid; exec sleep 900' & $FIXTURES/recordpid $T/job-{}.pid; exec sleep 900"
}

# gone_within SECS FILE...: every recorded process ends within SECS.
gone_within() {
	local limit=$1 f
	shift
	for f in "$@"; do
		wait_until "$limit" not running "$f"
	done
}

@test "a remote job's stdout, stderr and exit status are the remote command's" {
	run --separate-stderr rfanout -k -S node1 --joblog jl \
	    'echo out {} $SSHD_NODE; echo err {} >&2; exit {}' ::: 0 3
	[ "$status" -eq 1 ]
	[ "$output" = "$(printf 'out 0 node1\nout 3 node1')" ]
	[ "$(grep '^err' <<< "$stderr")" = "$(printf 'err 0\nerr 3')" ]
	[ "$(tail -n +2 jl | cut -f7)" = "$(printf '0\n3')" ]
}

@test "every input value reaches the remote command byte for byte" {
	printf '%s\0' 'a b' "it's" '"dq"' '$HOME' 'back\slash' '-n' '--' \
	    $'two\nlines' '*' ';ls;' '`id`' '$(id)' ' lead' 'trail ' \
	    $'tab\there' $'\xff\xfe' 'x\' '{}' > in
	rfanout -0 -k -S node1,node2 "printf '%s\0' {}" < in > out
	cmp in out
}

@test "each host runs at once as many jobs as its login's N/ gives; -S repeats" {
	spawn_rfanout -S 1/node1,2/node2 -S 3/node3 "$(held_job)" ::: $(seq 8)
	wait_for_lines log 6
	[ "$(started_per_host log)" = "$(printf 'node1 1\nnode2 2\nnode3 3')" ]
	touch go
	reap
	[ "$status" -eq 0 ]
	[ "$(grep -c "^+" log)" -eq 8 ]
	[ "$(max_per_host log)" = "$(printf 'node1 1\nnode2 2\nnode3 3')" ]
}

@test "-j applies per host, relative forms to the host's own cores" {
	n=$(nproc)
	spawn_rfanout -S node1,node2 -j 100% "$(held_job)" ::: $(seq $((2 * n + 2)))
	wait_for_lines log $((2 * n))
	[ "$(started_per_host log)" = "$(printf 'node1 %s\nnode2 %s' $n $n)" ]
	touch go
	reap
	[ "$status" -eq 0 ]
	[ "$(max_per_host log)" = "$(printf 'node1 %s\nnode2 %s' $n $n)" ]
}

@test "the joblog's Host column holds each login as written; : runs locally" {
	spawn_rfanout -S 1/node1,1/root@node2,1/: --joblog jl \
	    "echo {} \${SSHD_NODE:-local} >> $T/ran; echo + >> $T/log; $FIXTURES/waitfor $T/go" \
	    ::: 1 2 3
	wait_for_lines log 3
	touch go
	reap
	[ "$status" -eq 0 ]
	# Each job's host in the joblog is where it ran.
	tail -n +2 jl | cut -f1,2 | sort > hosts
	[ "$(cut -f2 hosts | sort)" = "$(printf ':\nnode1\nroot@node2')" ]
	while IFS=$'\t' read -r seq host; do
		case $host in
		:)		want=local ;;
		node1)		want=node1 ;;
		root@node2)	want=node2 ;;
		esac
		grep -qx "$seq $want" ran
	done < hosts
}

@test "--sshloginfile reads logins from a file or stdin, skipping comments and blank lines" {
	printf '# the hosts\n\n1/node1\n# 1/node3\n\n1/node2\n' > logins
	spawn_rfanout --sshloginfile logins "$(held_job)" ::: 1 2
	wait_for_lines log 2
	[ "$(started_per_host log)" = "$(printf 'node1 1\nnode2 1')" ]
	touch go
	reap
	[ "$status" -eq 0 ]
	run --separate-stderr rfanout --slf - 'echo $SSHD_NODE {}' ::: a <<< 'node3'
	[ "$status" -eq 0 ]
	[ "$output" = "node3 a" ]
}

@test "-k keeps the input order across hosts" {
	# Job 3 ends first, then 2, then 1.
	run --separate-stderr rfanout -k -S 1/node1,1/node2,1/node3 \
	    "[ {} = 3 ] || $FIXTURES/waitfor $T/fin.\$(({} + 1)); echo {} \$SSHD_NODE; touch $T/fin.{}" \
	    ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$(cut -d' ' -f1 <<< "$output")" = "$(printf '1\n2\n3')" ]
	[ "$(cut -d' ' -f2 <<< "$output" | sort)" = "$(printf 'node1\nnode2\nnode3')" ]
}

@test "--onall runs every input on every host" {
	run --separate-stderr rfanout -S node1,node2 --onall 'echo {} $SSHD_NODE' ::: a b
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf 'a node1\na node2\nb node1\nb node2')" ]
}

@test "--nonall runs the command once on each host" {
	run --separate-stderr rfanout -S node1,node2,node3 --nonall 'echo $SSHD_NODE'
	[ "$status" -eq 0 ]
	[ "$(sort <<< "$output")" = "$(printf 'node1\nnode2\nnode3')" ]
}

@test "--env brings a variable and an exported function to the remote job" {
	export VAR=$'sp ace \'q\' "dq" $HOME \\ `x` end\nline 2'
	myfn() { printf '<%s>\n' "$1"; }
	export -f myfn
	run --separate-stderr rfanout -S node1 --env VAR --env myfn \
	    'myfn "$VAR"; : {}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "<$VAR>" ]
}

@test "--workdir runs the remote job in that directory, made if missing" {
	run --separate-stderr rfanout -S node1 --workdir sub/dir 'pwd; : {}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$(node_home node1)/sub/dir" ]
	[ -d "$(node_home node1)/sub/dir" ]
}

@test "--wd ... runs the remote job in a fresh directory, removed after" {
	run --separate-stderr rfanout -S node1 --wd ... \
	    'pwd; echo here > made-here; : {}' ::: x
	[ "$status" -eq 0 ]
	[ -n "$output" ]
	[ "$output" != "$(node_home node1)" ]
	[ ! -e "$output" ]
	[ ! -e "$(node_home node1)/made-here" ]
}

@test "--nice sets the remote job's niceness" {
	base=$(ps -o ni= -p "$SSHD_PID" | tr -d ' ')
	want=$((base + 7 > 19 ? 19 : base + 7))
	run --separate-stderr rfanout -S node1 --nice 7 'nice; : {}' ::: x
	[ "$status" -eq 0 ]
	[ "$output" = "$want" ]
}

@test "--trc sends the input, returns the result and leaves the hosts as they were" {
	mkdir in.d
	printf 'abc\n' > in.d/a.txt
	printf 'de f\n' > 'in.d/b c.txt'
	printf 'gh\n' > 'in.d/-q $x.txt'
	# What a host had is kept: a file in its home and in the input's dir.
	mkdir "$(node_home node1)/in.d"
	echo mine > "$(node_home node1)/in.d/mine"
	echo mine > "$(node_home node1)/keep"
	before1=$(node_files node1)
	run --separate-stderr rfanout -S node1,node2 --trc {}.out \
	    'tr a-z A-Z < {} > {}.out' ::: in.d/*.txt
	[ "$status" -eq 0 ]
	[ "$(cat in.d/a.txt.out)" = ABC ]
	[ "$(cat 'in.d/b c.txt.out')" = "DE F" ]
	[ "$(cat 'in.d/-q $x.txt.out')" = GH ]
	[ "$(node_files node1)" = "$before1" ]
	[ -z "$(node_files node2)" ]
}

@test "--return fetches the file back even when the job failed" {
	run --separate-stderr rfanout -S node3 --return 'got/{}.out' \
	    'mkdir -p got; echo made {} on $SSHD_NODE > got/{}.out; exit 1' ::: r1
	[ "$status" -eq 1 ]
	[ "$(cat got/r1.out)" = "made r1 on node3" ]
}

@test "--transferfile sends a named file to its relative path" {
	mkdir conf
	echo 'value of a' > conf/a.cfg
	echo 'value of b' > conf/b.cfg
	run --separate-stderr rfanout -k -S node1,node2 --tf conf/{}.cfg \
	    'cat conf/{}.cfg' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'value of a\nvalue of b')" ]
}

@test "--basefile is on each host before its first job, and --cleanup removes it" {
	printf 'greet() { echo "hello $1"; }\n' > base.sh
	spawn_rfanout -S 1/node1,1/node2 --bf base.sh --cleanup \
	    "[ -e $T/go ] || { echo + \$SSHD_NODE >> $T/log; $FIXTURES/waitfor $T/go; }; . ./base.sh; greet {}" \
	    ::: a b c d
	wait_for_lines log 2
	[ "$(started_per_host log)" = "$(printf 'node1 1\nnode2 1')" ]
	touch go
	reap
	[ "$status" -eq 0 ]
	[ "$(sort out)" = "$(printf 'hello %s\n' a b c d)" ]
	[ -z "$(node_files node1)" ]
	[ -z "$(node_files node2)" ]
}

@test "a job that ran and exited 255 is an ordinary failure, run once" {
	run --separate-stderr rfanout -S node1,node2 --joblog jl \
	    "echo ran >> $T/ran; exit 255; : {}" ::: a
	[ "$status" -eq 1 ]
	[ "$(wc -l < ran)" -eq 1 ]
	[ "$(tail -n +2 jl | cut -f7)" = 255 ]
}

@test "a host that does not answer fails no job: they run on the others" {
	# Nothing listens on port 1.
	run --separate-stderr rfanout -S 1/node1,1/node2:1 \
	    'echo {} $SSHD_NODE' ::: $(seq 6)
	[ "$status" -eq 0 ]
	[ "$(sort -n <<< "$output")" = "$(seq 6 | sed 's/$/ node1/')" ]
}

@test "--filter-hosts drops a host that does not answer at start, saying so" {
	run --separate-stderr rfanout -S node1,node2:1 --filter-hosts \
	    'echo {} $SSHD_NODE' ::: 1 2 3
	[ "$status" -eq 0 ]
	[ "$(sort -n <<< "$output")" = "$(printf '1 node1\n2 node1\n3 node1')" ]
	grep -q 'node2:1' <<< "$stderr"
}

@test "a host whose server stops mid-run: every job completes once, on the others" {
	lost_up lost1
	spawn_rfanout -S 1/node1,1/node2,1/lost1 \
	    "echo {} \$HOME >> $T/started; $FIXTURES/waitfor $T/go; echo {} >> $T/done; echo {}" \
	    ::: $(seq 12)
	wait_for_lines started 3
	grep -q " $(node_home lost1)\$" started
	lost_down lost1
	touch go
	reap
	cat err
	[ "$status" -eq 0 ]
	[ "$(sort -n done)" = "$(seq 12)" ]
	[ "$(sort -n out)" = "$(seq 12)" ]
}

@test "when every host is gone the run stops with status 255, finished jobs delivered" {
	lost_up lost2
	spawn_rfanout -S 1/lost2 \
	    "if [ {} = 1 ]; then echo done-1; else echo + >> $T/log; $FIXTURES/waitfor $T/go; echo done-{}; fi" \
	    ::: 1 2 3
	wait_for_lines log 1
	lost_down lost2
	touch go
	reap
	[ "$status" -eq 255 ]
	[ "$(cat out)" = done-1 ]
	grep -q lost2 err
}

@test "--timeout kills the remote job's whole process group" {
	run --separate-stderr rfanout -S node1 --timeout 3 "$(sleeper_job)" ::: t
	[ "$status" -eq 1 ]
	# It had started.
	[ -e job-t.pid ]
	[ -e bg-t.pid ]
	gone_within 20 job-t.pid bg-t.pid
}

@test "--halt now,fail=1 kills the remote jobs still running on other hosts" {
	run --separate-stderr rfanout -S 1/node1,1/node2 --halt now,fail=1 \
	    "if [ {} = a ]; then $(sleeper_job); else $FIXTURES/waitfor $T/job-a.pid $T/bg-a.pid; exit 1; fi" \
	    ::: a b
	[ "$status" -eq 1 ]
	gone_within 20 job-a.pid bg-a.pid
}

@test "SIGINT to fanout leaves no process on any host" {
	spawn_rfanout -S 1/node1,1/node2,1/node3 "$(sleeper_job)" ::: 1 2 3
	for i in 1 2 3; do
		wait_for_file job-$i.pid
		wait_for_file bg-$i.pid
	done
	# One job on each host.
	[ -n "$(node_pids node1)" ]
	[ -n "$(node_pids node2)" ]
	[ -n "$(node_pids node3)" ]
	kill -INT "$pid"
	reap
	[ "$status" -eq 130 ]
	gone_within 20 job-1.pid bg-1.pid job-2.pid bg-2.pid job-3.pid bg-3.pid
	wait_until 20 no_node_pids
}

@test "SIGKILL to fanout still ends its remote jobs" {
	# fanout killed cannot remove its control directory: it is made in
	# the test's own directory, which goes with the test.
	spawn_rfanout --tmpdir "$BATS_TEST_TMPDIR" -S node1 "$(sleeper_job)" ::: k
	wait_for_file job-k.pid
	wait_for_file bg-k.pid
	kill -KILL "$pid"
	reap
	[ "$status" -eq 137 ]
	gone_within 20 job-k.pid bg-k.pid
	wait_until 20 no_node_pids
}

@test "a bad login or a missing login file is refused before any job runs" {
	for bad in '-S=' '-S=node1,,node2' '-S=x/node1' '-S=node1:abc' \
	    "--sshloginfile=$T/missing"; do
		run --separate-stderr rfanout "${bad%%=*}" "${bad#*=}" \
		    "touch $T/ran" ::: 1
		echo "$bad: $status: $stderr"
		[ "$status" -eq 255 ]
		[[ $stderr == fanout:* ]]
		[ -z "$output" ]
		[ ! -e ran ]
	done
}

@test "--onall -k keeps input order, each input's hosts in -S order, --tag is the host" {
	run --separate-stderr rfanout -S node1,2/node2 --onall -k --tag \
	    'echo {} $SSHD_NODE' ::: a b c d
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'node1\ta node1\nnode2\ta node2\nnode1\tb node1\nnode2\tb node2\nnode1\tc node1\nnode2\tc node2\nnode1\td node1\nnode2\td node2')" ]
}

@test "--onall: a dropped host's copies do not run, and the run exits 255" {
	run --separate-stderr rfanout -S node1,nosuch.invalid --onall -k \
	    'echo {}' ::: a b
	[ "$status" -eq 255 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[[ $stderr == *"host nosuch.invalid: dropped"* ]]
	[[ $stderr == *"job 2: host nosuch.invalid is gone"* ]]
}

@test "--onall and --nonall refuse what cannot go with them" {
	run --separate-stderr "$FANOUT_BIN" --onall echo ::: a
	[ "$status" -eq 255 ]
	[[ $stderr == *"--onall runs on the hosts of -S"* ]]
	run --separate-stderr "$FANOUT_BIN" -S node1 --nonall echo ::: a
	[ "$status" -eq 255 ]
	[[ $stderr == *"--nonall takes no input"* ]]
	run --separate-stderr "$FANOUT_BIN" -S node1 --onall --pipe cat
	[ "$status" -eq 255 ]
}

@test "--summary and --report count each host's jobs" {
	run --separate-stderr rfanout -S 1/node1,1/node2,1/: --summary \
	    --report rep.json 'exit $(({} % 2))' ::: 1 2 3 4 5 6
	[ "$status" -eq 3 ]
	[[ $stderr == *"hosts     "* ]]
	[ "$(tail -n 1 rep.json | jq '[.summary.hosts[].done] | add')" -eq 6 ]
	[ "$(tail -n 1 rep.json | jq '[.summary.hosts[].failed] | add')" -eq 3 ]
	[ "$(tail -n 1 rep.json | jq -r '[.summary.hosts[].host] | sort | join(",")')" = ":,node1,node2" ]
	[ "$(head -n 6 rep.json | jq -r .host | sort -u | tr '\n' ,)" = ":,node1,node2," ]
}

@test "--pipe sends each block to a remote job's stdin; --trc has no {} to send" {
	seq 1 100 >in
	run --separate-stderr rfanout -S node1,node2 --pipe -N 30 -k \
	    --trc 'out.{#}' 'cat >out.{#}; wc -l <out.{#}' :::: in
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '30\n30\n30\n10')" ]
	[ -z "$stderr" ]
	[ "$(cat out.1 out.2 out.3 out.4)" = "$(seq 1 100)" ]
	[ -z "$(ls -A "$(node_home node1)")" ]
	[ -z "$(ls -A "$(node_home node2)")" ]
}

@test "--pipepart feeds each block, its range of the file, to a remote job's stdin" {
	seq -f 'line %.0f' 1 300000 >in
	"$FANOUT_BIN" --pipe -a in --block 1M -k cksum >want
	run --separate-stderr rfanout -S node1,node2 --pipepart -a in \
	    --block 1M -k cksum
	[ "$status" -eq 0 ]
	[ "$output" = "$(cat want)" ]
	[ -z "$stderr" ]
}

@test "--progress shows what each host runs and ran" {
	run --separate-stderr rfanout -S 1/node1,1/: --progress true ::: 1 2 3 4
	[ "$status" -eq 0 ]
	last=$(tr '\r' '\n' <<< "$stderr" | grep 'done' | tail -n 1)
	[[ $last == *"(node1:0/"*" ::0/"*")"* ]]
	n1=${last#*node1:0/}; n1=${n1%% *}
	n0=${last#*::0/}; n0=${n0%%)*}
	[ $((n1 + n0)) -eq 4 ]
}
