/* SPDX-License-Identifier: ISC */
/*
 * libnetcheck keeps no global state: two measurement contexts in two
 * threads, against one responder (a forked child on 127.0.0.1), each get
 * all their answers.  Then the responder ends cleanly on SIGTERM.
 */
#include <sys/socket.h>
#include <sys/wait.h>

#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "netcheck/netcheck.h"
#include "netcheck/serve.h"

#define PORT	18931

struct job {
	int	kind;		/* 0 latency, 1 throughput */
	int	rc;
	struct nc_latency_result lat;
	struct nc_throughput_result tp;
};

static void __attribute__((noreturn))
responder(void)
{
	const char *listen[] = { "127.0.0.1" };
	struct nc_serve_opts o;
	struct nc_server *s;

	memset(&o, 0, sizeof(o));
	o.listen = listen;
	o.nlisten = 1;
	o.port = PORT;
	o.handle_signals = 1;
	if (nc_server_new(&o, &s, NULL) == -1)
		_exit(3);
	_exit(nc_server_run(s, NULL) == 0 ? (nc_server_free(s), 0) : 1);
}

static void *
run(void *arg)
{
	struct job *j = arg;
	struct nc_latency_opts lo;
	struct nc_throughput_opts to;

	if (j->kind == 0) {
		memset(&lo, 0, sizeof(lo));
		lo.target.host = "127.0.0.1";
		lo.target.port = PORT;
		lo.count = 300;
		lo.interval_ns = 1000000;
		lo.methods = NC_TRY_RESPONDER;
		j->rc = nc_latency(&lo, &j->lat, NULL);
	} else {
		memset(&to, 0, sizeof(to));
		to.target.host = "127.0.0.1";
		to.target.port = PORT;
		to.peer = NC_PEER_RESPONDER;
		to.streams = 2;
		to.duration_ns = 1000000000;
		j->rc = nc_throughput(&to, &j->tp, NULL);
	}
	return NULL;
}

static void
wait_ready(void)
{
	struct nc_target t;
	enum nc_port_state st = NC_PORT_REFUSED;
	double ms;
	int i;

	memset(&t, 0, sizeof(t));
	t.host = "127.0.0.1";
	t.port = PORT;
	for (i = 0; i < 100 && st != NC_PORT_OPEN; i++) {
		assert_int_equal(nc_tcp_probe(&t, &st, &ms, NULL), 0);
		if (st != NC_PORT_OPEN)
			(void)usleep(20000);
	}
	assert_int_equal(st, NC_PORT_OPEN);
}

static void
test_two_threads(void **state)
{
	struct job jobs[3];
	pthread_t th[3];
	pid_t pid;
	int i, status;

	(void)state;
	if ((pid = fork()) == 0)
		responder();
	assert_true(pid > 0);
	wait_ready();
	memset(jobs, 0, sizeof(jobs));
	jobs[2].kind = 1;
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_create(&th[i], NULL, run, &jobs[i]),
		    0);
	for (i = 0; i < 3; i++)
		assert_int_equal(pthread_join(th[i], NULL), 0);
	(void)kill(pid, SIGTERM);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	for (i = 0; i < 2; i++) {
		assert_int_equal(jobs[i].rc, 0);
		assert_int_equal(jobs[i].lat.method, NC_METHOD_RESPONDER);
		assert_int_equal(jobs[i].lat.sent, 300);
		assert_int_equal(jobs[i].lat.received, 300);
		assert_int_equal(jobs[i].lat.lost_up, 0);
		nc_latency_result_free(&jobs[i].lat);
	}
	assert_int_equal(jobs[2].rc, 0);
	assert_true(jobs[2].tp.mbit > 10);
	assert_true(jobs[2].tp.nsamples >= 1);
	nc_throughput_result_free(&jobs[2].tp);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
