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

static int
check_json(const struct mig_cli_cmd *v, const struct shaper_check *c)
{
	struct json_object *o, *qs;
	char t[64];
	size_t i;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL ||
	    (qs = json_object_new_array()) == NULL) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	bad |= mig_json_add(o, "dev", json_object_new_string(c->dev));
	bad |= mig_json_add(o, "ifindex", json_object_new_int(c->ifindex));
	if (c->have_route) {
		bad |= mig_json_add(o, "gateway",
		    json_object_new_string(c->gateway));
		bad |= mig_json_add(o, "source",
		    json_object_new_string(c->prefsrc));
	}
	for (i = 0; i < c->nqdiscs; i++)
		bad |= mig_json_push(qs, json_object_new_string(
		    qdisc_text(&c->qdiscs[i], t, sizeof(t))));
	bad |= mig_json_add(o, "qdiscs", qs);
	bad |= mig_json_add(o, "root", json_object_new_string(
	    qdisc_text(&c->root, t, sizeof(t))));
	bad |= mig_json_add(o, "root_foreign",
	    json_object_new_boolean(c->root_foreign));
	bad |= mig_json_add(o, "root_ours",
	    json_object_new_boolean(c->root_ours));
	bad |= mig_json_add(o, "filters", json_object_new_uint64(c->nfilters));
	bad |= mig_json_add(o, "limits", json_object_new_uint64(c->limits));
	bad |= mig_json_add(o, "htb", json_object_new_string(support(c->htb)));
	bad |= mig_json_add(o, "tbf", json_object_new_string(support(c->tbf)));
	bad |= mig_json_add(o, "cbq", json_object_new_string(support(c->cbq)));
	bad |= mig_json_add(o, "verdict", json_object_new_string(verdict(c)));
	if (bad) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	return mig_cli_json_print(v, o);
}

static void
check_text(const struct shaper_check *c)
{
	char t[64];
	size_t i;

	(void)printf("%-10s %s (index %d)\n", "device", c->dev, c->ifindex);
	if (c->have_route)
		(void)printf("%-10s %s%s\n", "route", c->gateway[0] ?
		    "via " : "on-link", c->gateway);
	for (i = 0; i < c->nqdiscs; i++)
		(void)printf("%-10s %s\n", i == 0 ? "qdiscs" : "",
		    qdisc_text(&c->qdiscs[i], t, sizeof(t)));
	(void)printf("%-10s %zu under the root\n", "filters", c->nfilters);
	(void)printf("%-10s %zu\n", "limits", c->limits);
	(void)printf("%-10s htb %s, tbf %s, cbq %s%s\n", "kernel",
	    support(c->htb), support(c->tbf), support(c->cbq),
	    c->cbq == SHAPER_NO ? " (removed in Linux 6.3: mignet uses HTB)" :
	    "");
	if (c->probe_note[0])
		(void)printf("%-10s %s\n", "", c->probe_note);
	(void)printf("%-10s %s\n", "verdict", verdict(c));
	if (c->root_foreign)
		(void)printf("\nThe agent does not override existing rules.  "
		    "Look at the rule with\n  tc -s qdisc show dev %s\nand "
		    "remove it with\n  tc qdisc del dev %s root\nonly if the "
		    "business does not depend on it (SMS.9007).\n", c->dev,
		    c->dev);
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
	if (a.json)
		status = check_json(v, &c);
	else {
		check_text(&c);
		status = mig_cli_flush(v);
	}
	if (status != MIG_CLI_OK)
		return status;
	return c.root_foreign || c.htb == SHAPER_NO ? MIG_CLI_FAIL : MIG_CLI_OK;
}
