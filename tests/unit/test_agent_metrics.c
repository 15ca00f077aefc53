/* SPDX-License-Identifier: ISC */
/*
 * migagent's Prometheus textfile: the lines a snapshot gives (values in
 * base units from the snapshot's own figures: bits to bytes, percent to
 * ratio), unknown figures left out, label values escaped as the format
 * wants, exit_status only at exit, and the file replaced whole with mode
 * 0644 (stat).  promtool lints real files in integration.agent_prom.
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

#include "agent/agent.h"

#define ID	"{source=\"h1\",destination=\"198.18.1.2\""

static char *
print(const struct agent_snap *s, const struct agent_prom *p)
{
	struct mig_error e;
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	assert_non_null(f = open_memstream(&buf, &len));
	assert_int_equal(agent_prom_print(f, s, p, &e), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
has(const char *text, const char *line)
{
	if (strstr(text, line) == NULL)
		fail_msg("missing \"%s\" in:\n%s", line, text);
}

static void
running(struct agent_snap *s, struct agent_prom *p)
{
	memset(s, 0, sizeof(*s));
	memset(p, 0, sizeof(*p));
	s->state = AGENT_RUNNING;
	s->retries = 2;
	s->max_retries = 5;
	s->stalls = 1;
	s->last_sms = "SMS.0807";
	s->dest = "198.18.1.2";
	s->rate_bps = 80e6;
	s->remaining_s = 12.4;
	s->data_known = 1;
	s->data.total = 4000000;
	s->data.done = 1000000;
	s->data.pct = 25.0;
	p->host = "h1";
	p->started = 1796421187;
}

static void
test_running(void **state)
{
	struct agent_snap s;
	struct agent_prom p;
	char *t;

	(void)state;
	running(&s, &p);
	t = print(&s, &p);
	has(t, "# TYPE mignet_migagent_up gauge\n");
	has(t, "\nmignet_migagent_up" ID "} 1\n");
	has(t, "\nmignet_migagent_state" ID ",state=\"running\"} 1\n");
	has(t, "\nmignet_migagent_state" ID ",state=\"waiting\"} 0\n");
	has(t, "\nmignet_migagent_state" ID ",state=\"done\"} 0\n");
	has(t, "\nmignet_migagent_last_sms_info" ID ",sms=\"SMS.0807\"} 1\n");
	has(t, "\nmignet_migagent_progress_ratio" ID "} 0.25\n");
	has(t, "\nmignet_migagent_data_bytes" ID "} 1000000\n");
	has(t, "\nmignet_migagent_data_total_bytes" ID "} 4000000\n");
	/* 80 Mbit/s is 10 MB/s */
	has(t, "\nmignet_migagent_rate_bytes_per_second" ID "} 10000000\n");
	has(t, "\nmignet_migagent_remaining_seconds" ID "} 12\n");
	has(t, "# TYPE mignet_migagent_retries_total counter\n");
	has(t, "\nmignet_migagent_retries_total" ID "} 2\n");
	has(t, "\nmignet_migagent_retries_max" ID "} 5\n");
	has(t, "\nmignet_migagent_stalls_total" ID "} 1\n");
	has(t, "\nmignet_migagent_start_timestamp_seconds" ID
	    "} 1796421187\n");
	assert_null(strstr(t, "exit_status"));
	free(t);
}

/* Unknown is left out, not written as 0; labels escaped. */
static void
test_unknown_and_escaped(void **state)
{
	struct agent_snap s;
	struct agent_prom p;
	char *t;

	(void)state;
	running(&s, &p);
	s.data_known = 0;
	s.rate_bps = -1;
	s.remaining_s = -1;
	s.last_sms = NULL;
	s.dest = "a\"b\\c\nd";
	t = print(&s, &p);
	assert_null(strstr(t, "progress_ratio"));
	assert_null(strstr(t, "data_bytes"));
	assert_null(strstr(t, "rate_bytes"));
	assert_null(strstr(t, "remaining"));
	has(t, "\nmignet_migagent_up{source=\"h1\",destination="
	    "\"a\\\"b\\\\c\\nd\"} 1\n");
	has(t, ",sms=\"\"} 1\n");
	free(t);
}

static void
test_exited(void **state)
{
	struct agent_snap s;
	struct agent_prom p;
	char *t;

	(void)state;
	running(&s, &p);
	s.state = AGENT_FAILED;
	p.exited = 1;
	p.exit_status = AGENT_EXIT_GAVE_UP;
	t = print(&s, &p);
	has(t, "\nmignet_migagent_up" ID "} 0\n");
	has(t, "\nmignet_migagent_state" ID ",state=\"failed\"} 1\n");
	has(t, "\nmignet_migagent_state" ID ",state=\"running\"} 0\n");
	has(t, "\nmignet_migagent_exit_status" ID "} 4\n");
	free(t);
}

/* The file: the printed text, mode 0644, no .tmp left. */
static void
test_write(void **state)
{
	char dir[] = "/tmp/agent-metrics.XXXXXX", path[256];
	char tmp[sizeof(path) + 8];
	struct agent_snap s;
	struct agent_prom p;
	struct mig_error e;
	struct stat st;
	char *want, got[8192];
	FILE *f;
	size_t n;
	mode_t um;

	(void)state;
	assert_non_null(mkdtemp(dir));
	running(&s, &p);
	want = print(&s, &p);
	assert_int_equal(agent_prom_write(dir, &s, &p, &e), 0);
	(void)snprintf(path, sizeof(path), "%s/" AGENT_PROM_FILE, dir);
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(stat(path, &st), 0);
	um = umask(022);
	(void)umask(um);
	assert_int_equal(st.st_mode & 07777, 0644 & ~um);
	assert_int_equal(access(tmp, F_OK), -1);
	assert_non_null(f = fopen(path, "r"));
	n = fread(got, 1, sizeof(got) - 1, f);
	got[n] = '\0';
	assert_int_equal(fclose(f), 0);
	assert_string_equal(got, want);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	/* a folder that is not there: an error naming the file */
	assert_int_equal(agent_prom_write(dir, &s, &p, &e), -1);
	assert_non_null(strstr(e.msg, dir));
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_running),
		cmocka_unit_test(test_unknown_and_escaped),
		cmocka_unit_test(test_exited),
		cmocka_unit_test(test_write),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
