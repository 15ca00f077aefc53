# SPDX-License-Identifier: ISC
# limits: unit tests (ranges, arithmetic, mounts, partition -> disk, the v2
# files against a fake root) and the integration tests on this machine's
# real cgroups (root only; they fail, never skip, without root).
mignet_unit_test(limits_caps  test_limits_caps.c  limits_lib)
mignet_unit_test(limits_iodev test_limits_iodev.c limits_lib)
mignet_unit_test(limits_v2    test_limits_v2.c    limits_lib)
find_package(Threads REQUIRED)
target_link_libraries(test_limits_caps PRIVATE Threads::Threads)
target_link_libraries(test_limits_v2 PRIVATE Threads::Threads)

# The integration tests' workload (threads, memory, CPU), no test itself.
add_executable(test_limits_helper test_limits_helper.c)
target_link_libraries(test_limits_helper PRIVATE Threads::Threads)

# mignet_limits_test(<name> <script> [RUN_SERIAL]): tests/integration/
# limits_*.sh with the limits binary as $1 and the workload helper as $2.
# The accuracy tests run alone: a CPU or disk shared with other tests would
# skew what the kernel counts.
function(mignet_limits_test name script)
	add_test(NAME integration.limits.${name}
		COMMAND sh ${PROJECT_SOURCE_DIR}/tests/integration/${script}
			$<TARGET_FILE:limits> $<TARGET_FILE:test_limits_helper>)
	set_tests_properties(integration.limits.${name} PROPERTIES
		LABELS "integration;limits" TIMEOUT 120)
	if(ARGN)
		set_tests_properties(integration.limits.${name} PROPERTIES
			RUN_SERIAL TRUE)
	endif()
endfunction()

mignet_limits_test(badinput   limits_badinput.sh)
mignet_limits_test(lifecycle  limits_lifecycle.sh)
mignet_limits_test(threads    limits_threads.sh)
mignet_limits_test(killed     limits_killed.sh)
mignet_limits_test(memory     limits_memory.sh)
mignet_limits_test(cpu        limits_cpu.sh RUN_SERIAL)
mignet_limits_test(io         limits_io.sh RUN_SERIAL)
