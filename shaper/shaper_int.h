/* SPDX-License-Identifier: ISC */
/*
 * Internal to libshaper: the context, netlink helpers, the state record and
 * the pieces apply/remove/status/check are made of.  Not installed.
 */
#ifndef SHAPER_INT_H
#define SHAPER_INT_H

#include <limits.h>
#include <stdint.h>

#include "shaper/shaper.h"

struct nl_sock;

struct shaper_ctx {
	struct nl_sock	*sk;
	char		 dir[PATH_MAX - 32];	/* state directory */
	uint64_t	 netns;			/* inode of our netns */
	int		 lock_fd;		/* -1 when not locked */
};

#define SHAPER_ROOT	(SHAPER_HANDLE << 16)
#define SHAPER_CLASSID(id) (SHAPER_ROOT | (uint32_t)(id))
/* The two bands inside limit id's class: 6d67:1xx and 6d67:2xx (hex). */
#define SHAPER_BAND_ID(id)	(0x100U | (unsigned)(id))
#define SHAPER_BULK_ID(id)	(0x200U | (unsigned)(id))

/* nl.c: a libnl error code (negative) as a MIG_E_SYSTEM error. */
int shaper_nl_error(struct mig_error *e, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* route.c */
struct shaper_dev {
	char		name[SHAPER_IFNAMSIZ];
	int		ifindex;
	uint32_t	mtu;
};

int shaper_ifname_check(const char *name, const char *s, struct mig_error *e);
/* Unknown device: MIG_E_USAGE. */
int shaper_dev_by_name(struct shaper_ctx *ctx, const char *name,
    struct shaper_dev *d, struct mig_error *e);
int shaper_dev_by_index(struct shaper_ctx *ctx, int ifindex,
    struct shaper_dev *d, struct mig_error *e);
/* The route the kernel picks for dest: device, gateway, source. */
int shaper_route_get(struct shaper_ctx *ctx, const struct shaper_dest *dest,
    int *ifindex, char *gw, size_t gwlen, char *src, size_t srclen,
    struct mig_error *e);
/* --dev or the route's device. */
int shaper_dev_resolve(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_dev *d,
    struct mig_error *e);

/* qdisc.c: the device's qdiscs, and whose its root is. */
enum shaper_root { ROOT_DEFAULT, ROOT_OURS, ROOT_FOREIGN };

int shaper_qdiscs(struct shaper_ctx *ctx, int ifindex,
    struct shaper_qdisc_info *q, size_t max, size_t *n, struct mig_error *e);
/* *info: the root qdisc, or the first foreign one. */
enum shaper_root shaper_root_owner(const struct shaper_qdisc_info *q,
    size_t n, struct shaper_qdisc_info *info);
int shaper_foreign_error(const struct shaper_dev *d,
    const struct shaper_qdisc_info *q, struct mig_error *e);

/* htb.c */
int shaper_htb_root_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    struct mig_error *e);
int shaper_htb_root_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    struct mig_error *e);
/*
 * The limit's class with its two bands and their queues (band.c), made or
 * changed in place; family is the destination's (the band's length key).
 */
int shaper_htb_class_set(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, uint64_t rate_bps, struct shaper_htb_params *p,
    struct mig_error *e);
/* The class, its bands, their queues and filters. */
int shaper_htb_class_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e);
/* htb.c: one HTB class, rate and ceil apart (the bands). */
int shaper_htb_class_put(struct shaper_ctx *ctx, const struct shaper_dev *d,
    uint32_t parent, unsigned id, uint64_t rate_Bps,
    const struct shaper_htb_params *ceil, int prio, struct mig_error *e);
int shaper_htb_class_drop(struct shaper_ctx *ctx, const struct shaper_dev *d,
    uint32_t parent, unsigned id, struct mig_error *e);

/* band.c: the priority and bulk bands of limit id and their queues. */
int shaper_band_set(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, const struct shaper_htb_params *p,
    struct mig_error *e);
int shaper_band_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e);

/* filter_u32.c */
struct shaper_u32_key {
	uint32_t	val, mask;	/* network byte order, as u32 wants */
	int		off;		/* from the network header */
};
#define SHAPER_U32_MAXKEYS	8

