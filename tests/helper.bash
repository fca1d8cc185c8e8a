# Shared by every test file: the binary under test, a private temp dir as
# the working directory, and the fixtures on PATH.  FANOUT_MODE (set by
# `make test` for each mode) selects the mode under test.

bats_require_minimum_version 1.5.0

export FANOUT=${FANOUT:-$BATS_TEST_DIRNAME/../fanout}
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
	"$FANOUT" "$@"
}

# The whole of stdin, with a trailing newline made visible.
exact() {
	od -An -c
}
