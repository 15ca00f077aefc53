/* SPDX-License-Identifier: ISC */
/*
 * The agent's configuration: g-property.cfg of the original agent (facts.md
 * §6) plus the suite's sections for the task, destination, limits and
 * shaping.  Every key is checked with its range here, before anything on
 * the system changes; an error names the file, section, key, range and
 * value (exit status 2).  The original agent's own keys that this agent
 * has no use for (Windows, snapshots, its console) are accepted silently,
 * so that its file loads as it is; other unknown keys are warned about (a
 * typo).  Keys are case-insensitive, as the original reads them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

static const struct mig_config_key known[] = {
	{ "property", "auto_start_interval_seconds" },
	{ "property", "auto_start_max_retry_times" },
	{ "property", "auto_start_each_addition_seconds" },
	{ "property", "auto_start" },
	{ "property", "heartmonitorday" },
	{ "property", "enablesync" },
	{ "ssl_config", "servercheck" },
	/* the original agent's, of no use here */
	{ "property", "times" },
	{ "property", "debug" },
	{ "property", "file exist check" },
	{ "property", "enablesnapshot" },
	{ "property", "enablelinuxblock" },
	{ "property", "wmi" },
	{ "property", "targetip" },
	{ "property", "stopsync" },
	{ "property", "uefi2bios" },
	{ "environmentcheck", NULL },
	{ "linux.config", NULL },
	{ "task", "command" },
	{ "task", "source" },
	{ "task", "total" },
	{ "task", "precheck" },
	{ "task", "phase" },
	{ "destination", "host" },
	{ "destination", "check_port" },
	{ "limits", "cpu" },
	{ "limits", "mem" },
	{ "limits", "io" },
	{ "shaping", "rate" },
	{ "shaping", "window" },
	{ "shaping", "dev" },
	{ "shaping", "business_window" },
	{ "classify", NULL },
	{ "migagent", "stall_timeout" },
	{ "migagent", "prom_dir" },
	{ NULL, NULL },
};

void
agent_conf_init(struct agent_conf *c)
{
	memset(c, 0, sizeof(*c));
	c->check_port = AGENT_CHECK_PORT_DEFAULT;
	c->resume = 1;
	c->interval_s = AGENT_INTERVAL_DEFAULT;
	c->addition_s = AGENT_ADDITION_DEFAULT;
	c->retries = AGENT_RETRIES_DEFAULT;
	c->servercheck = 1;
	c->stall_s = AGENT_STALL_DEFAULT;
	cls_defaults(&c->cls);
}

void
agent_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

void
agent_conf_free(struct agent_conf *c)
{
	agent_strv_free(c->argv);
	agent_strv_free(c->sources);
	free(c->command);
	free(c->dest);
	free(c->dev);
	free(c->log_dir);
	free(c->run_dir);
	free(c->prom_dir);
	free(c->tar_exclude);
	free(c->rsync_exclude);
	memset(c, 0, sizeof(*c));
}

int
agent_str_set(char **dst, const char *s, struct mig_error *e)
{
	char *n;

	if ((n = strdup(s)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	free(*dst);
	*dst = n;
	return 0;
}

int
agent_prom_dir_set(struct agent_conf *c, const char *name, const char *s,
    struct mig_error *e)
{
	/* A unit's working directory is /: a relative path would mislead. */
	if (s[0] != '/')
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: %s is not an "
		    "absolute path (node_exporter's textfile folder, "
		    "/var/lib/prometheus/node-exporter)", name, s);
	if (strlen(s) + sizeof("/" AGENT_PROM_FILE ".tmp") > MIG_PATH_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: too long",
		    name);
	return agent_str_set(&c->prom_dir, s, e);
}

int
agent_parse_seconds(const char *name, const char *s, const char *bare,
    unsigned min, unsigned max, unsigned *out, struct mig_error *e)
{
	uint64_t ns;

	if (mig_parse_duration(name, s, bare, &ns, e) == -1)
		return -1;
	/* The log prints whole seconds; a fraction would be a lie there. */
	if (ns % MIG_NS_PER_S != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: %s is not a "
		    "whole number of seconds (range %u..%u s)", name, s, min,
		    max);
	if (ns / MIG_NS_PER_S < min || ns / MIG_NS_PER_S > max)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: %s is out of "
		    "range %u..%u s", name, s, min, max);
	*out = (unsigned)(ns / MIG_NS_PER_S);
	return 0;
}

/* Splits s on commas, blanks or newlines into its words. */
static int
each_word(const char *s, const char *seps,
    int (*fn)(void *, const char *, struct mig_error *), void *arg,
    struct mig_error *e)
{
	char *copy, *p, *w, *save = NULL;
	int rc = 0;

