/*
 * Internal to the estimator CLI: what the verbs share.  Not installed.
 */
#ifndef ESTIMATOR_CLI_H
#define ESTIMATOR_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "estimator.h"

#define CLI_PROG	"estimator"
#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_JSON = 256,
	OPT_DATA,
	OPT_SPEED,
	OPT_UTIL,
	OPT_PROGRESS,
	OPT_IFACE,
	OPT_WINDOW,
	OPT_DIRECTION,
	OPT_DONE,
	OPT_DISKS,
	OPT_BANDWIDTH,
	OPT_DISK_READ,
	OPT_DISK_WRITE,
	OPT_CORES,
	OPT_CPU,
	OPT_THREADS,
	OPT_NO_COMPRESS,
	OPT_NODE_SIZE,
};

/* One verb: its name, what it does, its options' help text. */
struct cli_verb {
	const char *name;
	const char *summary;
	const char *usage;	/* the lines of `estimator VERB --help` */
	int (*run)(const struct cli_verb *v, int argc, char **argv);
};

int cmd_time(const struct cli_verb *, int, char **);
int cmd_table(const struct cli_verb *, int, char **);
int cmd_remaining(const struct cli_verb *, int, char **);
int cmd_rate(const struct cli_verb *, int, char **);
int cmd_procs(const struct cli_verb *, int, char **);
int cmd_compress(const struct cli_verb *, int, char **);

/*
 * getopt_long over argv (argv[0] is the verb).  Returns the option's value,
 * -1 at the end, or CLI_USAGE after printing the one-line complaint about
 * an unknown option, a missing value or a stray argument.
 */
int cli_getopt(const struct cli_verb *v, int argc, char **argv,
    const struct option *opts, int *status);
void cli_getopt_reset(void);
/* Any argument left after the options is refused. */
int cli_no_operands(const struct cli_verb *v, int argc, char **argv);

/* Prints "estimator VERB: msg" (one line for usage errors); returns status. */
int cli_fail(const struct cli_verb *v, const struct mig_error *e);
int cli_usage(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cli_help(const struct cli_verb *v);
/* Flushes stdout: CLI_OK, or CLI_FAIL after saying the output was lost. */
int cli_flush(const struct cli_verb *v);
void cli_warn(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Option values; every one refuses 0 where the document's formula divides. */
int cli_size(const char *name, const char *s, uint64_t *bytes,
    struct mig_error *e);
int cli_rate(const char *name, const char *s, const char *bare,
    uint64_t *bps, struct mig_error *e);
int cli_required(const struct cli_verb *v, const char *name, const char *val,
    const char *what);

/* Output helpers. */
char *cli_fmt_hours(char *buf, size_t len, const struct est_hours *h);
double cli_mbit(uint64_t bps);
double cli_gb(uint64_t bytes);
/*
 * json-c helpers: val == NULL means json-c ran out of memory, so they
 * return -1; cli_json_null() adds a JSON null on purpose.  Callers or the
 * results together and check once.
 */
int cli_json_add(struct json_object *o, const char *key,
    struct json_object *val);
int cli_json_null(struct json_object *o, const char *key);
int cli_json_push(struct json_object *a, struct json_object *val);
int cli_json_hours(struct json_object *o, const struct est_hours *h);
int cli_json_print(const struct cli_verb *v, struct json_object *o);

#endif /* ESTIMATOR_CLI_H */
