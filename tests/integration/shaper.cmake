# SPDX-License-Identifier: ISC
# shaper integration tests on the test hosts (tests/lib/netns.sh).  The
# rate tests measure: they take the timing lock.
mignet_integration_test(shaper_rate shaper_rate.sh TIMEOUT 240
	ALONE RESOURCE_LOCK mignet-timing)
mignet_integration_test(shaper_lifecycle shaper_lifecycle.sh TIMEOUT 120)
mignet_integration_test(shaper_window shaper_window.sh TIMEOUT 60
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(shaper_monitor shaper_monitor.sh TIMEOUT 60
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(shaper_latency shaper_latency.sh TIMEOUT 90
	RESOURCE_LOCK mignet-timing)
