/* SPDX-License-Identifier: ISC */
/*
 * migagent's configuration: the contract's sample file, every range, the
 * bad input (missing task, negative interval, zero retries with
 * resume on, unknown SMS code, unreadable file) and unknown-key warnings.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"

static const char sample[] =
	"[property]\n"
	"auto_start_interval_seconds = 2\n"
	"auto_start_max_retry_times = 5\n"
	"auto_start_each_addition_seconds = 1\n"
	"heartmonitorday = 30\n"
	"[ssl_config]\n"
	"servercheck = False\n"
	"[task]\n"
	"command = rsync -a --partial -e \"ssh -o BatchMode=yes\" /srv/data/ "
	"root@198.18.1.2:/srv/data/\n"
	"total = 300MB\n"
	"[destination]\n"
	"host = 198.18.1.2\n"
	"check_port = 2222\n"
	"[limits]\n"
	"cpu = 50\n"
	"mem = 500\n"
	"io = 100\n"
	"[shaping]\n"
	"rate = 100mbit\n"
	"window = 22:00-06:00=500mbit, 09:00-12:00=10mbit\n"
	"[classify]\n"
	"rsync_exit_10 = SMS.3802\n"
	"ssh_timeout = SMS.0807\n";

static int nwarn;
static char lastwarn[512];

static void
warn(void *arg, const char *msg)
{
	(void)arg;
	nwarn++;
	(void)snprintf(lastwarn, sizeof(lastwarn), "%s", msg);
}

static int
load(struct agent_conf *c, const char *text, struct mig_error *e)
{
	agent_conf_init(c);
	nwarn = 0;
	lastwarn[0] = '\0';
	mig_error_clear(e);
	/* 4 CPUs: 50 % is 2 cores, 5 % is 0.2 core (the §4 floor). */
	if (agent_conf_load_string(c, "g-property.cfg", text, 4, warn, NULL,
	    e) == -1)
		return -1;
	return agent_conf_check(c, e);
}

static void
test_sample(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, sample, &e), 0);
	assert_int_equal(c.interval_s, 2);
	assert_int_equal(c.retries, 5);
	assert_int_equal(c.addition_s, 1);
	assert_int_equal(c.servercheck, 0);
	assert_non_null(strstr(c.command, "ssh -o BatchMode=yes"));
	assert_true(c.total == 300000000ULL);
	assert_string_equal(c.dest, "198.18.1.2");
	assert_int_equal(c.check_port, 2222);
	assert_int_equal(c.caps.cpu_pct, 50);
	assert_int_equal(c.caps.mem_mb, 500);
	assert_int_equal(c.caps.io_mbps, 100);
	assert_true(c.rate_bps == 100000000ULL);
	assert_int_equal(c.nwindows, 2);
	assert_int_equal(c.windows[0].start, 22 * 3600);
	assert_int_equal(c.windows[0].end, 6 * 3600);
	assert_true(c.windows[0].rate_bps == 500000000ULL);
	assert_true(c.windows[1].rate_bps == 10000000ULL);
	assert_string_equal(c.cls.exit_code[10], "SMS.3802");
	assert_string_equal(c.cls.rule[CLS_SSH_TIMEOUT], "SMS.0807");
	assert_string_equal(c.cls.exit_code[12], "SMS.0807");
	assert_int_equal(nwarn, 0);	/* heartmonitorday is known */
	agent_conf_free(&c);
}

/* The error names file, section, key, the range and the value. */
static void
bad(const char *text, const char *want1, const char *want2)
{
	struct agent_conf c;
	struct mig_error e;

	assert_int_equal(load(&c, text, &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
	if (strstr(e.msg, want1) == NULL || (want2 != NULL &&
	    strstr(e.msg, want2) == NULL))
		fail_msg("\"%s\" lacks \"%s\" / \"%s\"", e.msg, want1,
		    want2 ? want2 : "");
	agent_conf_free(&c);
}

#define TASK "[task]\ncommand = true\n"

static void
test_ranges(void **state)
{
	(void)state;
	bad(TASK "[property]\nauto_start_interval_seconds = -1\n",
	    "g-property.cfg: [property] auto_start_interval_seconds = -1",
	    "between 1 and 86400");
	bad(TASK "[property]\nauto_start_interval_seconds = 0\n",
	    "auto_start_interval_seconds = 0", "between 1 and 86400");
	bad(TASK "[property]\nauto_start_interval_seconds = 86401\n",
	    "= 86401", "between 1 and 86400");
	bad(TASK "[property]\nauto_start_each_addition_seconds = -1\n",
	    "auto_start_each_addition_seconds = -1", "between 0 and 86400");
	bad(TASK "[property]\nauto_start_max_retry_times = 0\n",
	    "retries: 0 is out of range 1..1000", NULL);
	bad(TASK "[property]\nauto_start_max_retry_times = 1001\n",
	    "auto_start_max_retry_times = 1001", "between 0 and 1000");
	bad(TASK "[destination]\ncheck_port = 0\n", "check_port = 0",
	    "between 1 and 65535");
	bad(TASK "[destination]\nhost = 1.2.3.4\n[limits]\ncpu = 101\n",
	    "g-property.cfg: [limits] cpu", "101");
	bad(TASK "[limits]\ncpu = 4\n", "[limits] cpu", "4");
	bad(TASK "[limits]\nmem = 199\n", "[limits] mem", "199");
	bad(TASK "[limits]\nmem = 1001\n", "[limits] mem", "1001");
	bad(TASK "[limits]\nio = 9\n", "[limits] io", "9");
	bad(TASK "[limits]\nio = 1001\n", "[limits] io", "1001");
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = 10\n",
	    "[shaping] rate", NULL);
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = 0.01mbit\n",
	    "[shaping] rate", NULL);
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = 1mbit\n"
	    "window = 09:00-12:00=1mbit, 11:00-13:00=1mbit\n",
	    "[shaping] window", NULL);
	bad(TASK "[task]\ntotal = 12\n", "[task] total", NULL);
	bad(TASK "[ssl_config]\nservercheck = maybe\n", "servercheck",
	    "maybe");
	bad(TASK "[shaping]\nrate = 10mbit\n", "destination", NULL);
}

