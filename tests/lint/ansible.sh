#!/bin/sh
# SPDX-License-Identifier: ISC
# share/ansible: ansible-playbook --syntax-check of every playbook, then
# ansible-lint (Debian: ansible-core, ansible-lint; scripts/install-deps).
# Usage: ansible.sh SOURCE_DIR
set -eu
dir=$1/share/ansible
for t in ansible-playbook ansible-lint; do
	command -v "$t" > /dev/null ||
		{ echo "FAIL: $t is missing: run scripts/install-deps" >&2; exit 1; }
done
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Nothing of the user's Ansible setup is read or written.
: > "$tmp/ansible.cfg"
export ANSIBLE_HOME="$tmp" ANSIBLE_LOCAL_TEMP="$tmp/tmp" \
	ANSIBLE_CONFIG="$tmp/ansible.cfg"
cd "$dir"
for p in assess.yml migrate.yml status.yml; do
	ansible-playbook -i inventory.example.ini --syntax-check "$p" > /dev/null ||
		{ echo "FAIL: $p: syntax" >&2; exit 1; }
done
ansible-lint --offline -q --nocolor assess.yml migrate.yml status.yml
