/* SPDX-License-Identifier: ISC */
/*
 * libmigcli: the front end every mignet command shares: verb dispatch,
 * --help and --version, getopt_long with one-line complaints, and the
 * printing of errors, and one output path for text and JSON (mig_out).
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
#include <stdint.h>
#include <stdio.h>

#include "common/migcommon.h"

/*
 * The exit status of every tool of the suite:
 *   0  done: the result is fine (green or yellow, applied, estimated);
 *   1  done, and the result needs the operator (a red report or a failed
 *      check, a cause found, a monitor that tripped, a precheck that
 *      stopped the start, a group that does not exist);
 *   2  a usage or configuration error: nothing was changed;
 *   3  a runtime failure: the tool could not do its job (no answer, a
 *      system call or a library failed).
 * migagent adds 4 (gave up: the retries ran out on a code that resumes)
 * and 5 (the task failed with a code that does not resume); limits apply
 * with a command passes the command's own status.
 */
#define MIG_CLI_OK		0
#define MIG_CLI_ATTENTION	1
#define MIG_CLI_USAGE		2
#define MIG_CLI_FAIL		3

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
	const char *exit_notes;		/* more statuses; may be NULL */
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

/* ------------------------------------------------------ output files */

/*
 * An output file named by option opt (--html, --csv, ...), checked before
 * the work: "-" is standard output, which at most one option may take
 * (*std names it, and may start as "--json"); a file must not be a
 * directory, and its directory must exist and be writable.  MIG_CLI_OK,
 * else the usage error's status.
 */
int mig_cli_check_output(const struct mig_cli_cmd *c, const char *opt,
    const char *path, const char **std);

/*
 * Writing it: open, write to o->f, close with the writer's result (non-zero:
 * it failed and e says why).  A file is replaced whole (mig_replace_*), so
 * readers never see a part; a symbolic link, a device or a FIFO
 * (/dev/stderr, /dev/null) is written in place; "-" is flushed and its
 * errors reported.
 */
struct mig_cli_output {
	FILE			*f;
	struct mig_replace	 r;	/* r.path alone when in_place */
	int			 in_place;	/* a link, device, FIFO */
};

int mig_cli_output_open(struct mig_cli_output *o, const char *path,
    struct mig_error *e);
int mig_cli_output_close(struct mig_cli_output *o, int failed,
    struct mig_error *e);

/* ------------------------------------------------------------ output */

/*
 * One output path for the text and the JSON of a verb, after iproute2's
 * print_* calls.  A verb makes one mig_out from its --json and adds each
 * value once: its key (the JSON member; unused inside an array) and its
 * text format.  In text mode only the formats are written, in JSON mode
 * only the values; mig_out_finish writes the one or the other.
 *
 *	mig_out_labels(o, 10);
 *	mig_out_label(o, "window");
 *	mig_out_fixed(o, "window_s", 3, "%.2f s\n", secs);
 *
 * gives "window     1.00 s" or "window_s": 1.000.  The format of a value
 * takes exactly that value (the compiler checks it: %s, %llu, %lld, %f);
 * mig_out_text is text only, mig_out_json_* and mig_out_null JSON only.
 *
 * Text is kept until mig_out_finish, so a verb that fails halfway drops
 * it (mig_out_free) and writes only its error.  The first failure (out of
 * memory) sticks: later calls do nothing and mig_out_finish reports it
 * instead of writing a partial document.
 */
struct mig_out;

/* NULL when out of memory: then return mig_out_nomem(c). */
struct mig_out *mig_out_new(const struct mig_cli_cmd *c, int json);
int mig_out_nomem(const struct mig_cli_cmd *c);
int mig_out_is_json(const struct mig_out *o);
/* The output goes to f instead of stdout (a summary meant for the log). */
void mig_out_to(struct mig_out *o, FILE *f);
/* Labels are written left-aligned in width columns and a blank. */
void mig_out_labels(struct mig_out *o, int width);
void mig_out_label(struct mig_out *o, const char *label);
void mig_out_text(struct mig_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Text and JSON: the macros give the value the type its format reads. */
#define mig_out_str(o, key, fmt, s) \
	mig_out_str_((o), (key), fmt, (s))
#define mig_out_u64(o, key, fmt, v) \
	mig_out_u64_((o), (key), fmt, (unsigned long long)(v))
#define mig_out_i64(o, key, fmt, v) \
	mig_out_i64_((o), (key), fmt, (long long)(v))
/* JSON has decimals digits after the point (mig_json_fixed), NaN is null. */
#define mig_out_fixed(o, key, decimals, fmt, v) \
	mig_out_fixed_((o), (key), (decimals), fmt, (double)(v))
void mig_out_str_(struct mig_out *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mig_out_u64_(struct mig_out *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mig_out_i64_(struct mig_out *o, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mig_out_fixed_(struct mig_out *o, const char *key, int decimals,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* JSON only.  A NULL string is null; so is a fixed number that is NaN. */
void mig_out_json_str(struct mig_out *o, const char *key, const char *s);
void mig_out_json_u64(struct mig_out *o, const char *key, uint64_t v);
void mig_out_json_i64(struct mig_out *o, const char *key, int64_t v);
void mig_out_json_bool(struct mig_out *o, const char *key, int v);
void mig_out_json_fixed(struct mig_out *o, const char *key, double v,
    int decimals);
/* null: not measured, not known, not set. */
void mig_out_null(struct mig_out *o, const char *key);
/* An object or array under key; the values that follow go into it. */
void mig_out_open(struct mig_out *o, const char *key);
void mig_out_open_array(struct mig_out *o, const char *key);
void mig_out_close(struct mig_out *o);
/* The JSON document is text as it is (a peer's answer, relayed). */
void mig_out_json_verbatim(struct mig_out *o, const char *text);

/*
 * Writes the text or the JSON document and flushes; frees o.  Returns
 * MIG_CLI_OK, or reports the failure and returns its exit status.
 */
int mig_out_finish(struct mig_out *o);
/* Drops o without writing (the verb failed). */
void mig_out_free(struct mig_out *o);

/* Colours only on a terminal and not with NO_COLOR set (no-color.org). */
int mig_cli_colour(FILE *f);

#endif /* MIGCLI_H */
