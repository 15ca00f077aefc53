# SPDX-License-Identifier: ISC
# libFuzzer targets for netcheck report's parsers of untrusted files: endpoint
# lists, thresholds, and the reports that netcheck summary reads.  Like
# common.cmake, they link copies of the parsers built with coverage
# instrumentation.
set(_rep_dir ${PROJECT_SOURCE_DIR}/netcheck/report)
add_library(netcheck_report_fuzz STATIC
	${_rep_dir}/endpoints_file.c
	${_rep_dir}/proxy.c
	${_rep_dir}/grade_file.c
	${_rep_dir}/grade.c
	${_rep_dir}/utilization.c
	${_rep_dir}/format.c
	${_rep_dir}/summary.c
	${_rep_dir}/summary_out.c)
target_compile_options(netcheck_report_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(netcheck_report_fuzz PUBLIC migcommon_fuzz estimator_lib
	PkgConfig::OPENSSL PkgConfig::JSONC m)

mignet_fuzz(report_endpoints ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_report_endpoints.c
	netcheck_report_fuzz)
mignet_fuzz(report_thresholds ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_report_thresholds.c
	netcheck_report_fuzz)
mignet_fuzz(report_summary ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_report_summary.c
	netcheck_report_fuzz)
