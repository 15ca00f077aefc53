/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the responder's TCP control messages, through the real
 * connection code (bufferevents on one end of a socketpair).  The input
 * is a sequence of chunks "len(2) flags(1) bytes" written to the server
 * one after the other; flags bit 0 puts the connection's greeting nonce
 * into bytes 8..15, bit 1 the test's token, bit 2 opens a new connection
 * first (a data stream joining the test).
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/serve/serve_int.h"

#define CONNS	4

static struct nc_server *srv;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
pump(void)
{
	int i;

	for (i = 0; i < 4; i++)
		(void)event_base_loop(srv->base, EVLOOP_NONBLOCK);
}

/* Opens a connection to the server; returns our end, and its nonce. */
static int
connect_one(uint64_t *nonce)
{
	struct sockaddr_in sin;
	unsigned char greet[NC_HDR_LEN];
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(0x7f000001);
	srv_tcp_accept(NULL, sv[1], (struct sockaddr *)&sin, sizeof(sin), srv);
	pump();
	*nonce = 0;
	if (recv(sv[0], greet, sizeof(greet), 0) == (ssize_t)sizeof(greet))
		*nonce = nc_get64(greet + 8);
	return sv[0];
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char buf[NC_TCP_MSG_MAX], sink[4096];
	struct nc_serve_opts o;
	uint64_t nonce[CONNS];
	int fd[CONNS], n = 0, i;
	size_t len;

	if (srv == NULL) {
		memset(&o, 0, sizeof(o));
		o.max_sessions = 2;
		srv = srv_alloc(&o);
	}
	if ((fd[n] = connect_one(&nonce[n])) == -1)
		return 0;
	n++;
	while (size >= 3) {
		len = (size_t)data[0] << 8 | data[1];
		if (len > size - 3)
			len = size - 3;
		if (len > sizeof(buf))
			len = sizeof(buf);
		if ((data[2] & 4) && n < CONNS &&
		    (fd[n] = connect_one(&nonce[n])) != -1)
			n++;
		memcpy(buf, data + 3, len);
		if ((data[2] & 1) && len >= 16)
			nc_put64(buf + 8, nonce[n - 1]);
		if ((data[2] & 2) && len >= 16 && srv->tests[0].used)
			nc_put64(buf + 8, srv->tests[0].token);
		(void)send(fd[n - 1], buf, len, MSG_NOSIGNAL);
		pump();
		for (i = 0; i < n; i++)
			while (recv(fd[i], sink, sizeof(sink), 0) > 0)
				;
		data += 3 + len;
		size -= 3 + len;
	}
	for (i = 0; i < n; i++)
		(void)close(fd[i]);
	pump();
	srv_tcp_free_all(srv);
	return 0;
}
