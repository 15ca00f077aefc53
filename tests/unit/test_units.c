/* SPDX-License-Identifier: ISC */
/*
 * Units: every expected value is worked out by hand from the definitions
 * (SI prefixes, 8 bits a byte, the document's 1 TB = 1024 GB), not by
 * calling the code under test twice.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "common/migcommon.h"

struct ok_case {
	const char *in;
	uint64_t want;
};

static void
check_ok(int (*parse)(const char *, const char *, const char *, uint64_t *,
    struct mig_error *), const char *bare, const struct ok_case *c, size_t n)
{
	struct mig_error e;
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		mig_error_clear(&e);
		v = 12345;
		if (parse("--x", c[i].in, bare, &v, &e) != 0)
			fail_msg("'%s' refused: %s", c[i].in, e.msg);
		if (v != c[i].want)
			fail_msg("'%s' gave %llu, want %llu", c[i].in,
			    (unsigned long long)v,
			    (unsigned long long)c[i].want);
	}
}

/* Refused as a usage error, value untouched, message containing want. */
static void
check_bad(int (*parse)(const char *, const char *, const char *, uint64_t *,
    struct mig_error *), const char *in, const char *want)
{
	struct mig_error e;
	uint64_t v = 777;

	mig_error_clear(&e);
	if (parse("--x", in, NULL, &v, &e) != -1)
		fail_msg("'%s' accepted as %llu", in, (unsigned long long)v);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(v, 777);
	assert_non_null(strstr(e.msg, "--x"));
	if (want != NULL && strstr(e.msg, want) == NULL)
		fail_msg("'%s': message '%s' lacks '%s'", in, e.msg, want);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
rate_ok(void **state)
{
	static const struct ok_case c[] = {
		{ "100mbit", 100000000ULL },
		{ "0.5mbit", 500000ULL },
		{ "1.5gbit", 1500000000ULL },
		{ "50 mbit", 50000000ULL },
		{ " 50mbit\t", 50000000ULL },
		{ "1bit", 1 },
		{ "10kbit", 10000 },
		{ "10Kbit/s", 10000 },
		{ "10kbits/s", 10000 },
		{ "320 Mbit/s", 320000000ULL },
		{ "1 GBIT", 1000000000ULL },
		{ "2tbit", 2000000000000ULL },
		{ "10kb/s", 10000 },
		{ "10Mb/s", 10000000ULL },
		{ "10mb/s", 10000000ULL },
		{ "5b/s", 5 },
		{ "1B/s", 8 },
		{ "1KB/s", 8000 },
		{ "1kB/s", 8000 },
		{ "200MB/s", 1600000000ULL },	/* §13.3: 200 MB in 1 s */
		{ "6.25MB/s", 50000000ULL },
		{ "1GB/s", 8000000000ULL },
		{ "1KiB/s", 8 * 1024ULL },
		{ "1MiB/s", 8 * 1048576ULL },
		{ "1GiB/s", 8 * 1073741824ULL },
		{ "0mbit", 0 },
		{ "0.0000001bit", 0 },
		{ "0.6bit", 1 },		/* nearest bit */
		{ "18446744073709551615bit", UINT64_MAX },
	};

	(void)state;
	check_ok(mig_parse_rate, NULL, c, N(c));
}

static void
rate_bare_unit(void **state)
{
	static const struct ok_case mbit[] = {
		{ "100", 100000000ULL }, { "2.5", 2500000ULL },
		{ "1gbit", 1000000000ULL },	/* a unit given wins */
	};
	static const struct ok_case mbs[] = { { "1", 8000000ULL } };

	(void)state;
	check_ok(mig_parse_rate, "mbit", mbit, N(mbit));
	check_ok(mig_parse_rate, "MB/s", mbs, N(mbs));
}

static void
rate_bad(void **state)
{
	(void)state;
	check_bad(mig_parse_rate, "", "is empty");
	check_bad(mig_parse_rate, "   ", "is empty");
	check_bad(mig_parse_rate, NULL, "is empty");
	check_bad(mig_parse_rate, "abc", "not a number");
	check_bad(mig_parse_rate, "-1mbit", "is negative");
	check_bad(mig_parse_rate, "1e999mbit", "unknown unit");
	check_bad(mig_parse_rate, "nan", "not a number");
	check_bad(mig_parse_rate, "inf", "not a number");
	check_bad(mig_parse_rate, "-inf", NULL);
	check_bad(mig_parse_rate, "0x10mbit", "unknown unit");
	check_bad(mig_parse_rate, "5xb", "unknown unit 'xb' in '5xb'");
	check_bad(mig_parse_rate, "1.2.3mbit", "unknown unit");
	check_bad(mig_parse_rate, "100", "no unit");
	check_bad(mig_parse_rate, "100MB", "unknown unit");	/* a size */
	check_bad(mig_parse_rate, "100mbs", "unknown unit 'mbs' in "
	    "'100mbs' (use bit, kbit, mbit, gbit, or B/s, KB/s, MB/s, GB/s)");
	check_bad(mig_parse_rate, "1kib/s", "unknown unit");
	check_bad(mig_parse_rate, "+5mbit", "not a number");
	check_bad(mig_parse_rate, ".5mbit", "not a number");
	check_bad(mig_parse_rate, "5.mbit", "unknown unit");
	check_bad(mig_parse_rate, "5 m bit", "unknown unit");
	check_bad(mig_parse_rate, "18446744073709551616bit", "out of range");
	check_bad(mig_parse_rate, "18446744073709551615.6bit",
	    "out of range");
	check_bad(mig_parse_rate, "99999999999999tbit", "out of range");
	check_bad(mig_parse_rate, "3000000000GB/s", "out of range");
	check_bad(mig_parse_rate, "99999999999999999999999999mbit",
	    "out of range");
	/* 65 characters: too long, whatever they are */
	check_bad(mig_parse_rate,
	    "00000000000000000000000000000000000000000000000000000000000001bit",
	    "too long");
}

static void
rate_bps_refused(void **state)
{
	static const char *const in[] = {
		"10 mbps", "10mbps", "10Mbps", "10MBPS", "1kbps", "1gbps",
		"100bps", "1Bps", "2tbps",
	};
	struct mig_error e;
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < N(in); i++) {
		mig_error_clear(&e);
		assert_int_equal(mig_parse_rate("--speed", in[i], NULL, &v, &e),
		    -1);
		assert_int_equal(e.kind, MIG_E_USAGE);
		assert_non_null(strstr(e.msg, "ambiguous"));
		assert_non_null(strstr(e.msg, "megabytes"));
		assert_non_null(strstr(e.msg, "megabits"));
		assert_non_null(strstr(e.remedy, "write 50mbit or 6.25MB/s"));
	}
	mig_error_clear(&e);
	assert_int_equal(mig_parse_rate("--speed", "10 mbps", NULL, &v, &e),
	    -1);
	assert_non_null(strstr(e.msg, "write 10mbit or 10MB/s"));
}

