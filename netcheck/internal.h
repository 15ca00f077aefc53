/*
 * Internal: what the measurement modules share (addresses, sockets with
 * deadlines, TCP control messages).  Not installed.
 */
#ifndef NC_INTERNAL_H
#define NC_INTERNAL_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "netcheck.h"
#include "proto.h"

#define NC_DEFAULT_TIMEOUT_NS	(3 * MIG_NS_PER_S)

struct nc_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

/* resolve.c: name to one address, within timeout_ns (libevent's evdns). */
int nc_resolve(const char *host, uint16_t port, int family,
    uint64_t timeout_ns, struct nc_addr *out, struct mig_error *e);
void nc_addr_peer(const struct nc_addr *a, struct nc_peer_addr *p);
void nc_addr_set_port(struct nc_addr *a, uint16_t port);
uint64_t nc_target_timeout(const struct nc_target *t);
uint16_t nc_target_port(const struct nc_target *t);
const struct nc_key *nc_target_key(const struct nc_target *t);

/* net.c */
int nc_set_nonblock(int fd, int on);
/*
 * Non-blocking connect within timeout_ns; returns the state and the time
 * it took.  On NC_PORT_OPEN *fd is the connected socket (blocking), else
 * -1.  -1 only when no socket could be made.
 */
int nc_connect(const struct nc_addr *a, uint64_t timeout_ns, int *fd,
    enum nc_port_state *st, uint64_t *took_ns, struct mig_error *e);
/* Waits until fd is readable (POLLIN) or deadline (CLOCK_MONOTONIC ns). */
int nc_wait_readable(int fd, uint64_t deadline);
int nc_read_full(int fd, void *buf, size_t n, uint64_t deadline);
int nc_write_full(int fd, const void *buf, size_t n, uint64_t deadline);
/* TCP control messages with a deadline; body after the 64-byte header. */
int nc_ctl_send(int fd, struct nc_msg *m, const void *body, size_t bodylen,
    const struct nc_key *key, uint64_t deadline, struct mig_error *e);
int nc_ctl_recv(int fd, unsigned char *buf, size_t cap,
    const struct nc_key *key, struct nc_msg *m, uint64_t deadline,
    struct mig_error *e);
/* The error for a destination that does not answer, SMS.1807 style. */
int nc_unreachable(struct mig_error *e, const struct nc_peer_addr *p,
    const char *what);

/* iperf.c: a stock iperf3 -s, through libiperf in a child process. */
int nc_iperf_tcp(const struct nc_throughput_opts *o, const struct nc_addr *a,
    struct nc_throughput_result *r, struct mig_error *e);
int nc_iperf_udp(const struct nc_udp_opts *o, const struct nc_addr *a,
    struct nc_udp_result *r, struct mig_error *e);
/*
 * What answers on the TCP port: connects and waits for netcheck serve's
 * greeting; 1 when it came (fd left open, greeting in *greet), 0 when the
 * port stayed silent (iperf3 -s waits for its client to speak first),
 * -1 on error (connect failed, another protocol spoke).
 */
int nc_detect_peer(const struct nc_addr *a, uint64_t timeout_ns,
    const struct nc_key *key, int *fd, struct nc_msg *greet,
    struct mig_error *e);

#endif /* NC_INTERNAL_H */
