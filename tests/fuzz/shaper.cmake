# SPDX-License-Identifier: ISC
# libFuzzer target for libshaper's parsers (destinations, windows, the
# state record), linked against a copy of the library built with coverage.
find_package(Threads REQUIRED)
get_target_property(_sh_srcs shaper_lib SOURCES)
get_target_property(_sh_dir shaper_lib SOURCE_DIR)
list(TRANSFORM _sh_srcs PREPEND ${_sh_dir}/)
add_library(shaper_fuzz STATIC ${_sh_srcs})
target_compile_options(shaper_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(shaper_fuzz PUBLIC migcommon_fuzz PkgConfig::NLROUTE
	PkgConfig::PCAP Threads::Threads)
mignet_fuzz(shaper_parse ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_shaper_parse.c shaper_fuzz)
