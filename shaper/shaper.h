/* SPDX-License-Identifier: ISC */
/*
 * libshaper: egress bandwidth caps to one destination at a time, with
 * kernel traffic control (HTB + u32) through libnl-route-3 (facts.md §3).
 *
 * One HTB root qdisc per device, handle SHAPER_HANDLE:, created only when
 * the device's root is the kernel's default (handle 0:).  Traffic that no
 * filter matches takes HTB's direct queue: it is not shaped.  Each limit is
 * one class SHAPER_HANDLE:ID whose rate and ceil are the cap, and u32
 * filters of priority ID that send the destination's packets to it.  What
 * was applied is recorded in a state file (one per network namespace and
 * device, under /run/mignet/shaper/ unless told otherwise), so that remove
 * restores the device exactly, also after the process that applied the
 * limit was killed.  A lock file (flock) in the same directory serialises
 * every change, across processes and across contexts of one process.
 *
 * Conventions (libmigcommon): functions return 0 on success and -1 on
 * failure after filling the struct mig_error they were given (which may be
 * NULL).  Bad values are MIG_E_USAGE (exit status 2); a foreign root qdisc
 * is MIG_E_SYSTEM with sms "SMS.9007" (exit status 1) and nothing changed.
 * Nothing here prints, exits or keeps global state: two contexts in two
 * threads work.  Calls that block say so.
 */
#ifndef SHAPER_H
#define SHAPER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "common/migcommon.h"

#define SHAPER_HANDLE		0x6d67U	/* "mg": the HTB root is 6d67: */
#define SHAPER_MAX_WINDOWS	5	/* the original console allows 5 */
#define SHAPER_MAX_LIMITS	64	/* limits per device */
#define SHAPER_RATE_MIN		100000ULL		/* 0.1 Mbit/s */
#define SHAPER_RATE_MAX		100000000000ULL		/* 100 Gbit/s */
#define SHAPER_IFNAMSIZ		16
#define SHAPER_DEST_TEXT	64	/* "[ffff:...:ffff]/128:65535" fits */
#define SHAPER_STATE_DIR	"/run/mignet/shaper"
/* monitor: 1-s windows over the limit in a row that trip SMS.9007 */
#define SHAPER_OVERS_MIN	1
#define SHAPER_OVERS_MAX	60
#define SHAPER_OVERS_DEFAULT	3
#define SHAPER_MONITOR_MAX_DAYS	7	/* the longest monitor run */
#define SHAPER_STATUS_INTERVAL_MAX_S 60	/* status: rate measuring time */
#define SHAPER_KIND_TEXT	16	/* a qdisc kind */

/* ------------------------------------------------------------ destination */

struct shaper_dest {
	int		family;		/* AF_INET or AF_INET6 */
	uint8_t		addr[16];	/* network order, host bits cleared */
	unsigned	prefix;		/* 0..32 or 0..128 */
	uint16_t	port;		/* 0: any port */
};

/*
 * "198.18.1.2", "198.18.0.0/15", "198.18.1.2:22", "198.18.0.0/15:22",
 * "2001:2::1", "2001:2::/48", "[2001:2::1]:22", "[2001:2::/48]:22".  Host
 * bits under the prefix must be zero (a typo otherwise widens the cap);
 * port 1..65535.  name is the option named in errors ("--dest").
 */
int shaper_dest_parse(const char *name, const char *s, struct shaper_dest *d,
    struct mig_error *e);
/* The canonical text, which shaper_dest_parse reads back. */
char *shaper_dest_format(const struct shaper_dest *d, char *buf, size_t len);
int shaper_dest_equal(const struct shaper_dest *a,
    const struct shaper_dest *b);

/* ------------------------------------------------------------------- rates */

/*
 * A cap: mig_parse_rate with the unit required ("50mbit", "1.5gbit",
 * "10MB/s"), in [SHAPER_RATE_MIN, SHAPER_RATE_MAX].
 */
int shaper_rate_parse(const char *name, const char *s, uint64_t *bps,
    struct mig_error *e);

/* ----------------------------------------------------------------- windows */

/*
 * A daily time window in local time, "HH:MM-HH:MM=RATE" (seconds may be
 * given: "HH:MM:SS").  start == end is refused; end < start crosses
 * midnight ("22:00-06:00").  The window covers [start, end).
 */
struct shaper_window {
	uint32_t	start;		/* seconds since local midnight */
	uint32_t	end;
	uint64_t	rate_bps;
};

int shaper_window_parse(const char *name, const char *s,
    struct shaper_window *w, struct mig_error *e);
/* At most SHAPER_MAX_WINDOWS, none overlapping another. */
int shaper_windows_check(const char *name, const struct shaper_window *w,
    size_t n, struct mig_error *e);
