# SPDX-License-Identifier: ISC
# libnetcheck: statistics (exact, synthetic sequences), the wire format,
# the --allow list.  The CLI is tested in tests/integration/netcheck_*.sh.
mignet_unit_test(netcheck_stats test_netcheck_stats.c netcheck_lib m)
mignet_unit_test(netcheck_proto test_netcheck_proto.c netcheck_lib)
mignet_unit_test(netcheck_acl   test_netcheck_acl.c   netcheck_serve)

mignet_unit_test(netcheck_threads test_netcheck_threads.c netcheck_lib
	netcheck_serve)

# The client verbs' ranges and defaults (netcheck/netcheck.h) against the
# help of the built binary and share/man/netcheck.1.
mignet_unit_test(netcheck_help test_netcheck_help.c netcheck_lib
	mignet_helptext)
target_compile_definitions(test_netcheck_help PRIVATE
	NETCHECK_BIN="$<TARGET_FILE:netcheck>"
	MAN_PAGE="${CMAKE_SOURCE_DIR}/share/man/netcheck.1")
add_dependencies(test_netcheck_help netcheck)
# The responder's defences (anti-replay, cookies, fair share), time simulated.
mignet_unit_test(serve_guard test_serve_guard.c netcheck_serve)
