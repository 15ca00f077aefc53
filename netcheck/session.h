/*
 * Internal: the client side of the responder's UDP sessions (session.c),
 * shared by the latency probes and the UDP rate test.
 */
#ifndef NC_SESSION_H
#define NC_SESSION_H

#include "probe.h"

int nc_sess_socket(const struct nc_addr *a, int *fd, struct mig_error *e);
int nc_sess_ask(int fd, const struct nc_key *key, struct nc_msg *req,
    uint8_t want, uint64_t timeout_ns, struct nc_msg *m);
/* 1 opened (*token), 0 no answer, -1 refused or port unreachable. */
int nc_sess_open(int fd, const struct nc_key *key, size_t size,
    uint64_t interval_ns, uint64_t duration_ns, uint64_t timeout_ns,
    uint64_t *token, struct nc_msg *ack);
void nc_sess_prober(struct nc_prober *p, int fd, const struct nc_key *key,
    uint64_t token, size_t size);

#endif /* NC_SESSION_H */
