/* SPDX-License-Identifier: ISC */
/*
 * Verb serve: the responder on the destination.  Binds, drops root, then
 * runs until SIGINT or SIGTERM; the counters go to stderr (or stdout as
 * JSON) at exit.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/cli/cli.h"

#define LISTEN_MAX	8
/* Options of this verb alone, after cli.h's. */
#define OPT_MAX_PER_SOURCE	(OPT_QUIET + 1)
#define OPT_MAX_QUEUE		(OPT_QUIET + 2)

struct serve_args {
	struct nc_serve_opts	 o;
	const char		*listen[LISTEN_MAX];
	struct nc_acl		*acl;
	struct nc_key		 key;
	const char		*user;
	int			 verbose, json;
};

static const struct option serve_opts[] = {
	{ "listen",	  required_argument, NULL, OPT_LISTEN },
	{ "port",	  required_argument, NULL, OPT_PORT },
	{ "key-file",	  required_argument, NULL, OPT_KEYFILE },
	{ "allow",	  required_argument, NULL, OPT_ALLOW },
	{ "max-sessions", required_argument, NULL, OPT_MAX_SESSIONS },
	{ "max-per-source", required_argument, NULL, OPT_MAX_PER_SOURCE },
	{ "max-queue",	  required_argument, NULL, OPT_MAX_QUEUE },
	{ "max-duration", required_argument, NULL, OPT_MAX_DURATION },
	{ "max-rate",	  required_argument, NULL, OPT_MAX_RATE },
	{ "idle-timeout", required_argument, NULL, OPT_IDLE },
	{ "user",	  required_argument, NULL, OPT_USER },
	{ "verbose",	  no_argument,	     NULL, OPT_VERBOSE },
	{ "json",	  no_argument,	     NULL, OPT_JSON },
	{ "help",	  no_argument,	     NULL, OPT_HELP },
	{ NULL,		  0,		     NULL, 0 },
};

static void
log_line(void *arg, enum nc_log_level lv, const char *msg)
{
	const struct serve_args *a = arg;
	static const char *names[] = { "error", "warning", "info", "debug" };

	if (lv == NC_LOG_DEBUG && !a->verbose)
		return;
	(void)fprintf(stderr, "netcheck serve: %s%s%s\n",
	    lv <= NC_LOG_WARN ? names[lv] : "", lv <= NC_LOG_WARN ? ": " : "",
	    msg);
}

static int
option(struct serve_args *a, int opt, const char *arg, struct mig_error *e)
{
	uint64_t n;

	switch (opt) {
	case OPT_LISTEN:
		if (a->o.nlisten == LISTEN_MAX)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--listen: at most %d addresses", LISTEN_MAX);
		a->listen[a->o.nlisten++] = arg;
		return 0;
	case OPT_PORT:
		if (mig_parse_uint("--port", arg, 1, 65535, &n, e) == -1)
			return -1;
		a->o.port = (uint16_t)n;
		return 0;
	case OPT_KEYFILE:
		if (nc_key_load(arg, &a->key, e) == -1) {
			mig_error_prefix(e, "--key-file");
			return -1;
		}
		a->o.key = &a->key;
		return 0;
	case OPT_ALLOW:
		if (nc_acl_add(&a->acl, arg, e) == -1) {
			mig_error_prefix(e, "--allow");
			return -1;
		}
		return 0;
	case OPT_MAX_SESSIONS:
		if (mig_parse_uint("--max-sessions", arg, 1,
		    NC_SRV_SESSIONS_MAX, &n, e) == -1)
			return -1;
		a->o.max_sessions = (unsigned)n;
		return 0;
	case OPT_MAX_PER_SOURCE:
		if (mig_parse_uint("--max-per-source", arg, 1,
		    NC_SRV_SESSIONS_MAX, &n, e) == -1)
			return -1;
		a->o.max_per_source = (unsigned)n;
		return 0;
	case OPT_MAX_QUEUE:
		if (mig_parse_uint("--max-queue", arg, 1, NC_SRV_QUEUE_MAX, &n,
		    e) == -1)
			return -1;
		a->o.max_queue = (unsigned)n;
		return 0;
	case OPT_MAX_DURATION:
		return cli_duration("--max-duration", arg, MIG_NS_PER_S,
		    NC_SRV_DURATION_MAX_H * 3600ULL * MIG_NS_PER_S,
		    &a->o.max_duration_ns, e);
	case OPT_MAX_RATE:
		if (mig_parse_uint("--max-rate", arg, 1, NC_SRV_PPS_MAX, &n,
		    e) == -1)
			return -1;
		a->o.max_pps = (uint32_t)n;
		return 0;
	case OPT_IDLE:
		return cli_duration("--idle-timeout", arg,
		    NC_SRV_IDLE_MIN_MS * 1000000ULL,
		    NC_SRV_IDLE_MAX_S * MIG_NS_PER_S, &a->o.idle_timeout_ns, e);
	case OPT_USER:
		a->user = arg;
		return 0;
	case OPT_VERBOSE:
		a->verbose = 1;
		return 0;
	case OPT_JSON:
		a->json = 1;
		return 0;
	}
	return mig_error_set(e, MIG_E_USAGE, NULL, "unexpected option");
}

