# SPDX-License-Identifier: ISC
# netcheck report's parts that do not need the engine (netcheck/report.h,
# the library netcheck_report, netcheck/report/).

foreach(t grade parse output)
	mignet_unit_test(report_${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_report_${t}.c
		netcheck_report)
	target_compile_definitions(test_report_${t} PRIVATE
		REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
endforeach()

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

# The same textfile through Prometheus' own linter: exit 0 and no lint
# problem (promtool prints them and exits 3).
add_test(NAME unit.report_promtool
	COMMAND sh -c "promtool check metrics < \"$1\"" promtool
		${_rep_out}/report.prom)
set_tests_properties(unit.report_promtool PROPERTIES
	FIXTURES_REQUIRED report_out LABELS unit)

# The commands and options the remedies of red figures name exist.
add_test(NAME unit.report_remedies
	COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/remedy_commands.py
		${CMAKE_BINARY_DIR}/bin ${_rep_out}/report_red.json)
set_tests_properties(unit.report_remedies PROPERTIES FIXTURES_REQUIRED report_out
	LABELS unit)

# --html: the unit test writes pages (hostile strings, empty and odd
# samples) that report_html_check.py parses (well-formed HTML and SVG, no
# external reference); the render test has headless Chromium draw a
# realistic sample and checks the PNG.
mignet_unit_test(report_html ${CMAKE_CURRENT_SOURCE_DIR}/test_report_html.c
	netcheck_report)
target_compile_definitions(test_report_html PRIVATE
	REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
# A decimal-comma locale for the page to ignore, compiled from Debian's
# locale sources (package locales); without them that case is skipped.
set(_rep_loc ${CMAKE_CURRENT_BINARY_DIR}/report_locale)
add_test(NAME unit.report_html_locale
	COMMAND sh -c "mkdir -p '${_rep_loc}' && { localedef -i de_DE -f UTF-8 '${_rep_loc}/de_DE.UTF-8' 2>/dev/null || true; }")
set_tests_properties(unit.report_html_locale PROPERTIES
	FIXTURES_SETUP report_html_locale LABELS unit)
set_tests_properties(unit.report_html PROPERTIES
	FIXTURES_SETUP report_html_out
	FIXTURES_REQUIRED "report_out_dir;report_html_locale"
	ENVIRONMENT "REPORT_OUT_DIR=${_rep_out};LOCPATH=${_rep_loc}")
add_test(NAME unit.report_html_check
	COMMAND python3 ${CMAKE_CURRENT_SOURCE_DIR}/report_html_check.py
		${_rep_out}/report_hostile.html ${_rep_out}/report_empty.html
		${_rep_out}/report_odd.html)
set_tests_properties(unit.report_html_check PROPERTIES
	FIXTURES_REQUIRED report_html_out LABELS unit)

add_executable(report_html_sample
	${CMAKE_CURRENT_SOURCE_DIR}/report_html_sample.c)
target_link_libraries(report_html_sample PRIVATE netcheck_report)
target_compile_definitions(report_html_sample PRIVATE
	REPORT_SHARE="${CMAKE_SOURCE_DIR}/share")
add_test(NAME render.report_html
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/report_html_render.sh
		$<TARGET_FILE:report_html_sample>
		${CMAKE_CURRENT_BINARY_DIR}/report_render)
set_tests_properties(render.report_html PROPERTIES LABELS render
	TIMEOUT 180)

# The cap planner: business samples and the search (netcheck/report/
# business.c, plan.c) against a modelled path.
mignet_unit_test(report_plan ${CMAKE_CURRENT_SOURCE_DIR}/test_report_plan.c
	netcheck_report)
target_compile_definitions(test_report_plan PRIVATE
	PLAN_FIXTURES="${CMAKE_CURRENT_SOURCE_DIR}/fixtures")

# The summary's text table aligned in terminal columns (CJK, combining
# marks, a cut name), Python's unicodedata as the reference.
add_test(NAME cli.summary_width
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/summary_width_test.sh
		$<TARGET_FILE:netcheck> ${CMAKE_SOURCE_DIR})
set_tests_properties(cli.summary_width PROPERTIES LABELS cli TIMEOUT 60)
