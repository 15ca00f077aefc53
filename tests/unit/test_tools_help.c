/* SPDX-License-Identifier: ISC */
/*
 * The ranges and defaults of shaper, estimator, limits and migagent are
 * defined once, in their public headers: each tool's help and its man
 * page must state those numbers.  The expected texts are formatted here
 * from the constants; the help and the man pages are read as the user
 * sees them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "agent/agent.h"
#include "estimator/estimator.h"
#include "limits/limits.h"
#include "shaper/shaper.h"

#include "helptext.h"

static char h[HELPTEXT_MAX], m[HELPTEXT_MAX];

static void
shaper(void **state)
{
	(void)state;
	helptext_help(SHAPER_BIN, "apply", h, sizeof(h));
	helptext_has(h, "(%g Mbit/s .. %g Gbit/s)", SHAPER_RATE_MIN / 1e6,
	    SHAPER_RATE_MAX / 1e9);
	helptext_has(h, "up to %d daily windows", SHAPER_MAX_WINDOWS);
	helptext_help(SHAPER_BIN, "monitor", h, sizeof(h));
	helptext_has(h, "(%d..%d, default %d)", SHAPER_OVERS_MIN,
	    SHAPER_OVERS_MAX, SHAPER_OVERS_DEFAULT);
	helptext_has(h, "at most %dd", SHAPER_MONITOR_MAX_DAYS);
	helptext_help(SHAPER_BIN, "status", h, sizeof(h));
	helptext_has(h, "0..%ds", SHAPER_STATUS_INTERVAL_MAX_S);
	helptext_man(SHAPER_MAN, m, sizeof(m));
	helptext_has(m, "from %g Mbit/s to %g Gbit/s", SHAPER_RATE_MIN / 1e6,
	    SHAPER_RATE_MAX / 1e9);
	helptext_has(m, "Up to %d daily windows", SHAPER_MAX_WINDOWS);
	helptext_has(m, "%d to %d, default %d) in a row", SHAPER_OVERS_MIN,
	    SHAPER_OVERS_MAX, SHAPER_OVERS_DEFAULT);
	helptext_has(m, "at most %d days", SHAPER_MONITOR_MAX_DAYS);
	helptext_has(m, "default 1s, 0 for none, at most %ds",
	    SHAPER_STATUS_INTERVAL_MAX_S);
}

static void
estimator(void **state)
{
	(void)state;
	helptext_help(ESTIMATOR_BIN, "rate", h, sizeof(h));
	helptext_has(h, "%dms..%dh (default %llus", EST_RATE_WINDOW_MIN_MS,
	    EST_RATE_WINDOW_MAX_S / 3600,
	    (unsigned long long)(EST_RATE_WINDOW_NS / MIG_NS_PER_S));
	helptext_help(ESTIMATOR_BIN, "compress", h, sizeof(h));
	helptext_has(h, "node size, %d..%d MB (default %d)",
	    EST_NODE_MB_MIN, EST_NODE_MB_MAX, EST_NODE_MB_DEFAULT);
	helptext_man(ESTIMATOR_MAN, m, sizeof(m));
	helptext_has(m, "default %llu s, %d ms to %d h)",
	    (unsigned long long)(EST_RATE_WINDOW_NS / MIG_NS_PER_S),
	    EST_RATE_WINDOW_MIN_MS, EST_RATE_WINDOW_MAX_S / 3600);
	helptext_has(m, "%d buffer nodes of %d to %d MB each (default %d MB",
	    EST_BUFFER_NODES, EST_NODE_MB_MIN, EST_NODE_MB_MAX,
	    EST_NODE_MB_DEFAULT);
}

static void
limits(void **state)
{
	(void)state;
	helptext_help(LIMITS_BIN, "apply", h, sizeof(h));
	helptext_has(h, "--cpu PCT     %d-%d %% of all cores, at least %g core",
	    LIMITS_CPU_MIN, LIMITS_CPU_MAX,
	    LIMITS_CPU_MIN_CENTICORES / 100.0);
	helptext_has(h, "--mem MB      %d-%d MB", LIMITS_MEM_MIN,
	    LIMITS_MEM_MAX);
	helptext_has(h, "--io MBPS     %d-%d MB/s", LIMITS_IO_MIN,
	    LIMITS_IO_MAX);
	helptext_has(h, "(default %s)", LIMITS_DEFAULT_GROUP);
	helptext_help(LIMITS_BIN, "status", h, sizeof(h));
	helptext_has(h, "at most %ds", LIMITS_STATUS_INTERVAL_MAX_S);
	helptext_man(LIMITS_MAN, m, sizeof(m));
	helptext_has(m, "all online cores, %d to %d, and at least %g",
	    LIMITS_CPU_MIN, LIMITS_CPU_MAX,
	    LIMITS_CPU_MIN_CENTICORES / 100.0);
	helptext_has(m, "Memory cap, %d to %d MB", LIMITS_MEM_MIN,
	    LIMITS_MEM_MAX);
	helptext_has(m, "Disk throughput cap, %d to %d MB/s", LIMITS_IO_MIN,
	    LIMITS_IO_MAX);
	helptext_has(m, "at most %ds", LIMITS_STATUS_INTERVAL_MAX_S);
}

static void
migagent(void **state)
{
	(void)state;
	helptext_help(MIGAGENT_BIN, "run", h, sizeof(h));
	helptext_has(h, "(default %u)", AGENT_CHECK_PORT_DEFAULT);
	helptext_has(h, "(default %us, %us, %u)", AGENT_INTERVAL_DEFAULT,
	    AGENT_ADDITION_DEFAULT, AGENT_RETRIES_DEFAULT);
	helptext_has(h, "(%d-%d %%,\n                    %d-%d MB, %d-%d MB/s)",
	    LIMITS_CPU_MIN, LIMITS_CPU_MAX, LIMITS_MEM_MIN, LIMITS_MEM_MAX,
	    LIMITS_IO_MIN, LIMITS_IO_MAX);
	helptext_man(MIGAGENT_MAN, m, sizeof(m));
	helptext_has(m, "(1(en%u and 0(en%u; a bare number is seconds) and "
	    "1(en%u retries. Defaults %u s, %u s, %u.", AGENT_INTERVAL_MAX,
	    AGENT_INTERVAL_MAX, AGENT_RETRIES_MAX, AGENT_INTERVAL_DEFAULT,
	    AGENT_ADDITION_DEFAULT, AGENT_RETRIES_DEFAULT);
	helptext_has(m, "auto_start_interval_seconds (1(en%u)",
	    AGENT_INTERVAL_MAX);
	helptext_has(m, "auto_start_max_retry_times (1(en%u;",
	    AGENT_RETRIES_MAX);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(shaper),
		cmocka_unit_test(estimator),
		cmocka_unit_test(limits),
		cmocka_unit_test(migagent),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
