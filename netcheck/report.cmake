# netcheck_report: `netcheck report`'s library (issue 4): endpoint and port
# checks, the run that joins them to the engine, grading, the ETA and the
# outputs.  Included from netcheck/CMakeLists.txt.
set(_rep_dir ${CMAKE_CURRENT_LIST_DIR})
add_library(netcheck_report STATIC
	${_rep_dir}/grade.c
	${_rep_dir}/grade_file.c
	${_rep_dir}/utilization.c
	${_rep_dir}/datasize.c
	${_rep_dir}/http_probe.c
	${_rep_dir}/proxy.c
	${_rep_dir}/endpoints_file.c
	${_rep_dir}/tls_check.c
	${_rep_dir}/report_net.c
	${_rep_dir}/ports_spec.c
	${_rep_dir}/ports.c
	${_rep_dir}/endpoints.c
	${_rep_dir}/report_json.c
	${_rep_dir}/report_prom.c
	${_rep_dir}/report_run.c
	${_rep_dir}/report_format.c
	${_rep_dir}/report_text.c
	${_rep_dir}/report_html.c
	${_rep_dir}/report_svg.c)
target_include_directories(netcheck_report PUBLIC ${_rep_dir})
target_link_libraries(netcheck_report PUBLIC migcommon estimator_lib netcheck_lib
	PkgConfig::EVENT PkgConfig::EVENT_SSL PkgConfig::OPENSSL PkgConfig::JSONC m)
