# libFuzzer targets for netcheck's parsers of untrusted input: the
# responder's UDP packets and its TCP control messages.  Like common.cmake,
# they link a copy of the library built with coverage instrumentation.
get_target_property(_nc_srcs netcheck_lib SOURCES)
get_target_property(_nc_dir netcheck_lib SOURCE_DIR)
list(TRANSFORM _nc_srcs PREPEND ${_nc_dir}/)
add_library(netcheck_fuzz STATIC ${_nc_srcs})
target_compile_options(netcheck_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_include_directories(netcheck_fuzz PUBLIC ${_nc_dir})
target_link_libraries(netcheck_fuzz PUBLIC migcommon PkgConfig::EVENT
	PkgConfig::EVENT_SSL PkgConfig::OPENSSL mignet_iperf PkgConfig::JSONC
	Threads::Threads m)

mignet_fuzz(netcheck_udp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_netcheck_udp.c netcheck_fuzz)
mignet_fuzz(netcheck_tcp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_netcheck_tcp.c netcheck_fuzz)