	if ((copy = strdup(s)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	for (p = copy; (w = strtok_r(p, seps, &save)) != NULL; p = NULL) {
		if ((rc = fn(arg, w, e)) == -1)
			break;
	}
	free(copy);
	return rc;
}

struct win_arg {
	struct agent_conf	*c;
	const char		*name;
};

static int
add_window(void *arg, const char *w, struct mig_error *e)
{
	struct win_arg *a = arg;
	struct agent_conf *c = a->c;

	if (c->nwindows == SHAPER_MAX_WINDOWS)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: at most %d "
		    "windows", a->name, SHAPER_MAX_WINDOWS);
	if (shaper_window_parse(a->name, w, &c->windows[c->nwindows], e) == -1)
		return -1;
	c->nwindows++;
	return shaper_windows_check(a->name, c->windows, c->nwindows, e);
}

int
agent_add_windows(struct agent_conf *c, const char *name, const char *s,
    struct mig_error *e)
{
	struct win_arg a = { c, name };

	return each_word(s, ", \t\n", add_window, &a, e);
}

static int
add_source(void *arg, const char *w, struct mig_error *e)
{
	struct agent_conf *c = arg;
	char **v;

	if ((v = realloc(c->sources, (c->nsources + 2) * sizeof(*v))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	c->sources = v;
	if ((v[c->nsources] = strdup(w)) == NULL) {
		v[c->nsources] = NULL;
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	v[++c->nsources] = NULL;
	return 0;
}

int
agent_add_sources(struct agent_conf *c, const char *s, struct mig_error *e)
{
	return each_word(s, " \t\n", add_source, c, e);
}

/* A parser's usage error becomes the file's configuration error. */
static int
as_config(struct mig_error *e)
{
	if (e != NULL && e->kind == MIG_E_USAGE)
		e->kind = MIG_E_CONFIG;
	return -1;
}

static int
load_property(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, struct mig_error *e)
{
	char what[300];
	const char *s;
	long long v;

	if (mig_config_int(cfg, "property", "auto_start_interval_seconds",
	    c->interval_s, 1, AGENT_INTERVAL_MAX, &v, e) == -1)
		return -1;
	c->interval_s = (unsigned)v;
	if (mig_config_int(cfg, "property", "auto_start_each_addition_seconds",
	    c->addition_s, 0, AGENT_INTERVAL_MAX, &v, e) == -1)
		return -1;
	c->addition_s = (unsigned)v;
	/* 0 is legal only with resume off; agent_conf_check says so. */
	if (mig_config_int(cfg, "property", "auto_start_max_retry_times",
	    c->retries, 0, AGENT_RETRIES_MAX, &v, e) == -1)
		return -1;
	c->retries = (unsigned)v;
	if (mig_config_bool(cfg, "property", "auto_start", c->resume,
	    &c->resume, e) == -1)
		return -1;
	if ((s = mig_config_get(cfg, "migagent", "stall_timeout")) != NULL) {
		(void)snprintf(what, sizeof(what), "%s: [migagent] "
		    "stall_timeout", name);
		if (agent_parse_seconds(what, s, "s", 0, AGENT_STALL_MAX,
		    &c->stall_s, e) == -1)
			return as_config(e);
	}
	if ((s = mig_config_get(cfg, "migagent", "prom_dir")) != NULL) {
		(void)snprintf(what, sizeof(what), "%s: [migagent] prom_dir",
		    name);
		if (agent_prom_dir_set(c, what, s, e) == -1)
			return as_config(e);
	}
	return mig_config_bool(cfg, "ssl_config", "servercheck",
	    c->servercheck, &c->servercheck, e);
}

static int
load_task(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, struct mig_error *e)
{
	const char *s;
	char *p;
	long long port;

	if ((s = mig_config_get(cfg, "task", "command")) != NULL) {
		if (strspn(s, " \t\n") == strlen(s))
			return mig_error_set(e, MIG_E_CONFIG, NULL,
			    "%s: [task] command is empty (the transfer to run, "
			    "e.g. rsync -a SRC/ root@DST:SRC/)", name);
		if (agent_str_set(&c->command, s, e) == -1)
			return -1;
		/*
		 * inih cuts lines at 198 characters: a long command goes on
		 * continuation lines, which are one command line for sh.
		 */
		for (p = c->command; (p = strchr(p, '\n')) != NULL; )
			*p = ' ';
	}
	if ((s = mig_config_get(cfg, "task", "source")) != NULL &&
	    agent_add_sources(c, s, e) == -1)
		return -1;
	if (mig_config_size(cfg, "task", "total", c->total, 1, UINT64_MAX,
	    &c->total, e) == -1)
		return -1;
	if (mig_config_bool(cfg, "task", "precheck", c->precheck,
	    &c->precheck, e) == -1)
		return -1;
	if ((s = mig_config_get(cfg, "destination", "host")) != NULL &&
	    agent_str_set(&c->dest, s, e) == -1)
		return -1;
	if (mig_config_int(cfg, "destination", "check_port", c->check_port, 1,
	    65535, &port, e) == -1)
		return -1;
	c->check_port = (unsigned)port;
	return 0;
}

static int
load_limits(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, unsigned ncpu, struct mig_error *e)
{
	char what[300];
	const char *s;

	(void)snprintf(what, sizeof(what), "%s: [limits] cpu", name);
	if ((s = mig_config_get(cfg, "limits", "cpu")) != NULL &&
	    limits_parse_cpu(what, s, ncpu, &c->caps.cpu_pct, e) == -1)
		return as_config(e);
	(void)snprintf(what, sizeof(what), "%s: [limits] mem", name);
	if ((s = mig_config_get(cfg, "limits", "mem")) != NULL &&
	    limits_parse_mem(what, s, &c->caps.mem_mb, e) == -1)
		return as_config(e);
	(void)snprintf(what, sizeof(what), "%s: [limits] io", name);
	if ((s = mig_config_get(cfg, "limits", "io")) != NULL &&
	    limits_parse_io(what, s, &c->caps.io_mbps, e) == -1)
		return as_config(e);
	return 0;
}

int
agent_rate_parse(const char *what, const char *s, struct agent_conf *c,
    struct mig_error *e)
{
	if (strcmp(s, "auto") == 0) {
		c->rate_auto = 1;
		c->rate_bps = 0;
		return 0;
	}
	c->rate_auto = 0;
	return shaper_rate_parse(what, s, &c->rate_bps, e);
}

/* Whole seconds, 1 .. 3600; bare numbers are seconds. */
int
agent_window_parse(const char *what, const char *s, unsigned *out,
    struct mig_error *e)
{
	uint64_t ns;

	if (mig_parse_duration(what, s, "s", &ns, e) == -1)
		return -1;
	if (ns < MIG_NS_PER_S || ns > 3600 * MIG_NS_PER_S ||
	    ns % MIG_NS_PER_S != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s %s: whole seconds, 1 to 3600", what, s);
	*out = (unsigned)(ns / MIG_NS_PER_S);
	return 0;
}

static int
load_shaping(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, struct mig_error *e)
{
	char what[300];
	const char *s;

	(void)snprintf(what, sizeof(what), "%s: [shaping] rate", name);
	if ((s = mig_config_get(cfg, "shaping", "rate")) != NULL &&
	    agent_rate_parse(what, s, c, e) == -1)
		return as_config(e);
	(void)snprintf(what, sizeof(what), "%s: [shaping] business_window",
	    name);
	if ((s = mig_config_get(cfg, "shaping", "business_window")) != NULL &&
	    agent_window_parse(what, s, &c->plan_window_s, e) == -1)
		return as_config(e);
	(void)snprintf(what, sizeof(what), "%s: [shaping] window", name);
	if ((s = mig_config_get(cfg, "shaping", "window")) != NULL &&
	    agent_add_windows(c, what, s, e) == -1)
		return as_config(e);
	if ((s = mig_config_get(cfg, "shaping", "dev")) != NULL &&
	    agent_str_set(&c->dev, s, e) == -1)
		return -1;
	return 0;
}

struct cls_arg {
	struct agent_conf	*c;
	const struct mig_config	*cfg;
	const char		*name;
	struct mig_error	*e;
	int			 rc;
	agent_warn_fn		*warn;
	void			*warn_arg;
};

static void
classify_key(void *arg, const char *section, const char *key, int line)
{
	struct cls_arg *a = arg;
	const char *v;
	char msg[400], k[80], val[80];

	(void)line;
	if (a->rc == -1 || strcmp(section, "classify") != 0)
		return;
	v = mig_config_get(a->cfg, section, key);
	if (strcmp(v, "none") != 0 && mig_sms_lookup(v) == NULL) {
		a->rc = mig_error_set(a->e, MIG_E_CONFIG, NULL,
		    "%s: [classify] %s = %s: not an SMS code of the catalog "
		    "(SMS.xxxx, or none)", a->name,
		    mig_printable(key, SIZE_MAX, k, sizeof(k)),
		    mig_printable(v, SIZE_MAX, val, sizeof(val)));
		return;
	}
	if (cls_set(&a->c->cls, key, strcmp(v, "none") == 0 ? NULL :
	    mig_sms_lookup(v)->code) == -1) {
		(void)snprintf(msg, sizeof(msg), "%s: [classify] %s: unknown "
		    "key, ignored (ssh_broken, ssh_timeout, ssh_refused, "
		    "ssh_unreachable, ssh_hostkey, ssh_auth, ssh_other, "
		    "rsync_exit_N, exit_N)", a->name,
		    mig_printable(key, SIZE_MAX, k, sizeof(k)));
		if (a->warn != NULL)
			a->warn(a->warn_arg, msg);
	}
}

static const struct mig_config_key known_none[] = { { NULL, NULL } };

static void
unknown_key(void *arg, const char *section, const char *key, int line)
{
	struct cls_arg *a = arg;
	char msg[400], sec[80], k[80];

	if (strcmp(section, "classify") == 0 || a->warn == NULL)
		return;
	(void)snprintf(msg, sizeof(msg), "%s:%d: [%s] %s: unknown key, "
	    "ignored", a->name, line,
	    mig_printable(section, SIZE_MAX, sec, sizeof(sec)),
	    mig_printable(key, SIZE_MAX, k, sizeof(k)));
	a->warn(a->warn_arg, msg);
}

/*
 * The parsers of the other libraries quote the value they refused; from a
 * file it may hold control characters, which must not reach a terminal or
 * split a log line.
 */
static int
scrub(struct mig_error *e)
{
	if (e != NULL)
		(void)mig_printable(e->msg, sizeof(e->msg), e->msg,
		    sizeof(e->msg));
	return -1;
}

static int
load_cfg(struct agent_conf *c, const struct mig_config *cfg, const char *name,
    unsigned ncpu, agent_warn_fn *warn, void *arg, struct mig_error *e)
{
	struct cls_arg a = { c, cfg, name, e, 0, warn, arg };

	if (load_property(c, cfg, name, e) == -1 ||
	    load_task(c, cfg, name, e) == -1 ||
	    excl_load(c, cfg, name, e) == -1 ||
	    load_limits(c, cfg, name, ncpu, e) == -1 ||
	    load_shaping(c, cfg, name, e) == -1)
		return scrub(e);
	mig_config_unknown(cfg, known_none, classify_key, &a);
	if (a.rc == -1)
		return -1;
	mig_config_unknown(cfg, known, unknown_key, &a);
	return 0;
}

int
agent_conf_load_string(struct agent_conf *c, const char *name,
    const char *text, unsigned ncpu, agent_warn_fn *warn, void *arg,
    struct mig_error *e)
{
	struct mig_config *cfg;
	int rc;

	if (mig_config_load_string(name, text, &cfg, e) == -1)
		return -1;
	rc = load_cfg(c, cfg, name, ncpu, warn, arg, e);
	mig_config_free(cfg);
	return rc;
}

int
agent_conf_load(struct agent_conf *c, const char *path, unsigned ncpu,
    agent_warn_fn *warn, void *arg, struct mig_error *e)
{
	struct mig_config *cfg;
	int rc;

	if (mig_config_load(path, &cfg, e) == -1) {
		/* An unreadable file is the operator's to fix: status 2. */
		if (e != NULL && e->kind == MIG_E_SYSTEM)
			e->kind = MIG_E_CONFIG;
		return -1;
	}
	rc = load_cfg(c, cfg, path, ncpu, warn, arg, e);
	mig_config_free(cfg);
	return rc;
}

int
agent_conf_check(const struct agent_conf *c, struct mig_error *e)
{
	if (c->argv == NULL && c->command == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL, "no task: give "
		    "[task] command in the file or -- COMMAND [ARGS...]");
	if (c->resume && (c->retries < 1 || c->retries > AGENT_RETRIES_MAX))
		return mig_error_set(e, MIG_E_USAGE, NULL, "retries: %u is out "
		    "of range 1..%u with resume on ([property] "
		    "auto_start_max_retry_times, --retries; or --no-resume)",
		    c->retries, AGENT_RETRIES_MAX);
	if (c->rate_auto && c->nwindows > 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "rate auto and "
		    "windows: the planner picks one rate; give rates instead");
	if (c->rate_auto && c->dest == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL, "rate auto needs "
		    "the destination ([destination] host, --dest)");
	if (c->rate_bps == 0 && c->nwindows > 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "windows need a "
		    "rate outside them ([shaping] rate, --rate)");
	if (c->rate_bps != 0 && c->dest == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL, "a rate needs the "
		    "destination it applies to ([destination] host, --dest)");
	if (c->precheck && c->dest == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL, "the precheck needs "
		    "the destination ([destination] host, --dest)");
	if (c->total != 0 && c->nsources > 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "give the total or "
		    "the source paths, not both");
	return 0;
}