/* Index of the window covering tod (seconds since midnight), or -1. */
int shaper_window_active(const struct shaper_window *w, size_t n,
    uint32_t tod);
/* Seconds from tod to the next start or end of a window (1..86400). */
uint32_t shaper_window_next(const struct shaper_window *w, size_t n,
    uint32_t tod);
char *shaper_window_format(const struct shaper_window *w, char *buf,
    size_t len);

/* ------------------------------------------------------- burst and quantum */

/*
 * Inside each limit's class two child classes share the cap: the priority
 * band (HTB prio 0) takes the small packets (IP packets under
 * SHAPER_BAND_BELOW bytes: pure ACKs, ICMP, DNS, keystrokes) and the bulk
 * band (prio 1) takes the rest.  The bulk band's queue is sized in time:
 * the bytes the cap sends in SHAPER_QUEUE_MS, never fewer than
 * SHAPER_QUEUE_MIN_FRAMES full frames.
 */
#define SHAPER_BAND_BELOW	256	/* bytes: IPv4 total, IPv6 payload */
#define SHAPER_BAND_SHARE	10	/* the band's own rate: cap / 10 */
#define SHAPER_BAND_LIMIT	64	/* packets the band's queue holds */
#define SHAPER_QUEUE_MS		100	/* the bulk band's queue, in time */
#define SHAPER_QUEUE_MIN_FRAMES	16	/* ... and never below 16 frames */
#define SHAPER_QUEUE_MAX	(32U << 20)	/* bytes */

struct shaper_htb_params {
	uint64_t	rate_Bps;	/* bytes/s, rate = ceil */
	uint32_t	burst;		/* bytes, burst = cburst */
	uint32_t	quantum;	/* bytes */
	uint64_t	band_Bps;	/* the priority band's own rate */
	uint32_t	queue_limit;	/* bytes the bulk band queues */
};

/* The class parameters for rate_bps on a device of the given MTU. */
void shaper_htb_params(uint64_t rate_bps, uint32_t mtu,
    struct shaper_htb_params *p);

/* ------------------------------------------------------------------ limits */

struct shaper_limit {
	struct shaper_dest	dest;
	uint64_t		rate_bps;	/* outside every window */
	size_t			nwindows;
	struct shaper_window	windows[SHAPER_MAX_WINDOWS];
};

struct shaper_ctx;

/*
 * state_dir NULL means SHAPER_STATE_DIR.  The netlink socket is opened
 * here; nothing on the system changes.
 */
int shaper_open(struct shaper_ctx **ctx, const char *state_dir,
    struct mig_error *e);
void shaper_close(struct shaper_ctx *ctx);

/* What apply did. */
struct shaper_applied {
	char		dev[SHAPER_IFNAMSIZ];
	int		ifindex;
	uint32_t	classid;	/* 0x6d67000N */
	int		created_root;	/* the HTB root is new */
	int		replaced;	/* the limit existed: changed */
	int		window;		/* the window now in effect, or -1 */
	uint64_t	rate_bps;	/* the rate now in effect */
	struct shaper_htb_params htb;
};

/*
 * Caps egress traffic to l->dest on dev (NULL: the device of the route to
 * the destination).  The same destination again changes its limit in place
 * (connections are kept); the rate in effect is that of the window covering
 * the current local time.  A foreign root qdisc on the device: nothing is
 * changed, SMS.9007 with the qdisc named.
 */
int shaper_apply(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_limit *l, struct shaper_applied *out,
    struct mig_error *e);

/*
 * Removes the limit of dest (NULL: every limit) on dev (NULL: every device
 * of this network namespace with a limit).  When a device has no limit
 * left its HTB root goes, and the kernel puts its default root back: the
 * device is as it was before the first apply.  *removed counts the limits
 * removed; 0 is not an error (remove is idempotent).
 */
int shaper_remove(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, size_t *removed, struct mig_error *e);

/*
 * The device the kernel routes dest through (RTM_GETROUTE, as `ip route
 * get`), its name in dev.  Changes nothing; needs no privilege.
 */
int shaper_route_dev(struct shaper_ctx *ctx, const struct shaper_dest *dest,
    char *dev, size_t len, struct mig_error *e);

/* -------------------------------------------------------------- schedule */

/*
 * Puts every limit of this network namespace at the rate its windows give
 * for local time now; a rate that did not change is left alone.
 * *next_s is the number of seconds until the next window boundary of any
 * limit (86400 when none has windows).  `shaper run` calls it at every
 * boundary; the agent may call it from its own timer instead.
 */
int shaper_tick(struct shaper_ctx *ctx, time_t now, uint32_t *next_s,
    size_t *changed, struct mig_error *e);

/* ------------------------------------------------------------------ status */

