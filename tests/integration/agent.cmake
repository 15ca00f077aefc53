# SPDX-License-Identifier: ISC
# migagent's acceptance tests on the test hosts: rsync over ssh to
# a real sshd in dst (tests/lib/sshd.sh), the agent in src's network
# namespace with real shaping and cgroups.  The agent's cgroup has a fixed
# name (sms_mig_cgroup, facts.md §4): the tests take the mignet-agent lock so
# two of them never run at once.  The ones that measure rates take the
# timing lock too.
mignet_integration_test(agent_resume agent_resume.sh TIMEOUT 240
	RESOURCE_LOCK mignet-timing mignet-agent)
mignet_integration_test(agent_giveup agent_giveup.sh TIMEOUT 90
	RESOURCE_LOCK mignet-agent)
mignet_integration_test(agent_crash agent_crash.sh TIMEOUT 150
	RESOURCE_LOCK mignet-agent)
mignet_integration_test(agent_status agent_status.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing mignet-agent)
mignet_integration_test(agent_progress_cuts agent_progress_cuts.sh
	TIMEOUT 150
	RESOURCE_LOCK mignet-agent)
mignet_integration_test(agent_progress_crash agent_progress_crash.sh
	TIMEOUT 150
	RESOURCE_LOCK mignet-agent)
mignet_integration_test(agent_stall agent_stall.sh TIMEOUT 120
	RESOURCE_LOCK mignet-agent)
# The Prometheus side: a red report's and a local rsync's textfiles through
# node_exporter into a Prometheus server with share/prometheus's rules;
# the dashboard's queries and the rules evaluated (agent_prom.sh).
mignet_integration_test(agent_prom agent_prom.sh TIMEOUT 120
	RESOURCE_LOCK mignet-agent)
# The over-speed rule: the HTB root deleted under a 10 Mbit/s cap, the
# task paused (its state in /proc), the cap put back, the task resumed
# under it (the class counter).
mignet_integration_test(agent_overspeed agent_overspeed.sh TIMEOUT 90
	RESOURCE_LOCK mignet-timing mignet-agent)
# --rate auto: the cap planner at start, the task under its cap.
mignet_integration_test(agent_rate_auto agent_rate_auto.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing mignet-agent)
