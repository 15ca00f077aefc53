/*
 * Internal to the shaper CLI: what the verbs share.  Not installed.
 */
#ifndef SHAPER_CLI_H
#define SHAPER_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "shaper.h"

#define CLI_PROG	"shaper"
#define CLI_OK		0
#define CLI_FAIL	1
#define CLI_USAGE	2

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_JSON = 256,
	OPT_DEST,
	OPT_RATE,
	OPT_DEV,
	OPT_WINDOW,
	OPT_ALL,
	OPT_STATE_DIR,
	OPT_INTERVAL,
	OPT_LIMIT,
	OPT_MAX_OVERS,
	OPT_PAUSE_PID,
	OPT_DURATION,
	OPT_ONCE,
};

struct cli_verb {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(const struct cli_verb *v, int argc, char **argv);
};

int cmd_apply(const struct cli_verb *, int, char **);
int cmd_remove(const struct cli_verb *, int, char **);
int cmd_status(const struct cli_verb *, int, char **);
int cmd_check(const struct cli_verb *, int, char **);
int cmd_monitor(const struct cli_verb *, int, char **);
int cmd_run(const struct cli_verb *, int, char **);

int cli_getopt(const struct cli_verb *v, int argc, char **argv,
    const struct option *opts, int *status);
void cli_getopt_reset(void);
int cli_no_operands(const struct cli_verb *v, int argc, char **argv);
int cli_fail(const struct cli_verb *v, const struct mig_error *e);
int cli_usage(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void cli_note(const struct cli_verb *v, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int cli_help(const struct cli_verb *v);
int cli_flush(const struct cli_verb *v);
/* --state-dir: an absolute path. */
int cli_state_dir(const struct cli_verb *v, const char *s, const char **dir);
/* Opens the library context; prints the failure. */
int cli_open(const struct cli_verb *v, const char *dir,
    struct shaper_ctx **ctx);

int cli_json_add(struct json_object *o, const char *key,
    struct json_object *val);
int cli_json_push(struct json_object *a, struct json_object *val);
int cli_json_print(const struct cli_verb *v, struct json_object *o);

#endif /* SHAPER_CLI_H */
