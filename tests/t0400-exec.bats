#!/usr/bin/env bats
# How jobs run: environment, stdin, descriptors, the shell or not, and
# when a job counts as finished.

load helper

@test "every job gets FANOUT_SEQ, FANOUT_SLOT and GNU's PARALLEL_SEQ, PARALLEL_JOBSLOT" {
	run fanout -j1 -k 'echo $FANOUT_SEQ $FANOUT_SLOT $PARALLEL_SEQ $PARALLEL_JOBSLOT $FANOUT_ATTEMPT {}' ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '1 1 1 1 1 a\n2 1 2 1 1 b')" ]
}

@test "inherited FANOUT_SEQ does not leak into jobs" {
	FANOUT_SEQ=99 PARALLEL_SEQ=98 run fanout -j1 'env; : {}' ::: x
	[ "$(grep -c '^FANOUT_SEQ=' <<<"$output")" -eq 1 ]
	grep -qx 'FANOUT_SEQ=1' <<<"$output"
	grep -qx 'PARALLEL_SEQ=1' <<<"$output"
}

@test "slots stay between 1 and -j" {
	run fanout -j3 'echo $FANOUT_SLOT; sleep 0.0{}' ::: 1 2 3 4 5 6 7 8 9
	[ "$status" -eq 0 ]
	[ "$(sort -u <<<"$output" | tr '\n' ' ')" = "1 2 3 " ]
}

@test "the job's stdin is /dev/null" {
	run fanout 'cat; echo done' ::: 1 <<<"should not be read"
	[ "$output" = "done 1" ]
}

@test "a job inherits no descriptor fanout opened" {
	expected=$(fds | sort -n | tr '\n' ' ')
	run fanout -k 'fds | sort -n | tr "\n" " "; : {}' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "$expected" ]
}

@test "descriptors fanout inherited pass through to jobs" {
	echo secret > f
	exec 7<f
	run fanout 'cat <&7; : {}' ::: 1
	exec 7<&-
	[ "$output" = "secret" ]
}

@test "a job is finished when its process exits, not its descendants" {
	# The descendant keeps the job's stdout open until the test releases
	# it, which it does only after fanout has ended.
	run fanout 'sh -c "recordpid bg.pid; exec waitfor go" & echo hi' ::: 1
	[ "$status" -eq 0 ]
	[ "$output" = "hi 1" ]
	wait_for_file bg.pid
	running bg.pid
	touch go
	gone bg.pid
}

@test "a job that needs no shell runs directly, with identical arguments" {
	run fanout -k argv x{}y '{}' ::: 'a b' "it's" '$HOME' '*' ''
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '%s\n' '[xa by]' '[a b]' "[xit'sy]" "[it's]" '[x$HOMEy]' '[$HOME]' '[x*y]' '[*]' '[xy]' '[]')" ]
}

@test "shell syntax in the template runs through the shell" {
	run fanout -k 'echo {} | tr a-z A-Z' ::: abc
	[ "$output" = "ABC" ]
	run fanout -k 'x=1; echo "$x"{}' ::: 2
	[ "$output" = "12" ]
}

@test "a builtin without a file of that name goes to the shell" {
	run fanout -k 'cd {} && pwd' ::: /
	[ "$output" = "/" ]
}

@test "a function exported from bash works as a command" {
	run bash -c 'f() { echo "f got $1"; }; export -f f; SHELL=/bin/bash "$FANOUT_BIN" f ::: a'
	[ "$status" -eq 0 ]
	[ "$output" = "f got a" ]
}

@test "an exported bash function runs under bash whatever SHELL is" {
	# dash, fish, or no SHELL (cron): the job shell becomes bash.
	for sh in /bin/sh /usr/bin/fish -; do
		run --separate-stderr bash -c 'f() { echo "f got $1 ${BASH_VERSION:+in bash}"; }; export -f f
		    if [ "$1" = - ]; then unset SHELL; else SHELL=$1; fi
		    "$FANOUT_BIN" -k f ::: a b' _ "$sh"
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'f got a in bash\nf got b in bash')" ]
	done
	# A command that calls none keeps the shell it had.
	run --separate-stderr bash -c 'f() { :; }; export -f f
	    SHELL=/bin/sh "$FANOUT_BIN" "echo \${BASH_VERSION:-not bash}; : ff" ::: a'
	[ "$output" = "not bash" ]
	# Without a command, input lines may call one.
	run --separate-stderr bash -c 'f() { echo "f got $1"; }; export -f f
	    echo "f x" | SHELL=/bin/sh "$FANOUT_BIN"'
	[ "$output" = "f got x" ]
	# An explicit job shell wins.
	run --separate-stderr bash -c 'f() { :; }; export -f f
	    PARALLEL_SHELL=/bin/sh "$FANOUT_BIN" f ::: a'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"f: not found"* ]]
}

@test "--env NAME is checked; local jobs have the whole environment" {
	run --separate-stderr env MYVAR=v "$FANOUT_BIN" --env MYVAR --env my-func 'echo $MYVAR {}' ::: a
	[ "$status" -eq 0 ]
	[ "$output" = "v a" ]
	for bad in '$MYVAR' 'A=1' ''; do
		run --separate-stderr fanout --env "$bad" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "fanout: --env: '$bad' is not a variable or function name (write NAME, not \$NAME)" ]
	done
	run --separate-stderr fanout --env _ 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--env: '_' needs the list GNU parallel's --record-env keeps in \$HOME"* ]]
	[ ! -e ran ]
}

