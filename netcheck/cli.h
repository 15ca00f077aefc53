/*
 * Internal to the netcheck CLI: what the verbs share.  Not installed.
 */
#ifndef NETCHECK_CLI_H
#define NETCHECK_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "netcheck.h"

#define CLI_PROG	"netcheck"
#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_V4 = '4',
	OPT_V6 = '6',
	OPT_JSON = 256,
	OPT_PORT,
	OPT_TIMEOUT,
	OPT_KEYFILE,
	OPT_COUNT,
	OPT_DURATION,
	OPT_INTERVAL,
	OPT_SIZE,
	OPT_METHOD,
	OPT_STREAMS,
	OPT_REVERSE,
	OPT_IPERF3,
	OPT_RESPONDER,
	OPT_RATE,
	OPT_LISTEN,
	OPT_ALLOW,
	OPT_MAX_SESSIONS,
	OPT_MAX_DURATION,
	OPT_MAX_RATE,
	OPT_IDLE,
	OPT_USER,
	OPT_VERBOSE,
	OPT_QUIET,
};

struct cli_verb {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(const struct cli_verb *v, int argc, char **argv);
};

int cmd_serve(const struct cli_verb *, int, char **);
int cmd_latency(const struct cli_verb *, int, char **);
int cmd_throughput(const struct cli_verb *, int, char **);
int cmd_udp(const struct cli_verb *, int, char **);

/* The options every client verb takes (DEST, --port, -4/-6, ...). */
struct cli_client {
	struct nc_target target;
	struct nc_key	 key;
	int		 json;
	int		 quiet;
	const char	*pwhat;		/* the progress line */
	uint64_t	 plast;
	int		 pshown;
	int		 pprobes;	/* counts, not a rate */
};

#define CLI_CLIENT_OPTS \
	{ "port",	required_argument, NULL, OPT_PORT }, \
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT }, \
	{ "key-file",	required_argument, NULL, OPT_KEYFILE }, \
	{ "json",	no_argument,	   NULL, OPT_JSON }, \
	{ "quiet",	no_argument,	   NULL, OPT_QUIET }, \
	{ "help",	no_argument,	   NULL, OPT_HELP }

void cli_client_init(struct cli_client *c);
/* 1: c handled the option, 0: not a common one, -1: bad value (e set). */
int cli_client_opt(struct cli_client *c, int opt, const char *arg,
    struct mig_error *e);
/* DEST: the one operand; usage error when missing or more than one. */
int cli_client_dest(const struct cli_verb *v, struct cli_client *c,
    int argc, char **argv);
/* Progress line on stderr when it is a terminal (and not --quiet). */
void cli_progress_start(struct cli_client *c, const char *what, int probes);
void cli_progress_end(struct cli_client *c);

int cli_getopt(const struct cli_verb *v, int argc, char **argv,
    const char *shortopts, const struct option *opts, int *status);
void cli_getopt_reset(void);
int cli_fail(const struct cli_verb *v, const struct mig_error *e, int json);
int cli_usage(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cli_help(const struct cli_verb *v);
int cli_flush(const struct cli_verb *v);
void cli_warn(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

int cli_duration(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *ns, struct mig_error *e);

/* json-c helpers: NULL values mean out of memory; results or'ed. */
int cli_json_add(struct json_object *o, const char *key,
    struct json_object *val);
struct json_object *cli_json_num(double v, int decimals);	/* NaN: null */
struct json_object *cli_json_peer(const struct nc_peer_addr *p);
int cli_json_print(const struct cli_verb *v, struct json_object *o);

#endif /* NETCHECK_CLI_H */
