/* SPDX-License-Identifier: ISC */
/*
 * What the verbs of the netcheck CLI share beyond libmigcli: the client
 * options, the progress line, output helpers.
 */
#include <sys/socket.h>

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/cli/cli.h"

int
cli_duration(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *ns, struct mig_error *e)
{
	char a[32], b[32];

	if (mig_parse_duration(name, s, "s", ns, e) == -1)
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
cli_exclusive(struct cli_client *c, const char *name, const char *rival,
    struct mig_error *e)
{
	size_t i;

	for (i = 0; i < c->ngiven; i++) {
		if (strcmp(c->given[i], rival) == 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s and %s: give one of them", rival, name);
	}
	if (c->ngiven < sizeof(c->given) / sizeof(c->given[0]))
		c->given[c->ngiven++] = name;
	return 0;
}

int
cli_client_opt(struct cli_client *c, int opt, const char *arg,
    struct mig_error *e)
{
	uint64_t v;

	switch (opt) {
	case OPT_V4:
		c->target.family = AF_INET;
		return cli_exclusive(c, "-4", "-6", e) == -1 ? -1 : 1;
	case OPT_V6:
		c->target.family = AF_INET6;
		return cli_exclusive(c, "-6", "-4", e) == -1 ? -1 : 1;
	case OPT_PORT:
		if (mig_parse_uint("--port", arg, 1, 65535, &v, e) == -1)
			return -1;
		c->target.port = (uint16_t)v;
		return 1;
	case OPT_TIMEOUT:
		return cli_duration("--timeout", arg, 100000000ULL,
		    60 * MIG_NS_PER_S, &c->target.timeout_ns, e) == -1 ? -1 : 1;
	case OPT_KEYFILE:
		if (nc_key_load(arg, &c->key, e) == -1) {
			mig_error_prefix(e, "--key-file");
			return -1;
		}
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

void
cli_key_exposed(const struct mig_cli_cmd *v)
{
	mig_cli_warn(v, "the key file can be read by others than its owner: "
	    "chmod 600 it");
}

int
cli_client_dest(const struct mig_cli_cmd *v, struct cli_client *c, int argc,
    char **argv)
{
	if (c->key.exposed)
		cli_key_exposed(v);
	if (optind >= argc)
		return mig_cli_usage(v, "DEST: missing (the destination's name "
		    "or address)");
	if (optind + 1 < argc)
		return mig_cli_usage(v, "'%s': unexpected argument (see "
		    "netcheck %s --help)", argv[optind + 1], v->verb->name);
	c->target.host = argv[optind];
	return MIG_CLI_OK;
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

void
cli_out_count(struct mig_out *o, const char *key, int64_t n)
{
	/* The library says "not known" with a negative count. */
	if (n < 0)
		mig_out_null(o, key);
	else
		mig_out_json_i64(o, key, n);
}

void
cli_out_peer(struct mig_out *o, const struct nc_peer_addr *p,
    int port_in_text)
{
	int v6 = p->family == AF_INET6;

	mig_out_open(o, "destination");
	mig_out_label(o, "destination");
	mig_out_str(o, "address", "%s", p->host);
	if (port_in_text)
		mig_out_text(o, " port %u", (unsigned)p->port);
	mig_out_json_str(o, "family", v6 ? "ipv6" : "ipv4");
	mig_out_text(o, " (%s)\n", v6 ? "IPv6" : "IPv4");
	if (p->port != 0)
		mig_out_json_i64(o, "port", p->port);
	else
		mig_out_null(o, "port");
	mig_out_close(o);
}
