# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# A real sshd inside a harness namespace, for rsync over ssh in the
# integration tests.  Source it after tests/lib/netns.sh and harness_init:
#
#	sshd_start "$DST_NS" "$DST_IP4"		# [PORT], default 22
#	sshd_start "$SRC_NS" "$SRC_IP4"		# more hosts: call it again
#	harness_run_in "$SRC_NS" rsync -a -e "$SSH_CMD" src/ "root@$DST_IP4:$d/dst/"
#	sshd_stop				# optional: cleanup does it
#
# Everything lives in $HARNESS_DIR/ssh: a throwaway ed25519 host key, a root
# client key generated per test and its authorized_keys, a known_hosts
# naming the host key, the server's and the client's configuration, the
# server's log.  Nothing of the machine's own ssh setup is read or written:
# the server runs with "-f" on its own file (the system's sshd_config, its
# Include of sshd_config.d and PAM do not apply), the client with "-F" on its
# own file (no /etc/ssh/ssh_config, no ~/.ssh).
#
# The client detects a cut link within seconds: ServerAliveInterval 1 and
# ServerAliveCountMax 3 (the ssh exits 255, "Timeout, server ... not
# responding", 3-4 s after the last packet from the server), ConnectTimeout 3.
# The server does the same with ClientAliveInterval 1 / ClientAliveCountMax
# 3, so the receiving end of a cut transfer does not linger.
#
# sshd needs its privilege separation directory /run/sshd (fixed at build
# time).  It is created if missing; each run holds a marker file in it while
# its server runs, so that another test that created the directory and
# removes it when done (rmdir) cannot take it away underneath; the run that
# created it removes it at exit if no other run's marker is left.
#
# Variables set by sshd_start (the last server started):
#	SSHD_PID	the server's pid (also in the harness's list: cleanup kills it)
#	SSHD_PIDS	the pids of every server of the run (an array)
#	SSHD_ADDR, SSHD_PORT
#	SSH_CONFIG	the client's configuration file
#	SSH_CMD		"ssh -F $SSH_CONFIG": for rsync -e and the like
#	SSH_DIR		$HARNESS_DIR/ssh

SSHD_BIN=${SSHD_BIN:-/usr/sbin/sshd}
SSHD_PRIVSEP=/run/sshd
SSHD_MADE_PRIVSEP=
SSHD_MARKER=
SSHD_PIDS=()

# sshd__setup PORT: once per run: the folder, the keys, the client's
# configuration (one port for every server) and the marker in /run/sshd.
sshd__setup() {
	local port=$1 d
	[ -n "${HARNESS_DIR:-}" ] || harness_die "sshd_start: call harness_init first"
	[ -x "$SSHD_BIN" ] || harness_die "$SSHD_BIN not found: install openssh-server (scripts/install-deps)"
	harness__need ssh ssh-keygen ss
	d=$HARNESS_DIR/ssh
	mkdir -m 700 "$d" || harness_die "cannot create $d"
	SSH_DIR=$d
	ssh-keygen -q -t ed25519 -N '' -C "mignet-test-host $HARNESS_PREFIX" \
		-f "$d/host_ed25519" || harness_die "ssh-keygen (host key) failed"
	ssh-keygen -q -t ed25519 -N '' -C "mignet-test-root $HARNESS_PREFIX" \
		-f "$d/id_ed25519" || harness_die "ssh-keygen (client key) failed"
	cp "$d/id_ed25519.pub" "$d/authorized_keys"
	: > "$d/known_hosts"

	cat > "$d/ssh_config" <<-EOT
	# mignet test client ($HARNESS_PREFIX): nothing of /etc/ssh or ~/.ssh is read
	Host *
	    User root
	    Port $port
	    IdentityFile $d/id_ed25519
	    IdentitiesOnly yes
	    UserKnownHostsFile $d/known_hosts
	    GlobalKnownHostsFile /dev/null
	    StrictHostKeyChecking yes
	    UpdateHostKeys no
	    BatchMode yes
	    ConnectTimeout 3
	    ConnectionAttempts 1
	    ServerAliveInterval 1
	    ServerAliveCountMax 3
	    ControlMaster no
	    ControlPath none
	    Compression no
	    ForwardAgent no
	EOT
	SSH_CONFIG=$d/ssh_config
	SSH_CMD="ssh -F $SSH_CONFIG"
	SSHD_PIDS=()

	if [ ! -d "$SSHD_PRIVSEP" ]; then
		mkdir -m 755 "$SSHD_PRIVSEP" 2>/dev/null && SSHD_MADE_PRIVSEP=1
		[ -d "$SSHD_PRIVSEP" ] || harness_die "cannot create $SSHD_PRIVSEP (sshd's privilege separation directory)"
	fi
	SSHD_MARKER=$SSHD_PRIVSEP/.mignet-test.$HARNESS_PREFIX
	: > "$SSHD_MARKER" || harness_die "cannot write $SSHD_MARKER"
}

