# SPDX-License-Identifier: ISC
# libFuzzer target for migagent's configuration parser and the failure
# classification, linked against copies of agent_lib's parsing sources
# built with coverage (and libmigcommon's fuzz copy).
get_target_property(_ag_dir agent_lib SOURCE_DIR)
add_library(agent_fuzz STATIC ${_ag_dir}/config.c ${_ag_dir}/classify.c
	${_ag_dir}/excludes.c ${_ag_dir}/rsync_task.c)
target_compile_options(agent_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(agent_fuzz PUBLIC shaper_fuzz limits_lib migcommon_fuzz)
mignet_fuzz(agent_config ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_agent_config.c agent_fuzz)
