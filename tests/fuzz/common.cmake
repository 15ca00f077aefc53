# SPDX-License-Identifier: ISC
# libFuzzer targets for libmigcommon's parsers of untrusted input.  They link
# a copy of the library built with coverage instrumentation, so libFuzzer
# sees the branches of the parsers and not only of the harness; migcommon
# itself stays uninstrumented for everything else in the build.
get_target_property(_mc_srcs migcommon SOURCES)
get_target_property(_mc_dir migcommon SOURCE_DIR)
list(TRANSFORM _mc_srcs PREPEND ${_mc_dir}/)
add_library(migcommon_fuzz STATIC ${_mc_srcs})
target_compile_options(migcommon_fuzz PRIVATE -fsanitize=fuzzer-no-link)
target_link_libraries(migcommon_fuzz PUBLIC PkgConfig::JSONC PkgConfig::INIH m)

mignet_fuzz(units ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_units.c migcommon_fuzz)
mignet_fuzz(config ${CMAKE_CURRENT_SOURCE_DIR}/fuzz_config.c migcommon_fuzz)
