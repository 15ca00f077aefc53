/* SPDX-License-Identifier: ISC */
/*
 * The ranges and defaults of netcheck's client verbs are defined once, in
 * netcheck/netcheck.h: the help of each verb and share/man/netcheck.1
 * must state those numbers.  The expected texts are formatted here from
 * the constants; the help and the man page are read as the user sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "netcheck/netcheck.h"
#include "netcheck/serve.h"

#include "helptext.h"

static void
latency(void **state)
{
	static char h[HELPTEXT_MAX], m[HELPTEXT_MAX];

	(void)state;
	helptext_help(NETCHECK_BIN, "latency", h, sizeof(h));
	helptext_has(h, "probes, 1..%d (default %d)", NC_LAT_COUNT_MAX,
	    NC_LAT_COUNT_DEFAULT);
	helptext_has(h, "up to %ds", NC_LAT_DURATION_MAX_S);
	helptext_has(h, "between probes, %dms..%ds (default %dms)",
	    NC_LAT_INTERVAL_MIN_MS, NC_LAT_INTERVAL_MAX_S,
	    NC_LAT_INTERVAL_DEFAULT_MS);
	helptext_man(MAN_PAGE, m, sizeof(m));
	helptext_has(m, "1 to %d probes (default %d) or up to %ds of them, "
	    "%dms to %ds apart (default %dms), %d to %d bytes",
	    NC_LAT_COUNT_MAX,
	    NC_LAT_COUNT_DEFAULT, NC_LAT_DURATION_MAX_S,
	    NC_LAT_INTERVAL_MIN_MS, NC_LAT_INTERVAL_MAX_S,
	    NC_LAT_INTERVAL_DEFAULT_MS, NC_PKT_MIN, NC_PKT_MAX);
}

static void
throughput(void **state)
{
	static char h[HELPTEXT_MAX], m[HELPTEXT_MAX];

	(void)state;
	helptext_help(NETCHECK_BIN, "throughput", h, sizeof(h));
	helptext_has(h, "--duration D      %ds..%ds (default %ds)",
	    NC_TP_DURATION_MIN_S, NC_TP_DURATION_MAX_S,
	    NC_TP_DURATION_DEFAULT_S);
	helptext_has(h, "parallel TCP streams, 1..%d (default %d)",
	    NC_MAX_STREAMS, NC_TP_STREAMS_DEFAULT);
	helptext_help(NETCHECK_BIN, "report", h, sizeof(h));
	helptext_has(h, "parallel TCP streams, 1..%d (default %d)",
	    NC_MAX_STREAMS, NC_TP_STREAMS_DEFAULT);
	helptext_man(MAN_PAGE, m, sizeof(m));
	helptext_has(m, "1 to %d streams (default %d)", NC_MAX_STREAMS,
	    NC_TP_STREAMS_DEFAULT);
	helptext_has(m, "throughput : %ds to %ds (default %ds)",
	    NC_TP_DURATION_MIN_S, NC_TP_DURATION_MAX_S,
	    NC_TP_DURATION_DEFAULT_S);
}

static void
udp(void **state)
{
	static char h[HELPTEXT_MAX], m[HELPTEXT_MAX];

	(void)state;
	helptext_help(NETCHECK_BIN, "udp", h, sizeof(h));
	helptext_has(h, "%dkbit..%dgbit", NC_UDP_RATE_MIN_KBIT,
	    NC_UDP_RATE_MAX_GBIT);
	helptext_has(h, "--duration D      %dms..%ds (default %ds)",
	    NC_UDP_DURATION_MIN_MS, NC_UDP_DURATION_MAX_S,
	    NC_UDP_DURATION_DEFAULT_S);
	helptext_has(h, "payload in bytes (default %d)", NC_UDP_SIZE_DEFAULT);
	helptext_man(MAN_PAGE, m, sizeof(m));
	helptext_has(m, "udp : %dms to %ds (default %ds)",
	    NC_UDP_DURATION_MIN_MS, NC_UDP_DURATION_MAX_S,
	    NC_UDP_DURATION_DEFAULT_S);
	helptext_has(m, "udp : %dkbit to %dgbit", NC_UDP_RATE_MIN_KBIT,
	    NC_UDP_RATE_MAX_GBIT);
	helptext_has(m, "bytes (default %d) at", NC_UDP_SIZE_DEFAULT);
}

static void
serve(void **state)
{
	static char h[HELPTEXT_MAX], m[HELPTEXT_MAX];

	(void)state;
	helptext_help(NETCHECK_BIN, "serve", h, sizeof(h));
	helptext_has(h, "sessions, 1..%d (default %d)", NC_SRV_SESSIONS_MAX,
	    NC_SRV_SESSIONS_DEFAULT);
	helptext_has(h, "1..%d (default %d)", NC_SRV_QUEUE_MAX,
	    NC_SRV_QUEUE_DEFAULT);
	helptext_has(h, "1s..%dh (default %dm)", NC_SRV_DURATION_MAX_H,
	    NC_SRV_DURATION_DEFAULT_M);
	helptext_has(h, "1..%d\n                    (default %d)",
	    NC_SRV_PPS_MAX, NC_SRV_PPS_DEFAULT);
	helptext_has(h, "%dms..%ds (default %ds)", NC_SRV_IDLE_MIN_MS,
	    NC_SRV_IDLE_MAX_S, NC_SRV_IDLE_DEFAULT_S);
	helptext_man(MAN_PAGE, m, sizeof(m));
	helptext_has(m, "(default %d, 1 to %d)", NC_SRV_SESSIONS_DEFAULT,
	    NC_SRV_SESSIONS_MAX);
	helptext_has(m, "(default %d, 1 to %d)", NC_SRV_QUEUE_DEFAULT,
	    NC_SRV_QUEUE_MAX);
	helptext_has(m, "(default %dm, 1s to %dh)",
	    NC_SRV_DURATION_DEFAULT_M, NC_SRV_DURATION_MAX_H);
	helptext_has(m, "(default %d, 1 to %d)", NC_SRV_PPS_DEFAULT,
	    NC_SRV_PPS_MAX);
	helptext_has(m, "(default %ds, %dms to %ds)", NC_SRV_IDLE_DEFAULT_S,
	    NC_SRV_IDLE_MIN_MS, NC_SRV_IDLE_MAX_S);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(latency),
		cmocka_unit_test(throughput),
		cmocka_unit_test(udp),
		cmocka_unit_test(serve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