@test "--nice N runs the jobs at niceness N" {
	run --separate-stderr fanout -k --nice 7 "awk '{ print \$19 }' /proc/self/stat; : {}" ::: a b
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf '7\n7')" ]
	for bad in 20 -21 x ''; do
		run --separate-stderr fanout --nice "$bad" 'touch ran' ::: a
		[ "$status" -eq 255 ]
		[ "$stderr" = "fanout: --nice: '$bad' is not a niceness (-20 to 19)" ]
	done
	[ ! -e ran ]
}

@test "--shell=PROG chooses the job shell" {
	printf '#!/bin/sh\necho "via myshell: $2"\n' > myshell
	chmod +x myshell
	run fanout --shell="$PWD/myshell" 'echo {}' ::: a
	[ "$output" = "via myshell: echo a" ]
}

@test "PARALLEL_SHELL chooses the job shell, and --shell=PROG wins" {
	printf '#!/bin/sh\necho "sh1"\n' > sh1
	printf '#!/bin/sh\necho "sh2"\n' > sh2
	chmod +x sh1 sh2
	PARALLEL_SHELL=$PWD/sh1 run fanout --shell 'echo {}' ::: a
	[ "$output" = "sh1" ]
	PARALLEL_SHELL=$PWD/sh1 run fanout --shell="$PWD/sh2" 'echo {}' ::: a
	[ "$output" = "sh2" ]
}

@test "--shell forces a shell even for a plain command" {
	printf '#!/bin/sh\necho "shell ran: $2"\n' > mysh
	chmod +x mysh
	PARALLEL_SHELL=$PWD/mysh run fanout --shell echo {} ::: a
	[ "$output" = "shell ran: echo a" ]
}

@test "--no-shell runs the program directly, metacharacters as data" {
	run fanout --no-shell argv '$x' '|' ::: a
	[ "$output" = "$(printf '[$x]\n[|]\n[a]')" ]
}

@test "a missing program fails that job with 127 and names job and program" {
	run --separate-stderr fanout --no-shell nosuchprog-xyz ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"job 1: nosuchprog-xyz: command not found"* ]]
	[[ "$stderr" == *"fanout: 1 of 1 job failed"* ]]
	[[ "$stderr" == *"job 1: exit 127"* ]]
}

@test "a missing program through the shell also fails with 127" {
	run --separate-stderr fanout nosuchprog-xyz ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"nosuchprog-xyz"* ]]
	[[ "$stderr" == *"job 1: exit 127"* ]]
}

@test "a file that is not executable fails with 126" {
	printf 'echo hi\n' > noexec
	run --separate-stderr fanout --no-shell ./noexec ::: a
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"job 1: exit 126"* ]]
}

@test "a script without #! runs through the shell, as a shell would" {
	printf 'echo "script got $1"\n' > plain
	chmod +x plain
	run fanout ./plain ::: a
	[ "$output" = "script got a" ]
}

@test "an argument list longer than the system allows fails that job only" {
	head -c 3000000 /dev/zero | tr '\0' x > big
	printf '\nsmall\n' >> big
	run --separate-stderr fanout -k echo :::: big
	[ "$status" -eq 1 ]
	[ "$output" = "small" ]
	[[ "$stderr" == *"job 1: argument list too long"* ]]
	[[ "$stderr" == *"exit 126"* ]]
}

@test "-j 0 runs without a fixed bound" {
	run fanout -j0 -k echo ::: a b c
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb\nc')" ]
}

@test "-j N% and -j +N and -j -N are relative to the CPUs" {
	for j in 50% 100% 200% +1 -1 +0; do
		run fanout -j "$j" -k echo ::: a b
		[ "$status" -eq 0 ]
		[ "$output" = "$(printf 'a\nb')" ]
	done
}

@test "-j bounds the jobs running at once" {
	run fanout -j2 'mkdir lock.$FANOUT_SLOT || echo clash; sleep 0.05; rmdir lock.$FANOUT_SLOT; ls -d lock.* 2>/dev/null | wc -l; : {}' ::: 1 2 3 4 5 6
	[ "$status" -eq 0 ]
	[ "${#lines[@]}" -eq 6 ]
	out=$output
	run ! grep -q clash <<<"$out"
	run ! grep -qv '^[01]$' <<<"$out"
}

@test "-j 1000 runs a thousand jobs at once" {
	[ "$(ulimit -u)" = unlimited ] || [ "$(ulimit -u)" -ge 4000 ] ||
	    skip "needs a process limit of 4000 (ulimit -u)"
	# Each job says it has started, then waits for a line from the fifo;
	# the lines come once all thousand have started.  fd 7 keeps the
	# fifo open for writing until fanout is done, so that no job's open
	# can wait for a writer.
	mkfifo go
	timeout -k 5 300 "$FANOUT_BIN" -j1000 \
	    'echo {} >> started; read x < go; echo {}' ::: $(seq 1000) \
	    > out 2> err &
	pid=$!
	exec 7<>go
	all=yes
	wait_until 240 has_lines started 1000 || all=no
	seq 1000 >&7
	reap
	exec 7>&-
	[ "$all" = yes ]
	[ "$status" -eq 0 ]
	[ "$(sort -n out)" = "$(seq 1000)" ]
	[ ! -s err ]
}

@test "-j beyond the descriptor limit is lowered with one warning" {
	run --separate-stderr bash -c 'ulimit -n 200; "$FANOUT_BIN" -j 100 -k echo ::: a b'
	[ "$status" -eq 0 ]
	[ "$output" = "$(printf 'a\nb')" ]
	[ "$(grep -c 'descriptor limit' <<<"$stderr")" -eq 1 ]
}
