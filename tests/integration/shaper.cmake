# shaper integration tests on the test hosts (tests/lib/netns.sh).  The
# rate tests measure: they take the timing lock.
mignet_integration_test(shaper_rate shaper_rate.sh TIMEOUT 240
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(shaper_lifecycle shaper_lifecycle.sh TIMEOUT 120)
