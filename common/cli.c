/* SPDX-License-Identifier: ISC */
/*
 * The front end of every mignet command: verb dispatch, one-line
 * complaints about options, errors with their remedy, JSON on stdout.
 */
#include <errno.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/migcli.h"

static void vline(const struct mig_cli_cmd *, const char *, const char *,
    va_list) __attribute__((format(printf, 3, 0)));

static void
vline(const struct mig_cli_cmd *c, const char *tag, const char *fmt,
    va_list ap)
{
	(void)fprintf(stderr, "%s %s: %s", c->tool->prog, c->verb->name, tag);
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

int
mig_cli_usage(const struct mig_cli_cmd *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(c, "", fmt, ap);
	va_end(ap);
	return MIG_CLI_USAGE;
}

void
mig_cli_warn(const struct mig_cli_cmd *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(c, "warning: ", fmt, ap);
	va_end(ap);
}

void
mig_cli_note(const struct mig_cli_cmd *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(c, "note: ", fmt, ap);
	va_end(ap);
}

static const char *
opt_name(const struct option *opts, int val)
{
	for (; opts->name != NULL; opts++)
		if (opts->val == val)
			return opts->name;
	return "?";
}

int
mig_cli_getopt(const struct mig_cli_cmd *c, int argc, char **argv,
    const struct option *opts, int *status)
{
	return mig_cli_getopt_short(c, argc, argv, ":h", opts, status);
}

int
mig_cli_getopt_short(const struct mig_cli_cmd *c, int argc, char **argv,
    const char *shortopts, const struct option *opts, int *status)
{
	int ch;

	ch = getopt_long(argc, argv, shortopts, opts, NULL);
	if (ch == ':') {
		*status = mig_cli_usage(c, "--%s: missing value (see %s %s "
		    "--help)", opt_name(opts, optopt), c->tool->prog,
		    c->verb->name);
		return MIG_CLI_USAGE;
	}
	if (ch != '?')
		return ch;
	/* A long option has no optopt of its own: name it as typed. */
	if (optopt > 0 && optopt < MIG_CLI_OPT_BASE)
		*status = mig_cli_usage(c, "-%c: unknown option (see %s %s "
		    "--help)", optopt, c->tool->prog, c->verb->name);
	else
		*status = mig_cli_usage(c, "%s: unknown option (see %s %s "
		    "--help)", argv[optind - 1], c->tool->prog, c->verb->name);
	return MIG_CLI_USAGE;
}

int
mig_cli_no_operands(const struct mig_cli_cmd *c, int argc, char **argv)
{
	if (optind < argc)
		return mig_cli_usage(c, "'%s': unexpected argument (see %s %s "
		    "--help)", argv[optind], c->tool->prog, c->verb->name);
	return MIG_CLI_OK;
}

int
mig_cli_required(const struct mig_cli_cmd *c, const char *name,
    const char *val, const char *what)
{
	if (val != NULL)
		return MIG_CLI_OK;
	return mig_cli_usage(c, "%s: missing (%s)", name, what);
}

static void
json_error(const struct mig_cli_cmd *c, const struct mig_error *e)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return;
	if (mig_json_add(o, "verb", json_object_new_string(c->verb->name)) ==
	    0 && mig_json_add(o, "error", mig_json_error(e)) == 0)
		(void)mig_json_write(stdout, o, NULL);
	json_object_put(o);
	(void)fflush(stdout);
}

int
mig_cli_fail(const struct mig_cli_cmd *c, const struct mig_error *e,
    int json)
{
	char prog[128];
	int status = mig_error_exit_status(e);

	/* A refused value is one line; a runtime failure gets its remedy. */
	if (status == MIG_CLI_USAGE)
		return mig_cli_usage(c, "%s", e->msg[0] != '\0' ? e->msg :
		    "invalid usage");
	if (json)
		json_error(c, e);
	(void)snprintf(prog, sizeof(prog), "%s %s", c->tool->prog,
	    c->verb->name);
	mig_error_print(stderr, prog, e);
	return status;
}

