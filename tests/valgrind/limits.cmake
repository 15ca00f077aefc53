# SPDX-License-Identifier: ISC
# limits: help, version, refused values, and apply -> status -> remove on
# real cgroups (root) with a group of its own, ordered by a ctest fixture.
# The group's name carries a hash of the build tree, so that two trees'
# suites on one machine do not remove each other's group.
string(MD5 _vg_hash "${CMAKE_BINARY_DIR}")
string(SUBSTRING "${_vg_hash}" 0 8 _vg_hash)
set(_vg_group mnt-vg-${_vg_hash})
mignet_valgrind_test(limits.help      0 limits --help)
mignet_valgrind_test(limits.version   0 limits --version)
mignet_valgrind_test(limits.bad_cpu   2 limits apply --cpu 101 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.bad_cores 2 limits apply --cpu 1.5 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.bad_mem   2 limits apply --mem 199 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.bad_io    2 limits apply --io 1001 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.bad_pid   2 limits apply --cpu 50 --pid 2000000000 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.bad_group 2 limits status --group ../etc)
mignet_valgrind_test(limits.absent    1 limits status --interval 0 --group ${_vg_group}-bad)
mignet_valgrind_test(limits.apply     0 limits apply --cpu 50 --mem 300 --io 100 --group ${_vg_group} -- true)
mignet_valgrind_test(limits.status    0 limits status --interval 0.1s --group ${_vg_group})
mignet_valgrind_test(limits.status_json 0 limits status --json --interval 0.1s --group ${_vg_group})
mignet_valgrind_test(limits.remove    0 limits remove --group ${_vg_group})
set_tests_properties(valgrind.limits.apply PROPERTIES FIXTURES_SETUP limits_vg)
set_tests_properties(valgrind.limits.status valgrind.limits.status_json
	PROPERTIES FIXTURES_REQUIRED limits_vg)
set_tests_properties(valgrind.limits.remove PROPERTIES FIXTURES_CLEANUP limits_vg)
