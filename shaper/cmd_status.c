/*
 * Verb status: per limit the configured rate, the window in effect, and
 * the class's counters and measured rate as the kernel has them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shaper/cli.h"

#define INTERVAL_MAX	(60 * MIG_NS_PER_S)

static const struct option status_opts[] = {
	{ "interval",	required_argument, NULL, OPT_INTERVAL },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct status_args {
	uint64_t	 interval;
	int		 json;
	const char	*dir;
};

static int
status_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct status_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, status_opts,
	    &status)) != -1) {
		switch (c) {
		case OPT_INTERVAL:
			if (mig_parse_duration("--interval", optarg, "s",
			    &a->interval, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			if (a->interval > INTERVAL_MAX)
				return mig_cli_usage(v, "--interval: %s is "
				    "out of range [0, 60s]", optarg);
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
	return mig_cli_no_operands(v, argc, argv);
}

static struct json_object *
stat_json(const struct shaper_stat *s)
{
	struct json_object *o, *w;
	char d[SHAPER_DEST_TEXT], t[96];
	size_t i;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL ||
	    (w = json_object_new_array()) == NULL) {
		json_object_put(o);
		return NULL;
	}
	bad |= mig_json_add(o, "dest", json_object_new_string(
	    shaper_dest_format(&s->limit.dest, d, sizeof(d))));
	bad |= mig_json_add(o, "dev", json_object_new_string(s->dev));
	(void)snprintf(t, sizeof(t), "%x:%x", s->classid >> 16,
	    s->classid & 0xffff);
	bad |= mig_json_add(o, "class", json_object_new_string(t));
	bad |= mig_json_add(o, "rate_bps",
	    json_object_new_uint64(s->limit.rate_bps));
	for (i = 0; i < s->limit.nwindows; i++)
		bad |= mig_json_push(w, json_object_new_string(
		    shaper_window_format(&s->limit.windows[i], t, sizeof(t))));
	bad |= mig_json_add(o, "windows", w);
	bad |= json_object_object_add(o, "active_window", s->window >= 0 ?
	    json_object_new_int(s->window) : NULL) != 0;
	bad |= mig_json_add(o, "present", json_object_new_boolean(s->present));
	bad |= mig_json_add(o, "kernel_rate_bps",
	    json_object_new_uint64(s->rate_bps));
	bad |= mig_json_add(o, "burst", json_object_new_uint64(s->burst));
	bad |= mig_json_add(o, "quantum", json_object_new_uint64(s->quantum));
	bad |= mig_json_add(o, "bytes", json_object_new_uint64(s->bytes));
	bad |= mig_json_add(o, "packets", json_object_new_uint64(s->packets));
	bad |= mig_json_add(o, "drops", json_object_new_uint64(s->drops));
	bad |= mig_json_add(o, "overlimits",
	    json_object_new_uint64(s->overlimits));
	bad |= json_object_object_add(o, "measured_bps", s->measured_bps >= 0 ?
	    mig_json_fixed(s->measured_bps, 0) : NULL) != 0;
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int
status_json(const struct mig_cli_cmd *v, const struct shaper_stat *s, size_t n)
{
	struct json_object *o, *a;
	size_t i;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return mig_cli_json_print(v, NULL);
	if ((a = json_object_new_array()) == NULL) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	for (i = 0; i < n; i++)
		bad |= mig_json_push(a, stat_json(&s[i]));
	bad |= mig_json_add(o, "limits", a);
	if (bad) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	return mig_cli_json_print(v, o);
}

static void
status_line(const struct shaper_stat *s)
{
	char d[SHAPER_DEST_TEXT], r[32], m[32], c[16], w[8];

	(void)snprintf(c, sizeof(c), "%x:%x", s->classid >> 16,
	    s->classid & 0xffff);
	(void)snprintf(w, sizeof(w), s->window >= 0 ? "%d" : "-", s->window);
	if (s->measured_bps >= 0)
		(void)mig_fmt_rate(m, sizeof(m), s->measured_bps);
	else
		(void)snprintf(m, sizeof(m), "-");
	(void)printf("%-24s %-10s %-8s %-14s %-6s %-14s %12llu %8llu "
	    "%10llu%s\n",
	    shaper_dest_format(&s->limit.dest, d, sizeof(d)), s->dev, c,
	    mig_fmt_rate(r, sizeof(r), (double)s->rate_bps), w, m,
	    (unsigned long long)s->bytes, (unsigned long long)s->drops,
	    (unsigned long long)s->overlimits,
	    s->present ? "" : "  (class gone: removed behind our back)");
}

int
cmd_status(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct status_args a = { MIG_NS_PER_S, 0, NULL };
	struct shaper_stat *s;
	struct shaper_ctx *ctx;
	struct mig_error e;
	size_t n, i;
	int status;

	mig_error_clear(&e);
	if ((status = status_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, a.dir, &ctx)) != MIG_CLI_OK)
		return status;
	if (shaper_status(ctx, a.interval, &s, &n, &e) == -1) {
		shaper_close(ctx);
		return mig_cli_fail(v, &e, 0);
	}
	shaper_close(ctx);
	if (a.json) {
		status = status_json(v, s, n);
		free(s);
		return status;
	}
	if (n == 0)
		(void)printf("no limits\n");
	else
		(void)printf("%-24s %-10s %-8s %-14s %-6s %-14s %12s %8s "
		    "%10s\n",
		    "dest", "device", "class", "rate", "window", "measured",
		    "bytes", "drops", "overlimits");
	for (i = 0; i < n; i++)
		status_line(&s[i]);
	free(s);
	return mig_cli_flush(v);
}
