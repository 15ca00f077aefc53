/* SPDX-License-Identifier: ISC */
/*
 * Burst/quantum arithmetic, rate parsing ranges and the u32 keys, checked
 * against the header layouts (RFC 791, RFC 8200) byte by byte.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arpa/inet.h>

#include <cmocka.h>

#include "shaper/shaper_int.h"

static void
test_params(void **state)
{
	struct shaper_htb_params p;

	(void)state;
	/* 0.1 Mbit/s: two 1514-byte frames, quantum one frame. */
	shaper_htb_params(100000, 1500, &p);
	assert_true(p.rate_Bps == 12500);
	assert_int_equal(p.burst, 3028);
	assert_int_equal(p.quantum, 1514);
	/* 10 Mbit/s: 2 ms is 2500 bytes, below two frames. */
	shaper_htb_params(10000000, 1500, &p);
	assert_int_equal(p.burst, 3028);
	assert_int_equal(p.quantum, 125000);
	/* 100 Mbit/s: 2 ms = 25000 bytes; quantum at the kernel's 200000. */
	shaper_htb_params(100000000, 1500, &p);
	assert_int_equal(p.burst, 25000);
	assert_int_equal(p.quantum, 200000);
	/* 10 Gbit/s: 2.5 MB. */
	shaper_htb_params(10000000000ULL, 1500, &p);
	assert_true(p.rate_Bps == 1250000000ULL);
	assert_int_equal(p.burst, 2500000);
	assert_int_equal(p.quantum, 200000);
	/* 40 Gbit/s: above 2^32-1 bytes/s -> rate64 in htb.c. */
	shaper_htb_params(40000000000ULL, 1500, &p);
	assert_true(p.rate_Bps > UINT32_MAX);
	assert_int_equal(p.burst, 10000000);
	/* Loopback's 64 KiB MTU: two frames. */
	shaper_htb_params(1000000, 65536, &p);
	assert_int_equal(p.burst, 2 * 65550);
	assert_int_equal(p.quantum, 65550);
}

/* The bands: a tenth of the cap; the bulk queue 100 ms, >= 16 frames. */
static void
test_queue(void **state)
{
	struct shaper_htb_params p;

	(void)state;
	/* 0.5 Mbit/s: 100 ms is 6250 bytes, below 16 frames of 1514. */
	shaper_htb_params(500000, 1500, &p);
	assert_true(p.band_Bps == 6250);
	assert_int_equal(p.queue_limit, 16 * 1514);
	/* 2 Mbit/s: 25000 bytes, still the floor (24224 is below). */
	shaper_htb_params(2000000, 1500, &p);
	assert_int_equal(p.queue_limit, 25000);
	/* 100 Mbit/s: 1.25 MB = 100 ms. */
	shaper_htb_params(100000000, 1500, &p);
	assert_true(p.band_Bps == 1250000);
	assert_int_equal(p.queue_limit, 1250000);
	/* 10 Gbit/s: 125 MB would be 100 ms; held at 32 MiB. */
	shaper_htb_params(10000000000ULL, 1500, &p);
	assert_int_equal(p.queue_limit, 32U << 20);
	/* The band's share never exceeds the cap. */
	shaper_htb_params(SHAPER_RATE_MIN, 1500, &p);
	assert_true(p.band_Bps > 0 && p.band_Bps < p.rate_Bps);
}

static void
test_rate_range(void **state)
{
	struct mig_error e;
	uint64_t r;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(shaper_rate_parse("--rate", "0.1mbit", &r, &e), 0);
	assert_true(r == 100000);
	assert_int_equal(shaper_rate_parse("--rate", "100gbit", &r, &e), 0);
	assert_int_equal(shaper_rate_parse("--rate", "50", &r, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(shaper_rate_parse("--rate", "0mbit", &r, &e), -1);
	assert_non_null(strstr(e.msg, "out of range"));
	assert_int_equal(shaper_rate_parse("--rate", "-5mbit", &r, &e), -1);
	assert_int_equal(shaper_rate_parse("--rate", "101gbit", &r, &e), -1);
	assert_int_equal(shaper_rate_parse("--rate", "99kbit", &r, &e), -1);
	assert_int_equal(shaper_rate_parse("--rate", "10mbps", &r, &e), -1);
}

static struct shaper_dest
dest(const char *s)
{
	struct shaper_dest d;
	struct mig_error e;

	assert_int_equal(shaper_dest_parse("--dest", s, &d, &e), 0);
	return d;
}

static void
key_is(const struct shaper_u32_key *k, uint32_t val, uint32_t mask, int off)
{
	assert_int_equal(ntohl(k->val), val);
	assert_int_equal(ntohl(k->mask), mask);
	assert_int_equal(k->off, off);
}

static void
test_u32_ipv4(void **state)
{
	struct shaper_u32_key k[SHAPER_U32_MAXKEYS];
	struct shaper_dest d;

	(void)state;
	d = dest("198.18.1.2");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 1);
	key_is(&k[0], 0xc6120102, 0xffffffff, 16);	/* daddr */
	d = dest("198.18.0.0/15:22");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 5);
	key_is(&k[0], 0xc6120000, 0xfffe0000, 16);
	key_is(&k[1], 0x05000000, 0x0f000000, 0);	/* IHL = 5 */
	key_is(&k[2], 0, 0x00001fff, 4);		/* fragment offset 0 */
	key_is(&k[3], 0x00060000, 0x00ff0000, 8);	/* protocol TCP */
	key_is(&k[4], 22, 0x0000ffff, 20);		/* dport */
	assert_int_equal(shaper_u32_keys(&d, 17, k, SHAPER_U32_MAXKEYS), 5);
	key_is(&k[3], 0x00110000, 0x00ff0000, 8);	/* UDP */
	d = dest("0.0.0.0/0");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 0);
	/* Bounded by max. */
	d = dest("198.18.1.2:22");
	assert_int_equal(shaper_u32_keys(&d, 6, k, 2), 2);
}

static void
test_u32_ipv6(void **state)
{
	struct shaper_u32_key k[SHAPER_U32_MAXKEYS];
	struct shaper_dest d;

	(void)state;
	d = dest("2001:2:1::2");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 4);
	key_is(&k[0], 0x20010002, 0xffffffff, 24);
	key_is(&k[1], 0x00010000, 0xffffffff, 28);
	key_is(&k[2], 0, 0xffffffff, 32);
	key_is(&k[3], 2, 0xffffffff, 36);
	d = dest("[2001:2::/48]:8899");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 4);
	key_is(&k[0], 0x20010002, 0xffffffff, 24);
	key_is(&k[1], 0, 0xffff0000, 28);
	key_is(&k[2], 0x00000600, 0x0000ff00, 4);	/* next header TCP */
	key_is(&k[3], 8899, 0x0000ffff, 40);		/* dport */
	d = dest("2001:2::/33");
	assert_int_equal(shaper_u32_keys(&d, 6, k, SHAPER_U32_MAXKEYS), 2);
	key_is(&k[1], 0, 0x80000000, 28);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_params),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_rate_range),
		cmocka_unit_test(test_u32_ipv4),
		cmocka_unit_test(test_u32_ipv6),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
