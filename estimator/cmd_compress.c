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

static int
table_json(struct json_object *o)
{
	const struct est_compress_row *r;
	struct json_object *arr, *it;
	size_t i;
	int bad = 0;

	if ((arr = json_object_new_array()) == NULL ||
	    mig_json_add(o, "table", arr) == -1)
		return -1;
	for (i = 0; !bad && i < est_compress_nrows(); i++) {
		r = est_compress_row_at(i);
		if ((it = json_object_new_object()) == NULL ||
		    mig_json_push(arr, it) == -1)
			return -1;
		bad |= mig_json_add(it, "cores",
		    json_object_new_int64(r->cores));
		bad |= mig_json_add(it, "or_more",
		    json_object_new_boolean(r->cores_max != r->cores));
		bad |= mig_json_add(it, "condition",
		    json_object_new_string(r->condition));
		bad |= mig_json_add(it, "threads",
		    json_object_new_int64(r->threads));
		bad |= mig_json_add(it, "ceiling_add",
		    json_object_new_int64(r->ceiling_add));
		bad |= mig_json_add(it, "formula_add",
		    mig_json_fixed(row_formula(r), 3));
	}
	return bad ? -1 : 0;
}

static int
buffer_json(struct json_object *o, unsigned node_mb, unsigned total)
{
	struct json_object *b;
	int bad = 0;

	if ((b = json_object_new_object()) == NULL ||
	    mig_json_add(o, "buffer", b) == -1)
		return -1;
	bad |= mig_json_add(b, "nodes",
	    json_object_new_int64(EST_BUFFER_NODES));
	bad |= mig_json_add(b, "node_mb", json_object_new_int64(node_mb));
	bad |= mig_json_add(b, "total_mb", json_object_new_int64(total));
	bad |= mig_json_add(b, "min_mb", json_object_new_int64(
	    EST_BUFFER_NODES * EST_NODE_MB_MIN));
	bad |= mig_json_add(b, "default_mb", json_object_new_int64(
	    EST_BUFFER_NODES * EST_NODE_MB_DEFAULT));
	bad |= mig_json_add(b, "max_mb", json_object_new_int64(
	    EST_BUFFER_NODES * EST_NODE_MB_MAX));
	return bad ? -1 : 0;
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

static int
comp_json(const struct mig_cli_cmd *v, const struct comp_args *a,
    const struct est_compress *c, unsigned total)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "cores", json_object_new_int64(c->cores));
	bad |= mig_json_add(o, "cpu_usage", mig_json_fixed(c->cpu_pct, 1));
	bad |= mig_json_add(o, "cpu_measured",
	    json_object_new_boolean(!a->cpu_given));
	bad |= mig_json_add(o, "mode", json_object_new_string(
	    mode_text(a->mode)));
	if (c->row != NULL) {
		bad |= mig_json_add(o, "table_cores",
		    json_object_new_int64(c->table_cores));
		bad |= mig_json_add(o, "condition",
		    json_object_new_string(c->row->condition));
	} else {
		bad |= mig_json_null(o, "table_cores");
		bad |= mig_json_null(o, "condition");
	}
	bad |= mig_json_add(o, "listed", json_object_new_boolean(c->listed));
	bad |= mig_json_add(o, "threads", json_object_new_int64(c->threads));
	bad |= mig_json_add(o, "ceiling_add",
	    mig_json_fixed(c->ceiling_add, 2));
	bad |= mig_json_add(o, "formula_add",
	    mig_json_fixed(c->formula_add, 2));
	bad |= mig_json_add(o, "ceiling_pct",
	    mig_json_fixed(c->ceiling_pct, 1));
	if (bad || buffer_json(o, a->node_mb, total) == -1 ||
	    table_json(o) == -1) {
		json_object_put(o);
		o = NULL;
	}
	return mig_cli_json_print(v, o);
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

static void
human_choice(const struct comp_args *a, const struct est_compress *c)
{
	char f[32];

	if (a->mode == EST_COMPRESS_OFF)
		(void)printf("compression    off: CPU < n + 10%% (§2.15)\n");
	else if (a->mode == EST_COMPRESS_THREADS)
		(void)printf("compression    on, threads set by hand "
		    "(§8.2)\n");
	else if (c->listed)
		(void)printf("compression    on, the agent's default: row "
		    "\"%s%u cores, %s\"\n", c->row->cores_max != c->row->cores ?
		    ">= " : "", c->row->cores, c->row->condition);
	else
		(void)printf("compression    on, the agent's default: %u cores "
		    "is not in the table,\n               the rows of %u cores "
		    "apply: \"%s\"\n", c->cores, c->table_cores,
		    c->row->condition);
	(void)printf("threads        %u\n", c->threads);
	if (c->listed && c->ceiling_add != c->formula_add)
		(void)printf("CPU ceiling    < %.1f%% (n + %.0f%% as printed; "
		    "the formula gives n + %s%%)\n", c->ceiling_pct,
		    c->ceiling_add, pct(f, sizeof(f), c->formula_add));
	else
		(void)printf("CPU ceiling    < %.1f%% (n + %s%%)\n",
		    c->ceiling_pct, pct(f, sizeof(f), c->ceiling_add));
}

static void
human_table(const struct est_compress *c)
{
	const struct est_compress_row *r;
	char cores[16], ceil[24], form[64];
	size_t i;

	(void)printf("\nThe §2.15 table (> marks the row used):\n");
	(void)printf("  %-6s %-17s %-8s %-12s %s\n", "cores", "n", "threads",
	    "CPU ceiling", "formula");
	for (i = 0; i < est_compress_nrows(); i++) {
		r = est_compress_row_at(i);
		(void)snprintf(cores, sizeof(cores), "%s%u",
		    r->cores_max != r->cores ? ">=" : "", r->cores);
		(void)snprintf(ceil, sizeof(ceil), "< n + %u%%",
		    r->ceiling_add);
		/* p = 0 is no compression: the document's n + 10 %. */
		(void)snprintf(form, sizeof(form), "n + %g%%%s",
		    row_formula(r), r->threads == 0 ? " (no compression)" :
		    r->cores_max != r->cores ? " (at 32 cores)" : "");
		(void)printf("%c %-6s %-17s %-8u %-12s %s\n",
		    r == c->row ? '>' : ' ', cores, r->condition, r->threads,
		    ceil, form);
	}
}

static int
comp_human(const struct mig_cli_cmd *v, const struct comp_args *a,
    const struct est_compress *c, unsigned total)
{
	(void)printf("cores          %u%s\n", c->cores,
	    a->cores_given ? "" : " (this machine)");
	(void)printf("CPU usage n    %.1f%%%s\n", c->cpu_pct,
	    a->cpu_given ? "" : " (measured over 1 s)");
	human_choice(a, c);
	(void)printf("buffer memory  %u MB = %d nodes x %u MB (min %d, "
	    "default %d, max %d MB)\n", total, EST_BUFFER_NODES,
	    a->node_mb, EST_BUFFER_NODES * EST_NODE_MB_MIN,
	    EST_BUFFER_NODES * EST_NODE_MB_DEFAULT,
	    EST_BUFFER_NODES * EST_NODE_MB_MAX);
	human_table(c);
	return mig_cli_flush(v);
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
	if (a.json)
		return comp_json(v, &a, &c, total);
	return comp_human(v, &a, &c, total);
}
