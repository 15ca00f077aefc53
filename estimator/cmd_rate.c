/* SPDX-License-Identifier: ISC */
/*
 * Verb rate: the console's migration rate (§13.3) measured on the source,
 * from the interface's byte counters in /proc/net/dev over the last window,
 * and the remaining time (total - done) / rate.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "estimator/cli.h"

#define WINDOW_MIN_NS	(EST_RATE_WINDOW_MIN_MS * 1000000ULL)
#define WINDOW_MAX_NS	(EST_RATE_WINDOW_MAX_S * MIG_NS_PER_S)

enum direction { DIR_TX, DIR_RX, DIR_BOTH };

struct rate_args {
	const char	*iface;
	uint64_t	 window_ns;
	enum direction	 dir;
	int		 have_total;
	uint64_t	 total, done;
	int		 json;
};

static const struct option rate_opts[] = {
	{ "iface",	required_argument, NULL, OPT_IFACE },
	{ "window",	required_argument, NULL, OPT_WINDOW },
	{ "direction",	required_argument, NULL, OPT_DIRECTION },
	{ "data",	required_argument, NULL, OPT_DATA },
	{ "done",	required_argument, NULL, OPT_DONE },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

static int
parse_window(const char *s, uint64_t *ns, struct mig_error *e)
{
	if (mig_parse_duration("--window", s, "s", ns, e) == -1)
		return -1;
	if (*ns < WINDOW_MIN_NS || *ns > WINDOW_MAX_NS)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--window: %s is out of range [100ms, 1h]", s);
	return 0;
}

static int
parse_direction(const char *s, enum direction *d, struct mig_error *e)
{
	if (strcmp(s, "tx") == 0)
		*d = DIR_TX;
	else if (strcmp(s, "rx") == 0)
		*d = DIR_RX;
	else if (strcmp(s, "both") == 0)
		*d = DIR_BOTH;
	else
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--direction: '%s' is not one of tx, rx, both", s);
	return 0;
}

static int
parse_iface(const char *s, struct mig_error *e)
{
	/* IFNAMSIZ is 16 with the NUL; /proc/net/dev would never match. */
	if (s[0] == '\0' || strlen(s) > 15 || strchr(s, '/') != NULL ||
	    strchr(s, ':') != NULL || strchr(s, ' ') != NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--iface: '%s' is not an interface name (1 to 15 "
		    "characters, no '/', ':' or blank)", s);
	return 0;
}