struct shaper_stat {
	char			dev[SHAPER_IFNAMSIZ];
	uint32_t		classid;
	struct shaper_limit	limit;
	int			window;		/* active window or -1 */
	uint64_t		rate_bps;	/* configured in the kernel */
	uint32_t		burst, quantum;
	int			present;	/* the class exists */
	uint64_t		bytes, packets, drops, overlimits;
	double			measured_bps;	/* -1: not measured */
	/* The bulk band's queue as the kernel has it ("" if none). */
	char			queue_kind[SHAPER_KIND_TEXT];
	uint32_t		queue_limit;	/* bytes */
	double			queue_ms;	/* limit at rate_bps */
	uint64_t		bulk_packets, bulk_drops;
	/* The priority band: packets under band_below bytes, prio 0. */
	int			band_present;
	uint32_t		band_below;	/* SHAPER_BAND_BELOW */
	uint64_t		band_rate_bps;	/* its own rate */
	uint32_t		band_limit;	/* packets its queue holds */
	uint64_t		band_packets, band_drops;
};

/*
 * Every limit of this network namespace with the kernel's counters; drops
 * are the two bands' (the class itself has no queue).  With
 * interval_ns > 0 the call blocks that long and measures each class's rate
 * from its byte counter (HTB's own rate estimator is off by default).
 * Free *st with free().
 */
int shaper_status(struct shaper_ctx *ctx, uint64_t interval_ns,
    struct shaper_stat **st, size_t *n, struct mig_error *e);

/* ------------------------------------------------------------------- check */

struct shaper_qdisc_info {
	char		kind[SHAPER_KIND_TEXT];
	uint32_t	handle, parent;
};

enum shaper_support { SHAPER_UNKNOWN = -1, SHAPER_NO = 0, SHAPER_YES = 1 };

struct shaper_check {
	char		dev[SHAPER_IFNAMSIZ];
	int		ifindex;
	int		have_route;		/* dest given and routed */
	char		gateway[48];		/* "" when on-link */
	char		prefsrc[48];
	size_t		nqdiscs;
	struct shaper_qdisc_info qdiscs[16];	/* the device's, in order */
	int		root_ours;		/* root is our HTB */
	int		root_foreign;		/* root set by someone else */
	struct shaper_qdisc_info root;
	size_t		nfilters;		/* filters under the root */
	size_t		limits;			/* our limits on the device */
	enum shaper_support htb, tbf, cbq;	/* kinds the kernel has */
	char		probe_note[MIG_ERR_TEXT];
};

/*
 * The SMS.9007 diagnosis: dev (or the device of the route to dest; one of
 * the two is needed), its qdiscs and whether the root is foreign, and
 * which qdisc kinds the kernel supports.  The kinds are probed on the
 * loopback device of a private network namespace that a short-lived thread
 * creates and drops: the real device is never touched.
 */
int shaper_check(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_check *out,
    struct mig_error *e);

/* ----------------------------------------------------------------- monitor */

struct shaper_monitor_params {
	const char		*dev;		/* NULL: route to dest */
	struct shaper_dest	 dest;
	uint64_t		 limit_bps;
	unsigned		 max_overs;	/* consecutive windows, >= 1 */
	pid_t			 pause_pid;	/* 0: do not pause */
};

struct shaper_monitor_event {
	unsigned	seq;		/* 1-s window number, from 1 */
	double		rate_1s;	/* bit/s of the window just closed */
	double		rate_5s;	/* of the last 5 windows (or fewer) */
	unsigned	overs;		/* consecutive windows over the limit */
	int		tripped;	/* overs reached max_overs: SMS.9007 */
	int		paused;		/* pause_pid was sent SIGSTOP */
};

struct shaper_monitor;

/*
 * Captures the flow to dest with libpcap (BPF "dst host/net [and dst
 * port]", 128-byte snaplen) and measures its rate in 1-s windows and the
 * 5-s window of the console (§13.3).  A window is over when it exceeds the
 * limit by more than 10 %; max_overs consecutive ones trip SMS.9007, which
 * sends SIGSTOP to pause_pid when one is given.
 */
int shaper_monitor_open(const struct shaper_monitor_params *p,
    struct shaper_monitor **m, struct mig_error *e);
/* A descriptor to poll for reading (packets waiting). */
int shaper_monitor_fd(const struct shaper_monitor *m);
/* CLOCK_MONOTONIC time at which the current window closes. */
uint64_t shaper_monitor_deadline(const struct shaper_monitor *m);
/*
 * Reads what is waiting (never blocks) and closes the window if its
 * deadline is past: returns 1 with *ev filled when a window closed, 0
 * otherwise, -1 on error.  On a trip ev->tripped is set and e holds the
 * SMS.9007 error with the diagnosis.
 */
int shaper_monitor_poll(struct shaper_monitor *m,
    struct shaper_monitor_event *ev, struct mig_error *e);
void shaper_monitor_close(struct shaper_monitor *m);

#endif /* SHAPER_H */
