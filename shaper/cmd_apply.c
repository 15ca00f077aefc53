/* SPDX-License-Identifier: ISC */
/*
 * Verb apply: one cap to one destination.  Every value is checked before
 * anything on the system changes.
 */
#include <stdio.h>
#include <string.h>

#include "shaper/cli.h"

struct apply_args {
	struct shaper_limit	 l;
	const char		*dest, *rate, *dev, *dir;
	size_t			 given;		/* windows on the line */
};

static const struct option apply_opts[] = {
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "rate",	required_argument, NULL, OPT_RATE },
	{ "dev",	required_argument, NULL, OPT_DEV },
	{ "window",	required_argument, NULL, OPT_WINDOW },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

static int
add_window(const struct mig_cli_cmd *v, struct apply_args *a, const char *s)
{
	struct mig_error e;

	mig_error_clear(&e);
	/* Count them all so the complaint says how many were given. */
	if (a->given++ >= SHAPER_MAX_WINDOWS)
		return MIG_CLI_OK;
	if (shaper_window_parse("--window", s, &a->l.windows[a->l.nwindows],
	    &e) == -1)
		return mig_cli_fail(v, &e, 0);
	a->l.nwindows++;
	return MIG_CLI_OK;
}

static int
apply_values(const struct mig_cli_cmd *v, struct apply_args *a)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (a->dest == NULL)
		return mig_cli_usage(v, "--dest: missing (the destination, "
		    "e.g. --dest 198.18.1.2:22)");
	if (a->rate == NULL)
		return mig_cli_usage(v, "--rate: missing (the cap, e.g. "
		    "--rate 50mbit)");
	if (shaper_dest_parse("--dest", a->dest, &a->l.dest, &e) == -1 ||
	    shaper_rate_parse("--rate", a->rate, &a->l.rate_bps, &e) == -1 ||
	    shaper_windows_check("--window", a->l.windows, a->given, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}

static int
apply_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct apply_args *a)
{
	int c, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, apply_opts, &status)) != -1) {
		switch (c) {
		case OPT_DEST:
			a->dest = optarg;
			break;
		case OPT_RATE:
			a->rate = optarg;
			break;
		case OPT_DEV:
			a->dev = optarg;
			break;
		case OPT_WINDOW:
			if ((status = add_window(v, a, optarg)) != MIG_CLI_OK)
				return status;
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
	return apply_values(v, a);
}

/* What was applied; text only (apply has no --json). */
static void
report(struct mig_out *o, const struct apply_args *a,
    const struct shaper_applied *r)
{
	char d[SHAPER_DEST_TEXT], rate[32], w[96];

	mig_out_labels(o, 10);
	mig_out_label(o, "dest");
	mig_out_text(o, "%s\n", shaper_dest_format(&a->l.dest, d, sizeof(d)));
	mig_out_label(o, "device");
	mig_out_text(o, "%s\n", r->dev);
	mig_out_label(o, "class");
	mig_out_text(o, "%x:%x%s\n", r->classid >> 16, r->classid & 0xffff,
	    r->replaced ? " (changed in place)" :
	    r->created_root ? " (new htb root 6d67:)" : "");
	mig_out_label(o, "rate");
	mig_out_text(o, "%s%s\n", mig_fmt_rate(rate, sizeof(rate),
	    (double)r->rate_bps), r->window >= 0 ? " (window)" : "");
	if (r->window >= 0) {
		mig_out_label(o, "window");
		mig_out_text(o, "%s\n", shaper_window_format(
		    &a->l.windows[r->window], w, sizeof(w)));
	}
	mig_out_label(o, "burst");
	mig_out_text(o, "%u bytes (cburst the same)\n", r->htb.burst);
	mig_out_label(o, "quantum");
	mig_out_text(o, "%u bytes\n", r->htb.quantum);
	mig_out_label(o, "queue");
	mig_out_text(o, "%u bytes (%.0f ms at the rate; bulk band %x:2%02x)\n",
	    r->htb.queue_limit, (double)r->htb.queue_limit * 1000.0 /
	    (double)r->htb.rate_Bps, r->classid >> 16, r->classid & 0xff);
	mig_out_label(o, "band");
	mig_out_text(o, "packets under %u bytes first (%x:1%02x, own rate "
	    "%s)\n", SHAPER_BAND_BELOW, r->classid >> 16, r->classid & 0xff,
	    mig_fmt_rate(rate, sizeof(rate), (double)r->htb.band_Bps * 8));
}

int
cmd_apply(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct apply_args a;
	struct shaper_applied r;
	struct shaper_ctx *ctx;
	struct mig_out *o;
	struct mig_error e;
	int status;

	memset(&a, 0, sizeof(a));
	mig_error_clear(&e);
	if ((status = apply_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, a.dir, &ctx)) != MIG_CLI_OK)
		return status;
	if (shaper_apply(ctx, a.dev, &a.l, &r, &e) == -1) {
		shaper_close(ctx);
		return mig_cli_fail(v, &e, 0);
	}
	shaper_close(ctx);
	/* Applied already: out of memory here is reported, not undone. */
	if ((o = mig_out_new(v, 0)) == NULL)
		return mig_out_nomem(v);
	report(o, &a, &r);
	if (a.l.nwindows > 0)
		mig_cli_note(v, "the windows switch only while `shaper run` "
		    "(or the agent) keeps the schedule");
	return mig_out_finish(o);
}
