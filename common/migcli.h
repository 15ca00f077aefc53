/*
 * libmigcli: the front end every mignet command shares: verb dispatch,
 * --help and --version, getopt_long with one-line complaints, and the
 * printing of errors and JSON.
 *
 * Unlike libmigcommon this prints to stdout and stderr: it is for main()
 * and the verbs of a tool, never for a library.
 *
 * Exit status: 0 success, 1 runtime failure, 2 usage.
 */
#ifndef MIGCLI_H
#define MIGCLI_H

#include <getopt.h>
#include <stddef.h>

#include "common/migcommon.h"

#define MIG_CLI_OK	0
#define MIG_CLI_FAIL	1
#define MIG_CLI_USAGE	2

/* Long-option values start here, above any short option's character. */
#define MIG_CLI_OPT_BASE 256

struct mig_cli_cmd;

/* One verb: its name, what it does, the text of `tool VERB --help`. */
struct mig_cli_verb {
	const char *name;
	const char *summary;
	const char *usage;
	int (*run)(const struct mig_cli_cmd *c, int argc, char **argv);
};

/* A tool: its name, its verbs, a note printed under the verb list. */
struct mig_cli {
	const char *prog;		/* "estimator" */
	const char *notes;		/* may be NULL */
	const struct mig_cli_verb *verbs;
	size_t nverbs;
	int man_section;		/* "See prog(N)."; 0 means 1 */
};

/* What a verb is run with. */
struct mig_cli_cmd {
	const struct mig_cli *tool;
	const struct mig_cli_verb *verb;
};

/*
 * main(): `tool VERB [options]`, `tool --help`, `tool --version`.  Runs
 * the verb with argv[0] = the verb's name; returns the exit status.
 */
int mig_cli_main(const struct mig_cli *tool, int argc, char **argv);

/*
 * getopt_long over the verb's argv.  Returns the option's value, -1 at the
 * end, or MIG_CLI_USAGE (with *status set) after a one-line complaint about
 * an unknown option or a missing value.  "-h" and "--help" come back as 'h'
 * when opts maps them so.
 */
int mig_cli_getopt(const struct mig_cli_cmd *c, int argc, char **argv,
    const struct option *opts, int *status);
/* The same with the verb's own short options, which must start with ':'. */
int mig_cli_getopt_short(const struct mig_cli_cmd *c, int argc, char **argv,
    const char *shortopts, const struct option *opts, int *status);
/* Refuses any argument left after the options (MIG_CLI_USAGE). */
int mig_cli_no_operands(const struct mig_cli_cmd *c, int argc, char **argv);
/* "tool VERB: NAME: missing (WHAT)" when val is NULL. */
int mig_cli_required(const struct mig_cli_cmd *c, const char *name,
    const char *val, const char *what);

/* "tool VERB: message" on stderr; returns MIG_CLI_USAGE. */
int mig_cli_usage(const struct mig_cli_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "tool VERB: warning: message" on stderr. */
void mig_cli_warn(const struct mig_cli_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* "tool VERB: note: message" on stderr. */
void mig_cli_note(const struct mig_cli_cmd *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/*
 * Reports e and returns its exit status: a usage error is one line, a
 * runtime failure also gets its SMS code and remedy.  With json set, a
 * runtime failure is also written to stdout as {"verb", "error"}.
 */
int mig_cli_fail(const struct mig_cli_cmd *c, const struct mig_error *e,
    int json);
/* `tool VERB --help` on stdout. */
int mig_cli_help(const struct mig_cli_cmd *c);
/* Flushes stdout: MIG_CLI_OK, or MIG_CLI_FAIL when the output was lost. */
int mig_cli_flush(const struct mig_cli_cmd *c);
/* Writes o (NULL: json-c ran out of memory), drops it, flushes. */
int mig_cli_json_print(const struct mig_cli_cmd *c, struct json_object *o);

/* Colours only on a terminal and not with NO_COLOR set (no-color.org). */
int mig_cli_colour(FILE *f);

#endif /* MIGCLI_H */
