/* SPDX-License-Identifier: ISC */
/*
 * Verb compress: compression threads of a Linux block-level migration and
 * the CPU ceiling they bring (§2.15, §8.2), and the buffer memory (6 nodes
 * of 1..8 MB).  Without --cpu-usage the current usage is measured.
 */
#include <stdio.h>
#include <unistd.h>

#include "estimator/cli.h"

#define CORES_MAX	65536
#define MEASURE_NS	MIG_NS_PER_S	/* one second of /proc/stat */

struct comp_args {
	unsigned		 cores;
	int			 cores_given;
	double			 cpu;
	int			 cpu_given;
	enum est_compress_mode	 mode;
	unsigned		 threads;
	unsigned		 node_mb;
	int			 json;
};

static const struct option comp_opts[] = {
	{ "cores",	 required_argument, NULL, OPT_CORES },
	{ "cpu-usage",	 required_argument, NULL, OPT_CPU },
	{ "threads",	 required_argument, NULL, OPT_THREADS },
	{ "no-compress", no_argument,	    NULL, OPT_NO_COMPRESS },
	{ "node-size",	 required_argument, NULL, OPT_NODE_SIZE },
	{ "json",	 no_argument,	    NULL, OPT_JSON },
	{ "help",	 no_argument,	    NULL, OPT_HELP },
	{ NULL,		 0,		    NULL, 0 },
};

static int
parse_node_size(const char *s, unsigned *mb, struct mig_error *e)
{
	uint64_t b;

	/* The console takes whole MB, 1 to 8 (§8.2); a bare number is MB. */
	if (mig_parse_size("--node-size", s, "MB", &b, e) == -1)
		return -1;
	if (b % MIG_MB != 0 || b < EST_NODE_MB_MIN * MIG_MB ||
	    b > EST_NODE_MB_MAX * MIG_MB)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--node-size: %s is out of range [%d, %d] MB (whole MB)",
		    s, EST_NODE_MB_MIN, EST_NODE_MB_MAX);
	*mb = (unsigned)(b / MIG_MB);
	return 0;
}

static int
comp_option(int c, struct comp_args *a, struct mig_error *e)
{
	uint64_t n;

	switch (c) {
	case OPT_CORES:
		if (mig_parse_uint("--cores", optarg, 1, CORES_MAX, &n,
		    e) == -1)
			return -1;
		a->cores = (unsigned)n;
		a->cores_given = 1;
		break;
	case OPT_CPU:
		if (mig_parse_percent("--cpu-usage", optarg, 0.0, 100.0,
		    &a->cpu, e) == -1)
			return -1;
		a->cpu_given = 1;
		break;
	case OPT_THREADS:
		if (mig_parse_uint("--threads", optarg, 1, EST_THREADS_MAX, &n,
		    e) == -1)
			return -1;
		if (a->mode == EST_COMPRESS_OFF)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--threads: not with --no-compress");
		a->threads = (unsigned)n;
		a->mode = EST_COMPRESS_THREADS;
		break;
	case OPT_NO_COMPRESS:
		if (a->mode == EST_COMPRESS_THREADS)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--no-compress: not with --threads");
		a->mode = EST_COMPRESS_OFF;
		break;
	case OPT_NODE_SIZE:
		return parse_node_size(optarg, &a->node_mb, e);
	case OPT_JSON:
		a->json = 1;
		break;
	}
	return 0;
}

static int
comp_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct comp_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, comp_opts, &status)) != -1) {
		if (c == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (c == MIG_CLI_USAGE)
			return status;
		if (comp_option(c, a, &e) == -1)
			return mig_cli_fail(v, &e, 0);
	}
	return mig_cli_no_operands(v, argc, argv);
}

/* What the command needs and was not given: this machine's figures. */
static int
comp_measure(const struct comp_args *a, unsigned *cores, double *cpu,
    struct mig_error *e)
{
	unsigned ncpu = 0;
	long n;
	int tty;

