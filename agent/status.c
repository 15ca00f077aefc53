/* SPDX-License-Identifier: ISC */
/*
 * What `migagent status` shows: the JSON object the running agent sends
 * over its socket, the remaining time through libestimator (§13.3), the
 * run-state file and the size of the source paths.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "agent/agent.h"
#include "estimator/estimator.h"

static const char *const state_names[] = {
	"precheck", "running", "waiting", "paused", "done", "failed",
};

const char *
agent_state_name(enum agent_state s)
{
	return (unsigned)s <= AGENT_FAILED ? state_names[s] : "unknown";
}

double
agent_remaining_s(uint64_t total, uint64_t done, double bps)
{
	struct est_hours h;

	if (total == 0 || !(bps > 0))
		return -1;
	/* Wire bytes run ahead of the data (headers, resent blocks). */
	if (done > total)
		done = total;
	if (est_remaining_at_rate(total, done, bps, &h, NULL) == -1)
		return -1;
	return h.exact * 3600.0;
}

static int
add_uint(struct json_object *o, const char *key, uint64_t v)
{
	return mig_json_add(o, key, json_object_new_uint64(v));
}

/* A figure or null: unknown is not zero. */
static int
add_opt(struct json_object *o, const char *key, int have, uint64_t v)
{
	return have ? add_uint(o, key, v) : mig_json_null(o, key);
}

