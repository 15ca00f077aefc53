/* SPDX-License-Identifier: ISC */
/*
 * A failed task -> an SMS code (facts.md §1, §5).  rsync over ssh reports a
 * network fault two ways: ssh's own message on stderr (ssh exits 255, and
 * rsync passes 255 on, or says 12 when it noticed first), and rsync's
 * network exit statuses 10, 12, 30 and 35.
 *
 * The break of an established connection is told apart from a failed
 * connect, because §5 resumes the first and not the second:
 *
 *   ssh_broken       "Timeout, server ... not responding", "Broken pipe",
 *                    "Connection reset", "closed by remote host", "Read
 *                    from remote host", "Write failed"  -> SMS.0807
 *   ssh_timeout      "Connection timed out" (at connect) -> SMS.3805
 *   ssh_refused      "Connection refused"                -> SMS.3806
 *   ssh_unreachable  "No route to host", "Network is unreachable" -> 1807
 *   ssh_hostkey      "Host key verification failed"      -> SMS.3803
 *   ssh_auth         "Permission denied ("               -> SMS.3804
 *   ssh_other        any other exit 255                  -> SMS.3802
 *   rsync_exit_N     N = 10, 12, 30, 35                  -> SMS.0807
 *
 * The patterns are read only for exit 255 and for an exit status that has
 * a code of its own (rsync's network ones): any other command saying
 * "Connection refused" is not ssh.  The first rule in the order above wins,
 * so "Read from remote host x: Connection timed out" (an established
 * connection that timed out) is a break, not a connect timeout.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

static const char *const rule_keys[CLS_NRULES] = {
	"ssh_broken", "ssh_timeout", "ssh_refused", "ssh_unreachable",
	"ssh_hostkey", "ssh_auth", "ssh_other",
};

/* Patterns of each rule, NULL-terminated; CLS_SSH_OTHER has none. */
static const char *const broken[] = { "not responding", "Broken pipe",
	"Connection reset", "closed by remote host", "Read from remote host",
	"Write failed", "client_loop: send disconnect", NULL };
static const char *const timeout[] = { "Connection timed out", NULL };
static const char *const refused[] = { "Connection refused", NULL };
static const char *const unreach[] = { "No route to host",
	"Network is unreachable", NULL };
static const char *const hostkey[] = { "Host key verification failed",
	NULL };
static const char *const auth[] = { "Permission denied (", NULL };

static const char *const *const patterns[CLS_NRULES] = {
	broken, timeout, refused, unreach, hostkey, auth, NULL,
};

static const char *const resumable[] = { MIG_SMS_TRANSFER_NET,
	MIG_SMS_DEST_UNREACHABLE, MIG_SMS_DEST_8899, MIG_SMS_SSH_FAILED,
	MIG_SMS_NET_FAULT_2805, MIG_SMS_NET_FAULT_2806, NULL };

void
cls_defaults(struct agent_classify *c)
{
	memset(c, 0, sizeof(*c));
	c->rule[CLS_SSH_BROKEN] = MIG_SMS_TRANSFER_NET;
	c->rule[CLS_SSH_TIMEOUT] = MIG_SMS_SSH_TIMEOUT;
	c->rule[CLS_SSH_REFUSED] = MIG_SMS_SSH_REFUSED;
	c->rule[CLS_SSH_UNREACH] = MIG_SMS_DEST_UNREACHABLE;
	c->rule[CLS_SSH_HOSTKEY] = MIG_SMS_SSH_HOSTKEY;
	c->rule[CLS_SSH_AUTH] = MIG_SMS_SSH_AUTH;
	c->rule[CLS_SSH_OTHER] = MIG_SMS_SSH_FAILED;
	c->exit_code[10] = c->exit_code[12] = c->exit_code[30] =
	    c->exit_code[35] = MIG_SMS_TRANSFER_NET;
}

const char *
cls_rule_key(enum cls_rule r)
{
	return (unsigned)r < CLS_NRULES ? rule_keys[r] : "";
}

static int
exit_key(const char *key, const char *prefix)
{
	size_t n = strlen(prefix);
	char *end;
	long v;

	if (strncmp(key, prefix, n) != 0 || key[n] < '0' || key[n] > '9')
		return -1;
	v = strtol(key + n, &end, 10);
	if (*end != '\0' || v < 1 || v > 255)
		return -1;
	return (int)v;
}

int
cls_set(struct agent_classify *c, const char *key, const char *sms)
{
	int i;

	for (i = 0; i < CLS_NRULES; i++) {
		if (strcmp(key, rule_keys[i]) == 0) {
			c->rule[i] = sms;
			return 0;
		}
	}
	if ((i = exit_key(key, "rsync_exit_")) == -1 &&
	    (i = exit_key(key, "exit_")) == -1)
		return -1;
	c->exit_code[i] = sms;
	return 0;
}

int
cls_resumable(const char *sms)
{
	size_t i;

	if (sms == NULL)
		return 0;
	for (i = 0; resumable[i] != NULL; i++) {
		if (strcmp(sms, resumable[i]) == 0)
			return 1;
	}
	return 0;
}

static const char *
match(enum cls_rule r, const char *tail)
{
	size_t i;

	if (tail == NULL || patterns[r] == NULL)
		return NULL;
	for (i = 0; patterns[r][i] != NULL; i++) {
		if (strstr(tail, patterns[r][i]) != NULL)
			return patterns[r][i];
	}
	return NULL;
}

static void
result(struct cls_result *r, const char *sms)
{
	r->sms = sms;
	r->resumable = cls_resumable(sms);
}

void
cls_classify(const struct agent_classify *c, int wstatus, const char *tail,
    struct cls_result *r)
{
	const char *p;
	int code, i;

	memset(r, 0, sizeof(*r));
	if (WIFSIGNALED(wstatus)) {
		result(r, NULL);
		(void)snprintf(r->reason, sizeof(r->reason), "killed by signal "
		    "%d", WTERMSIG(wstatus));
		return;
	}
	code = WEXITSTATUS(wstatus);
	if (code == 0) {
		result(r, NULL);
		(void)snprintf(r->reason, sizeof(r->reason), "success");
		return;
	}
	if (code == 255 || c->exit_code[code] != NULL) {
		for (i = 0; i < CLS_SSH_OTHER; i++) {
			if ((p = match((enum cls_rule)i, tail)) == NULL)
				continue;
			/* The reason names the rule's config key. */
			result(r, c->rule[i]);
			(void)snprintf(r->reason, sizeof(r->reason), "\"%s\" "
			    "([classify] %s)", p, rule_keys[i]);
			return;
		}
	}
	if (c->exit_code[code] != NULL) {
		result(r, c->exit_code[code]);
		(void)snprintf(r->reason, sizeof(r->reason), "exit status %d "
		    "([classify] rsync_exit_%d)", code, code);
		return;
	}
	if (code == 255) {
		result(r, c->rule[CLS_SSH_OTHER]);
		(void)snprintf(r->reason, sizeof(r->reason), "exit 255, no "
		    "known message ([classify] ssh_other)");
		return;
	}
	result(r, NULL);
	(void)snprintf(r->reason, sizeof(r->reason), "exit status %d: not a "
	    "network failure", code);
}
