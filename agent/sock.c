/* SPDX-License-Identifier: ISC */
/*
 * The status socket: AF_UNIX, SOCK_STREAM, RUN_DIR/migagent.sock, mode
 * 0600 (root's).  One request per connection, a line of at most
 * AGENT_REQ_MAX bytes: "status" (or nothing) gets the status JSON, "stop"
 * an acknowledgement and then the SIGTERM path.  A client that sends more,
 * or nothing for 2 s, is dropped.
 */
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <json-c/json.h>

#include "agent/agent_int.h"

#define SOCK_TIMEOUT_S	2
#define SOCK_REPLY_MAX	(64 * 1024)

void
agent_snapshot(const struct agent *a, struct agent_snap *s)
{
	memset(s, 0, sizeof(*s));
	s->state = a->state;
	s->pid = a->pid;
	s->attempt = a->attempt;
	s->retries = a->resume.restarts;
	s->max_retries = a->conf->resume ? a->conf->retries : 0;
	s->slot = a->resume.slot;
	s->last_sms = a->last_sms;
	s->dest = a->have_dest ? a->dest_text : NULL;
	s->bytes = a->bytes;
	s->rate_bps = a->mon != NULL ? a->rate_5s : -1;
	s->total_bytes = a->total;
	s->remaining_s = a->mon != NULL ? agent_remaining_s(a->total,
	    a->bytes, a->rate_5s) : -1;
	s->caps = &a->conf->caps;
	s->cap_rate_bps = a->shaped ? a->rate_now : 0;
	s->data_known = prog_figures(&a->prog, &s->data);
	s->data_source = a->prog.rsync ? "rsync" : "unknown";
	if (s->data_known)
		s->remaining_s = a->mon != NULL ? agent_remaining_s(
		    s->data.total, s->data.done, a->rate_5s) : -1;
	s->stall_s = a->conf->stall_s;
	s->idle_s = a->pid > 0 && a->state == AGENT_RUNNING ?
	    (double)(mig_mono_ns() - a->moved_ns) / 1e9 : -1;
	s->stalls = a->stalls;
	s->last_error = a->last_error[0] != '\0' ? a->last_error : NULL;
	s->conf = a->conf;
}

static void
done_cb(struct bufferevent *bev, void *arg)
{
	(void)arg;
	bufferevent_free(bev);
}

static void
event_cb(struct bufferevent *bev, short what, void *arg)
{
	(void)what;
	(void)arg;
	bufferevent_free(bev);
}

static void
reply(struct bufferevent *bev, struct agent *a, const char *req)
{
	struct agent_snap s;
	struct json_object *o;
	const char *text;
	int stop = strcmp(req, "stop") == 0;

	if (stop) {
		text = "{\"stop\": true}\n";
		(void)bufferevent_write(bev, text, strlen(text));
	} else if (req[0] != '\0' && strcmp(req, "status") != 0) {
		text = "{\"error\": \"unknown request (status, stop)\"}\n";
		(void)bufferevent_write(bev, text, strlen(text));
	} else {
		agent_snapshot(a, &s);
		if ((o = agent_snap_json(&s)) == NULL) {
			bufferevent_free(bev);
			return;
		}
		text = json_object_to_json_string_ext(o,
		    JSON_C_TO_STRING_PLAIN);
		(void)bufferevent_write(bev, text, strlen(text));
		(void)bufferevent_write(bev, "\n", 1);
		json_object_put(o);
	}
	bufferevent_setcb(bev, NULL, done_cb, event_cb, a);
	(void)bufferevent_disable(bev, EV_READ);
	if (stop)
		agent_stop(a, "stop requested over the socket");
}

static void
read_cb(struct bufferevent *bev, void *arg)
{
	struct agent *a = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char *line;
	size_t n;

	line = evbuffer_readln(in, &n, EVBUFFER_EOL_LF);
	if (line == NULL) {
		if (evbuffer_get_length(in) > AGENT_REQ_MAX)
			bufferevent_free(bev);
		return;
	}
	if (n > AGENT_REQ_MAX) {
		free(line);
		bufferevent_free(bev);
		return;
	}
	reply(bev, a, line);
	free(line);
}

