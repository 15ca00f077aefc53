/* SPDX-License-Identifier: ISC */
/*
 * A stock iperf3 -s on the destination, through libiperf.  libiperf keeps
 * global state (i_errno, static timers) and blocks, so every test runs in
 * a forked child that sends iperf3's JSON back over a pipe; the parent
 * waits with a deadline and kills a child that overstays it.
 */
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdint.h>
#include <sys/select.h>

#include <iperf_api.h>
#include <json-c/json.h>

#include "netcheck/engine/engine.h"

#define OUT_MAX		(4 * 1024 * 1024)
#define EXTRA_NS	(10 * MIG_NS_PER_S)

struct iperf_params {
	const char	*host;
	uint16_t	 port;
	int		 udp, reverse, streams, secs, connect_ms;
	uint64_t	 rate;
	int		 blksize;
	int		 ctl;		/* detection's connection, or -1 */
};

static void __attribute__((noreturn))
child(int wfd, const struct iperf_params *p)
{
	struct iperf_test *t;
	const char *out;
	char err[256];
	int null;

	/* libiperf prints; the JSON comes back through the pipe only. */
	if ((null = open("/dev/null", O_RDWR)) != -1) {
		(void)dup2(null, STDOUT_FILENO);
		(void)dup2(null, STDERR_FILENO);
	}
	if ((t = iperf_new_test()) == NULL || iperf_defaults(t) < 0)
		_exit(1);
	iperf_set_test_role(t, 'c');
	iperf_set_test_server_hostname(t, p->host);
	iperf_set_test_server_port(t, p->port);
	iperf_set_test_duration(t, p->secs);
	iperf_set_test_num_streams(t, p->streams);
	iperf_set_test_reverse(t, p->reverse);
	iperf_set_test_json_output(t, 1);
	iperf_set_test_connect_timeout(t, p->connect_ms);
	/* iperf_connect dials only when it has no control socket yet. */
	if (p->ctl != -1)
		iperf_set_control_socket(t, p->ctl);
	if (p->udp) {
		(void)set_protocol(t, Pudp);
		iperf_set_test_rate(t, p->rate);
		iperf_set_test_blksize(t, p->blksize);
	}
	if (iperf_run_client(t) < 0) {
		(void)snprintf(err, sizeof(err), "{\"error\": \"%s\"}",
		    iperf_strerror(i_errno));
		(void)mig_write_all(wfd, err, strlen(err));
		_exit(1);
	}
	out = iperf_get_test_json_output_string(t);
	/* A short write shows in the parent as JSON that does not parse. */
	if (out != NULL)
		(void)mig_write_all(wfd, out, strlen(out));
	_exit(0);
}

/* Reads the child's output until EOF or the deadline. */
static char *
read_child(int rfd, uint64_t deadline, size_t *len)
{
	char *buf = NULL, *nb;
	size_t cap = 0;
	ssize_t n;

	*len = 0;
	for (;;) {
		if (nc_wait_readable(rfd, deadline) != 1)
			break;
		if (*len + 65536 + 1 > cap) {
			if (cap >= OUT_MAX || (nb = realloc(buf, cap +
			    65536 * 4 + 1)) == NULL)
				break;
			buf = nb;
			cap += 65536 * 4 + 1;
		}
		n = read(rfd, buf + *len, 65536);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		*len += (size_t)n;
	}
	if (buf != NULL)
		buf[*len] = '\0';
	return buf;
}

static void
close_ctl(const struct iperf_params *p)
{
	if (p->ctl != -1)
		(void)close(p->ctl);
}

static struct json_object *
run_iperf(const struct iperf_params *p, uint64_t deadline,
    struct mig_error *e)
{
	struct json_object *j;
	size_t len;
	char *out;
	pid_t pid;
	int fds[2], st;

	if (pipe2(fds, O_CLOEXEC) == -1) {
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "pipe: %s",
		    strerror(errno));
		close_ctl(p);
		return NULL;
	}
	if ((pid = fork()) == -1) {
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "fork: %s",
		    strerror(errno));
		(void)close(fds[0]);
		(void)close(fds[1]);
		close_ctl(p);
		return NULL;
	}
	if (pid == 0) {
		(void)close(fds[0]);
		child(fds[1], p);
	}
	(void)close(fds[1]);
	close_ctl(p);	/* the child's now */
	out = read_child(fds[0], deadline, &len);
	(void)close(fds[0]);
	/* Gone by now, or overstaying: either way, reap it. */
	if (waitpid(pid, &st, WNOHANG) == 0) {
		(void)kill(pid, SIGKILL);
		(void)waitpid(pid, &st, 0);
	}
	j = out != NULL ? json_tokener_parse(out) : NULL;
	free(out);
	if (j == NULL)
		(void)mig_error_set(e, MIG_E_NETWORK, MIG_SMS_DEST_UNREACHABLE,
		    "%s port %u: no result from iperf3 within the time",
		    p->host, (unsigned)p->port);
	return j;
}

/* The value at a dotted path of keys ("end.sum.packets"); NULL if absent. */
static struct json_object *
jpath(struct json_object *o, const char *path)
{
	const char *p = path, *dot;
	char key[64];
	size_t n;

	while (o != NULL && *p != '\0') {
		dot = strchr(p, '.');
		n = dot != NULL ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof(key))
			return NULL;
		memcpy(key, p, n);
		key[n] = '\0';
		if (!json_object_object_get_ex(o, key, &o))
			o = NULL;
		p += n + (dot != NULL);
	}
	return o;
}

