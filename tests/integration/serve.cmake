# SPDX-License-Identifier: ISC
# netcheck serve under hostile traffic and a fleet's load: spoofed, replayed
# and slowloris traffic from tests/lib/hostile.py, queued throughput tests
# on a shaped link.  The kernel's counters, iptables and tc are the
# references.
mignet_integration_test(serve_hostile serve_hostile.sh TIMEOUT 240
	ALONE RESOURCE_LOCK mignet-timing)
mignet_integration_test(serve_slowloris serve_slowloris.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(serve_queue serve_queue.sh TIMEOUT 150
	RESOURCE_LOCK mignet-timing)