/*
 * The keys that match dest for transport protocol l4 (6 TCP, 17 UDP; only
 * used with a port).  IPv4: IHL = 5 and first fragment whenever a port is
 * matched, since the port offset assumes a 20-byte header; IPv6: next
 * header = l4 (no extension header), ports at 40.  Returns the count.
 */
size_t shaper_u32_keys(const struct shaper_dest *dest, uint8_t l4,
    struct shaper_u32_key *k, size_t max);
int shaper_filter_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, const struct shaper_dest *dest, struct mig_error *e);
int shaper_filter_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e);
int shaper_filter_count(struct shaper_ctx *ctx, int ifindex, uint32_t parent,
    size_t *n, struct mig_error *e);
/* The band filters under limit id's class (added once; idempotent). */
int shaper_filter_band_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e);
int shaper_filter_band_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e);

/* state.c: what was applied on one device of one network namespace. */
struct shaper_state_limit {
	unsigned		id;	/* class minor and filter priority */
	struct shaper_limit	l;
};

struct shaper_state {
	uint64_t		netns;
	int			ifindex;
	char			ifname[SHAPER_IFNAMSIZ];
	char			prev_root[SHAPER_KIND_TEXT];
	size_t			n;
	struct shaper_state_limit lim[SHAPER_MAX_LIMITS];
};

#define SHAPER_STATE_MAX	32768	/* bytes of a state file */

int shaper_state_parse(const char *text, size_t len, struct shaper_state *st,
    struct mig_error *e);
int shaper_state_format(const struct shaper_state *st, char *buf,
    size_t len);
/* *found = 0 and an empty st when there is no record. */
int shaper_state_load(struct shaper_ctx *ctx, int ifindex,
    struct shaper_state *st, int *found, struct mig_error *e);
int shaper_state_save(struct shaper_ctx *ctx, const struct shaper_state *st,
    struct mig_error *e);
int shaper_state_drop(struct shaper_ctx *ctx, int ifindex,
    struct mig_error *e);
/* ifindexes with a record in this network namespace. */
int shaper_state_list(struct shaper_ctx *ctx, int *ifx, size_t max,
    size_t *n, struct mig_error *e);
struct shaper_state_limit *shaper_state_find(struct shaper_state *st,
    const struct shaper_dest *dest);

/* The state directory: root's alone (mig_mkdirs makes its parents 0755). */
#define SHAPER_DIR_MODE	0700

/* lock.c */
int shaper_lock(struct shaper_ctx *ctx, struct mig_error *e);
void shaper_unlock(struct shaper_ctx *ctx);

/* schedule.c: the wall clock's second, precise (not time()'s). */
time_t shaper_now(void);
/* schedule.c: the rate of l at local time now, and its window (-1). */
uint64_t shaper_rate_at(const struct shaper_limit *l, time_t now, int *window);

/* classes.c: our class on a device as the kernel has it. */
struct shaper_band_info {
	int		present;
	uint64_t	rate_Bps;
	uint64_t	packets, drops;
	char		queue[SHAPER_KIND_TEXT];	/* its queue's kind */
	uint32_t	limit;		/* of the queue: bytes, pfifo packets */
};

struct shaper_class_info {
	int		present;
	uint64_t	rate_Bps;
	uint32_t	burst, quantum;
	uint64_t	bytes, packets, drops, overlimits;
	struct shaper_band_info band, bulk;
};

struct shaper_classes;
int shaper_classes_read(struct shaper_ctx *ctx, int ifindex,
    struct shaper_classes **out, struct mig_error *e);
void shaper_classes_get(struct shaper_classes *c, unsigned id,
    struct shaper_class_info *ci);
void shaper_classes_free(struct shaper_classes *c);

/* probe.c: the qdisc kinds the kernel has, probed in a private netns. */
int shaper_probe_kinds(enum shaper_support *htb, enum shaper_support *tbf,
    enum shaper_support *cbq, char *note, size_t notelen);

#endif /* SHAPER_INT_H */
