/* SPDX-License-Identifier: ISC */
/*
 * Data progress of an rsync task, from rsync's own figures: what the
 * destination already holds comes from a dry run made before each attempt
 * ("Total file size" less "Total transferred file size" of --stats), what
 * this attempt moved from its --info=progress2 lines.  So a restart, or a
 * new agent after a crash, counts the data already on the destination, not
 * the bytes on the wire.  A task that is not rsync has no data progress:
 * it is shown as unknown, never guessed.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

#define STATS_TOTAL	"Total file size: "
#define STATS_XFER	"Total transferred file size: "

void
prog_init(struct agent_progress *p, int rsync)
{
	memset(p, 0, sizeof(*p));
	p->rsync = rsync;
}

void
prog_attempt(struct agent_progress *p)
{
	/* The figure of the last attempt stays until the dry run answers. */
	p->probing = p->rsync;
	p->have_total = p->have_xfer = 0;
	p->sent = 0;
	p->finished = 0;
}

/* "52,428,800" (commas optional) then a blank or the end; -1 if not. */
static int
parse_count(const char *s, uint64_t *out, const char **end)
{
	uint64_t v = 0;
	int digits = 0;

	for (; *s != '\0'; s++) {
		if (*s == ',')
			continue;
		if (!isdigit((unsigned char)*s))
			break;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(*s - '0');
		digits++;
	}
	if (digits == 0 || (*s != '\0' && *s != ' '))
		return -1;
	*out = v;
	*end = s;
	return 0;
}

/* "   20,971,520  40%  229.53MB/s    0:00:00 (xfr#1, to-chk=0/3)" */
static int
progress2_line(const char *s, uint64_t *bytes)
{
	const char *end;
	char *pe;
	long pct;

	while (*s == ' ')
		s++;
	if (parse_count(s, bytes, &end) == -1)
		return -1;
	while (*end == ' ')
		end++;
	pct = strtol(end, &pe, 10);
	if (pe == end || *pe != '%' || pct < 0 || pct > 100)
		return -1;
	return 0;
}

static int
stats_line(struct agent_progress *p, const char *s)
{
	const char *end;
	uint64_t v;

	if (strncmp(s, STATS_TOTAL, strlen(STATS_TOTAL)) == 0 &&
	    parse_count(s + strlen(STATS_TOTAL), &v, &end) == 0) {
		p->dry_total = v;
		p->have_total = 1;
		return 1;
	}
	if (strncmp(s, STATS_XFER, strlen(STATS_XFER)) == 0 &&
	    parse_count(s + strlen(STATS_XFER), &v, &end) == 0) {
		p->dry_xfer = v;
		p->have_xfer = 1;
		return 1;
	}
	return 0;
}

static void
dry_run_done(struct agent_progress *p)
{
	p->probing = 0;
	if (!p->have_total || !p->have_xfer || p->dry_xfer > p->dry_total) {
		p->known = 0;
		return;
	}
	p->known = 1;
	p->total = p->dry_total;
	p->base = p->dry_total - p->dry_xfer;
	p->done = p->base;
}

enum prog_line
prog_line(struct agent_progress *p, const char *line)
{
	uint64_t v;

	if (!p->rsync)
		return PROG_LINE_OTHER;
	if (p->probing) {
		if (strcmp(line, AGENT_DRY_RUN_MARK) == 0) {
			dry_run_done(p);
			return PROG_LINE_MARK;
		}
		(void)stats_line(p, line);
		return PROG_LINE_DRY_RUN;	/* not the task's */
	}
	if (progress2_line(line, &v) == -1)
		return PROG_LINE_OTHER;
	p->sent = v;
	if (p->known) {
		/* A file sent twice (a failed check) counts once. */
		p->done = p->base + v > p->total ? p->total : p->base + v;
	}
	return PROG_LINE_PROGRESS;
}

void
prog_finished(struct agent_progress *p)
{
	p->probing = 0;
	if (p->known) {
		p->done = p->total;
		p->finished = 1;
	}
}

int
prog_figures(const struct agent_progress *p, struct prog_fig *f)
{
	memset(f, 0, sizeof(*f));
	if (!p->known)
		return 0;
	f->total = p->total;
	f->done = p->done;
	f->remaining = p->total - p->done;
	f->pct = p->total > 0 ? (double)p->done * 100.0 / (double)p->total :
	    100.0;
	/*
	 * rsync counts what it sent, not what the destination confirmed:
	 * 100 % only once the task ended well.
	 */
	if (!p->finished && f->pct > 99.9)
		f->pct = 99.9;
	if (!p->finished && f->remaining == 0 && p->total > 0)
		f->remaining = 1;
	return 1;
}
