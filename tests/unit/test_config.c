/* SPDX-License-Identifier: ISC */
/*
 * INI configuration: the original agent's files as fixtures, typed getters,
 * and the messages an operator reads when a line is wrong.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/migcommon.h"

static const char *
fixture(const char *name)
{
	static char path[4096];
	const char *dir = getenv("MIGNET_FIXTURES");

	if (dir == NULL)
		dir = "fixtures";
	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) <
	    (int)sizeof(path));
	return path;
}

static struct mig_config *
load(const char *name)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;

	mig_error_clear(&e);
	if (mig_config_load(fixture(name), &cfg, &e) != 0)
		fail_msg("%s: %s", name, e.msg);
	return cfg;
}

static void
original_agent_file(void **state)
{
	struct mig_config *cfg = load("g-property.cfg");
	struct mig_error e;
	long long v;
	int b;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_config_bool(cfg, "ssl_config", "servercheck", 0,
	    &b, &e), 0);
	assert_int_equal(b, 1);
	assert_int_equal(mig_config_bool(cfg, "property", "enablesync", 1, &b,
	    &e), 0);
	assert_int_equal(b, 0);
	assert_int_equal(mig_config_int(cfg, "property", "heartmonitorday", 0,
	    1, 365, &v, &e), 0);
	assert_int_equal(v, 30);
	assert_int_equal(mig_config_int(cfg, "property",
	    "auto_start_interval_seconds", 0, 1, 86400, &v, &e), 0);
	assert_int_equal(v, 1800);
	assert_string_equal(mig_config_get(cfg, "linux.config",
	    "rsync.exclude.dir"), "/proc/*,/sys/*,/lost+found/*");
	/* an indented line continues the value, as configparser reads it */
	assert_string_equal(mig_config_get(cfg, "linux.config",
	    "tar.exclude.dir"), "/proc/*\n/sys/*");
	/* sections are case-sensitive, keys are not (configparser) */
	assert_null(mig_config_get(cfg, "Property", "heartmonitorday"));
	assert_string_equal(mig_config_get(cfg, "property",
	    "HeartMonitorDay"), "30");
	mig_config_free(cfg);
}

static void
proxy_file(void **state)
{
	struct mig_config *cfg = load("auth.cfg");
	struct mig_error e;
	const char *s;
	long long port;
	int b;

	(void)state;
	assert_int_equal(mig_config_bool(cfg, "proxy-config", "enable", 0, &b,
	    &e), 0);
	assert_int_equal(b, 1);
	assert_int_equal(mig_config_string(cfg, "proxy-config", "proxy_addr",
	    NULL, &s, &e), 0);
	assert_string_equal(s, "http://192.168.0.10");
	assert_int_equal(mig_config_int(cfg, "proxy-config", "proxy_port",
	    3128, 1, 65535, &port, &e), 0);
	assert_int_equal(port, 3128);
	assert_int_equal(mig_config_bool(cfg, "proxy-config", "use_password",
	    1, &b, &e), 0);
	assert_int_equal(b, 0);
	mig_config_free(cfg);
}

static void
typed_units(void **state)
{
	struct mig_config *cfg = load("g-property.cfg");
	struct mig_error e;
	uint64_t v;

	(void)state;
	assert_int_equal(mig_config_rate(cfg, "limits", "bandwidth", 0, 1,
	    UINT64_MAX, &v, &e), 0);
	assert_true(v == 50000000ULL);
	assert_int_equal(mig_config_size(cfg, "limits", "memory", 0,
	    200 * MIG_MB, 1000 * MIG_MB, &v, &e), 0);
	assert_true(v == 512000000ULL);
	assert_int_equal(mig_config_duration(cfg, "limits", "interval", 0, 0,
	    UINT64_MAX, &v, &e), 0);
	assert_true(v == 5400ULL * MIG_NS_PER_S);
	mig_config_free(cfg);
}

static void
defaults_when_absent(void **state)
{
	struct mig_config *cfg = load("auth.cfg");
	struct mig_error e;
	const char *s;
	long long i;
	uint64_t u;
	int b;

	(void)state;
	assert_int_equal(mig_config_string(cfg, "x", "y", "dflt", &s, &e), 0);
	assert_string_equal(s, "dflt");
	assert_int_equal(mig_config_bool(cfg, "x", "y", 1, &b, &e), 0);
	assert_int_equal(b, 1);
	assert_int_equal(mig_config_int(cfg, "x", "y", -7, -10, 10, &i, &e), 0);
	assert_int_equal(i, -7);
	assert_int_equal(mig_config_rate(cfg, "x", "y", 5, 0, 9, &u, &e), 0);
	assert_int_equal(u, 5);
	assert_int_equal(mig_config_size(cfg, "x", "y", 6, 0, 9, &u, &e), 0);
	assert_int_equal(u, 6);
	assert_int_equal(mig_config_duration(cfg, "x", "y", 7, 0, 9, &u, &e),
	    0);
	assert_int_equal(u, 7);
	mig_config_free(cfg);
}

