/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: migagent's configuration (agent_conf_load_string, then the
 * checks run before anything is applied) and the failure classification
 * of a task's stderr.  A file either loads into values within their
 * ranges, or fails with one printable line naming the file, which is what
 * the operator reads.
 */
#include <sys/wait.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_error(const struct mig_error *e)
{
	size_t i, n;

	if (e->kind == MIG_E_NONE)
		abort();
	n = strnlen(e->msg, sizeof(e->msg));
	if (n == 0 || n == sizeof(e->msg))
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)e->msg[i] < 0x20 || e->msg[i] == 0x7f)
			abort();
	}
	/* Bad values are the operator's to fix: status 2, never 1. */
	if (mig_error_exit_status(e) != 2)
		abort();
}

static void
check_conf(const struct agent_conf *c)
{
	size_t i;

	if (c->interval_s < 1 || c->interval_s > AGENT_INTERVAL_MAX ||
	    c->addition_s > AGENT_INTERVAL_MAX ||
	    c->retries > AGENT_RETRIES_MAX ||
	    c->check_port < 1 || c->check_port > 65535)
		abort();
	if (c->caps.cpu_pct > LIMITS_CPU_MAX ||
	    (c->caps.mem_mb != 0 && (c->caps.mem_mb < LIMITS_MEM_MIN ||
	    c->caps.mem_mb > LIMITS_MEM_MAX)) ||
	    (c->caps.io_mbps != 0 && (c->caps.io_mbps < LIMITS_IO_MIN ||
	    c->caps.io_mbps > LIMITS_IO_MAX)))
		abort();
	if (c->rate_bps != 0 && (c->rate_bps < SHAPER_RATE_MIN ||
	    c->rate_bps > SHAPER_RATE_MAX))
		abort();
	if (c->nwindows > SHAPER_MAX_WINDOWS)
		abort();
	for (i = 0; i < c->nsources; i++) {
		if (c->sources[i] == NULL || c->sources[i][0] == '\0')
			abort();
	}
	for (i = 0; i < CLS_NRULES; i++) {
		if (c->cls.rule[i] != NULL &&
		    mig_sms_lookup(c->cls.rule[i]) == NULL)
			abort();
	}
	for (i = 0; i < 256; i++) {
		if (c->cls.exit_code[i] != NULL &&
		    mig_sms_lookup(c->cls.exit_code[i]) == NULL)
			abort();
	}
}

static void
classify(const struct agent_conf *c, const char *text)
{
	struct cls_result r;
	int st;

	for (st = 0; st < 256; st += 51) {
		cls_classify(&c->cls, st << 8, text, &r);
		if (r.reason[0] == '\0' || strnlen(r.reason,
		    sizeof(r.reason)) == sizeof(r.reason))
			abort();
		if (r.resumable != cls_resumable(r.sms))
			abort();
	}
}

static void
ignore(void *arg, const char *msg)
{
	(void)arg;
	if (strncmp(msg, "fuzz.cfg", 8) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct agent_conf c;
	struct mig_error e;
	char *text;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	(void)memcpy(text, data, size);
	text[size] = '\0';
	agent_conf_init(&c);
	mig_error_clear(&e);
	if (agent_conf_load_string(&c, "fuzz.cfg", text, 4, ignore, NULL,
	    &e) == -1 || agent_conf_check(&c, &e) == -1)
		check_error(&e);
	else
		check_conf(&c);
	classify(&c, text);
	agent_conf_free(&c);
	free(text);
	return 0;
}