/* [migagent] stall_timeout: a duration, bare seconds, 0 off. */
static void
test_stall(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, TASK, &e), 0);
	assert_int_equal(c.stall_s, AGENT_STALL_DEFAULT);
	agent_conf_free(&c);
	assert_int_equal(load(&c, TASK "[migagent]\nstall_timeout = 5m\n",
	    &e), 0);
	assert_int_equal(c.stall_s, 300);
	assert_int_equal(nwarn, 0);
	agent_conf_free(&c);
	assert_int_equal(load(&c, TASK "[migagent]\nstall_timeout = 45\n",
	    &e), 0);
	assert_int_equal(c.stall_s, 45);
	agent_conf_free(&c);
	assert_int_equal(load(&c, TASK "[migagent]\nstall_timeout = 0\n",
	    &e), 0);
	assert_int_equal(c.stall_s, 0);
	agent_conf_free(&c);
	bad(TASK "[migagent]\nstall_timeout = 2d\n",
	    "g-property.cfg: [migagent] stall_timeout", NULL);
	bad(TASK "[migagent]\nstall_timeout = 1.5s\n",
	    "[migagent] stall_timeout", "whole number");
}

/* [migagent] prom_dir: an absolute path. */
static void
test_prom_dir(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, TASK, &e), 0);
	assert_null(c.prom_dir);
	agent_conf_free(&c);
	assert_int_equal(load(&c, TASK "[migagent]\nprom_dir = "
	    "/var/lib/prometheus/node-exporter\n", &e), 0);
	assert_string_equal(c.prom_dir, "/var/lib/prometheus/node-exporter");
	assert_int_equal(nwarn, 0);
	agent_conf_free(&c);
	bad(TASK "[migagent]\nprom_dir = textfile\n",
	    "g-property.cfg: [migagent] prom_dir", "not an absolute path");
}

/* rate = auto: the planner's cap; a rate given later replaces it. */
static void
test_rate_auto(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, TASK "[destination]\nhost = h\n"
	    "[shaping]\nrate = auto\nbusiness_window = 2m\n", &e), 0);
	assert_int_equal(c.rate_auto, 1);
	assert_true(c.rate_bps == 0);
	assert_int_equal(c.plan_window_s, 120);
	assert_int_equal(agent_rate_parse("--rate", "50mbit", &c, &e), 0);
	assert_int_equal(c.rate_auto, 0);
	assert_true(c.rate_bps == 50000000ULL);
	agent_conf_free(&c);
	bad(TASK "[shaping]\nrate = auto\n", "rate auto", "destination");
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = auto\n"
	    "window = 01:00-02:00=5mbit\n", "rate auto", "windows");
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = auto\n"
	    "business_window = 1.5s\n", "[shaping] business_window",
	    "whole seconds");
	bad(TASK "[destination]\nhost = h\n[shaping]\nrate = Auto\n",
	    "[shaping] rate", NULL);
}