static double
jnum(struct json_object *o, double def)
{
	if (o == NULL || (!json_object_is_type(o, json_type_double) &&
	    !json_object_is_type(o, json_type_int)))
		return def;
	return json_object_get_double(o);
}

static int
iperf_error(struct json_object *j, const struct iperf_params *p,
    struct mig_error *e)
{
	struct json_object *err = jpath(j, "error");

	if (err == NULL)
		return 0;
	(void)mig_error_set(e, MIG_E_NETWORK, MIG_SMS_DEST_UNREACHABLE,
	    "iperf3 on %s port %u: %s", p->host, (unsigned)p->port,
	    json_object_get_string(err));
	mig_error_remedy(e, "check that iperf3 -s runs on the destination "
	    "and is not busy with another test");
	return -1;
}

static void
params(struct iperf_params *p, const struct nc_target *t,
    const struct nc_addr *a, int ctl, struct nc_peer_addr *peer,
    uint64_t dur)
{
	memset(p, 0, sizeof(*p));
	p->ctl = ctl;
	nc_addr_peer(a, peer);
	p->host = peer->host;
	p->port = peer->port;
	p->secs = (int)((dur + MIG_NS_PER_S / 2) / MIG_NS_PER_S);
	if (p->secs < 1)
		p->secs = 1;
	p->connect_ms = (int)(nc_target_timeout(t) / 1000000);
	p->streams = 1;
}

static void
tcp_samples(struct json_object *j, struct nc_throughput_result *r)
{
	struct json_object *iv = jpath(j, "intervals");
	size_t i, n;

	if (iv == NULL || !json_object_is_type(iv, json_type_array))
		return;
	n = json_object_array_length(iv);
	if (n > NC_RESULT_SAMPLES_MAX || (r->samples = calloc(n + 1,
	    sizeof(double))) == NULL)
		return;
	for (i = 0; i < n; i++)
		r->samples[r->nsamples++] = jnum(jpath(
		    json_object_array_get_idx(iv, i), "sum.bits_per_second"),
		    0) / 1e6;
}

int
nc_iperf_tcp(const struct nc_throughput_opts *o, const struct nc_addr *a,
    int ctl, struct nc_throughput_result *r, struct mig_error *e)
{
	struct iperf_params p;
	struct json_object *j, *streams;
	uint64_t deadline;

	params(&p, &o->target, a, ctl, &r->peer, o->duration_ns);
	p.streams = (int)o->streams;
	p.reverse = o->reverse;
	deadline = mig_mono_ns() + o->duration_ns + 2 *
	    nc_target_timeout(&o->target) + EXTRA_NS;
	if ((j = run_iperf(&p, deadline, e)) == NULL)
		return -1;
	if (iperf_error(j, &p, e) == -1) {
		json_object_put(j);
		return -1;
	}
	r->method = NC_METHOD_IPERF3;
	r->mbit = jnum(jpath(j, "end.sum_received.bits_per_second"), 0) / 1e6;
	r->seconds = jnum(jpath(j, "end.sum_received.seconds"), 0);
	r->bytes = (uint64_t)jnum(jpath(j, "end.sum_received.bytes"), 0);
	r->sender_mbit = jnum(jpath(j, "end.sum_sent.bits_per_second"), 0) /
	    1e6;
	r->retransmits = (int64_t)jnum(jpath(j, "end.sum_sent.retransmits"),
	    -1);
	r->sender_cpu_pct = jnum(jpath(j, o->reverse ?
	    "end.cpu_utilization_percent.remote_total" :
	    "end.cpu_utilization_percent.host_total"), -1);
	streams = jpath(j, "end.streams");
	if (!o->reverse && streams != NULL &&
	    json_object_is_type(streams, json_type_array) &&
	    json_object_array_length(streams) > 0)
		r->rtt_ms = jnum(jpath(json_object_array_get_idx(streams, 0),
		    "sender.mean_rtt"), -1000) / 1000;
	r->cpu_bound = r->sender_cpu_pct >= 90.0;
	tcp_samples(j, r);
	json_object_put(j);
	return 0;
}

int
nc_iperf_udp(const struct nc_udp_opts *o, const struct nc_addr *a,
    int ctl, struct nc_udp_result *r, struct mig_error *e)
{
	struct iperf_params p;
	struct json_object *j;
	uint64_t deadline;

	params(&p, &o->target, a, ctl, &r->peer, o->duration_ns);
	p.udp = 1;
	p.rate = o->rate_bps;
	p.blksize = (int)o->size;
	deadline = mig_mono_ns() + o->duration_ns + 2 *
	    nc_target_timeout(&o->target) + EXTRA_NS;
	if ((j = run_iperf(&p, deadline, e)) == NULL)
		return -1;
	if (iperf_error(j, &p, e) == -1) {
		json_object_put(j);
		return -1;
	}
	r->method = NC_METHOD_IPERF3;
	r->sent = (uint64_t)jnum(jpath(j, "end.sum.packets"), 0);
	r->lost = (uint64_t)jnum(jpath(j, "end.sum.lost_packets"), 0);
	r->received = r->sent >= r->lost ? r->sent - r->lost : 0;
	r->loss_pct = jnum(jpath(j, "end.sum.lost_percent"), 0);
	r->jitter_ms = jnum(jpath(j, "end.sum.jitter_ms"), 0);
	r->sent_mbit = jnum(jpath(j, "end.sum.bits_per_second"), 0) / 1e6;
	r->received_mbit = r->sent ? r->sent_mbit * (double)r->received /
	    (double)r->sent : 0;
	json_object_put(j);
	return 0;
}
