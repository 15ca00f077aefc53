/* SPDX-License-Identifier: ISC */
/*
 * The agent's figures for Prometheus, as node_exporter's textfile collector
 * reads them: one family per quantity in its base unit (bytes, seconds,
 * bytes per second, a 0..1 ratio), every series labelled source (this
 * host's name) and destination, as netcheck report --prom labels its own,
 * so that dashboards join the two.  Figures that are unknown (no rsync
 * data progress, no flow monitor) are left out, never written as 0.  The
 * file is replaced whole, so a scrape never sees half of it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "agent/agent.h"

#define P	"mignet_migagent_"

static const char *const state_list[] = {
	"precheck", "running", "waiting", "paused", "done", "failed",
};

static void
family(FILE *f, const char *name, const char *type, const char *help)
{
	char full[96];

	(void)snprintf(full, sizeof(full), P "%s", name);
	mig_prom_family(f, full, type, help);
}

/* name{source="",destination=""[,key="val"]} v */
static void
sample_kv(FILE *f, const struct agent_snap *s, const struct agent_prom *p,
    const char *name, const char *key, const char *val, double v)
{
	(void)fprintf(f, P "%s{source=\"", name);
	mig_prom_label(f, p->host != NULL ? p->host : "");
	(void)fputs("\",destination=\"", f);
	mig_prom_label(f, s->dest != NULL ? s->dest : "");
	if (key != NULL) {
		(void)fprintf(f, "\",%s=\"", key);
		mig_prom_label(f, val);
	}
	(void)fputs("\"} ", f);
	mig_prom_value(f, v);
	(void)fputc('\n', f);
}

static void
sample(FILE *f, const struct agent_snap *s, const struct agent_prom *p,
    const char *name, double v)
{
	sample_kv(f, s, p, name, NULL, NULL, v);
}

static void
states(FILE *f, const struct agent_snap *s, const struct agent_prom *p)
{
	size_t i;

	family(f, "up", "gauge", "1 while migagent runs, 0 once it exited.");
	sample(f, s, p, "up", !p->exited);
	family(f, "state", "gauge", "The agent's state: 1 for the current "
	    "one, 0 for the others.");
	for (i = 0; i < sizeof(state_list) / sizeof(state_list[0]); i++)
		sample_kv(f, s, p, "state", "state", state_list[i],
		    strcmp(agent_state_name(s->state), state_list[i]) == 0);
	if (p->exited) {
		family(f, "exit_status", "gauge", "Exit status of migagent "
		    "run: 0 done or stopped, 1 precheck red, 3 could not "
		    "run, 4 gave up, 5 a failure that does not resume.");
		sample(f, s, p, "exit_status", p->exit_status);
	}
	family(f, "last_sms_info", "gauge", "The last SMS code of a failure "
	    "(label sms, empty when none).");
	sample_kv(f, s, p, "last_sms_info", "sms", s->last_sms != NULL ?
	    s->last_sms : "", 1);
}

/* rsync's data figures: what the destination holds. */
static void
data(FILE *f, const struct agent_snap *s, const struct agent_prom *p)
{
	if (!s->data_known)
		return;
	family(f, "progress_ratio", "gauge", "Data on the destination over "
	    "the data to copy, 0 to 1 (1 only once the task ended well).");
	sample(f, s, p, "progress_ratio", s->data.pct / 100.0);
	family(f, "data_bytes", "gauge", "Data on the destination (rsync's "
	    "figures).");
	sample(f, s, p, "data_bytes", (double)s->data.done);
	family(f, "data_total_bytes", "gauge", "Data to copy (rsync's "
	    "figures).");
	sample(f, s, p, "data_total_bytes", (double)s->data.total);
}

static void
flow(FILE *f, const struct agent_snap *s, const struct agent_prom *p)
{
	if (s->rate_bps >= 0) {
		/* bytes: Prometheus' base unit (promtool flags bits) */
		family(f, "rate_bytes_per_second", "gauge", "Rate to the "
		    "destination over the last 5 s.");
		sample(f, s, p, "rate_bytes_per_second", s->rate_bps / 8);
	}
	if (s->remaining_s >= 0) {
		family(f, "remaining_seconds", "gauge", "Time left at the "
		    "last 5 s rate.");
		sample(f, s, p, "remaining_seconds", (double)(uint64_t)
		    (s->remaining_s + 0.5));
	}
}

static void
retries(FILE *f, const struct agent_snap *s, const struct agent_prom *p)
{
	family(f, "retries_total", "counter", "Restarts of the task after "
	    "a failure that resumes.");
	sample(f, s, p, "retries_total", s->retries);
	family(f, "retries_max", "gauge", "Restarts allowed before the agent "
	    "gives up (0: resume off).");
	sample(f, s, p, "retries_max", s->max_retries);
	family(f, "stalls_total", "counter", "Tasks killed because no data "
	    "moved for the stall timeout.");
	sample(f, s, p, "stalls_total", s->stalls);
}

int
agent_prom_print(FILE *f, const struct agent_snap *s,
    const struct agent_prom *p, struct mig_error *e)
{
	states(f, s, p);
	data(f, s, p);
	flow(f, s, p);
	retries(f, s, p);
	family(f, "start_timestamp_seconds", "gauge", "When the agent "
	    "started.");
	sample(f, s, p, "start_timestamp_seconds", (double)p->started);
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "writing the "
		    "Prometheus file: %s", strerror(errno));
	return 0;
}

int
agent_prom_write(const char *dir, const struct agent_snap *s,
    const struct agent_prom *p, struct mig_error *e)
{
	struct mig_replace r;
	char path[MIG_PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/" AGENT_PROM_FILE,
	    dir) >= sizeof(path))
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: name too long",
		    dir);
	/* node_exporter runs as its own user: the file is world-readable. */
	if (mig_replace_open(&r, path, 0644, e) == -1)
		return -1;
	if (agent_prom_print(r.f, s, p, e) == -1) {
		mig_replace_abort(&r);
		return -1;
	}
	return mig_replace_commit(&r, e);
}