static int
rate_values(const struct mig_cli_cmd *v, const char *data, const char *done,
    struct rate_args *a)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (data == NULL && done == NULL)
		return MIG_CLI_OK;
	if (data == NULL)
		return mig_cli_usage(v, "--data: missing (--done needs the "
		    "total, e.g. --data 100GB)");
	if (done == NULL)
		return mig_cli_usage(v, "--done: missing (--data needs what is "
		    "already migrated, e.g. --done 40GB)");
	if (cli_size("--data", data, &a->total, &e) == -1 ||
	    mig_parse_size("--done", done, "GB", &a->done, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	if (a->done > a->total)
		return mig_cli_usage(v,
		    "--done: %s is out of range [0, --data %s]", done, data);
	a->have_total = 1;
	return MIG_CLI_OK;
}

static int
rate_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct rate_args *a)
{
	const char *data = NULL, *done = NULL;
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, rate_opts, &status)) != -1) {
		switch (c) {
		case OPT_IFACE:
			if (parse_iface(optarg, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			a->iface = optarg;
			break;
		case OPT_WINDOW:
			if (parse_window(optarg, &a->window_ns, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			break;
		case OPT_DIRECTION:
			if (parse_direction(optarg, &a->dir, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			break;
		case OPT_DATA:
			data = optarg;
			break;
		case OPT_DONE:
			done = optarg;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--iface", a->iface,
	    "the interface the migration leaves by, e.g. eth0")) != MIG_CLI_OK)
		return status;
	return rate_values(v, data, done, a);
}

/* The rate the remaining time divides by: what the source sends, by default. */
static double
used_rate(const struct rate_args *a, const struct est_ifrate *r)
{
	return a->dir == DIR_RX ? r->rx_bps : r->tx_bps;
}

static int
remaining(const struct rate_args *a, const struct est_ifrate *r,
    struct est_hours *h, int *known, struct mig_error *e)
{
	*known = 0;
	if (!a->have_total)
		return 0;
	if (a->total == a->done) {
		est_round_hours(0.0, h);
		*known = 1;
		return 0;
	}
	/* No traffic in the window: there is no finite remaining time. */
	if (!(used_rate(a, r) > 0.0))
		return 0;
	if (est_remaining_at_rate(a->total, a->done, used_rate(a, r), h,
	    e) == -1)
		return -1;
	*known = 1;
	return 0;
}

static const char *
dir_name(enum direction d)
{
	return d == DIR_TX ? "tx" : d == DIR_RX ? "rx" : "both";
}

/* The text's line of one direction: rate and bytes in the window. */
static void
line(struct mig_out *o, const char *name, double bps, uint64_t bytes)
{
	char rt[32], sz[32];

	mig_out_text(o, "%-10s %-16s (%s in the window)\n", name,
	    mig_fmt_rate(rt, sizeof(rt), bps),
	    mig_fmt_size(sz, sizeof(sz), bytes));
}

static void
rate_counters(struct mig_out *o, const struct rate_args *a,
    const struct est_ifrate *r)
{
	mig_out_json_u64(o, "tx_bytes", r->tx_bytes);
	mig_out_json_u64(o, "rx_bytes", r->rx_bytes);
	mig_out_json_fixed(o, "tx_bps", r->tx_bps, 0);
	mig_out_json_fixed(o, "rx_bps", r->rx_bps, 0);
	mig_out_json_fixed(o, "tx_mbit", r->tx_bps / 1e6, 3);
	mig_out_json_fixed(o, "rx_mbit", r->rx_bps / 1e6, 3);
	if (a->dir != DIR_RX)
		line(o, "tx", r->tx_bps, r->tx_bytes);
	if (a->dir != DIR_TX)
		line(o, "rx", r->rx_bps, r->rx_bytes);
}

static void
rate_remaining(struct mig_out *o, const struct rate_args *a,
    const struct est_hours *h, int known)
{
	char sz[32], dn[32], hb[96];

	if (a->have_total) {
		mig_out_json_u64(o, "data_bytes", a->total);
		mig_out_json_u64(o, "done_bytes", a->done);
		mig_out_text(o, "migrated   %s of %s\n", mig_fmt_size(dn,
		    sizeof(dn), a->done), mig_fmt_size(sz, sizeof(sz),
		    a->total));
	}
	if (known) {
		cli_out_hours(o, h);
		mig_out_text(o, "remaining  %s\n", cli_fmt_hours(hb,
		    sizeof(hb), h));
		return;
	}
	cli_out_no_hours(o);
	if (a->have_total)
		mig_out_text(o, "remaining  unknown: no %s traffic in the "
		    "window\n", a->dir == DIR_RX ? "rx" : "tx");
}

static int
rate_out(const struct mig_cli_cmd *v, const struct rate_args *a,
    const struct est_ifrate *r, const struct est_hours *h, int known)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, a->json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 10);
	mig_out_label(o, "interface");
	mig_out_str(o, "iface", "%s\n", a->iface);
	mig_out_label(o, "window");
	mig_out_fixed(o, "window_s", 3, "%.2f s\n",
	    (double)r->ns / (double)MIG_NS_PER_S);
	mig_out_json_str(o, "direction", dir_name(a->dir));
	rate_counters(o, a, r);
	rate_remaining(o, a, h, known);
	return mig_out_finish(o);
}

int
cmd_rate(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct rate_args a = { NULL, EST_RATE_WINDOW_NS, DIR_TX, 0, 0, 0, 0 };
	struct est_ifrate r;
	struct est_hours h;
	struct mig_error e;
	int status, known, tty;

	if ((status = rate_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	/* The window can be long: say what is going on, on a terminal only. */
	tty = isatty(STDERR_FILENO);
	if (tty)
		(void)fprintf(stderr, "measuring %s for %.1f s...", a.iface,
		    (double)a.window_ns / (double)MIG_NS_PER_S);
	status = est_ifrate_sample(NULL, a.iface, a.window_ns, &r, &e);
	if (tty)
		(void)fprintf(stderr, "\r\033[K");
	/* The library's only usage error here is the interface: name it. */
	if (status == -1 && e.kind == MIG_E_USAGE)
		return mig_cli_usage(v, "--iface: %s", e.msg);
	if (status == -1)
		return mig_cli_fail(v, &e, 0);
	if (remaining(&a, &r, &h, &known, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return rate_out(v, &a, &r, &h, known);
}
