/* SPDX-License-Identifier: ISC */
/*
 * Verb check: the SMS.9007 diagnosis.  Exit status 0 when nothing stands
 * in the way of shaping (the root is the kernel's default or ours, and the
 * kernel has HTB), 1 when a cause was found, 2 on a usage error.
 */
#include <linux/pkt_sched.h>

#include <stdio.h>
#include <string.h>

#include <netlink/route/tc.h>

#include "shaper/cli.h"

static const struct option check_opts[] = {
	{ "dev",	required_argument, NULL, OPT_DEV },
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct check_args {
	const char		*dev, *dir;
	struct shaper_dest	 dest;
	int			 have_dest, json;
};

static int
check_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct check_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, check_opts, &status)) != -1) {
		switch (c) {
		case OPT_DEV:
			a->dev = optarg;
			break;
		case OPT_DEST:
			if (shaper_dest_parse("--dest", optarg, &a->dest,
			    &e) == -1)
				return mig_cli_fail(v, &e, 0);
			a->have_dest = 1;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_STATE_DIR:
			if ((status = cli_state_dir(v, optarg, &a->dir)) !=
			    MIG_CLI_OK)
				return status;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	if (a->dev == NULL && !a->have_dest)
		return mig_cli_usage(v, "give --dev IF or --dest ADDR");
	return MIG_CLI_OK;
}

static const char *
support(enum shaper_support s)
{
	return s == SHAPER_YES ? "yes" : s == SHAPER_NO ? "no" : "unknown";
}

static const char *
verdict(const struct shaper_check *c)
{
	if (c->root_foreign)
		return "foreign root qdisc: the suite will not override it";
	if (c->htb == SHAPER_NO)
		return "the kernel has no HTB (sch_htb): shaping impossible";
	if (c->root_ours)
		return "ok: mignet's htb root is in place";
	return "ok: default root, shaping can be applied";
}

static char *
qdisc_text(const struct shaper_qdisc_info *q, char *buf, size_t len)
{
	char h[16], p[16];

	if (q->handle == 0)
		(void)snprintf(h, sizeof(h), "0:");
	else
		(void)rtnl_tc_handle2str(q->handle, h, sizeof(h));
	if (q->parent == TC_H_ROOT)
		(void)snprintf(p, sizeof(p), "root");
	else
		(void)rtnl_tc_handle2str(q->parent, p, sizeof(p));
	(void)snprintf(buf, len, "%s %s parent %s", q->kind, h, p);
	return buf;
}

static void
check_route(struct mig_out *o, const struct shaper_check *c)
{
	if (!c->have_route)
		return;
	mig_out_json_str(o, "gateway", c->gateway);
	mig_out_json_str(o, "source", c->prefsrc);
	mig_out_label(o, "route");
	mig_out_text(o, "%s%s\n", c->gateway[0] ? "via " : "on-link",
	    c->gateway);
}

static void
check_kernel(struct mig_out *o, const struct shaper_check *c)
{
	mig_out_label(o, "kernel");
	mig_out_str(o, "htb", "htb %s, ", support(c->htb));
	mig_out_str(o, "tbf", "tbf %s, ", support(c->tbf));
	mig_out_str(o, "cbq", "cbq %s", support(c->cbq));
	mig_out_text(o, "%s\n", c->cbq == SHAPER_NO ? " (removed in Linux "
	    "6.3: mignet uses HTB)" : "");
	if (c->probe_note[0]) {
		mig_out_label(o, "");
		mig_out_text(o, "%s\n", c->probe_note);
	}
}

static int
check_out(const struct mig_cli_cmd *v, int json, const struct shaper_check *c)
{
	struct mig_out *o;
	char t[64];
	size_t i;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 10);
	mig_out_label(o, "device");
	mig_out_str(o, "dev", "%s", c->dev);
	mig_out_i64(o, "ifindex", " (index %lld)\n", c->ifindex);
	check_route(o, c);
	mig_out_open_array(o, "qdiscs");
	for (i = 0; i < c->nqdiscs; i++) {
		mig_out_label(o, i == 0 ? "qdiscs" : "");
		mig_out_str(o, NULL, "%s\n", qdisc_text(&c->qdiscs[i], t,
		    sizeof(t)));
	}
	mig_out_close(o);
	mig_out_json_str(o, "root", qdisc_text(&c->root, t, sizeof(t)));
	mig_out_json_bool(o, "root_foreign", c->root_foreign);
	mig_out_json_bool(o, "root_ours", c->root_ours);
	mig_out_label(o, "filters");
	mig_out_u64(o, "filters", "%llu under the root\n", c->nfilters);
	mig_out_label(o, "limits");
	mig_out_u64(o, "limits", "%llu\n", c->limits);
	check_kernel(o, c);
	mig_out_label(o, "verdict");
	mig_out_str(o, "verdict", "%s\n", verdict(c));
	if (c->root_foreign)
		mig_out_text(o, "\nThe agent does not override existing "
		    "rules.  Look at the rule with\n  tc -s qdisc show dev "
		    "%s\nand remove it with\n  tc qdisc del dev %s root\nonly "
		    "if the business does not depend on it (%s).\n", c->dev,
		    c->dev, MIG_SMS_OVERSPEED);
	return mig_out_finish(o);
}

int
cmd_check(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct check_args a;
	struct shaper_check c;
	struct shaper_ctx *ctx;
	struct mig_error e;
	int status;

	memset(&a, 0, sizeof(a));
	mig_error_clear(&e);
	if ((status = check_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, a.dir, &ctx)) != MIG_CLI_OK)
		return status;
	if (shaper_check(ctx, a.dev, a.have_dest ? &a.dest : NULL, &c,
	    &e) == -1) {
		shaper_close(ctx);
		return mig_cli_fail(v, &e, 0);
	}
	shaper_close(ctx);
	if ((status = check_out(v, a.json, &c)) != MIG_CLI_OK)
		return status;
	return c.root_foreign || c.htb == SHAPER_NO ? MIG_CLI_ATTENTION :
	    MIG_CLI_OK;
}
