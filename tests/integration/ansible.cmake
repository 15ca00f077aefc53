# SPDX-License-Identifier: ISC
# share/ansible's playbooks run against test hosts over ssh.
mignet_integration_test(ansible_assess ansible_assess.sh TIMEOUT 180
	RESOURCE_LOCK mignet-timing)
# migagent's cgroup has a fixed name: the mignet-agent lock.
mignet_integration_test(ansible_fleet ansible_fleet.sh TIMEOUT 180
	RESOURCE_LOCK mignet-agent)
# Six sources, two destinations, a router: rates and times measured.
mignet_integration_test(ansible_six ansible_six.sh TIMEOUT 300
	RESOURCE_LOCK mignet-timing)