static void
test_bad_input(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	bad("[property]\nauto_start_interval_seconds = 2\n", "no task", NULL);
	bad("[task]\ncommand =   \n", "[task] command is empty", NULL);
	bad(TASK "[classify]\nrsync_exit_12 = SMS.9999\n",
	    "[classify] rsync_exit_12 = SMS.9999", "not an SMS code");
	bad(TASK "[classify]\nssh_other = 3802\n", "ssh_other = 3802", NULL);
	/* An unreadable file: status 2, named. */
	agent_conf_init(&c);
	mig_error_clear(&e);
	assert_int_equal(agent_conf_load(&c, "/nonexistent/g-property.cfg", 4,
	    warn, NULL, &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
	assert_non_null(strstr(e.msg, "/nonexistent/g-property.cfg"));
	agent_conf_free(&c);
}

/*
 * The source document's own file loads as it is: its 209-character
 * exclude line, "enableSync" as it spells it, its keys of no use here
 * accepted without a word.
 */
static void
test_seed_file(void **state)
{
	struct agent_conf c;
	struct mig_error e;
	char path[4096];
	const char *dir = getenv("MIGNET_FIXTURES");

	(void)state;
	assert_true(snprintf(path, sizeof(path), "%s/g-property.seed.cfg",
	    dir != NULL ? dir : "fixtures") < (int)sizeof(path));
	agent_conf_init(&c);
	nwarn = 0;
	mig_error_clear(&e);
	if (agent_conf_load(&c, path, 4, warn, NULL, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(nwarn, 0);
	agent_conf_free(&c);
}

static void
test_unknown_warned(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, TASK "[property]\nfoo = 1\n[bogus]\nx = 2\n"
	    "[classify]\nnot_a_rule = SMS.0807\n", &e), 0);
	assert_int_equal(nwarn, 3);
	agent_conf_free(&c);
	assert_int_equal(load(&c, TASK "[property]\nfoo = 1\n", &e), 0);
	assert_non_null(strstr(lastwarn, "[property] foo: unknown key"));
	agent_conf_free(&c);
}

static void
test_limits_edges(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, TASK "[limits]\ncpu = 5\nmem = 200\n"
	    "io = 10\n[property]\nauto_start_interval_seconds = 1\n"
	    "auto_start_each_addition_seconds = 0\n"
	    "auto_start_max_retry_times = 1000\n", &e), 0);
	assert_int_equal(c.caps.cpu_pct, 5);
	assert_int_equal(c.caps.mem_mb, 200);
	assert_int_equal(c.caps.io_mbps, 10);
	assert_int_equal(c.interval_s, 1);
	assert_int_equal(c.addition_s, 0);
	assert_int_equal(c.retries, 1000);
	agent_conf_free(&c);
	/* Zero retries is fine when resume is off. */
	assert_int_equal(load(&c, TASK "[property]\nauto_start = false\n"
	    "auto_start_max_retry_times = 0\n", &e), 0);
	agent_conf_free(&c);
}

static void
test_seconds(void **state)
{
	struct mig_error e;
	unsigned v;

	(void)state;
	assert_int_equal(agent_parse_seconds("--interval", "2", "s", 1, 10, &v,
	    &e), 0);
	assert_int_equal(v, 2);
	assert_int_equal(agent_parse_seconds("--interval", "1m", "s", 1, 100,
	    &v, &e), 0);
	assert_int_equal(v, 60);
	assert_int_equal(agent_parse_seconds("--interval", "1.5s", "s", 1, 10,
	    &v, &e), -1);
	assert_non_null(strstr(e.msg, "whole number of seconds"));
	assert_int_equal(agent_parse_seconds("--interval", "0", "s", 1, 10, &v,
	    &e), -1);
	assert_non_null(strstr(e.msg, "--interval: 0 is out of range 1..10"));
	assert_int_equal(agent_parse_seconds("--interval", "-1", "s", 1, 10,
	    &v, &e), -1);
}

static void
test_sources(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, "[task]\ncommand = true\n"
	    "source = /srv/a  /srv/b\n", &e), 0);
	assert_int_equal(c.nsources, 2);
	assert_string_equal(c.sources[0], "/srv/a");
	assert_string_equal(c.sources[1], "/srv/b");
	assert_null(c.sources[2]);
	agent_conf_free(&c);
}

/* A long command on continuation lines is one line for sh. */
static void
test_continued_command(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	assert_int_equal(load(&c, "[task]\ncommand = rsync -a\n"
	    "   -e \"ssh -o BatchMode=yes\"\n   /srv/ root@h:/srv/\n", &e), 0);
	assert_string_equal(c.command, "rsync -a -e \"ssh -o BatchMode=yes\" "
	    "/srv/ root@h:/srv/");
	agent_conf_free(&c);
}

/* The commented sample in share/ loads, without a warning. */
static void
test_share_sample(void **state)
{
	struct agent_conf c;
	struct mig_error e;
	char path[4096];
	const char *dir = getenv("MIGNET_FIXTURES");

	(void)state;
	assert_non_null(dir);
	(void)snprintf(path, sizeof(path), "%s/../../../share/"
	    "g-property.cfg.sample", dir);
	agent_conf_init(&c);
	nwarn = 0;
	mig_error_clear(&e);
	if (agent_conf_load(&c, path, 4, warn, NULL, &e) != 0)
		fail_msg("%s", e.msg);
	assert_int_equal(agent_conf_check(&c, &e), 0);
	assert_int_equal(nwarn, 0);
	assert_int_equal(c.caps.cpu_pct, 50);
	assert_true(c.rate_bps == 100000000ULL);
	assert_string_equal(c.dest, "198.18.1.2");
	agent_conf_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample),
		cmocka_unit_test(test_ranges),
		cmocka_unit_test(test_stall),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_seed_file),
		cmocka_unit_test(test_unknown_warned),
		cmocka_unit_test(test_limits_edges),
		cmocka_unit_test(test_seconds),
		cmocka_unit_test(test_prom_dir),
		cmocka_unit_test(test_sources),
		cmocka_unit_test(test_rate_auto),
		cmocka_unit_test(test_continued_command),
		cmocka_unit_test(test_share_sample),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
