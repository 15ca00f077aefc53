/* SPDX-License-Identifier: ISC */
/*
 * mignet-nfq-delay: hold the packets of one NFQUEUE queue for a fixed delay,
 * with optional jitter, then let them go.  The test kernel has no netem; an
 * iptables rule "-j NFQUEUE --queue-num N --queue-bypass" sends packets here.
 *
 * One thread, one loop: poll(2) on the netfilter socket, a timerfd armed
 * (absolute, CLOCK_MONOTONIC) for the earliest release, and a signalfd.
 * Packets are copied as metadata only: the packet id is all we need.  Held
 * packets sit in a binary min-heap keyed by release time, ties broken by
 * arrival order.
 *
 * See tests/lib/README.md for the options and the measured precision.
 */

#include <sys/random.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <sys/prctl.h>

#include <arpa/inet.h>
#include <linux/netfilter.h>

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libnetfilter_queue/libnetfilter_queue.h>

#include "common/migcommon.h"

#define PROG		"mignet-nfq-delay"
#define RCVBUF		(8U * 1024 * 1024)
#define RECVLEN		65536
#define READ_BATCH	256
#define DEFAULT_LIMIT	1000
#define MAX_LIMIT	1000000
#define MAX_DELAY_NS	(60ULL * MIG_NS_PER_S)
#define SPIN_MIN_NS	20000ULL	/* wake at least this early */
#define SPIN_MAX_NS	1000000ULL	/* and at most this early */
#define SPIN_MAX_HELD	32		/* spin only for sparse traffic */

enum dist { DIST_UNIFORM, DIST_NORMAL };

struct held {
	uint64_t	due;		/* release time, CLOCK_MONOTONIC ns */
	uint64_t	seq;		/* arrival order */
	uint32_t	id;		/* nfqueue packet id */
};

struct heap {
	struct held	*v;
	size_t		 n;
	size_t		 cap;
};

struct opts {
	unsigned	 queue;
	uint64_t	 delay;
	uint64_t	 jitter;
	enum dist	 dist;
	int		 no_reorder;
	size_t		 limit;
	uint64_t	 seed;
	int		 have_seed;
	int		 realtime;
	const char	*ready_file;
};

struct stats {
	uint64_t	 passed;	/* accepted after their delay */
	uint64_t	 dropped;	/* over --limit in user space */
	uint64_t	 enobufs;	/* socket overruns (kernel dropped) */
	uint64_t	 late_sum;	/* release time - due time, ns */
	uint64_t	 late_max;
};

struct delayer {
	struct opts		 o;
	struct nfq_handle	*h;
	struct nfq_q_handle	*qh;
	int			 nfd;
	int			 tfd;
	int			 sfd;
	struct heap		 heap;
	uint64_t		 seq;
	uint64_t		 last_due;
	uint64_t		 rng;
	uint64_t		 armed;		/* due time of the timer */
	uint64_t		 target;	/* it fires: armed - spin */
	uint64_t		 wake_avg;	/* how late, ns (EWMA) */
	struct stats		 st;
	int			 failed;
};

/* ------------------------------------------------------------------ heap */

static int
held_before(const struct held *a, const struct held *b)
{
	if (a->due != b->due)
		return a->due < b->due;
	return a->seq < b->seq;
}

static void
held_swap(struct held *a, struct held *b)
{
	struct held t = *a;

	*a = *b;
	*b = t;
}

static int
heap_init(struct heap *hp, size_t cap)
{
	hp->v = calloc(cap, sizeof(*hp->v));
	if (hp->v == NULL) {
		fprintf(stderr, "%s: out of memory for %zu packets\n", PROG,
		    cap);
		return -1;
	}
	hp->n = 0;
	hp->cap = cap;
	return 0;
}

static void
heap_push(struct heap *hp, const struct held *x)
{
	size_t i = hp->n++;

	hp->v[i] = *x;
	while (i > 0) {
		size_t up = (i - 1) / 2;

		if (!held_before(&hp->v[i], &hp->v[up]))
			break;
		held_swap(&hp->v[i], &hp->v[up]);
		i = up;
	}
}