static void
rate_messages(void **state)
{
	struct mig_error e;
	uint64_t v;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_parse_rate("--speed", "", NULL, &v, &e), -1);
	assert_string_equal(e.msg,
	    "--speed: '' is empty; give a rate like 100mbit");
	assert_null(e.sms);
	assert_int_equal(mig_error_exit_status(&e), 2);
	assert_int_equal(mig_parse_rate("--speed", "100mbs", NULL, &v, &e), -1);
	assert_string_equal(e.msg, "--speed: unknown unit 'mbs' in '100mbs' "
	    "(use bit, kbit, mbit, gbit, or B/s, KB/s, MB/s, GB/s)");
	/* a terminal escape in the value is not echoed raw */
	assert_int_equal(mig_parse_rate("--speed", "5\x1b[2J", NULL, &v, &e),
	    -1);
	assert_null(strchr(e.msg, '\x1b'));
}

static void
size_ok(void **state)
{
	static const struct ok_case c[] = {
		{ "1TB", 1024ULL * 1000000000ULL },	/* Table 13-1 */
		{ "1tb", 1024000000000ULL },
		{ "100GB", 100000000000ULL },
		{ "100 gb", 100000000000ULL },
		{ "1.5GB", 1500000000ULL },
		{ "512MB", 512000000ULL },
		{ "1KB", 1000 },
		{ "900B", 900 },
		{ "900 b", 900 },
		{ "1KiB", 1024 },
		{ "1MiB", 1048576ULL },
		{ "1GiB", 1073741824ULL },
		{ "1TiB", 1099511627776ULL },
		{ "0.5TB", 512000000000ULL },
		{ "0B", 0 },
		{ "16777215TiB", 16777215ULL * 1099511627776ULL },
	};

	(void)state;
	check_ok(mig_parse_size, NULL, c, N(c));
}

