# migagent: configuration ranges, the failure table, the resume schedule on
# a fake clock, the status JSON.  The binary end to end without namespaces:
# tests/integration/agent_local.sh.
mignet_unit_test(agent_config   test_agent_config.c   agent_lib)
mignet_unit_test(agent_classify test_agent_classify.c agent_lib)
mignet_unit_test(agent_resume   test_agent_resume.c   agent_lib)
mignet_unit_test(agent_status   test_agent_status.c   agent_lib PkgConfig::JSONC)