/* The counters at exit: a line on stderr, or JSON on stdout. */
static int
print_stats(const struct mig_cli_cmd *v, const struct nc_server_stats *s,
    int json)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	if (!json)
		mig_out_to(o, stderr);
	mig_out_text(o, "netcheck serve: ");
	mig_out_u64(o, "udp_in", "%llu UDP packets in, ", s->udp_in);
	mig_out_u64(o, "udp_replies", "%llu replies; ", s->udp_replies);
	mig_out_u64(o, "udp_malformed", "dropped: %llu malformed, ",
	    s->udp_bad);
	mig_out_u64(o, "udp_bad_mac", "%llu bad MAC, ", s->udp_auth);
	mig_out_u64(o, "udp_not_allowed", "%llu not allowed, ", s->udp_acl);
	mig_out_u64(o, "udp_no_session", "%llu no session, ",
	    s->udp_nosession);
	mig_out_u64(o, "udp_over_rate", "%llu over the rate, ",
	    s->udp_ratelimited);
	mig_out_u64(o, "udp_replayed", "%llu replayed, ", s->udp_replay);
	mig_out_u64(o, "udp_duplicates", "%llu duplicates, ", s->udp_dup);
	mig_out_u64(o, "udp_stale", "%llu out of the time window; ",
	    s->udp_stale);
	mig_out_u64(o, "udp_cookies", "%llu cookies; ", s->udp_cookies);
	mig_out_json_u64(o, "tcp_accepted", s->tcp_accepted);
	mig_out_json_u64(o, "tcp_refused", s->tcp_refused);
	mig_out_u64(o, "sessions", "%llu sessions, ", s->sessions_open);
	mig_out_u64(o, "sessions_refused", "%llu busy, ", s->sessions_refused);
	mig_out_u64(o, "sessions_evicted", "%llu evicted; ",
	    s->sessions_evicted);
	mig_out_u64(o, "tests", "%llu TCP tests, ", s->tests);
	mig_out_u64(o, "tests_queued", "%llu queued, ", s->tests_queued);
	mig_out_u64(o, "tcp_source_cap", "%llu connections over a source's "
	    "share, ", s->tcp_source_cap);
	mig_out_u64(o, "tcp_deadline", "%llu past their deadline\n",
	    s->tcp_deadline);
	return mig_out_finish(o);
}

static int
serve(const struct mig_cli_cmd *v, struct serve_args *a)
{
	struct nc_server_stats st;
	struct nc_server *s;
	struct mig_error e;
	int rc;

	mig_error_clear(&e);
	/* A typo in --user is a usage error, found before anything binds. */
	if (a->user != NULL && getpwnam(a->user) == NULL)
		return mig_cli_usage(v, "--user: no user '%s'", a->user);
	if (a->key.exposed)
		cli_key_exposed(v);
	a->o.listen = a->o.nlisten > 0 ? a->listen : NULL;
	a->o.allow = a->acl;
	a->o.handle_signals = 1;
	a->o.log = log_line;
	a->o.log_arg = a;
	if (nc_server_new(&a->o, &s, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	if (nc_drop_privileges(a->user, &e) == -1) {
		nc_server_free(s);
		return mig_cli_fail(v, &e, 0);
	}
	log_line(a, NC_LOG_INFO, "ready");
	rc = nc_server_run(s, &e);
	nc_server_get_stats(s, &st);
	nc_server_free(s);
	if (rc == -1)
		return mig_cli_fail(v, &e, 0);
	return print_stats(v, &st, a->json);
}

int
cmd_serve(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct serve_args a;
	struct mig_error e;
	int opt, st = MIG_CLI_OK;

	memset(&a, 0, sizeof(a));
	mig_error_clear(&e);
	while ((opt = mig_cli_getopt(v, argc, argv, serve_opts, &st)) != -1) {
		if (opt == MIG_CLI_USAGE)
			goto out;
		if (opt == OPT_HELP) {
			st = mig_cli_help(v);
			goto out;
		}
		if (option(&a, opt, optarg, &e) == -1) {
			st = mig_cli_fail(v, &e, 0);
			goto out;
		}
	}
	if (optind < argc) {
		st = mig_cli_usage(v, "'%s': unexpected argument (see netcheck "
		    "serve --help)", argv[optind]);
		goto out;
	}
	st = serve(v, &a);
out:
	nc_acl_free(a.acl);
	explicit_bzero(&a.key, sizeof(a.key));
	return st;
}