static void
heap_pop(struct heap *hp)
{
	size_t i = 0;

	hp->v[0] = hp->v[--hp->n];
	for (;;) {
		size_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < hp->n && held_before(&hp->v[l], &hp->v[m]))
			m = l;
		if (r < hp->n && held_before(&hp->v[r], &hp->v[m]))
			m = r;
		if (m == i)
			break;
		held_swap(&hp->v[i], &hp->v[m]);
		i = m;
	}
}

/* ---------------------------------------------------------------- random */

static uint64_t
rng_next(uint64_t *s)
{
	/* xorshift64* */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1DULL;
}

/* Uniform in [0, 1). */
static double
rng_unit(uint64_t *s)
{
	return (double)(rng_next(s) >> 11) * 0x1.0p-53;
}

static double
rng_normal(uint64_t *s)
{
	double u1, u2;

	do
		u1 = rng_unit(s);
	while (u1 <= 0.0);
	u2 = rng_unit(s);
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

/* The delay of one packet: delay + jitter sample, never below zero. */
static uint64_t
sample_delay(struct delayer *d)
{
	double j, v;

	if (d->o.jitter == 0)
		return d->o.delay;
	if (d->o.dist == DIST_NORMAL)
		j = rng_normal(&d->rng) * (double)d->o.jitter;
	else
		j = (2.0 * rng_unit(&d->rng) - 1.0) * (double)d->o.jitter;
	v = (double)d->o.delay + j;
	if (v <= 0.0)
		return 0;
	return (uint64_t)v;
}

/* -------------------------------------------------------------- verdicts */

static int
accept_id(struct delayer *d, uint32_t id)
{
	if (nfq_set_verdict(d->qh, id, NF_ACCEPT, 0, NULL) < 0) {
		fprintf(stderr, "%s: nfq_set_verdict: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	d->st.passed++;
	return 0;
}

/* Accept every held packet due at or before t (t is now, or flush time). */
static int
release_due(struct delayer *d, uint64_t t)
{
	while (d->heap.n > 0 && d->heap.v[0].due <= t) {
		uint32_t id = d->heap.v[0].id;
		uint64_t late = t - d->heap.v[0].due;

		heap_pop(&d->heap);
		if (accept_id(d, id) == -1)
			return -1;
		if (t != UINT64_MAX) {
			d->st.late_sum += late;
			if (late > d->st.late_max)
				d->st.late_max = late;
		}
	}
	return 0;
}

/*
 * Waking from a timer costs 100-300 us on a virtual machine.  With few
 * packets held the timer fires early by twice the average wake-up latency
 * and the loop spins, still reading the queue, until the due time.  Bulk
 * traffic holds many packets and never spins.
 */
static uint64_t
spin_ns(const struct delayer *d)
{
	uint64_t w = 2 * d->wake_avg;

	if (d->heap.n > SPIN_MAX_HELD)
		return 0;
	if (w < SPIN_MIN_NS)
		return SPIN_MIN_NS;
	return w > SPIN_MAX_NS ? SPIN_MAX_NS : w;
}

static int
arm_timer(struct delayer *d)
{
	struct itimerspec its;
	uint64_t due = d->heap.n > 0 ? d->heap.v[0].due : 0;
	uint64_t spin = spin_ns(d), target = due;

	if (due == d->armed)
		return 0;
	if (due > spin)
		target = due - spin;
	memset(&its, 0, sizeof(its));
	its.it_value.tv_sec = (time_t)(target / MIG_NS_PER_S);
	its.it_value.tv_nsec = (long)(target % MIG_NS_PER_S);
	if (timerfd_settime(d->tfd, TFD_TIMER_ABSTIME, &its, NULL) == -1) {
		fprintf(stderr, "%s: timerfd_settime: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	d->armed = due;
	d->target = target;
	return 0;
}

/* ---------------------------------------------------------------- queue */

static int
on_packet(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa,
    void *arg)
{
	struct delayer *d = arg;
	struct nfqnl_msg_packet_hdr *ph;
	struct held x;
	uint64_t t = mig_mono_ns();

	(void)qh;
	(void)msg;
	ph = nfq_get_msg_packet_hdr(nfa);
	if (ph == NULL)
		return 0;
	x.id = ntohl(ph->packet_id);
	x.seq = d->seq++;
	x.due = t + sample_delay(d);
	if (d->o.no_reorder && x.due < d->last_due)
		x.due = d->last_due;
	if (d->heap.n == d->heap.cap) {
		/* The kernel queue is as long as the heap; not reached. */
		if (nfq_set_verdict(d->qh, x.id, NF_DROP, 0, NULL) < 0)
			d->failed = 1;
		d->st.dropped++;
		return 0;
	}
	d->last_due = x.due;
	heap_push(&d->heap, &x);
	return 0;
}

/*
 * Read what the socket holds, up to READ_BATCH messages.  Returns 0, or -1
 * on a fatal error.  ENOBUFS means the kernel could not deliver some packets
 * (it dropped them): count it and go on.
 */
static int
read_queue(struct delayer *d)
{
	static char buf[RECVLEN] __attribute__((aligned));
	int i;

	for (i = 0; i < READ_BATCH; i++) {
		ssize_t n = recv(d->nfd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n == -1) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			if (errno == ENOBUFS) {
				d->st.enobufs++;
				continue;
			}
			fprintf(stderr, "%s: recv: %s\n", PROG,
			    strerror(errno));
			return -1;
		}
		if (nfq_handle_packet(d->h, buf, (int)n) < 0) {
			/* An ack or error message; not fatal. */
			continue;
		}
		if (d->failed) {
			fprintf(stderr, "%s: nfq_set_verdict: %s\n", PROG,
			    strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
open_queue(struct delayer *d)
{
	d->h = nfq_open();
	if (d->h == NULL) {
		fprintf(stderr, "%s: nfq_open: %s\n", PROG, strerror(errno));
		return -1;
	}
	/* No-ops since Linux 3.8, needed before. */
	if (nfq_bind_pf(d->h, AF_INET) < 0 || nfq_bind_pf(d->h, AF_INET6) < 0) {
		fprintf(stderr, "%s: nfq_bind_pf: %s\n", PROG, strerror(errno));
		return -1;
	}
	d->qh = nfq_create_queue(d->h, (uint16_t)d->o.queue, on_packet, d);
	if (d->qh == NULL) {
		fprintf(stderr, "%s: cannot bind queue %u: %s "
		    "(another process holds it?)\n", PROG, d->o.queue,
		    strerror(errno));
		return -1;
	}
	if (nfq_set_mode(d->qh, NFQNL_COPY_META, 0) < 0) {
		fprintf(stderr, "%s: nfq_set_mode: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	if (nfq_set_queue_maxlen(d->qh, (uint32_t)d->o.limit) < 0) {
		fprintf(stderr, "%s: nfq_set_queue_maxlen: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	/* Whole GSO packets: no segmentation, we never look at the payload. */
	if (nfq_set_queue_flags(d->qh, NFQA_CFG_F_GSO, NFQA_CFG_F_GSO) < 0) {
		fprintf(stderr, "%s: nfq_set_queue_flags: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	if (nfnl_rcvbufsiz(nfq_nfnlh(d->h), RCVBUF) < RCVBUF / 2)
		fprintf(stderr, "%s: warning: socket receive buffer below "
		    "%u bytes\n", PROG, RCVBUF);
	d->nfd = nfq_fd(d->h);
	return 0;
}

/* ---------------------------------------------------------------- setup */

static int
open_fds(struct delayer *d)
{
	sigset_t set;

	d->tfd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (d->tfd == -1) {
		fprintf(stderr, "%s: timerfd_create: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	if (sigemptyset(&set) == -1 || sigaddset(&set, SIGINT) == -1 ||
	    sigaddset(&set, SIGTERM) == -1 || sigaddset(&set, SIGHUP) == -1 ||
	    sigprocmask(SIG_BLOCK, &set, NULL) == -1) {
		fprintf(stderr, "%s: sigprocmask: %s\n", PROG, strerror(errno));
		return -1;
	}
	d->sfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (d->sfd == -1) {
		fprintf(stderr, "%s: signalfd: %s\n", PROG, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * SCHED_FIFO keeps release times exact when the CPUs are busy.  No mlockall:
 * under ASan it would try to lock the whole shadow memory.
 */
static void
go_realtime(void)
{
	struct sched_param sp;

	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = 10;
	if (sched_setscheduler(0, SCHED_FIFO, &sp) == -1)
		fprintf(stderr, "%s: warning: SCHED_FIFO: %s\n", PROG,
		    strerror(errno));
}

static int
seed_rng(struct delayer *d)
{
	uint64_t s = d->o.seed;

	if (!d->o.have_seed &&
	    getrandom(&s, sizeof(s), 0) != (ssize_t)sizeof(s)) {
		fprintf(stderr, "%s: getrandom: %s\n", PROG, strerror(errno));
		return -1;
	}
	d->rng = s != 0 ? s : 0x9E3779B97F4A7C15ULL;
	return 0;
}

static int
announce_ready(const struct delayer *d)
{
	FILE *f;

	if (printf("ready\n") < 0 || fflush(stdout) == EOF) {
		/* stdout may be closed; the ready file is what counts. */
		clearerr(stdout);
	}
	if (d->o.ready_file == NULL)
		return 0;
	f = fopen(d->o.ready_file, "w");
	if (f == NULL) {
		fprintf(stderr, "%s: %s: %s\n", PROG, d->o.ready_file,
		    strerror(errno));
		return -1;
	}
	if (fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) == EOF) {
		fprintf(stderr, "%s: %s: write failed\n", PROG,
		    d->o.ready_file);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------------- loop */

static int
drain_timer(struct delayer *d)
{
	uint64_t exp, t = mig_mono_ns();

	if (read(d->tfd, &exp, sizeof(exp)) == -1) {
		if (errno == EAGAIN)
			return 0;
		fprintf(stderr, "%s: timerfd read: %s\n", PROG,
		    strerror(errno));
		return -1;
	}
	if (d->target != 0 && t > d->target) {
		uint64_t late = t - d->target;

		if (late > SPIN_MAX_NS)
			late = SPIN_MAX_NS;
		d->wake_avg = d->wake_avg - d->wake_avg / 8 + late / 8;
	}
	/* fired: re-arm even for the same due time */
	d->armed = d->target = 0;
	return 0;
}

/* Close to the next due time: spin to it, reading the queue meanwhile. */
static int
spin_to_due(struct delayer *d)
{
	while (d->heap.n > 0) {
		uint64_t t = mig_mono_ns(), due = d->heap.v[0].due;

		if (t >= due || due - t > spin_ns(d))
			return 0;
		if (read_queue(d) == -1)
			return -1;
	}
	return 0;
}

/* Returns 1 when a stop signal arrived, 0 otherwise, -1 on error. */
static int
got_signal(struct delayer *d)
{
	struct signalfd_siginfo si;
	ssize_t n = read(d->sfd, &si, sizeof(si));

	if (n == (ssize_t)sizeof(si))
		return 1;
	if (n == -1 && errno == EAGAIN)
		return 0;
	fprintf(stderr, "%s: signalfd read failed\n", PROG);
	return -1;
}

static int
run(struct delayer *d)
{
	struct pollfd pfd[3];

	pfd[0].fd = d->nfd;
	pfd[1].fd = d->tfd;
	pfd[2].fd = d->sfd;
	for (;;) {
		int r, i;

		for (i = 0; i < 3; i++) {
			pfd[i].events = POLLIN;
			pfd[i].revents = 0;
		}
		if (poll(pfd, 3, -1) == -1) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "%s: poll: %s\n", PROG,
			    strerror(errno));
			return -1;
		}
		if ((pfd[1].revents & POLLIN) &&
		    (drain_timer(d) == -1 || spin_to_due(d) == -1))
			return -1;
		if (release_due(d, mig_mono_ns()) == -1)
			return -1;
		if ((pfd[0].revents & (POLLIN | POLLERR)) &&
		    read_queue(d) == -1)
			return -1;
		if (release_due(d, mig_mono_ns()) == -1 || arm_timer(d) == -1)
			return -1;
		if (pfd[2].revents & POLLIN) {
			r = got_signal(d);
			if (r != 0)
				return r == 1 ? 0 : -1;
		}
	}
}

/* Let everything go: what is held and what waits in the socket. */
static int
flush_all(struct delayer *d)
{
	int rc = 0;

	if (read_queue(d) == -1)
		rc = -1;
	if (release_due(d, UINT64_MAX) == -1)
		rc = -1;
	return rc;
}

/*
 * The kernel's counters of this queue: packets dropped because the queue
 * was full (--limit) or because the socket overran.  -1 if unreadable.
 */
static int
kernel_drops(unsigned queue, unsigned long *full, unsigned long *user)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned q, portid, total, mode, range;
	unsigned long qd, ud, idseq;
	int found = -1;

	if (f == NULL)
		return -1;
	while (fscanf(f, "%u %u %u %u %u %lu %lu %lu %*d", &q, &portid, &total,
	    &mode, &range, &qd, &ud, &idseq) == 8) {
		if (q == queue) {
			*full = qd;
			*user = ud;
			found = 0;
			break;
		}
	}
	(void)fclose(f);
	return found;
}

static void
print_stats(const struct delayer *d)
{
	unsigned long full = 0, user = 0;

	if (kernel_drops(d->o.queue, &full, &user) == -1) {
		full = 0;
		user = (unsigned long)d->st.enobufs;
	}
	fprintf(stderr, "%s: queue %u: %llu packets passed; dropped: %lu over "
	    "the limit, %lu socket overruns; released late by %.1f us on "
	    "average, %.1f us at most\n", PROG, d->o.queue,
	    (unsigned long long)d->st.passed,
	    full + (unsigned long)d->st.dropped, user,
	    d->st.passed ? (double)d->st.late_sum / 1e3 / (double)d->st.passed :
	    0.0, (double)d->st.late_max / 1e3);
}

static void
close_all(struct delayer *d)
{
	if (d->qh != NULL && nfq_destroy_queue(d->qh) < 0)
		fprintf(stderr, "%s: nfq_destroy_queue failed\n", PROG);
	if (d->h != NULL && nfq_close(d->h) < 0)
		fprintf(stderr, "%s: nfq_close failed\n", PROG);
	if (d->tfd != -1)
		(void)close(d->tfd);
	if (d->sfd != -1)
		(void)close(d->sfd);
	free(d->heap.v);
}

/* -------------------------------------------------------------- options */

static void
usage(FILE *f)
{
	fprintf(f,
"usage: " PROG " --delay D [--queue N] [--jitter J] [--dist uniform|normal]\n"
"       [--no-reorder] [--limit N] [--seed N] [--realtime] [--ready-file F]\n"
"\n"
"Holds every packet of NFQUEUE queue N (default 0) for D (\"40ms\", \"1.5s\";\n"
"a bare number is ms), plus a jitter sample: uniform in [-J, +J] (default) or\n"
"normal with standard deviation J; never below zero.  Jittered packets may\n"
"overtake each other unless --no-reorder holds them in arrival order.  At\n"
"most --limit packets (default %d) are held; the kernel drops the ones\n"
"beyond, like netem's limit.  Prints \"ready\" once bound.  SIGTERM, SIGINT\n"
"and SIGHUP release every held packet, then exit.\n", DEFAULT_LIMIT);
}

static int
parse_dur(const char *name, const char *s, uint64_t *ns)
{
	struct mig_error e;

	if (mig_parse_duration(name, s, "ms", ns, &e) == -1) {
		mig_error_print(stderr, PROG, &e);
		return -1;
	}
	if (*ns > MAX_DELAY_NS) {
		fprintf(stderr, "%s: %s: %s is out of range (0 to 60s)\n",
		    PROG, name, s);
		return -1;
	}
	return 0;
}

static int
parse_num(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *v)
{
	struct mig_error e;

	if (mig_parse_uint(name, s, min, max, v, &e) == -1) {
		mig_error_print(stderr, PROG, &e);
		return -1;
	}
	return 0;
}

static int
parse_dist(const char *s, enum dist *dist)
{
	if (strcmp(s, "uniform") == 0)
		*dist = DIST_UNIFORM;
	else if (strcmp(s, "normal") == 0)
		*dist = DIST_NORMAL;
	else {
		fprintf(stderr, "%s: --dist: \"%s\" is neither uniform nor "
		    "normal\n", PROG, s);
		return -1;
	}
	return 0;
}

enum { O_DIST = 256, O_NOREORDER, O_SEED, O_REALTIME, O_READY, O_VERSION };

static const struct option longopts[] = {
	{ "queue",	required_argument,	NULL,	'q' },
	{ "delay",	required_argument,	NULL,	'd' },
	{ "jitter",	required_argument,	NULL,	'j' },
	{ "limit",	required_argument,	NULL,	'l' },
	{ "dist",	required_argument,	NULL,	O_DIST },
	{ "no-reorder",	no_argument,		NULL,	O_NOREORDER },
	{ "seed",	required_argument,	NULL,	O_SEED },
	{ "realtime",	no_argument,		NULL,	O_REALTIME },
	{ "ready-file",	required_argument,	NULL,	O_READY },
	{ "help",	no_argument,		NULL,	'h' },
	{ "version",	no_argument,		NULL,	O_VERSION },
	{ NULL,		0,			NULL,	0 },
};

/* 0: go on; 1: exit 0 (--help, --version); 2: usage error. */
static int
parse_opt(struct opts *o, int c, const char *arg, int *have_delay)
{
	uint64_t v;

	switch (c) {
	case 'q':
		if (parse_num("--queue", arg, 0, 65535, &v) == -1)
			return 2;
		o->queue = (unsigned)v;
		return 0;
	case 'd':
		*have_delay = 1;
		return parse_dur("--delay", arg, &o->delay) == -1 ? 2 : 0;
	case 'j':
		return parse_dur("--jitter", arg, &o->jitter) == -1 ? 2 : 0;
	case 'l':
		if (parse_num("--limit", arg, 1, MAX_LIMIT, &v) == -1)
			return 2;
		o->limit = (size_t)v;
		return 0;
	case O_DIST:
		return parse_dist(arg, &o->dist) == -1 ? 2 : 0;
	case O_NOREORDER:
		o->no_reorder = 1;
		return 0;
	case O_SEED:
		o->have_seed = 1;
		return parse_num("--seed", arg, 0, UINT64_MAX, &o->seed) ==
		    -1 ? 2 : 0;
	case O_REALTIME:
		o->realtime = 1;
		return 0;
	case O_READY:
		o->ready_file = arg;
		return 0;
	case 'h':
		usage(stdout);
		return 1;
	case O_VERSION:
		printf("%s %s\n", PROG, MIGNET_VERSION);
		return 1;
	default:
		usage(stderr);
		return 2;
	}
}

/* Returns 0 to run, 1 to exit successfully, 2 on a usage error. */
static int
parse_args(int argc, char **argv, struct opts *o)
{
	int c, r, have_delay = 0;

	memset(o, 0, sizeof(*o));
	o->limit = DEFAULT_LIMIT;
	while ((c = getopt_long(argc, argv, "q:d:j:l:h", longopts,
	    NULL)) != -1) {
		r = parse_opt(o, c, optarg, &have_delay);
		if (r != 0)
			return r;
	}
	if (optind != argc) {
		fprintf(stderr, "%s: unexpected argument \"%s\"\n", PROG,
		    argv[optind]);
		return 2;
	}
	if (!have_delay) {
		fprintf(stderr, "%s: --delay is required\n", PROG);
		usage(stderr);
		return 2;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	struct delayer d;
	int r, rc;

	memset(&d, 0, sizeof(d));
	d.tfd = d.sfd = d.nfd = -1;
	d.wake_avg = 100000;
	r = parse_args(argc, argv, &d.o);
	if (r != 0)
		return r == 1 ? 0 : 2;
	if (prctl(PR_SET_TIMERSLACK, 1UL, 0UL, 0UL, 0UL) == -1)
		fprintf(stderr, "%s: warning: PR_SET_TIMERSLACK: %s\n", PROG,
		    strerror(errno));
	if (d.o.realtime)
		go_realtime();
	if (seed_rng(&d) == -1 || heap_init(&d.heap, d.o.limit) == -1 ||
	    open_fds(&d) == -1 || open_queue(&d) == -1 ||
	    announce_ready(&d) == -1) {
		close_all(&d);
		return 1;
	}
	rc = run(&d) == -1 ? 1 : 0;
	if (flush_all(&d) == -1)
		rc = 1;
	print_stats(&d);
	close_all(&d);
	return rc;
}
