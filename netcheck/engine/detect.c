/* SPDX-License-Identifier: ISC */
/*
 * Who answers on the TCP port.  netcheck serve speaks first (a greeting
 * with a nonce); a stock iperf3 -s waits for its client's 37-byte cookie
 * and says nothing.  So we connect and listen: we never send a byte to a
 * service before knowing what it is.
 *
 * iperf3 -s serves one client at a time and takes the first connection it
 * accepts as its test's control connection: it blocks reading the cookie
 * on it, and a connection that closes unspoken ends that test with an
 * error, after which iperf3 closes and reopens its listening socket,
 * resetting the connections queued on it (libiperf's among them: the
 * "Connection reset by peer" of a detection that closed and redialled).
 * So a silent connection is not closed: it is handed to libiperf as its
 * control connection, and the cookie is the first thing iperf3 hears on
 * it.  Detection costs iperf3 no test, even with iperf3 -s -1.
 */
#include <sys/select.h>
#include <sys/socket.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <iperf_api.h>	/* ACCESS_DENIED; it needs the two above */

#include "netcheck/engine/engine.h"

#define SILENCE_MIN_NS	(300 * 1000000ULL)

static int
connect_failed(const struct nc_addr *a, enum nc_port_state st,
    struct mig_error *e)
{
	struct nc_peer_addr p;
	const char *sms;

	nc_addr_peer(a, &p);
	sms = mig_port_sms(mig_port_role_of(p.port), st == NC_PORT_REFUSED ?
	    MIG_PORT_REFUSED : st == NC_PORT_FILTERED ? MIG_PORT_TIMEOUT :
	    MIG_PORT_UNREACHABLE);
	if (sms == NULL)	/* a port of no role: the destination's code */
		sms = MIG_SMS_DEST_UNREACHABLE;
	(void)mig_error_set(e, MIG_E_NETWORK, sms, "%s port %u: %s",
	    p.host, (unsigned)p.port, st == NC_PORT_REFUSED ?
	    "connection refused" : st == NC_PORT_FILTERED ?
	    "connect timed out" : "unreachable");
	if (st == NC_PORT_REFUSED)
		mig_error_remedy(e, "start netcheck serve (or iperf3 -s -p "
		    "%u) on the destination", (unsigned)p.port);
	return -1;
}

/*
 * iperf3 -s, busy with another client, says so in one byte (its state
 * ACCESS_DENIED) and closes; netcheck serve's greeting starts with "NCK".
 */
static int
iperf3_busy(int s, const struct nc_addr *a, struct mig_error *e)
{
	struct nc_peer_addr p;
	unsigned char c;

	if (recv(s, &c, 1, MSG_PEEK | MSG_DONTWAIT) != 1 ||
	    c != (unsigned char)ACCESS_DENIED)
		return 0;
	nc_addr_peer(a, &p);
	(void)mig_error_set(e, MIG_E_NETWORK, "SMS.1807", "iperf3 on %s port "
	    "%u is busy with another test", p.host, (unsigned)p.port);
	mig_error_remedy(e, "wait for the other test to end, or run netcheck "
	    "serve on the destination (it serves several clients)");
	return 1;
}

int
nc_detect_peer(const struct nc_addr *a, uint64_t timeout_ns,
    const struct nc_key *key, int *fd, struct nc_msg *greet,
    struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	enum nc_port_state st;
	uint64_t took, wait;
	int s, rc;

	*fd = -1;
	if (nc_connect(a, timeout_ns, &s, &st, &took, e) == -1)
		return -1;
	if (s == -1)
		return connect_failed(a, st, e);
	/* The greeting follows the handshake by about one RTT. */
	wait = 4 * took;
	if (wait < SILENCE_MIN_NS)
		wait = SILENCE_MIN_NS;
	if (wait > timeout_ns)
		wait = timeout_ns;
	rc = nc_wait_readable(s, mig_mono_ns() + wait);
	if (rc == 0) {
		*fd = s;	/* iperf3's control connection from now on */
		return 0;
	}
	if (iperf3_busy(s, a, e)) {
		(void)close(s);
		return -1;
	}
	memset(greet, 0, sizeof(*greet));
	if (nc_ctl_recv(s, buf, sizeof(buf), key, greet,
	    mig_mono_ns() + timeout_ns, e) == -1) {
		(void)close(s);
		return -1;
	}
	if (greet->type != NC_T_GREET) {
		(void)close(s);
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "the port speaks neither netcheck nor iperf3");
	}
	*fd = s;
	return 1;
}