static void
size_bad(void **state)
{
	struct mig_error e;
	uint64_t v;

	(void)state;
	check_bad(mig_parse_size, "", "is empty");
	check_bad(mig_parse_size, "abc", "not a number");
	check_bad(mig_parse_size, "5xb", "unknown unit");
	check_bad(mig_parse_size, "1.2.3GB", "unknown unit");
	check_bad(mig_parse_size, "99999999999999TB", "out of range");
	check_bad(mig_parse_size, "16777216TiB", "out of range");
	check_bad(mig_parse_size, "1e3GB", "unknown unit");
	check_bad(mig_parse_size, "100", "no unit");
	check_bad(mig_parse_size, "1T", "unknown unit");
	check_bad(mig_parse_size, "1GB/s", "unknown unit");
	check_bad(mig_parse_size, "nan", "not a number");
	mig_error_clear(&e);
	assert_int_equal(mig_parse_size("--data", "-5GB", NULL, &v, &e), -1);
	assert_string_equal(e.msg,
	    "--data: '-5GB' is negative; give a size like 100GB");
	assert_int_equal(mig_parse_size("--data", "99999999999999TB", NULL, &v,
	    &e), -1);
	assert_non_null(strstr(e.msg, "'99999999999999TB' is out of range"));
}

static void
size_bare_unit(void **state)
{
	static const struct ok_case c[] = {
		{ "100", 100000000000ULL }, { "1TB", 1024000000000ULL },
	};

	(void)state;
	check_ok(mig_parse_size, "GB", c, N(c));
}

static void
duration_ok(void **state)
{
	static const struct ok_case c[] = {
		{ "30s", 30000000000ULL },
		{ "1.5s", 1500000000ULL },
		{ "2m", 120000000000ULL },
		{ "1h30m", 5400000000000ULL },
		{ "1h 30m", 5400000000000ULL },
		{ "1H30M", 5400000000000ULL },
		{ "1d", 86400000000000ULL },
		{ "350ms", 350000000ULL },
		{ "120us", 120000ULL },
		{ "5ns", 5 },
		{ "1m1s1ms1us1ns", 61001001001ULL },
		{ "0.5h", 1800000000000ULL },
		{ "10sec", 10000000000ULL },
		{ "2min", 120000000000ULL },
		{ "0s", 0 },
		{ "213503d", 213503ULL * 86400000000000ULL },
	};

	(void)state;
	check_ok(mig_parse_duration, NULL, c, N(c));
}

static void
duration_bad(void **state)
{
	(void)state;
	check_bad(mig_parse_duration, "", "is empty");
	check_bad(mig_parse_duration, "abc", "not a number");
	check_bad(mig_parse_duration, "-1s", "is negative");
	check_bad(mig_parse_duration, "30", "no unit");
	check_bad(mig_parse_duration, "1h30", "no unit");
	check_bad(mig_parse_duration, "5x", "unknown unit 'x'");
	check_bad(mig_parse_duration, "1.2.3s", "unknown unit");
	check_bad(mig_parse_duration, "1h 5", "no unit");
	check_bad(mig_parse_duration, "1h -5m", "negative");
	check_bad(mig_parse_duration, "1e9s", "unknown unit");
	check_bad(mig_parse_duration, "213504d", "out of range");
	check_bad(mig_parse_duration, "213503d 213503d", "out of range");
	check_bad(mig_parse_duration, "nan", "not a number");
	check_bad(mig_parse_duration, "inf s", "not a number");
}

static void
duration_bare_unit(void **state)
{
	static const struct ok_case c[] = {
		{ "30", 30000000000ULL }, { "1m", 60000000000ULL },
	};
	struct mig_error e;
	uint64_t v;

	(void)state;
	check_ok(mig_parse_duration, "s", c, N(c));
	/* the bare unit only applies to a lone number */
	assert_int_equal(mig_parse_duration("--t", "1m 30", "s", &v, &e), -1);
}