	if (!a->cores_given) {
		if ((n = sysconf(_SC_NPROCESSORS_ONLN)) < 1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "cannot count the online CPUs; give --cores");
		*cores = n > CORES_MAX ? CORES_MAX : (unsigned)n;
	}
	if (a->cpu_given)
		return 0;
	tty = isatty(STDERR_FILENO);
	if (tty)
		(void)fprintf(stderr, "measuring the CPU usage for 1 s...");
	n = mig_proc_cpu_usage(MEASURE_NS, cpu, &ncpu, e);
	if (tty)
		(void)fprintf(stderr, "\r\033[K");
	if (n == -1)
		return -1;
	/* Idle to busy rounding can stray by a hair: the table wants 0..100. */
	if (*cpu < 0.0)
		*cpu = 0.0;
	if (*cpu > 100.0)
		*cpu = 100.0;
	return 0;
}

static double
row_formula(const struct est_compress_row *r)
{
	if (r->threads == 0)
		return EST_NOCOMPRESS_ADD;
	return r->threads * 100.0 / r->cores;
}

static const char *
mode_text(enum est_compress_mode m)
{
	switch (m) {
	case EST_COMPRESS_AUTO:
		return "auto";
	case EST_COMPRESS_OFF:
		return "off";
	case EST_COMPRESS_THREADS:
		return "threads";
	}
	return "?";
}

/* 25 as "25", 18.75 as "18.75", 100/3 as "33.33". */
static const char *
pct(char *buf, size_t len, double v)
{
	if (v == (double)(long)v)
		(void)snprintf(buf, len, "%ld", (long)v);
	else
		(void)snprintf(buf, len, "%.2f", v);
	return buf;
}

/* The §2.15 table, the row used marked. */
static void
table_out(struct mig_out *o, const struct est_compress *c)
{
	const struct est_compress_row *r;
	char cores[16], ceil[24], form[64];
	size_t i;

	mig_out_text(o, "\nThe §2.15 table (> marks the row used):\n");
	mig_out_text(o, "  %-6s %-17s %-8s %-12s %s\n", "cores", "n",
	    "threads", "CPU ceiling", "formula");
	mig_out_open_array(o, "table");
	for (i = 0; i < est_compress_nrows(); i++) {
		r = est_compress_row_at(i);
		mig_out_open(o, NULL);
		mig_out_json_i64(o, "cores", r->cores);
		mig_out_json_bool(o, "or_more", r->cores_max != r->cores);
		mig_out_json_str(o, "condition", r->condition);
		mig_out_json_i64(o, "threads", r->threads);
		mig_out_json_i64(o, "ceiling_add", r->ceiling_add);
		mig_out_json_fixed(o, "formula_add", row_formula(r), 3);
		mig_out_close(o);
		(void)snprintf(cores, sizeof(cores), "%s%u",
		    r->cores_max != r->cores ? ">=" : "", r->cores);
		(void)snprintf(ceil, sizeof(ceil), "< n + %u%%",
		    r->ceiling_add);
		/* p = 0 is no compression: the document's n + 10 %. */
		(void)snprintf(form, sizeof(form), "n + %g%%%s",
		    row_formula(r), r->threads == 0 ? " (no compression)" :
		    r->cores_max != r->cores ? " (at 32 cores)" : "");
		mig_out_text(o, "%c %-6s %-17s %-8u %-12s %s\n",
		    r == c->row ? '>' : ' ', cores, r->condition, r->threads,
		    ceil, form);
	}
	mig_out_close(o);
}

static void
buffer_out(struct mig_out *o, unsigned node_mb, unsigned total)
{
	mig_out_open(o, "buffer");
	mig_out_json_i64(o, "nodes", EST_BUFFER_NODES);
	mig_out_json_i64(o, "node_mb", node_mb);
	mig_out_json_i64(o, "total_mb", total);
	mig_out_json_i64(o, "min_mb", EST_BUFFER_NODES * EST_NODE_MB_MIN);
	mig_out_json_i64(o, "default_mb",
	    EST_BUFFER_NODES * EST_NODE_MB_DEFAULT);
	mig_out_json_i64(o, "max_mb", EST_BUFFER_NODES * EST_NODE_MB_MAX);
	mig_out_close(o);
	mig_out_label(o, "buffer memory");
	mig_out_text(o, "%u MB = %d nodes x %u MB (min %d, default %d, max "
	    "%d MB)\n", total, EST_BUFFER_NODES, node_mb,
	    EST_BUFFER_NODES * EST_NODE_MB_MIN,
	    EST_BUFFER_NODES * EST_NODE_MB_DEFAULT,
	    EST_BUFFER_NODES * EST_NODE_MB_MAX);
}