# sshd_start NS ADDR [PORT [NAME]]: start sshd in NS, listening on ADDR:PORT
# only; waits until it listens.  With NAME, sshd and its sessions run in a
# UTS namespace of their own whose host name is NAME, as on a real host.  Call it once per host: every server has the
# same host key and takes the same client key; the first one's files are
# sshd_config, sshd.pid and sshd.log, the Nth's (from 2) sshd_config.N,
# sshd.N.pid, sshd.N.log.  One client configuration serves them all, so
# they listen on the same port.
sshd_start() {
	local ns=$1 addr=$2 port=${3:-22} name=${4:-} d n hostpat listen sfx i
	local uts=()
	if [ -z "${SSH_DIR:-}" ]; then
		sshd__setup "$port"
	elif [ "$port" != "$SSHD_PORT" ]; then
		harness_die "sshd_start: port $port, but the client is set for $SSHD_PORT"
	fi
	d=$SSH_DIR
	n=$((${#SSHD_PIDS[@]} + 1))
	sfx=
	[ "$n" = 1 ] || sfx=.$n
	if [ "$port" = 22 ]; then hostpat=$addr; else hostpat="[$addr]:$port"; fi
	printf '%s %s\n' "$hostpat" "$(cut -d' ' -f1,2 "$d/host_ed25519.pub")" >> "$d/known_hosts"

	case $addr in *:*) listen="[$addr]:$port" ;; *) listen=$addr:$port ;; esac
	cat > "$d/sshd_config$sfx" <<-EOT
	# mignet test sshd ($HARNESS_PREFIX): nothing of /etc/ssh is read
	ListenAddress $listen
	HostKey $d/host_ed25519
	PidFile $d/sshd$sfx.pid
	AuthorizedKeysFile $d/authorized_keys
	PermitRootLogin prohibit-password
	PubkeyAuthentication yes
	PasswordAuthentication no
	KbdInteractiveAuthentication no
	UsePAM no
	StrictModes no
	UseDNS no
	PrintMotd no
	PrintLastLog no
	X11Forwarding no
	AllowTcpForwarding no
	PermitTunnel no
	ClientAliveInterval 1
	ClientAliveCountMax 3
	MaxStartups 100
	LoginGraceTime 10
	LogLevel VERBOSE
	Subsystem sftp internal-sftp
	EOT
	SSHD_ADDR=$addr SSHD_PORT=$port

	"$SSHD_BIN" -t -f "$d/sshd_config$sfx" > "$d/sshd-t.log" 2>&1 ||
		harness_die "sshd -t rejects the test configuration: $(cat "$d/sshd-t.log")"
	# unshare and sh exec sshd: the pid stays the harness's.
	# shellcheck disable=SC2016 # sh's $0 and $@, not this shell's
	[ -z "$name" ] ||
		uts=(unshare --uts sh -c 'hostname "$0" && exec "$@"' "$name")
	# -D: no daemon (the harness owns the pid), -e: log to stderr.
	harness_bg "$ns" "${uts[@]}" "$SSHD_BIN" -D -e -f "$d/sshd_config$sfx" \
		> "$d/sshd$sfx.log" 2>&1
	SSHD_PID=$HARNESS_BG_PID
	SSHD_PIDS+=("$SSHD_PID")
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$ns" ss -Hltn "sport = :$port" 2>/dev/null |
			awk -v l="$listen" '$4 == l { f = 1 } END { exit !f }' && break
		if ! harness__alive "$SSHD_PID"; then
			cat "$d/sshd$sfx.log" >&2
			harness_die "sshd did not start in $ns (log above)"
		fi
		sleep 0.05
	done
	[ "$i" -lt 100 ] || harness_die "sshd in $ns does not listen on $listen after 5 s"
	export SSH_CONFIG SSH_CMD SSHD_ADDR SSHD_PORT
	harness_log "sshd in $ns on $listen, pid $SSHD_PID; client: $SSH_CMD"
}

# sshd_stop: stop the servers (TERM, then KILL) and drop the run's marker.
sshd_stop() {
	harness_kill "${SSHD_PIDS[@]}"
	SSHD_PIDS=() SSHD_PID=
	sshd_release
}

# sshd_release: drop the marker; remove /run/sshd if this run created it and
# no other run holds it.  Idempotent; called from the exit path too.
sshd_release() {
	if [ -n "$SSHD_MARKER" ]; then
		rm -f -- "$SSHD_MARKER"
		SSHD_MARKER=
	fi
	if [ -n "$SSHD_MADE_PRIVSEP" ]; then
		rmdir "$SSHD_PRIVSEP" 2>/dev/null || true
		SSHD_MADE_PRIVSEP=
	fi
	return 0
}

# sshd_check_login NS: one command over ssh from NS ("true"); dies with
# ssh's message if it fails.
sshd_check_login() {
	local out
	out=$(ip netns exec "$1" ssh -F "$SSH_CONFIG" "$SSHD_ADDR" echo mignet-ok 2>&1) ||
		harness_die "ssh from $1 to $SSHD_ADDR failed: $out; server log: $(tail -5 "$SSH_DIR/sshd.log")"
	[ "$out" = mignet-ok ] || harness_die "ssh from $1 printed '$out', expected mignet-ok"
}
