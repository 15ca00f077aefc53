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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/netcheck.h"

#define TEXT_MAX	65536

static void
read_all(FILE *f, char *buf, size_t len)
{
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
}

static void
help_of(const char *verb, char *buf, size_t len)
{
	char cmd[512];
	FILE *f;

	assert_true((size_t)snprintf(cmd, sizeof(cmd), "'%s' %s --help",
	    NETCHECK_BIN, verb) < sizeof(cmd));
	f = popen(cmd, "r");
	read_all(f, buf, len);
	assert_int_equal(pclose(f), 0);
}

/* The man page with its escapes dropped and lines joined: plain words. */
static void
man_text(char *buf, size_t len)
{
	char raw[TEXT_MAX];
	size_t i, o = 0;
	FILE *f = fopen(MAN_PAGE, "r");

	read_all(f, raw, sizeof(raw));
	assert_int_equal(fclose(f), 0);
	for (i = 0; raw[i] != '\0' && o + 1 < len; i++) {
		if (raw[i] == '\\')
			continue;
		buf[o++] = raw[i] == '\n' ? ' ' : raw[i];
	}
	buf[o] = '\0';
}

static void has(const char *text, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
has(const char *text, const char *fmt, ...)
{
	char want[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (strstr(text, want) == NULL)
		fail_msg("'%s' not found in:\n%s", want, text);
}

static void
latency(void **state)
{
	static char h[TEXT_MAX], m[TEXT_MAX];

	(void)state;
	help_of("latency", h, sizeof(h));
	has(h, "probes, 1..%d (default %d)", NC_LAT_COUNT_MAX,
	    NC_LAT_COUNT_DEFAULT);
	has(h, "up to %ds", NC_LAT_DURATION_MAX_S);
	has(h, "between probes, %dms..%ds (default %dms)",
	    NC_LAT_INTERVAL_MIN_MS, NC_LAT_INTERVAL_MAX_S,
	    NC_LAT_INTERVAL_DEFAULT_MS);
	man_text(m, sizeof(m));
	has(m, "1 to %d probes (default %d) or up to %ds of them, %dms to "
	    "%ds apart (default %dms), %d to %d bytes", NC_LAT_COUNT_MAX,
	    NC_LAT_COUNT_DEFAULT, NC_LAT_DURATION_MAX_S,
	    NC_LAT_INTERVAL_MIN_MS, NC_LAT_INTERVAL_MAX_S,
	    NC_LAT_INTERVAL_DEFAULT_MS, NC_PKT_MIN, NC_PKT_MAX);
}

static void
throughput(void **state)
{
	static char h[TEXT_MAX], m[TEXT_MAX];

	(void)state;
	help_of("throughput", h, sizeof(h));
	has(h, "--duration D      %ds..%ds (default %ds)",
	    NC_TP_DURATION_MIN_S, NC_TP_DURATION_MAX_S,
	    NC_TP_DURATION_DEFAULT_S);
	has(h, "parallel TCP streams, 1..%d (default %d)", NC_MAX_STREAMS,
	    NC_TP_STREAMS_DEFAULT);
	help_of("report", h, sizeof(h));
	has(h, "parallel TCP streams, 1..%d (default %d)", NC_MAX_STREAMS,
	    NC_TP_STREAMS_DEFAULT);
	man_text(m, sizeof(m));
	has(m, "1 to %d streams (default %d)", NC_MAX_STREAMS,
	    NC_TP_STREAMS_DEFAULT);
	has(m, "throughput : %ds to %ds (default %ds)", NC_TP_DURATION_MIN_S,
	    NC_TP_DURATION_MAX_S, NC_TP_DURATION_DEFAULT_S);
}

static void
udp(void **state)
{
	static char h[TEXT_MAX], m[TEXT_MAX];

	(void)state;
	help_of("udp", h, sizeof(h));
	has(h, "%dkbit..%dgbit", NC_UDP_RATE_MIN_KBIT, NC_UDP_RATE_MAX_GBIT);
	has(h, "--duration D      %dms..%ds (default %ds)",
	    NC_UDP_DURATION_MIN_MS, NC_UDP_DURATION_MAX_S,
	    NC_UDP_DURATION_DEFAULT_S);
	has(h, "payload in bytes (default %d)", NC_UDP_SIZE_DEFAULT);
	man_text(m, sizeof(m));
	has(m, "udp : %dms to %ds (default %ds)", NC_UDP_DURATION_MIN_MS,
	    NC_UDP_DURATION_MAX_S, NC_UDP_DURATION_DEFAULT_S);
	has(m, "udp : %dkbit to %dgbit", NC_UDP_RATE_MIN_KBIT,
	    NC_UDP_RATE_MAX_GBIT);
	has(m, "bytes (default %d) at", NC_UDP_SIZE_DEFAULT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(latency),
		cmocka_unit_test(throughput),
		cmocka_unit_test(udp),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
