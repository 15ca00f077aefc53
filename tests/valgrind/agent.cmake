# SPDX-License-Identifier: ISC
# migagent: help, refused values and files (exit 2, nothing applied), status
# and stop with no agent (exit 1), and whole runs without caps or shaping
# (the event loop, the task's pipes, the status socket, the resume timer:
# valgrind follows the agent, not the task it forks).
set(_ag_dir ${CMAKE_CURRENT_BINARY_DIR}/agent)
set(_ag --log-dir ${_ag_dir}/log --run-dir ${_ag_dir}/run)
set(_ag_cfg ${PROJECT_SOURCE_DIR}/tests/fuzz/corpus/agent_config)
mignet_valgrind_test(agent.help        0 migagent --help)
mignet_valgrind_test(agent.version     0 migagent --version)
mignet_valgrind_test(agent.run_help    0 migagent run --help)
mignet_valgrind_test(agent.no_task     2 migagent run ${_ag} --no-resume)
mignet_valgrind_test(agent.bad_interval 2 migagent run ${_ag} --interval 0 -- true)
mignet_valgrind_test(agent.bad_retries 2 migagent run ${_ag} --retries 0 -- true)
mignet_valgrind_test(agent.bad_cpu     2 migagent run ${_ag} --cpu 101 -- true)
mignet_valgrind_test(agent.bad_mem     2 migagent run ${_ag} --mem 100 -- true)
mignet_valgrind_test(agent.bad_rate    2 migagent run ${_ag} --dest 127.0.0.1 --rate 10 -- true)
mignet_valgrind_test(agent.bad_window  2 migagent run ${_ag} --dest 127.0.0.1 --rate 1mbit --window 09:00-12:00=1mbit --window 11:00-13:00=1mbit -- true)
mignet_valgrind_test(agent.bad_total   2 migagent run ${_ag} --total 0 -- true)
mignet_valgrind_test(agent.bad_source  2 migagent run ${_ag} --source /nonexistent -- true)
mignet_valgrind_test(agent.bad_operand 2 migagent run ${_ag} --no-resume true)
mignet_valgrind_test(agent.no_config   2 migagent run ${_ag} --config /nonexistent/g-property.cfg)
mignet_valgrind_test(agent.bad_sms     2 migagent run ${_ag} --config ${_ag_cfg}/classify.cfg)
mignet_valgrind_test(agent.neg_interval 2 migagent run ${_ag} --config ${_ag_cfg}/negative.cfg)
mignet_valgrind_test(agent.status_none 1 migagent status --json --run-dir ${_ag_dir}/none)
mignet_valgrind_test(agent.stop_none   1 migagent stop --run-dir ${_ag_dir}/none)
mignet_valgrind_test(agent.run_true    0 migagent run --log-dir ${_ag_dir}/run_true/log --run-dir ${_ag_dir}/run_true/run --no-resume --total 1MB -- true)
mignet_valgrind_test(agent.run_exit3   5 migagent run --log-dir ${_ag_dir}/run_exit3/log --run-dir ${_ag_dir}/run_exit3/run --no-resume -- sh -c "echo out && echo err >&2 && exit 3")
mignet_valgrind_test(agent.run_resume  4 migagent run --log-dir ${_ag_dir}/run_resume/log --run-dir ${_ag_dir}/run_resume/run --interval 1 --addition 0 --retries 1 -- sh -c "echo 'Broken pipe' >&2 && exit 12")
# Each whole run has its own directories: the tests run in parallel.
# The task asks the agent under valgrind over its socket: a status, a stop.
mignet_valgrind_test(agent.run_status  0 migagent run --log-dir ${_ag_dir}/run_status/log --run-dir ${_ag_dir}/run_status/run --no-resume -- ${MIGNET_PLAIN_BIN_DIR}/migagent status --json --run-dir ${_ag_dir}/run_status/run)
mignet_valgrind_test(agent.run_stop    0 migagent run --log-dir ${_ag_dir}/run_stop/log --run-dir ${_ag_dir}/run_stop/run --no-resume -- ${MIGNET_PLAIN_BIN_DIR}/migagent stop --run-dir ${_ag_dir}/run_stop/run)