static struct json_object *
caps_json(const struct agent_snap *s)
{
	struct json_object *o;
	const struct limits_caps *c = s->caps;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= add_opt(o, "cpu_pct", c != NULL && c->cpu_pct, c ?
	    c->cpu_pct : 0);
	rc |= add_opt(o, "mem_mb", c != NULL && c->mem_mb, c ? c->mem_mb : 0);
	rc |= add_opt(o, "io_mbps", c != NULL && c->io_mbps, c ?
	    c->io_mbps : 0);
	rc |= add_opt(o, "rate_bps", s->cap_rate_bps != 0, s->cap_rate_bps);
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

/*
 * Data progress next to the wire's "bytes": what the destination holds by
 * rsync's figures; null (and data_source "unknown") when not measured.
 */
static int
data_json(struct json_object *o, const struct agent_snap *s)
{
	int k = s->data_known, rc = 0;

	rc |= mig_json_add(o, "wire_bytes", json_object_new_uint64(s->bytes));
	rc |= mig_json_add(o, "data_source", json_object_new_string(
	    s->data_source != NULL ? s->data_source : "unknown"));
	rc |= add_opt(o, "data_bytes", k, s->data.done);
	rc |= add_opt(o, "data_total_bytes", k, s->data.total);
	rc |= add_opt(o, "data_remaining_bytes", k, s->data.remaining);
	rc |= k ? mig_json_add(o, "data_progress_pct",
	    json_object_new_double(floor(s->data.pct * 10.0) / 10.0)) :
	    mig_json_null(o, "data_progress_pct");
	rc |= add_opt(o, "stall_timeout_s", s->stall_s != 0, s->stall_s);
	rc |= add_opt(o, "idle_s", s->idle_s >= 0, s->idle_s >= 0 ?
	    (uint64_t)s->idle_s : 0);
	rc |= add_uint(o, "stalls", s->stalls);
	rc |= s->last_error != NULL ? mig_json_add(o, "last_error",
	    json_object_new_string(s->last_error)) : mig_json_null(o,
	    "last_error");
	return rc;
}

struct json_object *
agent_snap_json(const struct agent_snap *s)
{
	struct json_object *o;
	int rc = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rc |= mig_json_add(o, "state",
	    json_object_new_string(agent_state_name(s->state)));
	rc |= add_opt(o, "pid", s->pid > 0, (uint64_t)s->pid);
	rc |= add_uint(o, "attempt", s->attempt);
	rc |= add_uint(o, "retries", s->retries);
	rc |= add_uint(o, "max_retries", s->max_retries);
	rc |= add_uint(o, "slot", s->slot);
	rc |= s->last_sms != NULL ? mig_json_add(o, "last_sms",
	    json_object_new_string(s->last_sms)) : mig_json_null(o,
	    "last_sms");
	rc |= s->dest != NULL ? mig_json_add(o, "dest",
	    json_object_new_string(s->dest)) : mig_json_null(o, "dest");
	rc |= add_uint(o, "bytes", s->bytes);
	rc |= add_opt(o, "rate_bps", s->rate_bps >= 0,
	    s->rate_bps >= 0 ? (uint64_t)llround(s->rate_bps) : 0);
	rc |= add_opt(o, "total_bytes", s->total_bytes != 0, s->total_bytes);
	rc |= add_opt(o, "remaining_s", s->remaining_s >= 0,
	    s->remaining_s >= 0 ? (uint64_t)llround(s->remaining_s) : 0);
	rc |= mig_json_add(o, "caps", caps_json(s));
	rc |= data_json(o, s);
	if (s->conf != NULL)
		rc |= excl_json(o, s->conf);
	if (rc != 0) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
agent_state_write(const char *path, const struct agent_statefile *s,
    struct mig_error *e)
{
	struct mig_replace r;

	/* Written whole, then renamed: a crash never leaves half a record. */
	if (mig_replace_open(&r, path, 0600, e) == -1)
		return -1;
	(void)fprintf(r.f, "pid=%ld\ndest=%s\ngroup=%s\n", (long)s->pid,
	    s->dest, s->group);
	return mig_replace_commit(&r, e);
}

static int
state_line(struct agent_statefile *s, const char *line)
{
	char *end;
	long v;

	if (strncmp(line, "pid=", 4) == 0) {
		errno = 0;
		v = strtol(line + 4, &end, 10);
		if (errno != 0 || end == line + 4 || *end != '\0' || v < 1)
			return -1;
		s->pid = (pid_t)v;
		return 0;
	}
	if (strncmp(line, "dest=", 5) == 0 &&
	    strlen(line + 5) < sizeof(s->dest)) {
		(void)memcpy(s->dest, line + 5, strlen(line + 5) + 1);
		return 0;
	}
	if (strncmp(line, "group=", 6) == 0 &&
	    strlen(line + 6) < sizeof(s->group)) {
		(void)memcpy(s->group, line + 6, strlen(line + 6) + 1);
		return 0;
	}
	return -1;
}

int
agent_state_read(const char *path, struct agent_statefile *s, int *found,
    struct mig_error *e)
{
	char line[256];
	FILE *f;
	size_t n;

	memset(s, 0, sizeof(*s));
	*found = 0;
	if ((f = fopen(path, "re")) == NULL) {
		if (errno == ENOENT)
			return 0;
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot read %s: "
		    "%s", path, strerror(errno));
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		n = strcspn(line, "\n");
		line[n] = '\0';
		if (state_line(s, line) == -1) {
			(void)fclose(f);
			return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: bad "
			    "line \"%.60s\"", path, line);
		}
	}
	(void)fclose(f);
	if (s->pid == 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: no pid", path);
	*found = 1;
	return 0;
}

/* nftw has no argument for its callback: one walk at a time, on a stack. */
static __thread uint64_t du_total;

static int
du_one(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode))
		du_total += (uint64_t)st->st_size;
	return 0;
}

int
agent_du(char *const *paths, uint64_t *bytes, struct mig_error *e)
{
	size_t i;

	du_total = 0;
	for (i = 0; paths != NULL && paths[i] != NULL; i++) {
		if (nftw(paths[i], du_one, 32, FTW_PHYS) == -1)
			return mig_error_set(e, MIG_E_USAGE, NULL, "source %s: "
			    "%s", paths[i], strerror(errno));
	}
	*bytes = du_total;
	return 0;
}