static struct mig_config *
from_text(const char *text)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;

	mig_error_clear(&e);
	if (mig_config_load_string("g-property.cfg", text, &cfg, &e) != 0)
		fail_msg("%s", e.msg);
	return cfg;
}

static void
range_messages(void **state)
{
	struct mig_config *cfg = from_text("[property]\nheartmonitorday = 400\n"
	    "n = 12abc\nbig = 99999999999999999999\n[limits]\n"
	    "bw = 5mbit\nmem = 2GB\nt = 2h\nbad = 5xb\n");
	struct mig_error e;
	long long v;
	uint64_t u;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_config_int(cfg, "property", "heartmonitorday", 30,
	    1, 365, &v, &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	assert_string_equal(e.msg, "g-property.cfg: [property] heartmonitorday"
	    " = 400: must be between 1 and 365");
	assert_int_equal(mig_error_exit_status(&e), 2);
	assert_int_equal(mig_config_int(cfg, "property", "n", 0, 0, 100, &v,
	    &e), -1);
	assert_non_null(strstr(e.msg, "n = 12abc"));
	assert_int_equal(mig_config_int(cfg, "property", "big", 0, LLONG_MIN,
	    LLONG_MAX, &v, &e), -1);
	assert_int_equal(mig_config_rate(cfg, "limits", "bw", 0, 10 * MIG_MB,
	    MIG_GB, &u, &e), -1);
	assert_string_equal(e.msg, "g-property.cfg: [limits] bw = 5mbit: "
	    "must be between 10 Mbit/s and 1 Gbit/s");
	assert_int_equal(mig_config_size(cfg, "limits", "mem", 0, 200 * MIG_MB,
	    1000 * MIG_MB, &u, &e), -1);
	assert_string_equal(e.msg, "g-property.cfg: [limits] mem = 2GB: "
	    "must be between 200 MB and 1.00 GB");
	assert_int_equal(mig_config_duration(cfg, "limits", "t", 0, 0,
	    3600 * MIG_NS_PER_S, &u, &e), -1);
	assert_string_equal(e.msg, "g-property.cfg: [limits] t = 2h: "
	    "must be between 0ns and 1h 00m");
	/* a unit error keeps the parser's words, as a config error */
	assert_int_equal(mig_config_rate(cfg, "limits", "bad", 0, 0,
	    UINT64_MAX, &u, &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	assert_non_null(strstr(e.msg, "g-property.cfg: [limits] bad"));
	assert_non_null(strstr(e.msg, "unknown unit 'xb'"));
	mig_config_free(cfg);
}

static void
bools(void **state)
{
	static const struct {
		const char *text;
		int want;
	} c[] = {
		{ "true", 1 }, { "True", 1 }, { "TRUE", 1 }, { "yes", 1 },
		{ "On", 1 }, { "1", 1 }, { "false", 0 }, { "False", 0 },
		{ "NO", 0 }, { "off", 0 }, { "0", 0 },
	};
	static const char *const bad[] = { "2", "tru", "y", "", "truex" };
	char text[64];
	struct mig_config *cfg;
	struct mig_error e;
	size_t i;
	int b;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		(void)snprintf(text, sizeof(text), "[s]\nk = %s\n", c[i].text);
		cfg = from_text(text);
		b = -1;
		assert_int_equal(mig_config_bool(cfg, "s", "k", !c[i].want, &b,
		    &e), 0);
		assert_int_equal(b, c[i].want);
		mig_config_free(cfg);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		(void)snprintf(text, sizeof(text), "[s]\nk = %s\n", bad[i]);
		cfg = from_text(text);
		assert_int_equal(mig_config_bool(cfg, "s", "k", 0, &b, &e), -1);
		assert_int_equal(e.kind, MIG_E_CONFIG);
		assert_non_null(strstr(e.msg, "[s] k"));
		mig_config_free(cfg);
	}
}

static void
int_limits(void **state)
{
	struct mig_config *cfg = from_text("[s]\nmin = -9223372036854775808\n"
	    "max = 9223372036854775807\nover = 9223372036854775808\n"
	    "neg = -5\nplus = +5\nsp = 5 5\n");
	struct mig_error e;
	long long v;

	(void)state;
	assert_int_equal(mig_config_int(cfg, "s", "min", 0, LLONG_MIN,
	    LLONG_MAX, &v, &e), 0);
	assert_true(v == LLONG_MIN);
	assert_int_equal(mig_config_int(cfg, "s", "max", 0, LLONG_MIN,
	    LLONG_MAX, &v, &e), 0);
	assert_true(v == LLONG_MAX);
	assert_int_equal(mig_config_int(cfg, "s", "over", 0, LLONG_MIN,
	    LLONG_MAX, &v, &e), -1);
	assert_int_equal(mig_config_int(cfg, "s", "neg", 0, -10, 10, &v, &e),
	    0);
	assert_int_equal(v, -5);
	assert_int_equal(mig_config_int(cfg, "s", "plus", 0, -10, 10, &v, &e),
	    -1);
	assert_int_equal(mig_config_int(cfg, "s", "sp", 0, -100, 100, &v, &e),
	    -1);
	mig_config_free(cfg);
}

static void
syntax_error_has_line(void **state)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;
	char want[4200];

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_config_load(fixture("bad-syntax.cfg"), &cfg, &e),
	    -1);
	assert_null(cfg);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	(void)snprintf(want, sizeof(want), "%s:4: syntax error",
	    fixture("bad-syntax.cfg"));
	assert_string_equal(e.msg, want);
	assert_int_equal(mig_config_load_string("g-property.cfg",
	    "[a]\nx = 1\nnovalue\n", &cfg, &e), -1);
	assert_string_equal(e.msg, "g-property.cfg:3: syntax error");
	assert_int_equal(mig_config_load_string("g-property.cfg",
	    "[a]\n = v\n", &cfg, &e), -1);
	assert_non_null(strstr(e.msg, "g-property.cfg:2:"));
}

