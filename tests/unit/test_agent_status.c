/* SPDX-License-Identifier: ISC */
/*
 * `migagent status --json`: the contract's keys and types, null for what is
 * not known, the remaining time of §13.3 ((total - done) / rate), the
 * run-state file and the size of a tree against stat.
 */
#include <sys/stat.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "agent/agent.h"

static struct json_object *
get(struct json_object *o, const char *key)
{
	struct json_object *v = NULL;

	if (!json_object_object_get_ex(o, key, &v))
		fail_msg("key %s missing", key);
	return v;
}

static void
test_running(void **state)
{
	struct limits_caps caps = { .cpu_pct = 50, .mem_mb = 500 };
	struct agent_snap s;
	struct json_object *o, *back, *c;
	const char *text;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.state = AGENT_RUNNING;
	s.pid = 4242;
	s.attempt = 3;
	s.retries = 2;
	s.max_retries = 5;
	s.last_sms = "SMS.0807";
	s.dest = "198.18.1.2";
	s.bytes = 100000000;
	s.rate_bps = 80e6;
	s.total_bytes = 300000000;
	s.remaining_s = agent_remaining_s(s.total_bytes, s.bytes, s.rate_bps);
	s.caps = &caps;
	s.cap_rate_bps = 100000000;
	assert_non_null(o = agent_snap_json(&s));
	/* Through text and back, as the client reads it. */
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	assert_non_null(back = json_tokener_parse(text));
	assert_string_equal(json_object_get_string(get(back, "state")),
	    "running");
	assert_int_equal(json_object_get_int64(get(back, "pid")), 4242);
	assert_int_equal(json_object_get_int64(get(back, "attempt")), 3);
	assert_int_equal(json_object_get_int64(get(back, "retries")), 2);
	assert_int_equal(json_object_get_int64(get(back, "max_retries")), 5);
	assert_string_equal(json_object_get_string(get(back, "last_sms")),
	    "SMS.0807");
	assert_string_equal(json_object_get_string(get(back, "dest")),
	    "198.18.1.2");
	assert_true(json_object_get_int64(get(back, "bytes")) == 100000000);
	assert_true(json_object_get_int64(get(back, "rate_bps")) == 80000000);
	assert_true(json_object_get_int64(get(back, "total_bytes")) ==
	    300000000);
	/* 200 MB at 80 Mbit/s = 20 s */
	assert_int_equal(json_object_get_int64(get(back, "remaining_s")), 20);
	c = get(back, "caps");
	assert_int_equal(json_object_get_int64(get(c, "cpu_pct")), 50);
	assert_int_equal(json_object_get_int64(get(c, "mem_mb")), 500);
	assert_null(get(c, "io_mbps"));
	assert_true(json_object_get_int64(get(c, "rate_bps")) == 100000000);
	json_object_put(back);
	json_object_put(o);
}

static void
test_unknowns_null(void **state)
{
	struct agent_snap s;
	struct json_object *o, *c;

	(void)state;
	memset(&s, 0, sizeof(s));
	s.state = AGENT_WAITING;
	s.rate_bps = -1;
	s.remaining_s = -1;
	assert_non_null(o = agent_snap_json(&s));
	assert_string_equal(json_object_get_string(get(o, "state")),
	    "waiting");
	assert_null(get(o, "pid"));
	assert_null(get(o, "last_sms"));
	assert_null(get(o, "dest"));
	assert_null(get(o, "rate_bps"));
	assert_null(get(o, "total_bytes"));
	assert_null(get(o, "remaining_s"));
	c = get(o, "caps");
	assert_null(get(c, "cpu_pct"));
	assert_null(get(c, "rate_bps"));
	json_object_put(o);
	assert_string_equal(agent_state_name(AGENT_PAUSED), "paused");
	assert_string_equal(agent_state_name(AGENT_PRECHECK), "precheck");
	assert_string_equal(agent_state_name(AGENT_DONE), "done");
	assert_string_equal(agent_state_name(AGENT_FAILED), "failed");
}

static void
test_remaining(void **state)
{
	(void)state;
	/* §13.3: 200 MB in 5 s is 320 Mbit/s; 1 GB left at that rate */
	assert_true(agent_remaining_s(1200000000ULL, 200000000ULL, 320e6) >
	    24.99);
	assert_true(agent_remaining_s(1200000000ULL, 200000000ULL, 320e6) <
	    25.01);
	assert_true(agent_remaining_s(0, 5, 1e6) < 0);
	assert_true(agent_remaining_s(10, 5, 0) < 0);
	/* wire bytes beyond the total: nothing left */
	assert_true(agent_remaining_s(10, 50, 1e6) == 0);
}

static void
test_statefile(void **state)
{
	char dir[] = "/tmp/agent-state-XXXXXX", path[128];
	struct agent_statefile s, r;
	struct mig_error e;
	FILE *f;
	int found;

	(void)state;
	assert_non_null(mkdtemp(dir));
	(void)snprintf(path, sizeof(path), "%s/migagent.state", dir);
	assert_int_equal(agent_state_read(path, &r, &found, &e), 0);
	assert_int_equal(found, 0);
	memset(&s, 0, sizeof(s));
	s.pid = 1234;
	(void)strcpy(s.dest, "198.18.1.2/32");
	(void)strcpy(s.group, "sms_mig_cgroup");
	assert_int_equal(agent_state_write(path, &s, &e), 0);
	assert_int_equal(agent_state_read(path, &r, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_int_equal(r.pid, 1234);
	assert_string_equal(r.dest, "198.18.1.2/32");
	assert_string_equal(r.group, "sms_mig_cgroup");
	assert_non_null(f = fopen(path, "w"));
	(void)fputs("pid=x\n", f);
	(void)fclose(f);
	assert_int_equal(agent_state_read(path, &r, &found, &e), -1);
	(void)unlink(path);
	(void)rmdir(dir);
}

static void
test_du(void **state)
{
	char dir[] = "/tmp/agent-du-XXXXXX", p[128];
	char *paths[2] = { dir, NULL };
	struct mig_error e;
	struct stat st;
	uint64_t bytes, want = 0;
	FILE *f;
	int i;

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (i = 0; i < 3; i++) {
		(void)snprintf(p, sizeof(p), "%s/f%d", dir, i);
		assert_non_null(f = fopen(p, "w"));
		assert_int_equal(fseek(f, 1000 * (i + 1) - 1, SEEK_SET), 0);
		(void)fputc('x', f);
		(void)fclose(f);
		assert_int_equal(stat(p, &st), 0);
		want += (uint64_t)st.st_size;
	}
	assert_int_equal(agent_du(paths, &bytes, &e), 0);
	assert_true(bytes == want);
	assert_true(bytes == 6000);
	paths[0] = "/nonexistent-agent-du";
	assert_int_equal(agent_du(paths, &bytes, &e), -1);
	for (i = 0; i < 3; i++) {
		(void)snprintf(p, sizeof(p), "%s/f%d", dir, i);
		(void)unlink(p);
	}
	(void)rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_unknowns_null),
		cmocka_unit_test(test_remaining),
		cmocka_unit_test(test_statefile),
		cmocka_unit_test(test_du),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
