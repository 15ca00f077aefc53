/* SPDX-License-Identifier: ISC */
/*
 * Verbs status and stop: one request over RUN_DIR/migagent.sock.  status
 * prints the agent's JSON as it came (--json) or as a table; stop asks the
 * agent to tear down and exit, and waits until its socket is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "agent/agent_int.h"
#include "agent/cli.h"

#define STOP_WAIT_S	15

enum { OPT_JSON = MIG_CLI_OPT_BASE, OPT_RUN_DIR, OPT_HELP };

static const struct option status_opts[] = {
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "run-dir",	required_argument, NULL, OPT_RUN_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

static int
parse(const struct mig_cli_cmd *v, int argc, char **argv, int *json,
    char *sock, size_t len)
{
	const char *rd = AGENT_RUN_DIR;
	int c, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, status_opts, &status)) !=
	    -1) {
		if (c == OPT_HELP || c == 'h')
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (c == MIG_CLI_USAGE)
			return status;
		if (c == OPT_JSON && json != NULL)
			*json = 1;
		else if (c == OPT_JSON)
			return mig_cli_usage(v, "--json: not an option of %s",
			    v->verb->name);
		if (c == OPT_RUN_DIR)
			rd = optarg;
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	if (snprintf(sock, len, "%s/%s", rd, AGENT_SOCK) >= (int)len)
		return mig_cli_usage(v, "--run-dir %s: too long", rd);
	return MIG_CLI_OK;
}

static const char *
field(struct json_object *o, const char *key, char *buf, size_t len)
{
	struct json_object *f;

	if (!json_object_object_get_ex(o, key, &f) || f == NULL)
		return "-";
	(void)snprintf(buf, len, "%s", json_object_get_string(f));
	return buf;
}

/* The patterns one after the other, whatever their length. */
static void
excludes_text(struct mig_out *out, struct json_object *o)
{
	struct json_object *a;
	size_t i, n;

	mig_out_label(out, "excludes");
	if (!json_object_object_get_ex(o, "excludes", &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    (n = json_object_array_length(a)) == 0) {
		mig_out_text(out, "-\n");
		return;
	}
	for (i = 0; i < n; i++)
		mig_out_text(out, "%s%s", i > 0 ? "," : "",
		    json_object_get_string(json_object_array_get_idx(a, i)));
	mig_out_text(out, "\n");
}

/*
 * The agent's answer is the JSON document, relayed as it came; the text
 * is a table of its members, "-" for those it has not (yet).
 */
static int
status_out(const struct mig_cli_cmd *v, int json, struct json_object *o,
    const char *reply)
{
	static const char *const keys[] = { "state", "pid", "attempt",
	    "retries", "max_retries", "last_sms", "last_error", "dest",
	    "bytes", "rate_bps", "total_bytes", "remaining_s", "data_source",
	    "data_bytes", "data_total_bytes", "data_remaining_bytes",
	    "data_progress_pct", "stall_timeout_s", "idle_s", "stalls",
	    "phase" };
	struct json_object *caps;
	struct mig_out *out;
	char buf[128];
	size_t i;

	if ((out = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_json_verbatim(out, reply);
	mig_out_labels(out, 21);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		mig_out_label(out, keys[i]);
		mig_out_text(out, "%s\n", field(o, keys[i], buf, sizeof(buf)));
	}
	excludes_text(out, o);
	if (!json_object_object_get_ex(o, "caps", &caps) || caps == NULL)
		return mig_out_finish(out);
	mig_out_label(out, "caps");
	mig_out_text(out, "cpu %s %%", field(caps, "cpu_pct", buf,
	    sizeof(buf)));
	mig_out_text(out, ", mem %s MiB", field(caps, "mem_mb", buf,
	    sizeof(buf)));
	mig_out_text(out, ", io %s MiB/s", field(caps, "io_mbps", buf,
	    sizeof(buf)));
	mig_out_text(out, ", rate %s bit/s\n", field(caps, "rate_bps", buf,
	    sizeof(buf)));
	return mig_out_finish(out);
}

/* No agent running is an answer (status 1); a broken socket is not. */
static int
no_agent(const struct mig_cli_cmd *v, const struct mig_error *e, int json,
    int rc)
{
	int status = mig_cli_fail(v, e, json);

	return rc == -2 ? MIG_CLI_ATTENTION : status;
}

int
cmd_status(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct json_object *o;
	struct mig_error e;
	char sock[4200], *reply;
	int json = 0, status;

	if ((status = parse(v, argc, argv, &json, sock, sizeof(sock))) !=
	    MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	if ((status = sock_request(sock, "status\n", &reply, &e)) < 0)
		return no_agent(v, &e, json, status);
	if ((o = json_tokener_parse(reply)) == NULL) {
		free(reply);
		(void)mig_error_set(&e, MIG_E_SYSTEM, NULL,
		    "the agent's answer is not JSON");
		return mig_cli_fail(v, &e, json);
	}
	status = status_out(v, json, o, reply);
	json_object_put(o);
	free(reply);
	return status;
}

int
cmd_stop(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct mig_error e;
	char sock[4200], *reply;
	int status, i;

	if ((status = parse(v, argc, argv, NULL, sock, sizeof(sock))) !=
	    MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	if ((status = sock_request(sock, "stop\n", &reply, &e)) < 0)
		return no_agent(v, &e, 0, status);
	free(reply);
	/* The agent removes its socket last thing before it exits. */
	for (i = 0; i < STOP_WAIT_S * 10; i++) {
		if (access(sock, F_OK) == -1 && errno == ENOENT)
			return MIG_CLI_OK;
		(void)usleep(100000);
	}
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL, "the agent did not stop "
	    "within %d s", STOP_WAIT_S);
	return mig_cli_fail(v, &e, 0);
}