static void
duplicate_refused(void **state)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_config_load(fixture("duplicate.cfg"), &cfg, &e),
	    -1);
	assert_null(cfg);
	assert_non_null(strstr(e.msg, "duplicate.cfg:4: heartmonitorday given "
	    "twice (first on line 2)"));
	/* the same key in two sections is two keys */
	cfg = from_text("[a]\nk = 1\n[b]\nk = 2\n[a]\nj = 3\n");
	assert_string_equal(mig_config_get(cfg, "a", "k"), "1");
	assert_string_equal(mig_config_get(cfg, "b", "k"), "2");
	assert_string_equal(mig_config_get(cfg, "a", "j"), "3");
	mig_config_free(cfg);
}

static void
limits_of_input(void **state)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;
	char *big;
	char line[300];
	size_t n = 1024 * 1024 + 1;

	(void)state;
	big = malloc(n + 1);
	assert_non_null(big);
	memset(big, ';', n);
	big[n] = '\0';
	assert_int_equal(mig_config_load_string("big.cfg", big, &cfg, &e), -1);
	assert_non_null(strstr(e.msg, "larger than 1 MiB"));
	free(big);

	/* A key longer than inih's buffer is refused, with its line. */
	memset(line, 'k', sizeof(line) - 1);
	memcpy(line, "[a]\n", 4);
	memcpy(line + sizeof(line) - 6, " = v\n", 5);
	line[sizeof(line) - 1] = '\0';
	assert_int_equal(mig_config_load_string("long.cfg", line, &cfg, &e),
	    -1);
	assert_non_null(strstr(e.msg, "long.cfg:2: a section name or key "
	    "longer than"));

	assert_int_equal(mig_config_load("/nonexistent/g.cfg", &cfg, &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	assert_non_null(strstr(e.msg, "/nonexistent/g.cfg"));
	assert_int_equal(mig_config_load("/dev/null", &cfg, &e), -1);
	assert_non_null(strstr(e.msg, "is a character device, not a regular "
	    "file"));
	assert_int_equal(mig_config_load(NULL, &cfg, &e), -1);

	cfg = from_text("");
	assert_null(mig_config_get(cfg, "", ""));
	mig_config_free(cfg);
	mig_config_free(NULL);
	assert_null(mig_config_get(NULL, "a", "b"));
}

/* The seed's own file: its 209-character exclude line, keys as it spells. */
static void
seed_file(void **state)
{
	struct mig_config *cfg = load("g-property.seed.cfg");
	const char *v;
	int b;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	v = mig_config_get(cfg, "linux.config", "rsync.exclude.dir");
	assert_non_null(v);
	assert_int_equal(strlen(v), 209 - strlen("rsync.exclude.dir = "));
	assert_string_equal(v + strlen(v) - strlen("/boot/grub2/i386-pc/*"),
	    "/boot/grub2/i386-pc/*");
	assert_string_equal(mig_config_get(cfg, "linux.config",
	    "tar.exclude.dir"), "/proc/*,/sys/*,/lost+found/*,"
	    "/var/lib/ntp/proc/*");
	/* "enableSync" in the file, any spelling in the lookup */
	assert_int_equal(mig_config_bool(cfg, "property", "enablesync", 0, &b,
	    &e), 0);
	assert_int_equal(b, 1);
	assert_string_equal(mig_config_get(cfg, "property", "ENABLESYNC"),
	    "True");
	assert_string_equal(mig_config_get(cfg, "linux.config",
	    "installipdagent"), "true");
	mig_config_free(cfg);
}

/* Lines of any length up to the file's limit, cut as inih cuts them. */
static void
long_lines(void **state)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;
	size_t n = 64 * 1024, i;
	char *t, *p;

	(void)state;
	mig_error_clear(&e);
	t = malloc(3 * n + 256);
	assert_non_null(t);
	p = t + sprintf(t, "[linux.config]\n; %0*d\nrsync.exclude.dir = ",
	    (int)n, 0);
	for (i = 0; i < n; i++)
		*p++ = "abc,"[i % 4];
	p += sprintf(p, "   ; a comment after the value\n");
	p += sprintf(p, "tar.exclude.dir = /proc/*\n\t");
	for (i = 0; i < n; i++)
		*p++ = 'x';
	(void)strcpy(p, "\nnetwork.dev = eth0\n");
	assert_int_equal(mig_config_load_string("long.cfg", t, &cfg, &e), 0);
	p = (char *)mig_config_get(cfg, "linux.config", "rsync.exclude.dir");
	assert_non_null(p);
	assert_int_equal(strlen(p), n);
	assert_int_equal(p[n - 1], ',');
	p = (char *)mig_config_get(cfg, "linux.config", "tar.exclude.dir");
	assert_int_equal(strlen(p), strlen("/proc/*\n") + n);
	assert_string_equal(mig_config_get(cfg, "linux.config",
	    "network.dev"), "eth0");
	mig_config_free(cfg);
	free(t);
}

