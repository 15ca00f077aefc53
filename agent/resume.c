/* SPDX-License-Identifier: ISC */
/*
 * The resume schedule (facts.md §5) with the destination's port check; the
 * rule is in agent.h.  Pure: the clock and the probe come from the caller,
 * so the unit test drives it with a fake clock and a fake port.
 */
#include <string.h>

#include "agent/agent.h"

#define SEC	MIG_NS_PER_S

void
resume_init(struct resume *r, unsigned interval, unsigned addition,
    unsigned max)
{
	memset(r, 0, sizeof(*r));
	r->interval = interval;
	r->addition = addition;
	r->max = max;
}

unsigned
resume_wait_s(const struct resume *r, unsigned k)
{
	return r->interval + (k - 1) * r->addition;
}

static enum resume_act
slot_begin(struct resume *r, uint64_t start, int eager)
{
	uint64_t len;

	/* eager also says why: the previous slot ended without an answer. */
	r->eager = eager;
	if (r->slot >= r->max) {
		r->slot = r->max + 1;
		return RESUME_GIVEUP;
	}
	r->slot++;
	len = (uint64_t)resume_wait_s(r, r->slot) * SEC;
	r->slot_start = start;
	r->slot_end = start + len;
	r->eager = eager;
	r->answered = 0;
	/*
	 * A plain slot probes once, in its last second, so the answer is
	 * fresh when the slot ends and a slow probe (a dropped SYN waits
	 * out its timeout) does not delay the restart.
	 */
	r->next_probe = eager || len <= SEC ? start : r->slot_end - SEC;
	return RESUME_NEXT;
}

enum resume_act
resume_failed(struct resume *r, uint64_t now)
{
	return slot_begin(r, now, 0);
}

uint64_t
resume_when(const struct resume *r)
{
	return r->next_probe < r->slot_end ? r->next_probe : r->slot_end;
}

enum resume_act
resume_tick(struct resume *r, uint64_t now, resume_probe_fn *probe,
    void *arg)
{
	if (r->next_probe < r->slot_end && now >= r->next_probe) {
		r->answered = probe == NULL ? 1 : probe(arg);
		/* Every second from the slot's start, never twice at once. */
		r->next_probe = r->eager ? r->next_probe + SEC : r->slot_end;
		while (r->eager && r->next_probe <= now)
			r->next_probe += SEC;
		if (r->answered && r->eager) {
			r->restarts++;
			return RESUME_RESTART;
		}
	}
	if (now < r->slot_end)
		return RESUME_NONE;
	if (r->answered) {
		r->restarts++;
		return RESUME_RESTART;
	}
	/* The next slot starts when this one ended, not when we noticed. */
	return slot_begin(r, r->slot_end, 1);
}

void
resume_reset(struct resume *r)
{
	r->slot = 0;
}
