/* SPDX-License-Identifier: ISC */
/*
 * Verb procs: the maximum number of processes of a Linux file-level
 * migration (§8.4).  The document gives its example in one unit ("1000 M",
 * "500 M", "300 M"); here every rate carries its unit and is compared in
 * bit/s, so a disk in MB/s and a link in Mbit/s cannot be mixed up.
 */
#include <stdio.h>

#include "estimator/cli.h"

#define DISKS_MAX	4096

struct procs_args {
	unsigned	 disks;
	uint64_t	 bw, rd, wr;
	int		 json;
};

static const struct option procs_opts[] = {
	{ "disks",	required_argument, NULL, OPT_DISKS },
	{ "bandwidth",	required_argument, NULL, OPT_BANDWIDTH },
	{ "disk-read",	required_argument, NULL, OPT_DISK_READ },
	{ "disk-write",	required_argument, NULL, OPT_DISK_WRITE },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

static int
procs_values(const struct mig_cli_cmd *v, const char *disks, const char *bw,
    const char *rd, const char *wr, struct procs_args *a)
{
	struct mig_error e;
	uint64_t n;

	mig_error_clear(&e);
	if (mig_parse_uint("--disks", disks, 1, DISKS_MAX, &n, &e) == -1 ||
	    cli_rate("--bandwidth", bw, "mbit", &a->bw, &e) == -1 ||
	    /* Disks are quoted in MB/s, links in Mbit/s: no guessing. */
	    cli_rate("--disk-read", rd, NULL, &a->rd, &e) == -1 ||
	    cli_rate("--disk-write", wr, NULL, &a->wr, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	a->disks = (unsigned)n;
	return MIG_CLI_OK;
}

static int
procs_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct procs_args *a)
{
	const char *disks = NULL, *bw = NULL, *rd = NULL, *wr = NULL;
	int c, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, procs_opts, &status)) != -1) {
		switch (c) {
		case OPT_DISKS:
			disks = optarg;
			break;
		case OPT_BANDWIDTH:
			bw = optarg;
			break;
		case OPT_DISK_READ:
			rd = optarg;
			break;
		case OPT_DISK_WRITE:
			wr = optarg;
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
	    (status = mig_cli_required(v, "--disks", disks,
	    "the number of disks to migrate, 1 or more")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--bandwidth", bw,
	    "source to destination, e.g. 1000mbit")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--disk-read", rd,
	    "the source's read speed with its unit, e.g. 500mbit or "
	    "60MB/s")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--disk-write", wr,
	    "the destination's write speed with its unit, e.g. 300mbit or "
	    "40MB/s")) != MIG_CLI_OK)
		return status;
	return procs_values(v, disks, bw, rd, wr, a);
}

static const char *
limit_text(enum est_procs_limit l)
{
	switch (l) {
	case EST_LIM_DISKS:
		return "disks";
	case EST_LIM_RATIO:
		return "bandwidth/disk_io";
	case EST_LIM_CAP:
		return "cap";
	case EST_LIM_FLOOR:
		return "floor";
	}
	return "?";
}

#define LOW_BW_TEXT "bandwidth below 300 Mbit/s: multi-process transfer " \
	"is not recommended (§8.4)"

/* A rate: bit/s in JSON, with its unit in the text. */
static void
rate(struct mig_out *o, const char *label, const char *key, uint64_t bps,
    const char *note)
{
	char rt[32];

	mig_out_json_u64(o, key, bps);
	mig_out_label(o, label);
	mig_out_text(o, "%s%s\n", mig_fmt_rate(rt, sizeof(rt), (double)bps),
	    note);
}

static int
procs_out(const struct mig_cli_cmd *v, const struct procs_args *a,
    const struct est_procs *p)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, a->json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 14);
	mig_out_json_u64(o, "disks", a->disks);
	rate(o, "bandwidth", "bandwidth_bps", a->bw, "");
	rate(o, "disk read", "disk_read_bps", a->rd, "");
	rate(o, "disk write", "disk_write_bps", a->wr, "");
	rate(o, "disk IO", "disk_io_bps", p->disk_io_bps,
	    " (the smaller of read and write)");
	mig_out_label(o, "disks");
	mig_out_text(o, "%u\n", a->disks);
	mig_out_label(o, "bandwidth/IO");
	mig_out_fixed(o, "bandwidth_per_disk_io", 2, "%.2f -> ",
	    (double)a->bw / (double)p->disk_io_bps);
	mig_out_u64(o, "ratio", "%llu\n", p->ratio);
	/* min() as the document writes it: min(4, 3, 4) = 3. */
	mig_out_label(o, "max processes");
	mig_out_text(o, "min(%u, %llu, %d) = ", a->disks,
	    (unsigned long long)p->ratio, EST_PROCS_MAX);
	mig_out_u64(o, "max_processes", "%llu", p->max);
	mig_out_text(o, "%s\n", p->limit == EST_LIM_FLOOR ? " (at least 1)" :
	    "");
	mig_out_json_str(o, "limited_by", limit_text(p->limit));
	mig_out_open_array(o, "warnings");
	if (p->low_bandwidth)
		mig_out_json_str(o, NULL, LOW_BW_TEXT);
	mig_out_close(o);
	return mig_out_finish(o);
}

int
cmd_procs(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct procs_args a = { 0, 0, 0, 0, 0 };
	struct est_procs p;
	struct mig_error e;
	int status;

	if ((status = procs_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	if (est_procs(a.disks, a.bw, a.rd, a.wr, &p, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	if (p.low_bandwidth)
		mig_cli_warn(v, "%s", LOW_BW_TEXT);
	return procs_out(v, &a, &p);
}
