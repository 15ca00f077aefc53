/*
 * What the verbs of the estimator CLI share: option parsing with one-line
 * complaints, option values, and output helpers.
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
		*status = cli_usage(v, "--%s: missing value (see estimator "
		    "%s --help)", opt_name(opts, optopt), v->name);
		return CLI_USAGE;
	}
	if (c == '?') {
		/* A long option has no optopt of its own: name it as typed. */
		if (optopt > 0 && optopt < OPT_JSON)
			*status = cli_usage(v, "-%c: unknown option (see "
			    "estimator %s --help)", optopt, v->name);
		else
			*status = cli_usage(v, "%s: unknown option (see "
			    "estimator %s --help)", argv[optind - 1], v->name);
		return CLI_USAGE;
	}
	return c;
}

int
cli_no_operands(const struct cli_verb *v, int argc, char **argv)
{
	if (optind < argc)
		return cli_usage(v, "'%s': unexpected argument (see estimator "
		    "%s --help)", argv[optind], v->name);
	return CLI_OK;
}

static void vline(const struct cli_verb *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
vline(const struct cli_verb *v, const char *fmt, va_list ap)
{
	(void)fprintf(stderr, "%s %s: ", CLI_PROG, v->name);
	(void)vfprintf(stderr, fmt, ap);
	(void)fputc('\n', stderr);
}

int
cli_usage(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vline(v, fmt, ap);
	va_end(ap);
	return CLI_USAGE;
}

void
cli_warn(const struct cli_verb *v, const char *fmt, ...)
{
	va_list ap;

	(void)fprintf(stderr, "%s %s: warning: ", CLI_PROG, v->name);
	va_start(ap, fmt);
	(void)vfprintf(stderr, fmt, ap);
	va_end(ap);
	(void)fputc('\n', stderr);
}

int
cli_fail(const struct cli_verb *v, const struct mig_error *e)
{
	char prog[64];
	int status = mig_error_exit_status(e);

	/* A refused value is one line; a runtime failure also gets its remedy. */
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
	(void)printf("usage: %s %s %s\nSee estimator(1).\n", CLI_PROG,
	    v->name, v->usage);
	return cli_flush(v);
}

int
cli_flush(const struct cli_verb *v)
{
	struct mig_error e;

	/* A full disk or a closed pipe must not look like success. */
	if (fflush(stdout) != EOF && !ferror(stdout))
		return CLI_OK;
	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL,
	    "cannot write the output: %s", strerror(errno));
	return cli_fail(v, &e);
}

int
cli_required(const struct cli_verb *v, const char *name, const char *val,
    const char *what)
{
	if (val != NULL)
		return CLI_OK;
	return cli_usage(v, "%s: missing (%s)", name, what);
}

int
cli_size(const char *name, const char *s, uint64_t *bytes,
    struct mig_error *e)
{
	/* A bare number is in GB: the document's C is always in GB. */
	if (mig_parse_size(name, s, "GB", bytes, e) == -1)
		return -1;
	if (*bytes == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %s is out of range (more than 0 B)", name, s);
	return 0;
}

int
cli_rate(const char *name, const char *s, const char *bare, uint64_t *bps,
    struct mig_error *e)
{
	if (mig_parse_rate(name, s, bare, bps, e) == -1)
		return -1;
	/* Every formula divides by a rate. */
	if (*bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %s is out of range (more than 0 bit/s)", name, s);
	return 0;
}

char *
cli_fmt_hours(char *buf, size_t len, const struct est_hours *h)
{
	if (h->minutes >= 0)
		(void)snprintf(buf, len, "%.2f h (about %ld min)", h->hours,
		    h->minutes);
	else
		(void)snprintf(buf, len, "%.2f h", h->hours);
	return buf;
}

double
cli_mbit(uint64_t bps)
{
	return (double)bps / (double)MIG_MB;
}

double
cli_gb(uint64_t bytes)
{
	return (double)bytes / (double)MIG_GB;
}

int
cli_json_add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val == NULL)
		return -1;
	/* json-c does not take val when the insertion fails. */
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
cli_json_null(struct json_object *o, const char *key)
{
	return json_object_object_add(o, key, NULL) != 0 ? -1 : 0;
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

/* Adds "hours": 0.32, "hours_exact": 0.3175, "minutes": 19 | null to o. */
int
cli_json_hours(struct json_object *o, const struct est_hours *h)
{
	int bad = 0;

	bad |= cli_json_add(o, "hours", mig_json_fixed(h->hours, 2));
	bad |= cli_json_add(o, "hours_exact", mig_json_fixed(h->exact, 4));
	if (h->minutes >= 0)
		bad |= cli_json_add(o, "minutes",
		    json_object_new_int64(h->minutes));
	else
		bad |= cli_json_null(o, "minutes");
	return bad ? -1 : 0;
}

int
cli_json_print(const struct cli_verb *v, struct json_object *o)
{
	struct mig_error e;
	int status = CLI_OK;

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
