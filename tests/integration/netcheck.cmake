# SPDX-License-Identifier: ISC
# netcheck on the test hosts: each measurement against an independent tool
# (ping, iperf3, the kernel's counters) run in the same test.
mignet_integration_test(netcheck_cli netcheck_cli.sh TIMEOUT 120)
mignet_integration_test(netcheck_loss netcheck_loss.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(netcheck_dup netcheck_dup.sh TIMEOUT 90
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(netcheck_delay netcheck_delay.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(netcheck_throughput netcheck_throughput.sh TIMEOUT 180
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(netcheck_fallback netcheck_fallback.sh TIMEOUT 240
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(netcheck_flood netcheck_flood.sh TIMEOUT 180)
mignet_integration_test(netcheck_iperf3 netcheck_iperf3.sh TIMEOUT 180)