/* How the threads were chosen: the text's sentence, JSON's row. */
static void
choice_out(struct mig_out *o, const struct comp_args *a,
    const struct est_compress *c)
{
	if (c->row != NULL) {
		mig_out_json_i64(o, "table_cores", c->table_cores);
		mig_out_json_str(o, "condition", c->row->condition);
	} else {
		mig_out_null(o, "table_cores");
		mig_out_null(o, "condition");
	}
	mig_out_json_bool(o, "listed", c->listed);
	mig_out_label(o, "compression");
	if (a->mode == EST_COMPRESS_OFF)
		mig_out_text(o, "off: CPU < n + 10%% (§2.15)\n");
	else if (a->mode == EST_COMPRESS_THREADS)
		mig_out_text(o, "on, threads set by hand (§8.2)\n");
	else if (c->listed)
		mig_out_text(o, "on, the agent's default: row \"%s%u cores, "
		    "%s\"\n", c->row->cores_max != c->row->cores ? ">= " : "",
		    c->row->cores, c->row->condition);
	else
		mig_out_text(o, "on, the agent's default: %u cores is not in "
		    "the table,\n               the rows of %u cores apply: "
		    "\"%s\"\n", c->cores, c->table_cores, c->row->condition);
}

static void
ceiling_out(struct mig_out *o, const struct est_compress *c)
{
	char f[32];

	mig_out_json_fixed(o, "ceiling_add", c->ceiling_add, 2);
	mig_out_json_fixed(o, "formula_add", c->formula_add, 2);
	mig_out_json_fixed(o, "ceiling_pct", c->ceiling_pct, 1);
	mig_out_label(o, "CPU ceiling");
	if (c->listed && c->ceiling_add != c->formula_add)
		mig_out_text(o, "< %.1f%% (n + %.0f%% as printed; the formula "
		    "gives n + %s%%)\n", c->ceiling_pct, c->ceiling_add,
		    pct(f, sizeof(f), c->formula_add));
	else
		mig_out_text(o, "< %.1f%% (n + %s%%)\n", c->ceiling_pct,
		    pct(f, sizeof(f), c->ceiling_add));
}

static int
comp_out(const struct mig_cli_cmd *v, const struct comp_args *a,
    const struct est_compress *c, unsigned total)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, a->json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 14);
	mig_out_label(o, "cores");
	mig_out_u64(o, "cores", "%llu", c->cores);
	mig_out_text(o, "%s\n", a->cores_given ? "" : " (this machine)");
	mig_out_label(o, "CPU usage n");
	mig_out_fixed(o, "cpu_usage", 1, "%.1f%%", c->cpu_pct);
	mig_out_text(o, "%s\n", a->cpu_given ? "" : " (measured over 1 s)");
	mig_out_json_bool(o, "cpu_measured", !a->cpu_given);
	mig_out_json_str(o, "mode", mode_text(a->mode));
	choice_out(o, a, c);
	mig_out_label(o, "threads");
	mig_out_u64(o, "threads", "%llu\n", c->threads);
	ceiling_out(o, c);
	buffer_out(o, a->node_mb, total);
	table_out(o, c);
	return mig_out_finish(o);
}

int
cmd_compress(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct comp_args a = { 0, 0, 0.0, 0, EST_COMPRESS_AUTO, 0,
	    EST_NODE_MB_DEFAULT, 0 };
	struct est_compress c;
	struct mig_error e;
	unsigned total;
	int status;

	if ((status = comp_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	if (comp_measure(&a, &a.cores, &a.cpu, &e) == -1 ||
	    est_compress(a.cores, a.cpu, a.mode, a.threads, &c, &e) == -1 ||
	    est_buffer_mb(a.node_mb, &total, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return comp_out(v, &a, &c, total);
}
