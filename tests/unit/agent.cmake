# SPDX-License-Identifier: ISC
# migagent: configuration ranges, the exclude lists, the failure table, the resume schedule on
# a fake clock, the status JSON.  The binary end to end without namespaces:
# tests/integration/agent_local.sh.
mignet_unit_test(agent_config   test_agent_config.c   agent_lib)
mignet_unit_test(agent_classify test_agent_classify.c agent_lib)
mignet_unit_test(agent_resume   test_agent_resume.c   agent_lib)
mignet_unit_test(agent_status   test_agent_status.c   agent_lib PkgConfig::JSONC)
mignet_unit_test(agent_progress test_agent_progress.c agent_lib)
mignet_unit_test(agent_excludes test_agent_excludes.c agent_lib)
mignet_unit_test(agent_metrics  test_agent_metrics.c  agent_lib)

# share/prometheus's alert rules under promtool test rules: each alert for
# the synthetic series it is about, none for the others.
add_test(NAME unit.prom_alerts
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/prom_alerts.sh ${CMAKE_SOURCE_DIR})
set_tests_properties(unit.prom_alerts PROPERTIES LABELS unit TIMEOUT 60)
