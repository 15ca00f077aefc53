# SPDX-License-Identifier: ISC
# migagent without namespaces or shaping: exit statuses, bad input, the
# status socket, stop/SIGTERM of the whole process group, the resume
# schedule against the task's own start times, the precheck on loopback,
# the CPU cap in the kernel, the configuration file.  It creates the
# machine's one sms_mig_cgroup: it takes the agent tests' lock
# (agent.cmake).
mignet_integration_test(agent_local agent_local.sh TIMEOUT 120
	RESOURCE_LOCK mignet-agent)
# Log lines on stderr with syslog priorities (--log-stderr, JOURNAL_STREAM).
mignet_integration_test(agent_journal agent_journal.sh TIMEOUT 60
	RESOURCE_LOCK mignet-agent)
# The exclude lists by phase with a real local rsync, checked by sha256sum
# (agent_excludes.sh).
mignet_integration_test(agent_excludes agent_excludes.sh TIMEOUT 90
	RESOURCE_LOCK mignet-agent)
