# SPDX-License-Identifier: ISC
# libestimator and the estimator CLI (facts.md §2).
mignet_unit_test(estimator_time     test_estimator_time.c     estimator_lib m)
mignet_unit_test(estimator_rate     test_estimator_rate.c     estimator_lib m)
mignet_unit_test(estimator_procs    test_estimator_procs.c    estimator_lib)
mignet_unit_test(estimator_compress test_estimator_compress.c estimator_lib m)

# The built binary: refused values (exit 2, one line naming the option),
# the JSON of every verb, the worked examples.
add_test(NAME cli.estimator
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/estimator_cli_test.sh
		$<TARGET_FILE:estimator>)
set_tests_properties(cli.estimator PROPERTIES LABELS cli)

# `estimator rate` against the kernel's counters, on a veth pair in its
# own network namespace: needs root and iperf3 (CI has both; it fails
# without them rather than pass unseen).
add_test(NAME cli.estimator_rate
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/estimator_rate_test.sh
		$<TARGET_FILE:estimator>)
set_tests_properties(cli.estimator_rate PROPERTIES LABELS "cli;netns"
	TIMEOUT 120 RUN_SERIAL TRUE)
