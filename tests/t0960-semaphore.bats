#!/usr/bin/env bats
# --semaphore (sem): a counting semaphore shared across invocations, its
# slots kernel-released locks.  No engine is involved: this file runs
# once, not once per mode.

load helper

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	# A private runtime directory: the tests share no slot with anyone.
	mkdir -m 700 rt
	export XDG_RUNTIME_DIR=$BATS_TEST_TMPDIR/rt
}

@test "20 concurrent callers with -j 3 never run more than 3 at once" {
	mkdir run
	for i in $(seq 20); do
		fanout --semaphore --id c -j 3 "touch run/$i; ls run | wc -l >> counts; sleep 0.1; rm run/$i" &
	done
	wait
	fanout --semaphore --id c --wait
	[ "$(wc -l < counts)" -eq 20 ]
	[ "$(sort -n counts | tail -1)" -le 3 ]
	[ -z "$(ls run)" ]
}

@test "without --fg the caller returns once the slot is taken; --wait waits" {
	fanout --semaphore --id b 'waitfor go; echo done > out'
	# The command is still waiting: the caller did not.
	[ ! -e out ]
	touch go
	fanout --semaphore --id b --wait
	[ "$(cat out)" = done ]
}

@test "--fg returns the command's status and output, 128+N for a signal" {
	run --separate-stderr fanout --semaphore --fg --id f 'echo hi; exit 3'
	[ "$status" -eq 3 ]
	[ "$output" = hi ]
	run fanout --semaphore --fg --id f 'kill -TERM $$'
	[ "$status" -eq 143 ]
}

@test "kill -9 of a holder frees its slot" {
	# Not the fanout function: $! must be fanout itself.
	"$FANOUT_BIN" --semaphore --fg --id k 'recordpid job.pid; exec waitfor never' &
	holder=$!
	wait_for_file job.pid
	# The one slot is held: a caller that gives up at once is refused.
	run --separate-stderr fanout --semaphore --fg --id k --semaphoretimeout -0.2 'echo no'
	[ "$status" -eq 1 ]
	[[ "$stderr" == *"no slot of 'k' came free in time: not running the command"* ]]
	kill -KILL "$holder"
	wait "$holder" || :
	# The command lives on, but the lock died with its holder.
	running job.pid
	run --separate-stderr fanout --semaphore --fg --id k --semaphoretimeout -20 'echo next'
	[ "$status" -eq 0 ]
	[ "$output" = next ]
}

@test "a positive --semaphoretimeout runs the command anyway, saying so" {
	fanout --semaphore --fg --id t 'touch held; waitfor go' &
	wait_for_file held
	run --separate-stderr fanout --semaphore --fg --id t --st 0.2 'echo anyway'
	touch go
	wait
	[ "$status" -eq 0 ]
	[ "$output" = anyway ]
	[[ "$stderr" == *"no slot of 't' came free in time: running anyway"* ]]
}

@test "run as sem, fanout is --semaphore" {
	ln -s "$FANOUT_BIN" sem
	run --separate-stderr ./sem --fg --id s 'echo via sem'
	[ "$status" -eq 0 ]
	[ "$output" = "via sem" ]
}

@test "the slots live in a private directory; a shared one is refused" {
	fanout --semaphore --fg --id p true
	[ -f rt/fanout-sem/p.0 ]
	[ "$(stat -c %a rt/fanout-sem)" = 700 ]
	chmod 755 rt/fanout-sem
	run --separate-stderr fanout --semaphore --fg --id p 'touch ran'
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"fanout-sem must be a directory of yours that no one else may use (mode 0700)" ]]
	[ ! -e ran ]
}

@test "bad --semaphore usage is refused before anything runs" {
	run --separate-stderr fanout --semaphore 'touch ran' ::: a
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--semaphore runs one command: ':::' and '::::' do not go with it" ]]
	run --separate-stderr fanout --semaphore -j 0 'touch ran'
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"-j 0 would bound nothing"* ]]
	run --separate-stderr fanout --semaphore
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--semaphore needs a command (or --wait)" ]]
	run --separate-stderr fanout --semaphore --id a/b 'touch ran'
	[ "$status" -eq 255 ]
	[[ "$stderr" == *"--id: 'a/b' is not a name"* ]]
	run --separate-stderr fanout --semaphore --st soon 'touch ran'
	[ "$status" -eq 255 ]
	[ ! -e ran ]
}
