# SPDX-License-Identifier: ISC
# share/ansible's playbooks run against test hosts over ssh.
mignet_integration_test(ansible_assess ansible_assess.sh TIMEOUT 90
	RESOURCE_LOCK mignet-timing)
