/* SPDX-License-Identifier: ISC */
/*
 * netcheck's wire format: round trips with and without a key, and every
 * rejection (truncated, wrong magic or version, bad length, bad or missing
 * MAC, oversize, unknown flags).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/proto.h"

static struct nc_key key = { "0123456789abcdef-shared", 23, 0 };

static struct nc_msg
sample(uint16_t len)
{
	struct nc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NC_T_PROBE;
	m.len = len;
	m.token = 0x0102030405060708ULL;
	m.seq = 0xfffffffffffffffeULL;
	m.t1 = 1;
	m.t2 = 2;
	m.t3 = 3;
	m.a = 0x8000000000000000ULL;
	m.b = 42;
	return m;
}

static void
test_roundtrip_plain(void **state)
{
	unsigned char buf[200];
	struct nc_msg m = sample(100), d;

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), 0);
	assert_int_equal(nc_msg_decode(buf, 100, 1, NULL, &d, NULL), 0);
	assert_int_equal(d.type, NC_T_PROBE);
	assert_int_equal(d.len, 100);
	assert_true(d.token == m.token && d.seq == m.seq && d.t1 == 1 &&
	    d.t2 == 2 && d.t3 == 3 && d.a == m.a && d.b == 42);
	assert_memory_equal(buf, "NCK\2", 4);
	assert_int_equal(buf[64], 0);		/* padding zeroed */
}

static void
test_roundtrip_keyed(void **state)
{
	unsigned char buf[200];
	struct nc_msg m = sample(96), d;

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), &key, 1), 0);
	assert_int_equal(buf[5], NC_FLAG_MAC);
	assert_int_equal(nc_msg_decode(buf, 96, 1, &key, &d, NULL), 0);
	assert_true(d.seq == m.seq);
}

static void
expect_reject(const unsigned char *buf, size_t n, int exact,
    const struct nc_key *k, const char *why)
{
	struct nc_msg d;
	const char *got = NULL;

	assert_int_equal(nc_msg_decode(buf, n, exact, k, &d, &got), -1);
	assert_string_equal(got, why);
}

static void
test_rejections(void **state)
{
	unsigned char buf[200], bad[200];
	struct nc_msg m = sample(96);

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), &key, 1), 0);
	expect_reject(buf, 63, 1, &key, "truncated");
	expect_reject(buf, 0, 1, &key, "truncated");
	memcpy(bad, buf, 96);
	bad[0] = 'X';
	expect_reject(bad, 96, 1, &key, "bad magic");
	memcpy(bad, buf, 96);
	bad[3] = 1;		/* version 1: before cookies and BUSY */
	expect_reject(bad, 96, 1, &key, "unsupported version");
	assert_int_equal(nc_msg_other_version(bad, 96), 1);
	assert_int_equal(nc_msg_other_version(buf, 96), 0);
	bad[0] = 'X';
	assert_int_equal(nc_msg_other_version(bad, 96), 0);
	expect_reject(buf, 95, 1, &key, "bad length");	/* len > n */
	memcpy(bad, buf, 96);
	bad[96] = 0;
	expect_reject(bad, 97, 1, &key, "bad length");	/* len != n */
	memcpy(bad, buf, 96);
	bad[20] ^= 1;					/* seq changed */
	expect_reject(bad, 96, 1, &key, "bad MAC");
	memcpy(bad, buf, 96);
	bad[95] ^= 0x80;				/* MAC changed */
	expect_reject(bad, 96, 1, &key, "bad MAC");
	expect_reject(buf, 96, 1, NULL, "unexpected MAC");
	m.len = 64;
	assert_int_equal(nc_msg_encode(&m, bad, sizeof(bad), NULL, 1), 0);
	expect_reject(bad, 64, 1, &key, "no MAC");
	bad[5] = 0x02;
	expect_reject(bad, 64, 1, NULL, "unknown flags");
}

static void
test_keyed_short(void **state)
{
	unsigned char buf[200];
	struct nc_msg m = sample(64);

	(void)state;
	/* A keyed message has room for its MAC or is not encoded at all. */
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), &key, 1), -1);
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), 0);
	buf[5] = NC_FLAG_MAC;
	expect_reject(buf, 64, 1, &key, "truncated");
}

static void
test_encode_bounds(void **state)
{
	unsigned char buf[100];
	struct nc_msg m = sample(101);

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), -1);
	m.len = 63;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), -1);
}

static void
test_peek(void **state)
{
	unsigned char buf[NC_HDR_LEN];
	struct nc_msg m = sample(64);

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), 0);
	assert_int_equal(nc_msg_peek_len(buf, 8), 64);
	assert_int_equal(nc_msg_peek_len(buf, 7), -1);
	buf[6] = (NC_TCP_MSG_MAX + 1) >> 8;
	buf[7] = (NC_TCP_MSG_MAX + 1) & 0xff;
	assert_int_equal(nc_msg_peek_len(buf, 8), -1);	/* oversize */
	buf[6] = 0;
	buf[7] = 63;
	assert_int_equal(nc_msg_peek_len(buf, 8), -1);
	buf[6] = 0;
	buf[7] = 64;
	buf[3] = 9;
	assert_int_equal(nc_msg_peek_len(buf, 8), -1);
}

static void
test_tcp_prefix(void **state)
{
	unsigned char buf[300];
	struct nc_msg m = sample(96), d;

	(void)state;
	/* TCP: a message followed by the next one's bytes (exact = 0). */
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), &key, 1), 0);
	memset(buf + 96, 0xee, 100);
	assert_int_equal(nc_msg_decode(buf, 196, 0, &key, &d, NULL), 0);
	assert_int_equal(d.len, 96);
}

static void
test_put_get(void **state)
{
	unsigned char b[8];

	(void)state;
	nc_put64(b, 0x1122334455667788ULL);
	assert_int_equal(b[0], 0x11);
	assert_int_equal(b[7], 0x88);
	assert_true(nc_get64(b) == 0x1122334455667788ULL);
}

/* What a client says when the keys differ comes from decode's reasons. */
static void
test_key_verdict(void **state)
{
	unsigned char buf[200];
	struct nc_msg m = sample(96), d;
	struct nc_key other = { "another-key-0123456789", 22, 0 };
	const char *why = NULL;

	(void)state;
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), &key, 1), 0);
	assert_int_equal(nc_msg_decode(buf, 96, 1, NULL, &d, &why), -1);
	assert_int_equal(nc_key_verdict_of(why), NC_KEY_NEEDED);
	assert_int_equal(nc_msg_decode(buf, 96, 1, &other, &d, &why), -1);
	assert_int_equal(nc_key_verdict_of(why), NC_KEY_BAD);
	assert_int_equal(nc_msg_encode(&m, buf, sizeof(buf), NULL, 1), 0);
	assert_int_equal(nc_msg_decode(buf, 96, 1, &key, &d, &why), -1);
	assert_int_equal(nc_key_verdict_of(why), NC_KEY_UNWANTED);
	assert_int_equal(nc_msg_decode(buf, 63, 1, NULL, &d, &why), -1);
	assert_int_equal(nc_key_verdict_of(why), NC_KEY_OK);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_plain),
		cmocka_unit_test(test_roundtrip_keyed),
		cmocka_unit_test(test_rejections),
		cmocka_unit_test(test_keyed_short),
		cmocka_unit_test(test_encode_bounds),
		cmocka_unit_test(test_peek),
		cmocka_unit_test(test_tcp_prefix),
		cmocka_unit_test(test_put_get),
		cmocka_unit_test(test_key_verdict),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
