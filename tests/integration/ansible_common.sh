# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the tests of share/ansible share.  Source after "set -euo pipefail".
# ansible_hosts: ansible-playbook runs in the src namespace and reaches, over
# ssh with a throwaway key, two sources (src1, src2: both in src, two
# inventory hosts with report folders of their own) and one destination
# (dst, in dst).
#
#	ansible_hosts			# harness, sshd in src and dst, inventory
#	ansible_play PLAYBOOK VARS.json	# ansible-playbook; log in $A/PLAYBOOK.log
#
# A test with other hosts calls ansible_init, builds them (sshd_start on
# each), ansible_config, writes $A/inventory.ini and sets ANSIBLE_NS, the
# namespace ansible-playbook runs in.
#
# $A is the test's Ansible folder: ansible.cfg, inventory.ini, logs.
# shellcheck source=/dev/null # checked on its own
. "$MIGNET_SRC/tests/lib/netns.sh"
. "$MIGNET_SRC/tests/lib/sshd.sh"

# ansible_init: the harness and the tools.
ansible_init() {
	harness_init
	harness__need ansible-playbook python3
	python3 -c 'import jsonschema' ||
		harness_die "python3-jsonschema is missing (scripts/install-deps)"
}

# ansible_config: $A and its ansible.cfg (after sshd_start).
ansible_config() {
	A=$HARNESS_DIR/ansible
	mkdir -p "$A/tmp"
	# One ssh connection per host, kept between tasks (it runs in
	# ANSIBLE_NS: the cleanup kills it).
	cat > "$A/ansible.cfg" <<-EOT
	[defaults]
	remote_tmp = $A/tmp/remote
	local_tmp = $A/tmp/local
	log_path = $A/ansible.log
	interpreter_python = /usr/bin/python3
	forks = 10
	timeout = 20
	[ssh_connection]
	ssh_args = -F $SSH_CONFIG -o ControlMaster=auto -o ControlPersist=60s -o ControlPath=$A/cm-%C
	pipelining = True
	EOT
}

ansible_hosts() {
	ansible_init
	harness_two_hosts
	sshd_start "$SRC_NS" "$SRC_IP4"
	sshd_start "$DST_NS" "$DST_IP4"
	ansible_config
	ANSIBLE_NS=$SRC_NS
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

# ansible_play PLAYBOOK VARS.json: runs share/ansible/PLAYBOOK in
# $ANSIBLE_NS; dies with the log if it fails or a host failed.  Sets
# ANSIBLE_PLAY_S, its wall time in seconds (milliseconds shown).
ansible_play() {
	local p=$1 v=$2 log=$A/$1.log start
	start=$(date +%s.%N)
	harness_run_in "$ANSIBLE_NS" env ANSIBLE_CONFIG="$A/ansible.cfg" \
		ANSIBLE_HOME="$A/home" ansible-playbook -i "$A/inventory.ini" \
		-e "@$v" "$MIGNET_SRC/share/ansible/$p" > "$log" 2>&1 ||
		{ cat "$log" >&2; harness_die "ansible-playbook $p failed"; }
	[ -z "${MIGNET_TEST_VERBOSE:-}" ] || cat "$log" >&2
	grep -q 'failed=0' "$log" || harness_die "a host failed: $(cat "$log")"
	ANSIBLE_PLAY_S=$(awk -v a="$start" -v b="$(date +%s.%N)" \
		'BEGIN { printf "%.3f", b - a }')
	harness_log "$p took $ANSIBLE_PLAY_S s"
}
