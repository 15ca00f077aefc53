# SPDX-License-Identifier: ISC
# netcheck report on the test hosts: the endpoint and port checks
# (--checks-only) and the whole report.
mignet_integration_test(report_tls report_tls.sh TIMEOUT 120)
mignet_integration_test(report_date report_date.sh TIMEOUT 120)
mignet_integration_test(report_ports report_ports.sh TIMEOUT 120)
mignet_integration_test(report_many report_many.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing)
mignet_integration_test(report_proxy report_proxy.sh TIMEOUT 120)
mignet_integration_test(report_e2e report_e2e.sh TIMEOUT 180 RESOURCE_LOCK mignet-timing)
mignet_integration_test(report_prom report_prom.sh TIMEOUT 120)
mignet_integration_test(report_summary report_summary.sh TIMEOUT 150)
mignet_integration_test(report_loaded report_loaded.sh TIMEOUT 120
	RESOURCE_LOCK mignet-timing)
# --plan: the recommended cap against a router of known rate and queue,
# then the migration at that cap under migagent (its cgroup: the agent
# lock).
mignet_integration_test(report_plan report_plan.sh TIMEOUT 180
	RESOURCE_LOCK mignet-timing mignet-agent)
mignet_integration_test(report_plan_burst report_plan_burst.sh TIMEOUT 150
	RESOURCE_LOCK mignet-timing)
