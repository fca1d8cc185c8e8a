# Remote hosts for the -S tests: a real OpenSSH server on loopback
# (tests/sshd/sshd-up), one per test file, with three "hosts" node1..node3
# on 127.0.0.1..3, each with its own home directory.  Load it after helper:
#
#	load helper
#	load remote
#
# The remote jobs run as root on this same machine, so a test sees their
# files and processes directly: a node's home is $(node_home node2), and a
# remote job can record its pid with "$FIXTURES/recordpid" FILE.  If no
# server can start (not root, no OpenSSH and no way to install it), every
# test skips, saying why.

SSHD_TOOLS=$BATS_TEST_DIRNAME/sshd

# Start the file's server; the tests find it through the exported
# SSHD_* variables, and pass --ssh "$FANOUT_SSH" to fanout.
remote_setup_file() {
	local state out
	export REMOTE_SKIP=
	# A short path: the control sockets live under it (108 bytes at most).
	state=$(mktemp -d /tmp/fanout-sshd.XXXXXX) || return 1
	if ! out=$(SSHD_MULTIHOST=1 SSHD_SKIP_RC=1 SSHD_NODES=3 \
	    "$SSHD_TOOLS/sshd-up" "$state" 2>"$BATS_FILE_TMPDIR/sshd-up.err"); then
		REMOTE_SKIP="no OpenSSH server: $(grep -v '^sshd-up: installing' \
		    "$BATS_FILE_TMPDIR/sshd-up.err" | tail -n 1)"
		rm -rf "$state"
		return 0
	fi
	eval "$out"
	export FANOUT_SSH=$SSHD_SSH
}

remote_teardown_file() {
	[ -z "${SSHD_STATE_DIR:-}" ] || "$SSHD_TOOLS/sshd-down" "$SSHD_STATE_DIR" 2>/dev/null
	return 0
}

setup_file() {
	remote_setup_file
}

teardown_file() {
	remote_teardown_file
}

# Every test starts in its own temp dir, with the nodes' homes empty.
setup() {
	cd "$BATS_TEST_TMPDIR" || return 1
	[ -z "$REMOTE_SKIP" ] || skip "$REMOTE_SKIP"
	local n
	for n in $SSHD_HOSTS; do
		find "$(node_home "$n")" -mindepth 1 -delete
	done
	T=$BATS_TEST_TMPDIR
}

teardown() {
	kill_recorded
	[ -z "${LOST_STATE_DIR:-}" ] || "$SSHD_TOOLS/sshd-down" "$LOST_STATE_DIR" 2>/dev/null
	return 0
}

# fanout with the test server's ssh.
rfanout() {
	"$FANOUT" --ssh "$FANOUT_SSH" "$@"
}

# node_home NODE: the home directory of node1..node3 (or lost1).
node_home() {
	case $1 in
	lost1)	echo "$LOST_STATE_DIR/nodes/node1" ;;
	*)	echo "$SSHD_STATE_DIR/nodes/$1" ;;
	esac
}

# node_files NODE: what is in NODE's home, one path a line, sorted, with
# the type and, for files, the contents' checksum.
node_files() {
	(cd "$(node_home "$1")" && find . -mindepth 1 -printf '%y %p\n' |
	    sort | while read -r type path; do
		if [ "$type" = f ]; then
			echo "$type $path $(cksum < "$path")"
		else
			echo "$type $path"
		fi
	done)
}

# node_pids [NODE...]: the processes running on the nodes (default: all):
# the descendants of the server whose environment names the node.  The
# server's own session processes do not count.
node_pids() {
	local pids p want
	[ $# -gt 0 ] || set -- $SSHD_HOSTS
	want=$(printf 'SSHD_NODE=%s\n' "$@")
	pids=$(ps -e -o pid=,ppid= | awk -v root="$SSHD_PID" '
	    { kids[$2] = kids[$2] " " $1 }
	    END { n = split(root, q, " ")
		for (i = 1; i <= n; i++) { m = split(kids[q[i]], k, " ")
		    for (j = 1; j <= m; j++) { q[++n] = k[j]; print k[j] } } }')
	for p in $pids; do
		tr '\0' '\n' < "/proc/$p/environ" 2>/dev/null |
		    grep -qxF "$want" && echo "$p"
	done
	return 0
}

# no_node_pids [NODE...]: nothing runs on the nodes any more.
no_node_pids() {
	[ -z "$(node_pids "$@")" ]
}

# lost_up: a second server, one host "lost1" on its own port, which a test
# can stop alone (lost_down).  FANOUT_SSH becomes a wrapper whose config
# reaches node1..node3 and lost1.
lost_up() {
	local state out cfg
	state=$(mktemp -d /tmp/fanout-sshd.XXXXXX) || return 1
	out=$(SSHD_MULTIHOST=1 SSHD_SKIP_RC=1 SSHD_NODES=1 SSHD_PORT= \
	    "$SSHD_TOOLS/sshd-up" "$state") || return 1
	LOST_STATE_DIR=$state
	LOST_PORT=$(sed -n "s/^export SSHD_PORT='\(.*\)'$/\1/p" <<<"$out")
	cfg=$T/ssh4.config
	# The first value ssh finds wins: lost1's own lines, then the
	# first server's config for the rest.
	cat > "$cfg" <<-EOF
	Host lost1
	    HostName 127.0.0.1
	    Port $LOST_PORT
	    IdentityFile $state/id_ed25519
	    UserKnownHostsFile $state/known_hosts
	Host *
	Include $SSH_CONFIG
	EOF
	printf '#!/bin/sh\nexec ssh -F %s "$@"\n' "$cfg" > "$T/ssh4"
	chmod 755 "$T/ssh4"
	FANOUT_SSH=$T/ssh4
	"$FANOUT_SSH" lost1 true || return 1
}

# lost_down: stop lost1's server and the sessions on it.
lost_down() {
	"$SSHD_TOOLS/sshd-down" "$LOST_STATE_DIR" 2>/dev/null
}
