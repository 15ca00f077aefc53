# SPDX-License-Identifier: ISC
# netcheck under valgrind, in the root namespace: loopback only, nothing
# listening.  The help, refused values, and the client's fallbacks and
# timeouts: ICMP echo when no responder answers (raw socket as root), TCP
# connect, the SMS.1807 failures of throughput and udp.
mignet_valgrind_test(netcheck.help        0 netcheck --help)
mignet_valgrind_test(netcheck.version     0 netcheck --version)
mignet_valgrind_test(netcheck.verb_help   0 netcheck latency --help)
mignet_valgrind_test(netcheck.bad_interval 2 netcheck latency 127.0.0.1 --interval 0)
mignet_valgrind_test(netcheck.bad_count   2 netcheck latency 127.0.0.1 --count 0)
mignet_valgrind_test(netcheck.bad_streams 2 netcheck throughput 127.0.0.1 --streams 9)
mignet_valgrind_test(netcheck.bad_rate    2 netcheck udp 127.0.0.1 --rate 50)
mignet_valgrind_test(netcheck.bad_key     2 netcheck latency 127.0.0.1 --key-file /nonexistent)
mignet_valgrind_test(netcheck.bad_allow   2 netcheck serve --allow 10.0.0.0/33)
mignet_valgrind_test(netcheck.icmp        0 netcheck latency 127.0.0.1 --port 18977 --count 20 --interval 5ms --json)
mignet_valgrind_test(netcheck.icmp6       0 netcheck latency ::1 --port 18977 --count 20 --interval 5ms)
mignet_valgrind_test(netcheck.tcp         0 netcheck latency 127.0.0.1 --method tcp --count 5 --interval 10ms --timeout 1s)
mignet_valgrind_test(netcheck.no_responder 3 netcheck latency 127.0.0.1 --port 18977 --method responder --count 5 --timeout 500ms)
mignet_valgrind_test(netcheck.throughput_refused 3 netcheck throughput 127.0.0.1 --port 18977 --duration 1s --timeout 1s --json)
mignet_valgrind_test(netcheck.udp_refused 3 netcheck udp 127.0.0.1 --port 18977 --rate 1mbit --responder --duration 1s --timeout 1s)
mignet_valgrind_test(netcheck.iperf3_refused 3 netcheck throughput 127.0.0.1 --port 18977 --iperf3 --duration 1s --timeout 1s)
# report: refused values, then a whole quick report with nothing listening
# (ICMP latency, refused throughput, ports, endpoints on the event thread,
# HTML and Prometheus files).
mignet_valgrind_test(netcheck.report_no_dest 2 netcheck report --no-endpoints)
mignet_valgrind_test(netcheck.report_region 2 netcheck report --dest 127.0.0.1 --region nowhere)
mignet_valgrind_test(netcheck.report_thresholds 2 netcheck report --dest 127.0.0.1 --no-endpoints --thresholds /nonexistent)
mignet_valgrind_test(netcheck.report_refused 1 netcheck report --dest 127.0.0.1
	--port 18977 --quick --timeout 1s --hosts-file ${CMAKE_CURRENT_SOURCE_DIR}/hosts.empty
	--endpoints ${CMAKE_CURRENT_SOURCE_DIR}/report-endpoints.conf
	--html ${CMAKE_CURRENT_BINARY_DIR}/report.html
	--prom ${CMAKE_CURRENT_BINARY_DIR}/report.prom)
mignet_valgrind_test(netcheck.report_checks_json 1 netcheck report --checks-only --json
	--timeout 1s --hosts-file ${CMAKE_CURRENT_SOURCE_DIR}/hosts.empty
	--endpoints ${CMAKE_CURRENT_SOURCE_DIR}/report-endpoints.conf)
