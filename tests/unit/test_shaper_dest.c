/* SPDX-License-Identifier: ISC */
/*
 * Destinations: ADDR[/PREFIX][:PORT], IPv4 and IPv6, "[v6]:port", and the
 * refusals (exit status 2 in the CLI).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "shaper/shaper.h"

static void
round_trip(const char *in, const char *canon, int family, unsigned prefix,
    unsigned port)
{
	struct shaper_dest d, d2;
	struct mig_error e;
	char buf[SHAPER_DEST_TEXT];

	mig_error_clear(&e);
	assert_int_equal(shaper_dest_parse("--dest", in, &d, &e), 0);
	assert_int_equal(d.family, family);
	assert_int_equal(d.prefix, prefix);
	assert_int_equal(d.port, port);
	assert_string_equal(shaper_dest_format(&d, buf, sizeof(buf)), canon);
	assert_int_equal(shaper_dest_parse("--dest", buf, &d2, &e), 0);
	assert_true(shaper_dest_equal(&d, &d2));
}

static void
test_ipv4(void **state)
{
	(void)state;
	round_trip("198.18.1.2", "198.18.1.2", AF_INET, 32, 0);
	round_trip("198.18.1.2:22", "198.18.1.2:22", AF_INET, 32, 22);
	round_trip("198.18.0.0/15", "198.18.0.0/15", AF_INET, 15, 0);
	round_trip("198.18.0.0/15:65535", "198.18.0.0/15:65535", AF_INET, 15,
	    65535);
	round_trip("198.18.1.2/32", "198.18.1.2", AF_INET, 32, 0);
	round_trip("0.0.0.0/0", "0.0.0.0/0", AF_INET, 0, 0);
}

static void
test_ipv6(void **state)
{
	(void)state;
	round_trip("2001:2::1", "2001:2::1", AF_INET6, 128, 0);
	round_trip("[2001:2::1]:22", "[2001:2::1]:22", AF_INET6, 128, 22);
	round_trip("2001:2::/48", "2001:2::/48", AF_INET6, 48, 0);
	round_trip("[2001:2::/48]:8899", "[2001:2::/48]:8899", AF_INET6, 48,
	    8899);
	round_trip("[2001:2:1::2]", "2001:2:1::2", AF_INET6, 128, 0);
	round_trip("::ffff:198.18.1.2", "::ffff:198.18.1.2", AF_INET6, 128, 0);
}

static void
refused(const char *in, const char *why)
{
	struct shaper_dest d;
	struct mig_error e;

	mig_error_clear(&e);
	assert_int_equal(shaper_dest_parse("--dest", in, &d, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_non_null(strstr(e.msg, "--dest"));
	if (why != NULL && strstr(e.msg, why) == NULL)
		fail_msg("'%s': '%s' lacks '%s'", in, e.msg, why);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("", "empty");
	refused("198.18.1", "malformed");
	refused("198.18.1.256", "malformed");
	refused("198.18.1.2:0", "port");
	refused("198.18.1.2:65536", "port");
	refused("198.18.1.2:-1", "port");
	refused("198.18.1.2:22x", "port");
	refused("198.18.1.2:", "port");
	refused("198.18.1.2/33", "prefix");
	refused("198.18.1.2/", "prefix");
	refused("198.18.1.2/-1", "prefix");
	refused("198.18.1.2/24", "host bits");
	refused("2001:2::1/129", "prefix");
	refused("2001:2::1/64", "host bits");
	refused("[2001:2::1", "]");
	refused("[2001:2::1]22", "':PORT'");
	refused("[198.18.1.2]:22", "IPv6 only");
	refused("host.example:22", "malformed");
	refused("2001:2::1:99999", "malformed");
	refused("198.18.1.2:22:22", "malformed");
	refused(" 198.18.1.2", "malformed");
	refused("01234567890123456789012345678901234567890123456789012345678901"
	    "234567890123456789", "too long");
}

static void
test_equal(void **state)
{
	struct shaper_dest a, b;
	struct mig_error e;

	(void)state;
	assert_int_equal(shaper_dest_parse("d", "198.18.1.2:22", &a, &e), 0);
	assert_int_equal(shaper_dest_parse("d", "198.18.1.2", &b, &e), 0);
	assert_false(shaper_dest_equal(&a, &b));
	assert_int_equal(shaper_dest_parse("d", "198.18.1.2/32:22", &b, &e), 0);
	assert_true(shaper_dest_equal(&a, &b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ipv4),
		cmocka_unit_test(test_ipv6),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_equal),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
