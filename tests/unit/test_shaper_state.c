/* SPDX-License-Identifier: ISC */
/*
 * The state record: format and parse give back the same, and a damaged
 * file is refused with its line, never half-read.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "shaper/shaper_int.h"

static const char good[] =
    "mignet-shaper 1\n"
    "netns 4026531840\n"
    "ifindex 3\n"
    "ifname eth0\n"
    "prev_root pfifo_fast\n"
    "limit 1 198.18.1.2:5201 10000000bit\n"
    "limit 2 [2001:2::/48]:22 1500000000bit 09:00-17:00=5000000bit "
    "22:00-06:00=100000000bit\n";

static void
test_round_trip(void **state)
{
	struct shaper_state *st = calloc(1, sizeof(*st));
	char buf[SHAPER_STATE_MAX];
	struct mig_error e;
	int n;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(shaper_state_parse(good, strlen(good), st, &e), 0);
	assert_int_equal(st->ifindex, 3);
	assert_string_equal(st->ifname, "eth0");
	assert_string_equal(st->prev_root, "pfifo_fast");
	assert_int_equal(st->n, 2);
	assert_int_equal(st->lim[1].id, 2);
	assert_int_equal(st->lim[1].l.nwindows, 2);
	assert_true(st->lim[1].l.rate_bps == 1500000000ULL);
	n = shaper_state_format(st, buf, sizeof(buf));
	assert_true(n > 0);
	assert_string_equal(buf, good);
	free(st);
}

static void
refused(const char *text, const char *why)
{
	struct shaper_state *st = calloc(1, sizeof(*st));
	struct mig_error e;

	mig_error_clear(&e);
	assert_int_equal(shaper_state_parse(text, strlen(text), st, &e), -1);
	if (strstr(e.msg, why) == NULL)
		fail_msg("'%s' lacks '%s'", e.msg, why);
	free(st);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("", "incomplete");
	refused("mignet-shaper 2\n", "version 1");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\n", "incomplete");
	refused("mignet-shaper 1\nnetns 1\nifindex 0\nifname a\n", "ifindex");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a/b\n",
	    "interface");
	refused("mignet-shaper 1\nfoo bar\n", "unknown key");
	refused("mignet-shaper 1\nnetns 1 2\n", "key value");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a\n"
	    "limit 1 198.18.1.2 10\n", "unit");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a\n"
	    "limit 65 198.18.1.2 10mbit\n", "out of range");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a\n"
	    "limit 1 198.18.1.2 10mbit\nlimit 1 198.18.1.3 10mbit\n",
	    "twice");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a\n"
	    "limit 1 198.18.1.2 10mbit 01:00-03:00=1mbit "
	    "02:00-04:00=1mbit\n", "overlaps");
	refused("mignet-shaper 1\nnetns 1\nifindex 3\nifname a\nlimit 1 "
	    "198.18.1.2 10mbit a b c d e f g\n", "too many");
}

static void
test_bounds(void **state)
{
	struct shaper_state *st = calloc(1, sizeof(*st));
	char *big = malloc(SHAPER_STATE_MAX + 2);
	struct mig_error e;

	(void)state;
	memset(big, 'a', SHAPER_STATE_MAX + 1);
	big[SHAPER_STATE_MAX + 1] = '\0';
	assert_int_equal(shaper_state_parse(big, SHAPER_STATE_MAX + 1, st, &e),
	    -1);
	assert_int_equal(shaper_state_parse(big, 1000, st, &e), -1);
	assert_non_null(strstr(e.msg, "too long"));
	memcpy(big, "mignet-shaper 1\n", 16);
	assert_int_equal(shaper_state_parse(big, 1000, st, &e), -1);
	assert_non_null(strstr(e.msg, "too long"));
	assert_int_equal(shaper_state_parse("mignet-shaper 1\n\0x", 18, st, &e),
	    -1);
	assert_non_null(strstr(e.msg, "NUL"));
	free(big);
	free(st);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bounds),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
