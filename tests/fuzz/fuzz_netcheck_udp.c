/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the responder's UDP packet handling (decode, authenticate,
 * sessions, replies), with and without a key.  The input is a sequence of
 * datagrams, each "len(2) flags(1) bytes": flags bit 0 sends it to the
 * keyed server, bit 1 signs it with the key (so the fuzzer gets past the
 * MAC), bit 2 puts the first session's token in (tokens are random), bit
 * 3 the cookie of the nonce in bytes 16..23 (cookie secrets are random).
 * The receive time is 1 s after the epoch: a keyed OPEN is fresh when its
 * t1 is within 20 min of it.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "netcheck/serve/serve_int.h"

static struct nc_server *plain, *keyed;
static struct nc_key key = { "fuzzing-key-0123456789", 22, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
setup(void)
{
	struct nc_serve_opts o;

	memset(&o, 0, sizeof(o));
	o.max_sessions = 4;
	plain = srv_alloc(&o);
	o.key = &key;
	keyed = srv_alloc(&o);
}

static void
one(const uint8_t *p, size_t n, unsigned flags, const struct nc_addr *from)
{
	unsigned char buf[NC_PKT_MAX + 1];
	struct nc_server *s = (flags & 1) ? keyed : plain;
	struct nc_msg m;

	if (n > NC_PKT_MAX)
		n = NC_PKT_MAX;
	memcpy(buf, p, n);
	if ((flags & 4) && n >= 16 && s->sess[0].used)
		nc_put64(buf + 8, s->sess[0].token);
	if ((flags & 8) && n >= 24)
		nc_put64(buf + 8, srv_cookie(s, 0, from, nc_get64(buf + 16)));
	if ((flags & 2) && n >= NC_HDR_LEN + NC_MAC_LEN &&
	    nc_msg_decode(buf, n, 1, NULL, &m, NULL) == 0) {
		m.len = (uint16_t)n;
		(void)nc_msg_encode(&m, buf, sizeof(buf), &key, 0);
	}
	srv_udp_packet(s, -1, buf, n, from, 1000000000ULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nc_addr from;
	struct sockaddr_in *sin = (struct sockaddr_in *)&from.ss;
	size_t n;

	if (plain == NULL)
		setup();
	memset(&from, 0, sizeof(from));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(40000);
	sin->sin_addr.s_addr = htonl(0x7f000001);
	from.len = sizeof(*sin);
	while (size >= 3) {
		n = (size_t)data[0] << 8 | data[1];
		if (n > size - 3)
			n = size - 3;
		one(data + 3, n, data[2], &from);
		data += 3 + n;
		size -= 3 + n;
	}
	/* Every input starts with no sessions. */
	srv_udp_sweep(plain, UINT64_MAX / 2);
	srv_udp_sweep(keyed, UINT64_MAX / 2);
	return 0;
}
