# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the tests of share/ansible share.  Source after "set -euo pipefail".
# ansible-playbook runs in the src namespace and reaches, over ssh with a
# throwaway key, two sources (src1, src2: both in src, two inventory hosts
# with report folders of their own) and one destination (dst, in dst).
#
#	ansible_hosts			# harness, sshd in src and dst, inventory
#	ansible_play PLAYBOOK VARS.json	# ansible-playbook; log in $A/PLAYBOOK.log
#
# $A is the test's Ansible folder: ansible.cfg, inventory.ini, logs.
# shellcheck source=/dev/null # checked on its own
. "$MIGNET_SRC/tests/lib/netns.sh"
. "$MIGNET_SRC/tests/lib/sshd.sh"

# A second sshd, in dst, with the keys and settings of the first.
ansible_sshd_dst() {
	local d=$SSH_DIR i
	sed -e "s|^ListenAddress .*|ListenAddress $DST_IP4:22|" \
		-e "s|^PidFile .*|PidFile $d/sshd-dst.pid|" \
		"$d/sshd_config" > "$d/sshd_config.dst"
	printf '%s %s\n' "$DST_IP4" \
		"$(cut -d' ' -f1,2 "$d/host_ed25519.pub")" >> "$d/known_hosts"
	harness_bg "$DST_NS" "$SSHD_BIN" -D -e -f "$d/sshd_config.dst" \
		> "$d/sshd-dst.log" 2>&1
	for ((i = 0; i < 100; i++)); do
		[ -n "$(ip netns exec "$DST_NS" ss -Hltn 'sport = :22')" ] &&
			return 0
		sleep 0.05
	done
	harness_die "sshd in $DST_NS does not listen"
}

ansible_hosts() {
	harness_init
	harness__need ansible-playbook python3
	python3 -c 'import jsonschema' ||
		harness_die "python3-jsonschema is missing (scripts/install-deps)"
	harness_two_hosts
	sshd_start "$SRC_NS" "$SRC_IP4"
	ansible_sshd_dst
	A=$HARNESS_DIR/ansible
	mkdir -p "$A/tmp"
	# One ssh connection per host, kept between tasks (it runs in src:
	# the cleanup kills it).
	cat > "$A/ansible.cfg" <<-EOT
	[defaults]
	remote_tmp = $A/tmp/remote
	local_tmp = $A/tmp/local
	interpreter_python = /usr/bin/python3
	forks = 10
	timeout = 20
	[ssh_connection]
	ssh_args = -F $SSH_CONFIG -o ControlMaster=auto -o ControlPersist=60s -o ControlPath=$A/cm-%C
	pipelining = True
	EOT
	cat > "$A/inventory.ini" <<-EOT
	[sources]
	src1 ansible_host=$SRC_IP4 mignet_report_dir=$A/src1
	src2 ansible_host=$SRC_IP4 mignet_report_dir=$A/src2
	[sources:vars]
	mignet_destination=$DST_IP4
	[destinations]
	dst ansible_host=$DST_IP4
	[all:vars]
	ansible_user=root
	ansible_become=false
	EOT
}

# ansible_play PLAYBOOK VARS.json: runs share/ansible/PLAYBOOK in src; dies
# with the log if it fails or a host failed.
ansible_play() {
	local p=$1 v=$2 log=$A/$1.log start=$SECONDS
	harness_run_in "$SRC_NS" env ANSIBLE_CONFIG="$A/ansible.cfg" \
		ANSIBLE_HOME="$A/home" ansible-playbook -i "$A/inventory.ini" \
		-e "@$v" "$MIGNET_SRC/share/ansible/$p" > "$log" 2>&1 ||
		{ cat "$log" >&2; harness_die "ansible-playbook $p failed"; }
	[ -z "${MIGNET_TEST_VERBOSE:-}" ] || cat "$log" >&2
	grep -q 'failed=0' "$log" || harness_die "a host failed: $(cat "$log")"
	harness_log "$p took $((SECONDS - start)) s"
}
