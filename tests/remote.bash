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

# Start the file's servers; the tests find them through the exported
# SSHD_* variables, and pass --ssh "$FANOUT_SSH" to fanout.
remote_setup_file() {
	local state out
	export REMOTE_SKIP=
	# The servers a test stops alone start meanwhile, unless OpenSSH is
	# still to be installed.
	[ ! -x /usr/sbin/sshd ] || lost_start
	# A short path: the control sockets live under it (108 bytes at most).
	state=$(mktemp -d /tmp/fanout-sshd.XXXXXX) || return 1
	if ! out=$(SSHD_MULTIHOST=1 SSHD_SKIP_RC=1 SSHD_NODES=3 SSHD_PORT='' \
	    "$SSHD_TOOLS/sshd-up" "$state" 2>"$BATS_FILE_TMPDIR/sshd-up.err"); then
		REMOTE_SKIP="no OpenSSH server: $(grep -v '^sshd-up: installing' \
		    "$BATS_FILE_TMPDIR/sshd-up.err" | tail -n 1)"
		rm -rf "$state"
		wait
		return 0
	fi
	eval "$out"
	export FANOUT_SSH=$SSHD_SSH
	[ -n "${LOST_DIRS:-}" ] || lost_start
	wait
	lost_config
}

remote_teardown_file() {
	local d
	for d in ${SSHD_STATE_DIR:-} ${LOST_DIRS:-}; do
		"$SSHD_TOOLS/sshd-down" "$d" 2>/dev/null
	done
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
}

# fanout with the test server's ssh.
rfanout() {
	"$FANOUT_BIN" --ssh "$FANOUT_SSH" "$@"
}

# node_home NODE: the home directory of node1..node3, lost1 or lost2.
node_home() {
	case $1 in
	lost*)	echo "$(cat "$BATS_FILE_TMPDIR/$1.state")/nodes/node1" ;;
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
	local p files=()
	[ $# -gt 0 ] || set -- $SSHD_HOSTS
	for p in $(ps -e -o pid=,ppid= | awk -v root="$SSHD_PID" '
	    { kids[$2] = kids[$2] " " $1 }
	    END { n = split(root, q, " ")
		for (i = 1; i <= n; i++) { m = split(kids[q[i]], k, " ")
		    for (j = 1; j <= m; j++) { q[++n] = k[j]; print k[j] } } }'); do
		files+=("/proc/$p/environ")
	done
	[ ${#files[@]} -gt 0 ] || return 0
	grep -lzxF "${@/#/-eSSHD_NODE=}" "${files[@]}" 2>/dev/null |
	    cut -d/ -f3
	return 0
}

# no_node_pids [NODE...]: nothing runs on the nodes any more.
no_node_pids() {
	[ -z "$(node_pids "$@")" ]
}

# Hosts that a test can stop alone: lost1 and lost2, each the only host of
# a server of its own, for one test each.  lost_start starts them in the
# background; lost_config waits for them, and writes a config and an ssh
# wrapper, $LOST_SSH, that reach node1..node3, lost1 and lost2.
lost_start() {
	local name state
	export LOST_DIRS=
	for name in lost1 lost2; do
		state=$(mktemp -d /tmp/fanout-sshd.XXXXXX) || return 1
		LOST_DIRS+=" $state"
		echo "$state" > "$BATS_FILE_TMPDIR/$name.state"
		(SSHD_MULTIHOST=1 SSHD_SKIP_RC=1 SSHD_NODES=1 SSHD_PORT='' \
		    "$SSHD_TOOLS/sshd-up" "$state" \
		    > "$BATS_FILE_TMPDIR/$name.env" 2> "$BATS_FILE_TMPDIR/$name.err"
		echo $? > "$BATS_FILE_TMPDIR/$name.rc") &
	done
}

lost_config() {
	local name state port cfg=$BATS_FILE_TMPDIR/ssh_config
	: > "$cfg"
	# The first value ssh finds wins: each lost host's own lines,
	# then the first server's config for the rest.
	for name in lost1 lost2; do
		[ "$(cat "$BATS_FILE_TMPDIR/$name.rc")" = 0 ] || continue
		state=$(cat "$BATS_FILE_TMPDIR/$name.state")
		port=$(sed -n "s/^export SSHD_PORT='\(.*\)'$/\1/p" \
		    "$BATS_FILE_TMPDIR/$name.env")
		cat >> "$cfg" <<-EOF
		Host $name
		    HostName 127.0.0.1
		    Port $port
		    IdentityFile $state/id_ed25519
		    UserKnownHostsFile $state/known_hosts
		EOF
	done
	printf 'Host *\nInclude %s\n' "$SSH_CONFIG" >> "$cfg"
	export LOST_SSH=$BATS_FILE_TMPDIR/ssh
	printf '#!/bin/sh\nexec ssh -F %s "$@"\n' "$cfg" > "$LOST_SSH"
	chmod 755 "$LOST_SSH"
}

# lost_up NAME: the test uses NAME, and FANOUT_SSH reaches it.
lost_up() {
	[ "$(cat "$BATS_FILE_TMPDIR/$1.rc")" = 0 ] || {
		cat "$BATS_FILE_TMPDIR/$1.err"
		return 1
	}
	FANOUT_SSH=$LOST_SSH
	"$FANOUT_SSH" "$1" true
}

# lost_down NAME: stop NAME's server and the sessions on it.
lost_down() {
	"$SSHD_TOOLS/sshd-down" "$(cat "$BATS_FILE_TMPDIR/$1.state")" 2>/dev/null
}
