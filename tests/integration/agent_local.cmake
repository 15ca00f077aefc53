# migagent without namespaces, caps or shaping: exit statuses, bad input,
# the status socket, stop/SIGTERM of the whole process group, the resume
# schedule against the task's own start times, the configuration file.
# (The acceptance tests on the test hosts are agent.cmake's.)
mignet_integration_test(agent_local agent_local.sh TIMEOUT 120)
