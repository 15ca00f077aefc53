# SPDX-License-Identifier: ISC
# libmigcommon's unit tests, one file per module.
foreach(t units errors config json log proc clock datadir files)
	mignet_unit_test(${t} ${CMAKE_CURRENT_SOURCE_DIR}/test_${t}.c migcommon)
endforeach()
target_compile_definitions(test_datadir PRIVATE
	SOURCE_SHARE="${CMAKE_SOURCE_DIR}/share")

# The JSON locale test needs a locale with a decimal comma; Debian installs
# none by default, so build de_DE.UTF-8 from the locales package's sources
# into the build tree and point glibc at it with LOCPATH.
set(MIGNET_LOCPATH ${CMAKE_CURRENT_BINARY_DIR}/locale)
add_test(NAME unit.json_locale_setup
	COMMAND sh -c "mkdir -p '${MIGNET_LOCPATH}' && localedef -i de_DE -f UTF-8 '${MIGNET_LOCPATH}/de_DE.UTF-8'")
set_tests_properties(unit.json_locale_setup PROPERTIES FIXTURES_SETUP de_locale LABELS unit)
set_tests_properties(unit.json PROPERTIES FIXTURES_REQUIRED de_locale
	ENVIRONMENT "MIGNET_FIXTURES=${CMAKE_CURRENT_SOURCE_DIR}/fixtures;LOCPATH=${MIGNET_LOCPATH}")

# libmigcli's output path (text and JSON from the same calls).
mignet_unit_test(cli_out ${CMAKE_CURRENT_SOURCE_DIR}/test_cli_out.c migcli)

# Files a user names (configs, thresholds, endpoint lists, key, hosts and
# CA files): a FIFO, a directory or a device is refused at once, never
# waited on; a key file others can read is warned of.
add_test(NAME cli.special_files
	COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/special_files_test.sh
		$<TARGET_FILE:netcheck> $<TARGET_FILE:migagent>)
set_tests_properties(cli.special_files PROPERTIES LABELS cli TIMEOUT 180)
