# netcheck report's parts that do not need the engine (netcheck/report.h).
# netcheck/CMakeLists.txt will include netcheck/report.cmake; until it does,
# the tests bring the library in themselves.
if(NOT TARGET netcheck_report)
	include(${CMAKE_SOURCE_DIR}/netcheck/report.cmake)
endif()

foreach(t grade parse)
	mignet_unit_test(report_${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_report_${t}.c
		netcheck_report)
	target_compile_definitions(test_report_${t} PRIVATE
		REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
endforeach()

# The integration tests' driver of the endpoint and port checks (not
# installed; `netcheck report` replaces it once wired).
add_executable(report_probe_tool ${CMAKE_CURRENT_SOURCE_DIR}/report_probe_tool.c)
target_link_libraries(report_probe_tool PRIVATE netcheck_report)
