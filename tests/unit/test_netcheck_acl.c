/* SPDX-License-Identifier: ISC */
/*
 * --allow: CIDR parsing and matching, IPv4, IPv6, IPv4-mapped IPv6.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/serve.h"

static int
match(const struct nc_acl *acl, const char *addr)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

	memset(&ss, 0, sizeof(ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1)
		s4->sin_family = AF_INET;
	else {
		assert_int_equal(inet_pton(AF_INET6, addr, &s6->sin6_addr), 1);
		s6->sin6_family = AF_INET6;
	}
	return nc_acl_match(acl, &ss);
}

static void
test_v4(void **state)
{
	struct nc_acl *acl = NULL;
	struct mig_error e;

	(void)state;
	assert_int_equal(nc_acl_add(&acl, "198.18.0.0/15", &e), 0);
	assert_true(match(acl, "198.18.1.2"));
	assert_true(match(acl, "198.19.255.255"));
	assert_false(match(acl, "198.20.0.0"));
	assert_false(match(acl, "198.17.255.255"));
	assert_false(match(acl, "2001:2::1"));
	/* A v4 client on a dual-stack socket. */
	assert_true(match(acl, "::ffff:198.18.7.7"));
	nc_acl_free(acl);
}

static void
test_v6_and_host(void **state)
{
	struct nc_acl *acl = NULL;
	struct mig_error e;

	(void)state;
	assert_int_equal(nc_acl_add(&acl, "2001:2::/48", &e), 0);
	assert_int_equal(nc_acl_add(&acl, "10.1.2.3", &e), 0);
	assert_true(match(acl, "2001:2:0:ffff::1"));
	assert_false(match(acl, "2001:2:1::1"));
	assert_true(match(acl, "10.1.2.3"));
	assert_false(match(acl, "10.1.2.4"));
	nc_acl_free(acl);
}

static void
test_all_and_none(void **state)
{
	struct nc_acl *acl = NULL;
	struct mig_error e;

	(void)state;
	assert_true(match(NULL, "192.0.2.1"));		/* no --allow */
	assert_int_equal(nc_acl_add(&acl, "0.0.0.0/0", &e), 0);
	assert_true(match(acl, "192.0.2.1"));
	assert_false(match(acl, "::1"));
	nc_acl_free(acl);
}

#define LONG64	("0123456789012345678901234567890123456789012345678901" \
		    "234567890123")

static void
test_refused(void **state)
{
	const char *bad[] = { "198.18.0.0/33", "::/129", "1.2.3.4/", "/8",
	    "1.2.3", "host.example", "1.2.3.4/8x", "1.2.3.4/-1", "",
	    "1.2.3.4/0008",
	    LONG64 };
	struct nc_acl *acl = NULL;
	struct mig_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mig_error_clear(&e);
		assert_int_equal(nc_acl_add(&acl, bad[i], &e), -1);
		assert_int_equal(e.kind, MIG_E_USAGE);
		assert_non_null(strstr(e.msg, "allowed source"));
	}
	assert_null(acl);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_v4),
		cmocka_unit_test(test_v6_and_host),
		cmocka_unit_test(test_all_and_none),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
