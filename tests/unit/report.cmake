# netcheck report's parts that do not need the engine (netcheck/report.h).
# netcheck/CMakeLists.txt will include netcheck/report.cmake; until it does,
# the tests bring the library in themselves.
if(NOT TARGET netcheck_report)
	include(${CMAKE_SOURCE_DIR}/netcheck/report.cmake)
endif()

foreach(t grade)
	mignet_unit_test(report_${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_report_${t}.c
		netcheck_report)
endforeach()
target_compile_definitions(test_report_grade PRIVATE
	REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