/* EOF without a newline: the request is what came. */
static void
eof_cb(struct bufferevent *bev, short what, void *arg)
{
	struct agent *a = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	char req[AGENT_REQ_MAX + 1];
	size_t n = evbuffer_get_length(in);

	if (!(what & BEV_EVENT_EOF) || n > AGENT_REQ_MAX) {
		bufferevent_free(bev);
		return;
	}
	(void)evbuffer_remove(in, req, n);
	req[n] = '\0';
	reply(bev, a, req);
}

static void
accept_cb(struct evconnlistener *l, evutil_socket_t fd, struct sockaddr *sa,
    int len, void *arg)
{
	struct agent *a = arg;
	struct bufferevent *bev;
	struct timeval tv = { SOCK_TIMEOUT_S, 0 };

	(void)l;
	(void)sa;
	(void)len;
	bev = bufferevent_socket_new(a->base, fd, BEV_OPT_CLOSE_ON_FREE);
	if (bev == NULL) {
		(void)close(fd);
		return;
	}
	bufferevent_setwatermark(bev, EV_READ, 0, AGENT_REQ_MAX + 2);
	bufferevent_setcb(bev, read_cb, NULL, eof_cb, a);
	bufferevent_set_timeouts(bev, &tv, &tv);
	(void)bufferevent_enable(bev, EV_READ);
}

static int
sock_addr(const char *path, struct sockaddr_un *sun, struct mig_error *e)
{
	memset(sun, 0, sizeof(*sun));
	sun->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sun->sun_path))
		return mig_error_set(e, MIG_E_USAGE, NULL, "socket path %s is "
		    "too long (at most %zu bytes): use a shorter --run-dir",
		    path, sizeof(sun->sun_path) - 1);
	(void)memcpy(sun->sun_path, path, strlen(path) + 1);
	return 0;
}

int
sock_listen(struct agent *a, struct mig_error *e)
{
	struct sockaddr_un sun;
	mode_t old;

	if (sock_addr(a->sock_path, &sun, e) == -1)
		return -1;
	(void)unlink(a->sock_path);
	old = umask(077);
	a->listener = evconnlistener_new_bind(a->base, accept_cb, a,
	    LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 8,
	    (struct sockaddr *)&sun, sizeof(sun));
	(void)umask(old);
	if (a->listener == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "status socket %s: "
		    "%s", a->sock_path, strerror(errno));
	if (chmod(a->sock_path, 0600) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "chmod %s: %s",
		    a->sock_path, strerror(errno));
	return 0;
}

void
sock_close(struct agent *a)
{
	if (a->listener == NULL)
		return;
	evconnlistener_free(a->listener);
	a->listener = NULL;
	(void)unlink(a->sock_path);
}

static int
wait_fd(int fd, short ev)
{
	struct pollfd p = { fd, ev, 0 };
	int rc;

	while ((rc = poll(&p, 1, SOCK_TIMEOUT_S * 1000)) == -1 &&
	    errno == EINTR)
		;
	return rc == 1 ? 0 : -1;
}

int
sock_request(const char *path, const char *req, char **out,
    struct mig_error *e)
{
	struct sockaddr_un sun;
	size_t len = 0;
	ssize_t n;
	char *buf;
	int fd;

	*out = NULL;
	if (sock_addr(path, &sun, e) == -1)
		return -1;
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "socket: %s",
		    strerror(errno));
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		int none = errno == ENOENT || errno == ECONNREFUSED;

		(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "no agent answers "
		    "on %s: %s", path, strerror(errno));
		mig_error_remedy(e, "is migagent run going (with this "
		    "--run-dir)? see its log");
		(void)close(fd);
		return none ? -2 : -1;
	}
	if ((buf = malloc(SOCK_REPLY_MAX + 1)) == NULL) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		goto fail;
	(void)shutdown(fd, SHUT_WR);
	while (len < SOCK_REPLY_MAX) {
		if (wait_fd(fd, POLLIN) == -1)
			goto fail;
		if ((n = read(fd, buf + len, SOCK_REPLY_MAX - len)) <= 0) {
			if (n == 0)
				break;
			if (errno == EINTR)
				continue;
			goto fail;
		}
		len += (size_t)n;
	}
	(void)close(fd);
	buf[len] = '\0';
	*out = buf;
	return 0;
fail:
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "the agent on %s did not "
	    "answer: %s", path, errno ? strerror(errno) : "timeout");
	free(buf);
	(void)close(fd);
	return -1;
}
