/* SPDX-License-Identifier: ISC */
/*
 * The failure table, every row, with the messages ssh and rsync really
 * print (captured from ssh 9.2 and rsync 3.2 on Debian 12), and the six
 * resumable codes of facts.md §5.
 */
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"

/* A wait status as waitpid gives it. */
#define EXITED(n)	((n) << 8)
#define KILLED(s)	(s)

#define RSYNC_CLOSED "rsync: connection unexpectedly closed (0 bytes " \
	"received so far) [sender]\n"

struct row {
	int		 wstatus;
	const char	*tail;
	const char	*sms;	/* NULL: none */
	int		 resumable;
};

static const struct row rows[] = {
	/* a cut link mid-transfer, ssh with ServerAliveInterval */
	{ EXITED(255), "Timeout, server 198.18.1.2 not responding.\n"
	  RSYNC_CLOSED, "SMS.0807", 1 },
	{ EXITED(12), "Timeout, server 198.18.1.2 not responding.\n"
	  "rsync error: error in rsync protocol data stream (code 12)\n",
	  "SMS.0807", 1 },
	{ EXITED(255), "client_loop: send disconnect: Broken pipe\n",
	  "SMS.0807", 1 },
	{ EXITED(255), "Read from remote host 198.18.1.2: Connection reset "
	  "by peer\n", "SMS.0807", 1 },
	{ EXITED(255), "Connection to 198.18.1.2 closed by remote host.\n",
	  "SMS.0807", 1 },
	/* an established connection that timed out is a break, not 3805 */
	{ EXITED(255), "Read from remote host 198.18.1.2: Connection timed "
	  "out\n", "SMS.0807", 1 },
	/* connect failures */
	{ EXITED(255), "ssh: connect to host 198.18.1.2 port 22: Connection "
	  "timed out\n" RSYNC_CLOSED, "SMS.3805", 0 },
	{ EXITED(255), "ssh: connect to host 127.0.0.1 port 22: Connection "
	  "refused\n" RSYNC_CLOSED, "SMS.3806", 0 },
	{ EXITED(12), "ssh: connect to host 192.0.2.1 port 22: Connection "
	  "refused\n" RSYNC_CLOSED, "SMS.3806", 0 },
	{ EXITED(255), "ssh: connect to host 198.18.1.2 port 22: No route to "
	  "host\n", "SMS.1807", 1 },
	{ EXITED(255), "ssh: connect to host 198.18.1.2 port 22: Network is "
	  "unreachable\n", "SMS.1807", 1 },
	{ EXITED(255), "Host key verification failed.\n", "SMS.3803", 0 },
	{ EXITED(255), "root@198.18.1.2: Permission denied (publickey).\n",
	  "SMS.3804", 0 },
	{ EXITED(255), "kex_exchange_identification: read: Connection "
	  "closed\n", "SMS.3802", 1 },
	{ EXITED(255), NULL, "SMS.3802", 1 },
	/* rsync's network statuses without an ssh message */
	{ EXITED(10), "rsync error: error in socket IO (code 10)\n",
	  "SMS.0807", 1 },
	{ EXITED(12), "", "SMS.0807", 1 },
	{ EXITED(30), "rsync error: timeout in data send/receive (code 30)\n",
	  "SMS.0807", 1 },
	{ EXITED(35), "rsync error: timeout waiting for daemon connection "
	  "(code 35)\n", "SMS.0807", 1 },
	/* not the network */
	{ EXITED(23), "rsync error: some files/attrs were not transferred "
	  "(code 23)\n", NULL, 0 },
	{ EXITED(3), "Connection refused\n", NULL, 0 },
	{ EXITED(127), "sh: 1: rsync: not found\n", NULL, 0 },
	{ KILLED(9), "Connection refused\n", NULL, 0 },
	{ EXITED(0), "Timeout, server x not responding.\n", NULL, 0 },
};

static void
test_table(void **state)
{
	struct agent_classify c;
	struct cls_result r;
	size_t i;

	(void)state;
	cls_defaults(&c);
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		cls_classify(&c, rows[i].wstatus, rows[i].tail, &r);
		if (rows[i].sms == NULL ? r.sms != NULL : r.sms == NULL ||
		    strcmp(r.sms, rows[i].sms) != 0)
			fail_msg("row %zu: got %s, want %s (%s)", i,
			    r.sms ? r.sms : "none",
			    rows[i].sms ? rows[i].sms : "none", r.reason);
		assert_int_equal(r.resumable, rows[i].resumable);
		assert_true(r.reason[0] != '\0');
	}
}

static void
test_resumable(void **state)
{
	static const char *const yes[] = { "SMS.0807", "SMS.1807", "SMS.2802",
	    "SMS.3802", "SMS.2805", "SMS.2806" };
	size_t i, n = 0;

	(void)state;
	for (i = 0; i < 6; i++)
		assert_true(cls_resumable(yes[i]));
	/* Exactly six codes of the catalog resume. */
	for (i = 0; i < mig_sms_count(); i++)
		n += (size_t)cls_resumable(mig_sms_at(i)->code);
	assert_int_equal(n, 6);
	assert_false(cls_resumable("SMS.3805"));
	assert_false(cls_resumable("SMS.3806"));
	assert_false(cls_resumable("SMS.9007"));
	assert_false(cls_resumable(NULL));
}

static void
test_overrides(void **state)
{
	struct agent_classify c;
	struct cls_result r;

	(void)state;
	cls_defaults(&c);
	assert_int_equal(cls_set(&c, "ssh_timeout", "SMS.0807"), 0);
	assert_int_equal(cls_set(&c, "rsync_exit_23", "SMS.2805"), 0);
	assert_int_equal(cls_set(&c, "exit_3", "SMS.2806"), 0);
	assert_int_equal(cls_set(&c, "rsync_exit_12", NULL), 0);
	assert_int_equal(cls_set(&c, "rsync_exit_0", "SMS.0807"), -1);
	assert_int_equal(cls_set(&c, "rsync_exit_256", "SMS.0807"), -1);
	assert_int_equal(cls_set(&c, "exit_x", "SMS.0807"), -1);
	assert_int_equal(cls_set(&c, "nonsense", "SMS.0807"), -1);
	cls_classify(&c, EXITED(255), "ssh: connect to host h port 22: "
	    "Connection timed out\n", &r);
	assert_string_equal(r.sms, "SMS.0807");
	assert_true(r.resumable);
	cls_classify(&c, EXITED(23), "", &r);
	assert_string_equal(r.sms, "SMS.2805");
	cls_classify(&c, EXITED(3), "", &r);
	assert_string_equal(r.sms, "SMS.2806");
	cls_classify(&c, EXITED(12), "", &r);
	assert_null(r.sms);
	assert_false(r.resumable);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_resumable),
		cmocka_unit_test(test_overrides),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
