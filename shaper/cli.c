/*
 * What the verbs of the shaper CLI share: option parsing with one-line
 * complaints, failures with their remedy, JSON output.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

void
cli_getopt_reset(void)
{
	/* glibc: 0 also resets its internal state between two argv's. */
	optind = 0;
	opterr = 0;
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
cli_getopt(const struct cli_verb *v, int argc, char **argv,
    const struct option *opts, int *status)
{
	int c;

	c = getopt_long(argc, argv, ":h", opts, NULL);
	if (c == ':') {
		*status = cli_usage(v, "--%s: missing value (see shaper %s "
		    "--help)", opt_name(opts, optopt), v->name);
		return CLI_USAGE;
	}
	if (c == '?') {
		if (optopt > 0 && optopt < OPT_JSON)
			*status = cli_usage(v, "-%c: unknown option (see "
			    "shaper %s --help)", optopt, v->name);
		else
			*status = cli_usage(v, "%s: unknown option (see "
			    "shaper %s --help)", argv[optind - 1], v->name);
		return CLI_USAGE;
	}
	return c;
}

int
cli_no_operands(const struct cli_verb *v, int argc, char **argv)
{
	if (optind < argc)
		return cli_usage(v, "'%s': unexpected argument (see shaper "
		    "%s --help)", argv[optind], v->name);
	return CLI_OK;
}

static void vline(const struct cli_verb *, const char *, const char *,
    va_list) __attribute__((format(printf, 3, 0)));

static void
vline(const struct cli_verb *v, const char *tag, const char *fmt, va_list ap)
{
	(void)fprintf(stderr, "%s %s: %s", CLI_PROG, v->name, tag);
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

int
cli_usage(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(v, "", fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void
cli_note(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(v, "note: ", fmt, ap);
	va_end(ap);
}

int
cli_fail(const struct cli_verb *v, const struct mig_error *e)
{
	char prog[64];
	int status = mig_error_exit_status(e);

	if (status == CLI_USAGE)
		return cli_usage(v, "%s", e->msg[0] != '\0' ? e->msg :
		    "invalid usage");
	(void)snprintf(prog, sizeof(prog), "%s %s", CLI_PROG, v->name);
	mig_error_print(stderr, prog, e);
	return status;
}

int
cli_help(const struct cli_verb *v)
{
	(void)printf("usage: %s %s %s\nSee shaper(1).\n", CLI_PROG, v->name,
	    v->usage);
	return cli_flush(v);
}

int
cli_flush(const struct cli_verb *v)
{
	struct mig_error e;

	if (fflush(stdout) != EOF && !ferror(stdout))
		return CLI_OK;
	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL,
	    "cannot write the output: %s", strerror(errno));
	return cli_fail(v, &e);
}

int
cli_state_dir(const struct cli_verb *v, const char *s, const char **dir)
{
	if (s[0] != '/' || strlen(s) > 200)
		return cli_usage(v, "--state-dir: '%.80s' is not an absolute "
		    "path of at most 200 characters", s);
	*dir = s;
	return CLI_OK;
}

int
cli_open(const struct cli_verb *v, const char *dir, struct shaper_ctx **ctx)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (shaper_open(ctx, dir, &e) == -1)
		return cli_fail(v, &e);
	return CLI_OK;
}

int
cli_json_add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val == NULL)
		return -1;
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
cli_json_push(struct json_object *a, struct json_object *val)
{
	if (val == NULL)
		return -1;
	if (json_object_array_add(a, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
cli_json_print(const struct cli_verb *v, struct json_object *o)
{
	struct mig_error e;
	int status;

	mig_error_clear(&e);
	if (o == NULL) {
		(void)mig_error_set(&e, MIG_E_NOMEM, NULL,
		    "out of memory building the JSON output");
		return cli_fail(v, &e);
	}
	if (mig_json_write(stdout, o, &e) == -1)
		status = cli_fail(v, &e);
	else
		status = cli_flush(v);
	json_object_put(o);
	return status;
}