int
mig_cli_flush(const struct mig_cli_cmd *c)
{
	struct mig_error e;

	/* A full disk or a closed pipe must not look like success. */
	if (fflush(stdout) != EOF && !ferror(stdout))
		return MIG_CLI_OK;
	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL,
	    "cannot write the output: %s", strerror(errno));
	return mig_cli_fail(c, &e, 0);
}

int
mig_cli_help(const struct mig_cli_cmd *c)
{
	(void)printf("usage: %s %s %s\nSee %s(%d).\n", c->tool->prog,
	    c->verb->name, c->verb->usage, c->tool->prog,
	    c->tool->man_section != 0 ? c->tool->man_section : 1);
	return mig_cli_flush(c);
}

int
mig_cli_json_print(const struct mig_cli_cmd *c, struct json_object *o)
{
	struct mig_error e;
	int status;

	mig_error_clear(&e);
	if (o == NULL) {
		(void)mig_error_set(&e, MIG_E_NOMEM, NULL,
		    "out of memory building the JSON output");
		return mig_cli_fail(c, &e, 0);
	}
	if (mig_json_write(stdout, o, &e) == -1)
		status = mig_cli_fail(c, &e, 0);
	else
		status = mig_cli_flush(c);
	json_object_put(o);
	return status;
}

int
mig_cli_colour(FILE *f)
{
	const char *nc = getenv("NO_COLOR");

	if (nc != NULL && nc[0] != '\0')
		return 0;
	return isatty(fileno(f));
}

static int
tool_usage(const struct mig_cli *t, FILE *f)
{
	size_t i;

	(void)fprintf(f, "usage: %s VERB [options]   (%s VERB --help)\n\n",
	    t->prog, t->prog);
	for (i = 0; i < t->nverbs; i++)
		(void)fprintf(f, "  %-10s %s\n", t->verbs[i].name,
		    t->verbs[i].summary);
	if (t->notes != NULL)
		(void)fprintf(f, "\n%s", t->notes);
	(void)fprintf(f, "\nExit status: 0 done, 1 done but the result needs "
	    "you, 2 usage or\nconfiguration error, 3 could not run%s.\n",
	    t->exit_notes != NULL ? t->exit_notes : "");
	(void)fprintf(f, "\nSee %s(%d).\n", t->prog,
	    t->man_section != 0 ? t->man_section : 1);
	return fflush(f) == EOF || ferror(f) ? MIG_CLI_FAIL : MIG_CLI_OK;
}

static int
unknown_verb(const struct mig_cli *t, const char *name)
{
	size_t i;

	(void)fprintf(stderr, "%s: '%s': unknown verb (", t->prog, name);
	for (i = 0; i < t->nverbs; i++)
		(void)fprintf(stderr, "%s%s", i ? ", " : "", t->verbs[i].name);
	(void)fprintf(stderr, ")\n");
	return MIG_CLI_USAGE;
}

int
mig_cli_main(const struct mig_cli *t, int argc, char **argv)
{
	struct mig_cli_cmd c;
	size_t i;

	if (argc < 2) {
		(void)tool_usage(t, stderr);
		return MIG_CLI_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return tool_usage(t, stdout);
	if (strcmp(argv[1], "--version") == 0) {
		if (printf("%s (mignet) %s\n", t->prog, MIGNET_VERSION) < 0 ||
		    fflush(stdout) == EOF)
			return MIG_CLI_FAIL;
		return MIG_CLI_OK;
	}
	for (i = 0; i < t->nverbs; i++) {
		if (strcmp(argv[1], t->verbs[i].name) != 0)
			continue;
		/* glibc: optind 0 also resets getopt's internal state. */
		optind = 0;
		opterr = 0;
		c.tool = t;
		c.verb = &t->verbs[i];
		return t->verbs[i].run(&c, argc - 1, argv + 1);
	}
	return unknown_verb(t, argv[1]);
}
