# netcheck report's parts that do not need the engine (netcheck/report.h).
# netcheck/CMakeLists.txt will include netcheck/report.cmake; until it does,
# the tests bring the library in themselves.
if(NOT TARGET netcheck_report)
	include(${CMAKE_SOURCE_DIR}/netcheck/report.cmake)
endif()

foreach(t grade parse output)
	mignet_unit_test(report_${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_report_${t}.c
		netcheck_report)
	target_compile_definitions(test_report_${t} PRIVATE
		REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
endforeach()

# The integration tests' driver of the endpoint and port checks (not
# installed; `netcheck report` replaces it once wired).
add_executable(report_probe_tool ${CMAKE_CURRENT_SOURCE_DIR}/report_probe_tool.c)
target_link_libraries(report_probe_tool PRIVATE netcheck_report)

# The output test writes report.json and report.prom; a second test checks
# them against the documented schema and the exposition format.
set(_rep_out ${CMAKE_CURRENT_BINARY_DIR}/report_out)
set_tests_properties(unit.report_output PROPERTIES FIXTURES_SETUP report_out
	ENVIRONMENT "MIGNET_FIXTURES=${CMAKE_CURRENT_SOURCE_DIR}/fixtures;REPORT_OUT_DIR=${_rep_out}")
add_test(NAME unit.report_output_dir COMMAND ${CMAKE_COMMAND} -E make_directory ${_rep_out})
set_tests_properties(unit.report_output_dir PROPERTIES FIXTURES_SETUP report_out_dir LABELS unit)
set_tests_properties(unit.report_output PROPERTIES FIXTURES_REQUIRED report_out_dir)
add_test(NAME unit.report_schema
	COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/report_validate.py
		${CMAKE_SOURCE_DIR}/share/schema/netcheck-report.schema.json
		${_rep_out}/report.json ${_rep_out}/report.prom)
set_tests_properties(unit.report_schema PROPERTIES FIXTURES_REQUIRED report_out
	LABELS unit)
