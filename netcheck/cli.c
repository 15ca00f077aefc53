/*
 * What the verbs of the netcheck CLI share: option parsing with one-line
 * complaints, the client options, the progress line, output helpers.
 */
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void
cli_getopt_reset(void)
{
	optind = 0;	/* glibc: 0 also resets its state between argv's */
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
    const char *shortopts, const struct option *opts, int *status)
{
	int c;

	c = getopt_long(argc, argv, shortopts, opts, NULL);
	if (c == ':') {
		*status = cli_usage(v, "--%s: missing value (see netcheck %s "
		    "--help)", opt_name(opts, optopt), v->name);
		return CLI_USAGE;
	}
	if (c == '?') {
		if (optopt > 0 && optopt < OPT_JSON)
			*status = cli_usage(v, "-%c: unknown option (see "
			    "netcheck %s --help)", optopt, v->name);
		else
			*status = cli_usage(v, "%s: unknown option (see "
			    "netcheck %s --help)", argv[optind - 1], v->name);
		return CLI_USAGE;
	}
	return c;
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
cli_fail(const struct cli_verb *v, const struct mig_error *e, int json)
{
	struct json_object *o;
	char prog[64];
	int status = mig_error_exit_status(e);

	if (json && status != CLI_USAGE &&
	    (o = json_object_new_object()) != NULL) {
		if (cli_json_add(o, "verb", json_object_new_string(v->name)) ==
		    0 && cli_json_add(o, "error", mig_json_error(e)) == 0)
			(void)mig_json_write(stdout, o, NULL);
		json_object_put(o);
		(void)fflush(stdout);
	}
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
	(void)printf("usage: %s %s %s\nSee netcheck(1).\n", CLI_PROG, v->name,
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
	return cli_fail(v, &e, 0);
}

int
cli_duration(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *ns, struct mig_error *e)
{
	char a[32], b[32];

	if (mig_parse_duration(name, s, NULL, ns, e) == -1)
		return -1;
	if (*ns < min || *ns > max)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: %s is out of "
		    "range [%s, %s]", name, s, mig_fmt_duration(a, sizeof(a),
		    min), mig_fmt_duration(b, sizeof(b), max));
	return 0;
}

void
cli_client_init(struct cli_client *c)
{
	memset(c, 0, sizeof(*c));
	c->target.family = AF_UNSPEC;
	c->target.port = NC_DEFAULT_PORT;
	c->target.timeout_ns = 3 * MIG_NS_PER_S;
}

int
cli_client_opt(struct cli_client *c, int opt, const char *arg,
    struct mig_error *e)
{
	uint64_t v;

	switch (opt) {
	case OPT_V4:
		c->target.family = AF_INET;
		return 1;
	case OPT_V6:
		c->target.family = AF_INET6;
		return 1;
	case OPT_PORT:
		if (mig_parse_uint("--port", arg, 1, 65535, &v, e) == -1)
			return -1;
		c->target.port = (uint16_t)v;
		return 1;
	case OPT_TIMEOUT:
		return cli_duration("--timeout", arg, 100000000ULL,
		    60 * MIG_NS_PER_S, &c->target.timeout_ns, e) == -1 ? -1 : 1;
	case OPT_KEYFILE:
		if (nc_key_load(arg, &c->key, e) == -1)
			return -1;
		c->target.key = &c->key;
		return 1;
	case OPT_JSON:
		c->json = 1;
		return 1;
	case OPT_QUIET:
		c->quiet = 1;
		return 1;
	}
	return 0;
}

int
cli_client_dest(const struct cli_verb *v, struct cli_client *c, int argc,
    char **argv)
{
	if (optind >= argc)
		return cli_usage(v, "DEST: missing (the destination's name or "
		    "address)");
	if (optind + 1 < argc)
		return cli_usage(v, "'%s': unexpected argument (see netcheck "
		    "%s --help)", argv[optind + 1], v->name);
	c->target.host = argv[optind];
	return CLI_OK;
}

static void
show_progress(void *arg, const struct nc_progress *p)
{
	struct cli_client *c = arg;
	uint64_t now = mig_mono_ns();

	if (now - c->plast < 200000000ULL)
		return;
	c->plast = now;
	c->pshown = 1;
	if (c->pprobes)
		(void)fprintf(stderr, "\r%s %5.1f/%.1f s  sent %llu  "
		    "answered %llu   ", c->pwhat, p->elapsed_s, p->total_s,
		    (unsigned long long)p->sent,
		    (unsigned long long)p->received);
	else
		(void)fprintf(stderr, "\r%s %5.1f/%.1f s  %.1f Mbit/s     ",
		    c->pwhat, p->elapsed_s, p->total_s, p->mbit);
	(void)fflush(stderr);
}

void
cli_progress_start(struct cli_client *c, const char *what, int probes)
{
	if (c->quiet || !isatty(STDERR_FILENO))
		return;
	c->pwhat = what;
	c->pprobes = probes;
	c->target.progress = show_progress;
	c->target.progress_arg = c;
}

void
cli_progress_end(struct cli_client *c)
{
	if (c->target.progress == NULL || !c->pshown)
		return;
	(void)fprintf(stderr, "\r%*s\r", 72, "");
	(void)fflush(stderr);
}

int
cli_json_add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val == NULL)
		return json_object_object_add(o, key, NULL) != 0 ? -1 : 0;
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

struct json_object *
cli_json_num(double v, int decimals)
{
	return isfinite(v) ? mig_json_fixed(v, decimals) : NULL;
}

struct json_object *
cli_json_peer(const struct nc_peer_addr *p)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;

	if (o == NULL)
		return NULL;
	bad |= cli_json_add(o, "address", json_object_new_string(p->host));
	bad |= cli_json_add(o, "family", json_object_new_string(
	    p->family == AF_INET6 ? "ipv6" : "ipv4"));
	bad |= cli_json_add(o, "port", p->port ? json_object_new_int(p->port) :
	    NULL);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
cli_json_print(const struct cli_verb *v, struct json_object *o)
{
	struct mig_error e;
	int rc;

	mig_error_clear(&e);
	if (o == NULL) {
		(void)mig_error_set(&e, MIG_E_NOMEM, NULL,
		    "out of memory building the JSON output");
		return cli_fail(v, &e, 0);
	}
	rc = mig_json_write(stdout, o, &e);
	json_object_put(o);
	if (rc == -1)
		return cli_fail(v, &e, 0);
	return cli_flush(v);
}