/* A key given twice is refused whatever its spelling. */
static void
duplicate_any_case(void **state)
{
	struct mig_config *cfg = NULL;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_config_load_string("dup.cfg", "[property]\n"
	    "enableSync = True\nenablesync = False\n", &cfg, &e), -1);
	assert_non_null(strstr(e.msg, "dup.cfg:3: enablesync given twice "
	    "(first on line 2)"));
}

static void
nul_in_file(void **state)
{
	char path[] = "/tmp/mignet-test-cfg-XXXXXX";
	struct mig_config *cfg = NULL;
	struct mig_error e;
	int fd;

	(void)state;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "[a]\nk = 1\0\n", 11), 11);
	assert_int_equal(close(fd), 0);
	assert_int_equal(mig_config_load(path, &cfg, &e), -1);
	assert_non_null(strstr(e.msg, "NUL"));
	assert_int_equal(unlink(path), 0);
}

struct seen {
	char keys[8][64];
	int lines[8];
	int n;
};

static void
collect(void *arg, const char *section, const char *key, int line)
{
	struct seen *s = arg;

	assert_true(s->n < 8);
	(void)snprintf(s->keys[s->n], sizeof(s->keys[0]), "%s/%s", section,
	    key);
	s->lines[s->n++] = line;
}

static void
unknown_keys(void **state)
{
	static const struct mig_config_key known[] = {
		{ "ssl_config", NULL },
		{ "property", "heartmonitorday" },
		{ "property", "times" },
		{ "property", "enablesync" },
		{ "linux.config", NULL },
		{ "limits", NULL },
		{ NULL, NULL },
	};
	struct mig_config *cfg = load("g-property.cfg");
	struct seen s;

	(void)state;
	memset(&s, 0, sizeof(s));
	mig_config_unknown(cfg, known, collect, &s);
	assert_int_equal(s.n, 3);
	assert_string_equal(s.keys[0], "property/auto_start_interval_seconds");
	assert_int_equal(s.lines[0], 9);
	assert_string_equal(s.keys[2],
	    "property/auto_start_each_addition_seconds");
	assert_int_equal(s.lines[2], 11);
	mig_config_free(cfg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(original_agent_file),
		cmocka_unit_test(proxy_file),
		cmocka_unit_test(typed_units),
		cmocka_unit_test(defaults_when_absent),
		cmocka_unit_test(range_messages),
		cmocka_unit_test(bools),
		cmocka_unit_test(int_limits),
		cmocka_unit_test(syntax_error_has_line),
		cmocka_unit_test(duplicate_refused),
		cmocka_unit_test(limits_of_input),
		cmocka_unit_test(seed_file),
		cmocka_unit_test(long_lines),
		cmocka_unit_test(duplicate_any_case),
		cmocka_unit_test(nul_in_file),
		cmocka_unit_test(unknown_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