static void
numbers(void **state)
{
	struct mig_error e;
	double d;
	uint64_t u;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_parse_percent("--cpu", "70%", 0, 100, &d, &e), 0);
	assert_true(d == 70.0);
	assert_int_equal(mig_parse_percent("--cpu", "70", 0, 100, &d, &e), 0);
	assert_true(d == 70.0);
	assert_int_equal(mig_parse_percent("--cpu", "12.5 %", 0, 100, &d, &e),
	    0);
	assert_true(d == 12.5);
	assert_int_equal(mig_parse_percent("--cpu", "150%", 0, 100, &d, &e),
	    -1);
	assert_string_equal(e.msg, "--cpu: 150% is out of range [0%, 100%]");
	assert_int_equal(mig_parse_ratio("--u", "70%", 0.5, 0.8, &d, &e), 0);
	assert_true(d == 0.7);
	assert_int_equal(mig_parse_ratio("--u", "0.7", 0.5, 0.8, &d, &e), 0);
	assert_true(d == 0.7);
	assert_int_equal(mig_parse_ratio_x("--utilization", "1.5", 0, 1,
	    MIG_OPEN_MIN, &d, &e), -1);
	assert_string_equal(e.msg,
	    "--utilization: 1.5 is out of range (0, 1]");
	assert_int_equal(mig_parse_ratio("--progress", "101%", 0, 1, &d, &e),
	    -1);
	assert_string_equal(e.msg,
	    "--progress: 101% is out of range [0%, 100%]");
	assert_int_equal(mig_parse_ratio_x("--utilization", "0", 0, 1,
	    MIG_OPEN_MIN, &d, &e), -1);
	assert_int_equal(mig_parse_ratio_x("--utilization", "1", 0, 1,
	    MIG_OPEN_MIN, &d, &e), 0);
	assert_true(d == 1.0);
	assert_int_equal(mig_parse_double_x("--p", "1", 0, 1, MIG_OPEN_MAX, &d,
	    &e), -1);
	assert_non_null(strstr(e.msg, "[0, 1)"));
	assert_int_equal(mig_parse_double("--p", "-2.25", -5, 5, &d, &e), 0);
	assert_true(d == -2.25);
	assert_int_equal(mig_parse_uint("--disks", "4", 1, 64, &u, &e), 0);
	assert_int_equal(u, 4);
	assert_int_equal(mig_parse_uint("--disks", "0", 1, 64, &u, &e), -1);
	assert_string_equal(e.msg, "--disks: 0 is out of range [1, 64]");
	assert_int_equal(mig_parse_uint("--n", "18446744073709551615", 0,
	    UINT64_MAX, &u, &e), 0);
	assert_true(u == UINT64_MAX);
}

static void
numbers_bad(void **state)
{
	static const char *const junk[] = {
		"", "abc", "nan", "NaN", "inf", "-inf", "1e999", "1e5",
		"0x10", "1.2.3", "5%%", "5 5", "--1", "1,5", ".5",
	};
	struct mig_error e;
	double d = 42;
	uint64_t u = 42;
	size_t i;

	(void)state;
	for (i = 0; i < N(junk); i++) {
		mig_error_clear(&e);
		if (mig_parse_double("--x", junk[i], -1e300, 1e300, &d, &e)
		    != -1)
			fail_msg("double '%s' accepted", junk[i]);
		assert_int_equal(e.kind, MIG_E_USAGE);
		if (mig_parse_percent("--x", junk[i], 0, 100, &d, &e) != -1)
			fail_msg("percent '%s' accepted", junk[i]);
		if (mig_parse_uint("--x", junk[i], 0, UINT64_MAX, &u, &e) != -1)
			fail_msg("uint '%s' accepted", junk[i]);
	}
	assert_true(d == 42);
	assert_int_equal(u, 42);
	assert_int_equal(mig_parse_uint("--x", "-1", 0, 10, &u, &e), -1);
	assert_int_equal(mig_parse_uint("--x", "1.0", 0, 10, &u, &e), -1);
	assert_int_equal(mig_parse_uint("--x", "18446744073709551616", 0,
	    UINT64_MAX, &u, &e), -1);
	assert_non_null(strstr(e.msg, "out of range"));
	/* 400 digits: a finite double no more, refused as too long */
	{
		char big[402];

		memset(big, '9', 400);
		big[400] = '\0';
		assert_int_equal(mig_parse_double("--x", big, 0, 1e308, &d,
		    &e), -1);
	}
}

struct fmt_case {
	double v;
	const char *want;
};

