# SPDX-License-Identifier: ISC
# libFuzzer targets for netcheck's parsers of untrusted input: the
# responder's UDP packets and its TCP control messages.  Like common.cmake,
# they link copies of the wire and responder libraries built with coverage
# instrumentation.
set(_nc_srcs)
foreach(_lib netcheck_proto netcheck_serve)
	get_target_property(_srcs ${_lib} SOURCES)
	list(TRANSFORM _srcs PREPEND ${PROJECT_SOURCE_DIR}/netcheck/)
	list(APPEND _nc_srcs ${_srcs})
endforeach()
add_library(netcheck_fuzz STATIC ${_nc_srcs})
target_compile_options(netcheck_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(netcheck_fuzz PUBLIC migcommon PkgConfig::EVENT
	PkgConfig::OPENSSL Threads::Threads m)

mignet_fuzz(netcheck_udp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_netcheck_udp.c netcheck_fuzz)
mignet_fuzz(netcheck_tcp ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_netcheck_tcp.c netcheck_fuzz)
