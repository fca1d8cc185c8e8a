# Shared by every test file: the binary under test ($FANOUT_BIN), a
# private temp dir as the working directory, and the fixtures on PATH.
# FANOUT_MODE (set by `make test` for each mode) selects the mode under
# test.

bats_require_minimum_version 1.5.0

export FANOUT_BIN=${FANOUT_BIN:-$BATS_TEST_DIRNAME/../fanout}
# fanout takes default options from $FANOUT: the tests start with none.
unset FANOUT
FIXTURES=$BATS_TEST_DIRNAME/fixtures
PATH=$FIXTURES:$PATH
export FANOUT_MODE=${FANOUT_MODE:-async}
# Jobs run under a known shell, whatever the tester's login shell is.
export SHELL=/bin/sh
unset PARALLEL_SHELL

# with_faults SPEC cmd...: run cmd with the fault library preloaded, so
# that the calls SPEC names fail (see tests/fault.c for SPEC).
FAULT_LIB=$BATS_TEST_DIRNAME/../build/fault.so
with_faults() {
	local spec=$1
	shift
	[ -r "$FAULT_LIB" ] || { echo "no $FAULT_LIB: run make test" >&2; return 1; }
	FANOUT_FAULTS=$spec LD_PRELOAD=$FAULT_LIB \
	    ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 \
	    "$@"
}

setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
}

fanout() {
	"$FANOUT_BIN" "$@"
}

# The whole of stdin, with a trailing newline made visible.
exact() {
	od -An -c
}

# Synchronisation.  Tests wait for a condition, polled often up to a
# generous limit, never for a fixed time: the suite must pass while another
# copy of it loads the machine.

# wait_until SECS cmd...: run cmd until it succeeds, at most SECS seconds;
# fail the test, saying what it waited for, if it never does.
wait_until() {
	local limit=$1 end
	shift
	end=$((SECONDS + limit + 1))
	until "$@"; do
		if [ "$SECONDS" -ge "$end" ]; then
			echo "waited ${limit}s in vain for: $*" >&2
			return 1
		fi
		sleep 0.02
	done
}

# wait_for_file PATH [SECS]: wait until PATH exists (default 20 s).
wait_for_file() {
	wait_until "${2:-20}" test -e "$1"
}

# wait_for_lines FILE N [SECS]: wait until FILE has at least N lines.
wait_for_lines() {
	wait_until "${3:-20}" has_lines "$1" "$2"
}

has_lines() {
	[ -f "$1" ] && [ "$(wc -l < "$1")" -ge "$2" ]
}

# Processes a test started, recorded by the `recordpid FILE` fixture as
# "pid starttime", so that neither a test nor its clean-up can ever touch
# another process that happens to reuse the pid.

# running FILE: the process recorded in FILE exists and is not a zombie.
running() {
	local pid start stat
	read -r pid start < "$1" || return 1
	stat=$(cat "/proc/$pid/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	set -- $stat
	[ "$1" != Z ] && [ "${20}" = "$start" ]
}

# gone FILE...: every recorded process ends within 10 s.
gone() {
	local f
	for f in "$@"; do
		wait_until 10 not running "$f"
	done
}

not() {
	! "$@"
}

# Kill what a failed test left running: only the processes it recorded.
kill_recorded() {
	local f pid start
	for f in "$BATS_TEST_TMPDIR"/*.pid; do
		[ -f "$f" ] || continue
		if running "$f"; then
			read -r pid start < "$f"
			kill -KILL "$pid" 2>/dev/null || :
		fi
	done
}

teardown() {
	kill_recorded
}

# Start fanout in the background with its output in files; sets $pid.
# Runs under `set -m` so that it has its own process group, as a job
# started from an interactive shell would, and a plain shell's "ignore
# INT in background jobs" does not apply.
spawn_fanout() {
	set -m
	"$FANOUT_BIN" "$@" > out 2> err &
	pid=$!
	set +m
}

# spawn_faulty SPEC ARGS...: spawn_fanout, with the calls SPEC names
# failing (with_faults); $pid is fanout's own.
spawn_faulty() {
	local spec=$1
	shift
	set -m
	with_faults "$spec" exec "$FANOUT_BIN" "$@" > out 2> err &
	pid=$!
	set +m
}

# Wait for the background fanout; its status in $status.  (Not through
# `run`: a subshell cannot wait for its parent's child.)
reap() {
	status=0
	wait "$pid" || status=$?
}

# gnu_parallel IN ARGS...: GNU parallel --will-cite ARGS with stdin from
# the file IN, its stdout and stderr and status passed on; the test is
# skipped, saying why, when GNU parallel is not installed.  GNU parallel
# is slow, and its answer does not depend on fanout's mode: when
# FANOUT_GNU_CACHE names a directory (make test sets one for all its
# runs), an answer is kept there under a digest of the arguments and of
# every file in the test's directory (but empty ones), IN among them, and
# given again for the same question.  For calls whose only effects are stdout, stderr
# and the status: files GNU parallel would write are not made again.
gnu_parallel() {
	local in=$1 key tmp st=0
	shift
	command -v parallel > /dev/null ||
	    skip "GNU parallel is not installed: nothing to compare with"
	if [ -z "${FANOUT_GNU_CACHE:-}" ]; then
		parallel --will-cite "$@" < "$in"
		return
	fi
	key=$({ printf '%s\0' "$@"; cat "$in";
	    find . -type f ! -empty -print0 | sort -z |
	    xargs -0r sha1sum; } | sha1sum)
	key=$FANOUT_GNU_CACHE/${key%% *}
	if [ ! -e "$key.st" ]; then
		mkdir -p "$FANOUT_GNU_CACHE"
		tmp=$(mktemp "$key.XXXXXX")
		parallel --will-cite "$@" < "$in" > "$tmp.out" 2> "$tmp.err" ||
		    st=$?
		echo "$st" > "$tmp"
		# Renamed into place, the status last: a reader alongside
		# sees a whole answer or none.
		mv -f "$tmp.out" "$key.out" && mv -f "$tmp.err" "$key.err" &&
		    mv -f "$tmp" "$key.st"
	fi
	cat "$key.out"
	cat "$key.err" >&2
	return "$(cat "$key.st")"
}