static void
fmt_rate(void **state)
{
	static const struct fmt_case c[] = {
		{ 320e6, "320 Mbit/s" },	/* §13.3: 200 MB in 5 s */
		{ 1.5e9, "1.5 Gbit/s" },
		{ 800e3, "800 kbit/s" },
		{ 12, "12 bit/s" },
		{ 0, "0 bit/s" },
		{ 999, "999 bit/s" },
		{ 999.6, "1 kbit/s" },
		{ 1e6, "1 Mbit/s" },
		{ 12.34e6, "12.3 Mbit/s" },
		{ 1.006e9, "1.01 Gbit/s" },
		{ 99.96e6, "100 Mbit/s" },
		{ 9.999e6, "10 Mbit/s" },
		{ 2.5e12, "2.5 Tbit/s" },
		{ -1, "n/a" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < N(c); i++)
		assert_string_equal(mig_fmt_rate(buf, sizeof(buf), c[i].v),
		    c[i].want);
}

static void
fmt_size(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} c[] = {
		{ 100000000000ULL, "100 GB" },
		{ 1536000000000ULL, "1.50 TB" },	/* 1.5 x 1024 GB */
		{ 512000000ULL, "512 MB" },
		{ 900, "900 B" },
		{ 0, "0 B" },
		{ 1000, "1.00 KB" },
		{ 1024000000000ULL, "1.00 TB" },
		{ 1000000000000ULL, "1000 GB" },	/* < 1 TB of 1024 GB */
		{ 999999999ULL, "1.00 GB" },
		{ 12345678ULL, "12.3 MB" },
		{ UINT64_MAX, "18014399 TB" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < N(c); i++)
		assert_string_equal(mig_fmt_size(buf, sizeof(buf), c[i].v),
		    c[i].want);
}

static void
fmt_duration(void **state)
{
	static const struct {
		uint64_t v;
		const char *want;
	} c[] = {
		{ 11400ULL * MIG_NS_PER_S, "3h 10m" },
		{ 1143ULL * MIG_NS_PER_S, "19m 03s" },
		{ 4200000000ULL, "4.2s" },
		{ 350000000ULL, "350ms" },
		{ 120000ULL, "120us" },
		{ 5, "5ns" },
		{ 59960000000ULL, "1m 00s" },
		{ 999600000ULL, "1.0s" },
		{ 86400ULL * MIG_NS_PER_S, "1d 00h" },
		{ UINT64_MAX, "213504d 00h" },
	};
	char buf[32];
	size_t i;

	(void)state;
	for (i = 0; i < N(c); i++)
		assert_string_equal(mig_fmt_duration(buf, sizeof(buf), c[i].v),
		    c[i].want);
}

static void
fmt_bounded(void **state)
{
	char buf[5];

	(void)state;
	memset(buf, 'x', sizeof(buf));
	assert_string_equal(mig_fmt_rate(buf, sizeof(buf), 320e6), "320 ");
	assert_string_equal(mig_fmt_size(buf, sizeof(buf), 1536000000000ULL),
	    "1.50");
	assert_string_equal(mig_fmt_duration(buf, sizeof(buf), 1143ULL *
	    MIG_NS_PER_S), "19m ");
	buf[0] = 'q';
	assert_ptr_equal(mig_fmt_rate(buf, 0, 1), buf);
	assert_int_equal(buf[0], 'q');
}

/* What a formatter prints, the parser reads back (to 3 digits). */
static void
round_trip(void **state)
{
	static const uint64_t rates[] = { 320000000ULL, 1500000000ULL, 12 };
	char buf[32];
	struct mig_error e;
	uint64_t v;
	size_t i;

	(void)state;
	for (i = 0; i < N(rates); i++) {
		(void)mig_fmt_rate(buf, sizeof(buf), (double)rates[i]);
		assert_int_equal(mig_parse_rate("--x", buf, NULL, &v, &e), 0);
		assert_true(v == rates[i]);
	}
	(void)mig_fmt_size(buf, sizeof(buf), 1536000000000ULL);
	assert_int_equal(mig_parse_size("--x", buf, NULL, &v, &e), 0);
	assert_true(v == 1536000000000ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(rate_ok),
		cmocka_unit_test(rate_bare_unit),
		cmocka_unit_test(rate_bad),
		cmocka_unit_test(rate_bps_refused),
		cmocka_unit_test(rate_messages),
		cmocka_unit_test(size_ok),
		cmocka_unit_test(size_bad),
		cmocka_unit_test(size_bare_unit),
		cmocka_unit_test(duration_ok),
		cmocka_unit_test(duration_bad),
		cmocka_unit_test(duration_bare_unit),
		cmocka_unit_test(numbers),
		cmocka_unit_test(numbers_bad),
		cmocka_unit_test(fmt_rate),
		cmocka_unit_test(fmt_size),
		cmocka_unit_test(fmt_duration),
		cmocka_unit_test(fmt_bounded),
		cmocka_unit_test(round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
