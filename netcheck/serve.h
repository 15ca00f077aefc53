/* SPDX-License-Identifier: ISC */
/*
 * libnetcheck_serve: the responder that runs on the destination
 * (`netcheck serve`), one libevent loop answering the engine's UDP probes
 * and carrying its TCP throughput tests (netcheck/PROTOCOL.md).
 *
 *   nc_acl_*()        the --allow list of CIDR prefixes
 *   nc_server_*()     listeners, sessions, limits, the loop
 *   nc_drop_privileges()  after binding, for a process started as root
 *
 * Conventions (libmigcommon's): functions return 0 or -1 after filling the
 * struct mig_error they were given (may be NULL); nothing here prints or
 * exits.  Messages go to the log callback.
 */
#ifndef NETCHECK_SERVE_H
#define NETCHECK_SERVE_H

#include <stddef.h>
#include <stdint.h>

#include "netcheck/netcheck.h"

struct nc_acl;		/* a list of CIDR prefixes */

/* "198.18.0.0/15", "2001:2::/48", a bare address is a /32 or /128. */
int nc_acl_add(struct nc_acl **acl, const char *cidr, struct mig_error *e);
/* 1 when acl is NULL (no --allow) or addr (a struct sockaddr) is in it. */
int nc_acl_match(const struct nc_acl *acl, const void *sockaddr);
void nc_acl_free(struct nc_acl *acl);

enum nc_log_level { NC_LOG_ERROR, NC_LOG_WARN, NC_LOG_INFO, NC_LOG_DEBUG };
typedef void nc_log_fn(void *arg, enum nc_log_level lv, const char *msg);

/*
 * Ranges and defaults of the responder's limits, defined once: the
 * library's defaults, the CLI's ranges, its help and the man page use
 * them (plain numbers, so NC_STR can spell them).
 */
#define NC_SRV_SESSIONS_MAX	1024
#define NC_SRV_SESSIONS_DEFAULT	64
#define NC_SRV_QUEUE_MAX	256
#define NC_SRV_QUEUE_DEFAULT	16
#define NC_SRV_DURATION_MAX_H	24
#define NC_SRV_DURATION_DEFAULT_M 10
#define NC_SRV_PPS_MAX		1000000
#define NC_SRV_PPS_DEFAULT	2000
#define NC_SRV_IDLE_MIN_MS	100
#define NC_SRV_IDLE_MAX_S	3600
#define NC_SRV_IDLE_DEFAULT_S	10

struct nc_serve_opts {
	const char * const *listen;	/* addresses; NULL: "0.0.0.0", "::" */
	size_t		nlisten;
	uint16_t	port;		/* 0: NC_DEFAULT_PORT */
	const struct nc_key *key;	/* packets without its HMAC: dropped */
	const struct nc_acl *allow;	/* NULL: everyone */
	unsigned	max_sessions;	/* UDP sessions; 0: the default */
	unsigned	max_per_source;	/* UDP sessions of one /32 or /64;
					 * 0: a quarter of max_sessions */
	unsigned	max_queue;	/* TCP tests waiting; 0: default */
	uint64_t	max_duration_ns;/* per session; 0: default */
	uint32_t	max_pps;	/* per UDP session; 0: default */
	uint64_t	idle_timeout_ns;/* 0: default */
	int		handle_signals;	/* SIGINT/SIGTERM end nc_server_run */
	nc_log_fn	*log;		/* may be NULL */
	void		*log_arg;
};

struct nc_server_stats {
	uint64_t	udp_in, udp_replies, udp_bad, udp_auth, udp_acl,
			udp_ratelimited, udp_nosession;
	uint64_t	udp_cookies;	/* COOKIE sent: OPEN without one */
	uint64_t	udp_replay;	/* keyed OPEN or probe seen before */
	uint64_t	udp_dup;	/* keyless probe seen before */
	uint64_t	udp_stale;	/* keyed OPEN out of the time window */
	uint64_t	tcp_accepted, tcp_refused, tests;
	uint64_t	tcp_source_cap;	/* closed: its source had too many */
	uint64_t	tcp_deadline;	/* closed: no whole message in time */
	uint64_t	tests_queued;	/* waited for the test slot */
	uint64_t	sessions_open, sessions_refused, sessions_evicted;
};

struct nc_server;

/* Binds every listener (UDP and TCP on the port); needs no root after. */
int nc_server_new(const struct nc_serve_opts *o, struct nc_server **s,
    struct mig_error *e);
/*
 * Privileges of a process started as root: supplementary groups cleared,
 * gid and uid of user (NULL: "nobody"), checked that root cannot come back.
 * Not root: nothing to do.  Process-wide, so not part of nc_server_new.
 */
int nc_drop_privileges(const char *user, struct mig_error *e);
/* Runs the event loop until a signal (handle_signals) or nc_server_stop. */
int nc_server_run(struct nc_server *s, struct mig_error *e);
/* From the loop's own thread (e.g. a log callback): ends nc_server_run. */
void nc_server_stop(struct nc_server *s);
void nc_server_get_stats(const struct nc_server *s, struct nc_server_stats *st);
/* The UDP and TCP port it listens on. */
uint16_t nc_server_port(const struct nc_server *s);
void nc_server_free(struct nc_server *s);

#endif /* NETCHECK_SERVE_H */
