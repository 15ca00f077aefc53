/* SPDX-License-Identifier: ISC */
/*
 * Verb summary: many sources' JSON reports (`netcheck report --json-file`)
 * in one table, worst first, as text, JSON, CSV or an HTML page.  The
 * library reads and orders them (netcheck/report/summary*.c); this file
 * reads the files, names those it could not use, and writes the outputs.
 *
 * Exit status: 0 when no source is red, 1 when one is or a report could
 * not be used (a source whose state is not known needs the operator too),
 * 2 usage, 3 when not one report could be used.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netcheck/cli/cli.h"

enum {
	OPT_CSV = OPT_QUIET + 1,
	OPT_HTML_FILE,
};

static const struct option sum_opts[] = {
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "csv",	required_argument, NULL, OPT_CSV },
	{ "html",	required_argument, NULL, OPT_HTML_FILE },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct sum_args {
	int		 json;
	const char	*csv, *html;	/* "-": standard output */
	int		 stdout_file;	/* one of them is "-" */
};

typedef int writer_fn(FILE *f, const struct rep_summary *s,
    struct mig_error *e);

static int
parse(const struct mig_cli_cmd *v, struct sum_args *a, int argc,
    char **argv)
{
	const char *std;
	int opt, st = MIG_CLI_OK;

	memset(a, 0, sizeof(*a));
	while ((opt = mig_cli_getopt_short(v, argc, argv, ":h", sum_opts,
	    &st)) != -1) {
		if (opt == MIG_CLI_USAGE)
			return st;
		if (opt == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (opt == OPT_JSON)
			a->json = 1;
		else if (opt == OPT_CSV)
			a->csv = optarg;
		else if (opt == OPT_HTML_FILE)
			a->html = optarg;
		else
			return mig_cli_usage(v, "unexpected option");
	}
	if (optind >= argc)
		return mig_cli_usage(v, "give the reports: netcheck summary "
		    "REPORT.json... (netcheck summary --help)");
	if (argc - optind > REP_SUM_FILES_MAX)
		return mig_cli_usage(v, "%d reports: at most %d at once",
		    argc - optind, REP_SUM_FILES_MAX);
	std = a->json ? "--json" : NULL;
	if ((st = mig_cli_check_output(v, "--csv", a->csv, &std)) !=
	    MIG_CLI_OK ||
	    (st = mig_cli_check_output(v, "--html", a->html, &std)) !=
	    MIG_CLI_OK)
		return st;
	a->stdout_file = std != NULL && strcmp(std, "--json") != 0;
	return MIG_CLI_OK;
}

/* One file into rows[*n], or its name and why into bad[*nbad]. */
static void
read_one(const struct mig_cli_cmd *v, const char *path,
    struct rep_summary *s, struct rep_sum_bad *bad)
{
	struct rep_sum_bad *b = &bad[s->nbad];
	struct mig_error e;
	size_t len;
	char *text;
	int rc;

	mig_error_clear(&e);
	rc = mig_read_file(path, REP_SUM_FILE_MAX, &text, &len, NULL, &e);
	if (rc == 0) {
		rc = rep_sum_parse(path, text, len, &s->rows[s->n], &e);
		free(text);
	}
	if (rc == 0) {
		s->n++;
		return;
	}
	b->file = path;
	(void)mig_printable(e.msg, sizeof(e.msg), b->why, sizeof(b->why));
	mig_cli_warn(v, "%s; left out", b->why);
	s->nbad++;
}

static int
write_html(FILE *f, const struct rep_summary *s, struct mig_error *e)
{
	return rep_sum_html(f, s, e);
}

/* "-" or a file replaced whole: readers see the old one or the new. */
static int
write_file(const char *path, writer_fn *fn, const struct rep_summary *s,
    struct mig_error *e)
{
	struct mig_cli_output o;

	if (mig_cli_output_open(&o, path, e) == -1)
		return -1;
	return mig_cli_output_close(&o, fn(o.f, s, e) == -1, e);
}

static int
outputs(const struct mig_cli_cmd *v, const struct sum_args *a,
    const struct rep_summary *s)
{
	struct json_object *o;
	struct mig_error e;
	int st = MIG_CLI_OK;

	if (a->csv != NULL && write_file(a->csv, rep_sum_csv, s, &e) == -1)
		st = mig_cli_fail(v, &e, 0);
	if (a->html != NULL && write_file(a->html, write_html, s, &e) == -1)
		st = mig_cli_fail(v, &e, 0);
	if (a->stdout_file)
		return st;
	if (a->json) {
		if (rep_sum_json(s, &o, &e) == -1)
			return mig_cli_fail(v, &e, 0);
		return mig_cli_json_print(v, o) != MIG_CLI_OK ? MIG_CLI_FAIL :
		    st;
	}
	rep_sum_text(stdout, s);
	return mig_cli_flush(v) != MIG_CLI_OK ? MIG_CLI_FAIL : st;
}

static int
any_red(const struct rep_summary *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->rows[i].verdict == REP_RED)
			return 1;
	return 0;
}

int
cmd_summary(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct rep_summary s;
	struct rep_sum_bad *bad;
	struct sum_args a;
	struct mig_error e;
	size_t n, i;
	int st;

	if ((st = parse(v, &a, argc, argv)) != MIG_CLI_OK)
		return st == -1 ? MIG_CLI_OK : st;
	n = (size_t)(argc - optind);
	memset(&s, 0, sizeof(s));
	s.made = time(NULL);
	s.rows = calloc(n, sizeof(*s.rows));
	bad = calloc(n, sizeof(*bad));
	if (s.rows == NULL || bad == NULL) {
		free(s.rows);
		free(bad);
		(void)mig_error_set(&e, MIG_E_NOMEM, NULL, "out of memory");
		return mig_cli_fail(v, &e, 0);
	}
	s.bad = bad;
	for (i = 0; i < n; i++)
		read_one(v, argv[optind + (int)i], &s, bad);
	if (s.n == 0) {
		(void)mig_error_set(&e, MIG_E_SYSTEM, NULL, "none of the %zu "
		    "report%s could be used (above)", n, n == 1 ? "" : "s");
		st = mig_cli_fail(v, &e, a.json);
	} else {
		rep_sum_sort(s.rows, s.n);
		st = outputs(v, &a, &s);
		if (st == MIG_CLI_OK && (any_red(&s) || s.nbad > 0))
			st = MIG_CLI_ATTENTION;
	}
	free(s.rows);
	free(bad);
	return st;
}
