/* SPDX-License-Identifier: ISC */
/*
 * Anti-replay with a key.  An OPEN carries a random nonce and its send
 * time: one whose time is more than SRV_SKEW_NS from ours is stale, and
 * one whose nonce was seen while its time is within that window is a
 * replay.  So the responder remembers each nonce only as long as its time
 * is acceptable, at most twice the window, in a table of fixed size.
 * Inside a session, probes and data carry a sequence number checked
 * against a sliding window (RFC 4303 section 3.4.3), so a captured probe
 * sent again, at once or later, is not answered or counted.
 */
#include <stdlib.h>
#include <string.h>

#include "netcheck/serve/serve_int.h"

#define PURGE_EVERY	(60 * MIG_NS_PER_S)

int
srv_replay_init(struct replay *r)
{
	memset(r, 0, sizeof(*r));
	r->tab = calloc(SRV_REPLAY_SLOTS, sizeof(*r->tab));
	return r->tab == NULL ? -1 : 0;
}

void
srv_replay_free(struct replay *r)
{
	free(r->tab);
	memset(r, 0, sizeof(*r));
}

static int
in_window(uint64_t t1, uint64_t now)
{
	return t1 <= now ? now - t1 <= SRV_SKEW_NS : t1 - now <= SRV_SKEW_NS;
}

/* The nonce is random: its low bits spread the slots well enough. */
static size_t
slot_of(uint64_t nonce)
{
	return (size_t)(nonce ^ nonce >> 32) & (SRV_REPLAY_SLOTS - 1);
}

static void
put(struct replay *r, uint64_t nonce, uint64_t t1)
{
	size_t i = slot_of(nonce);

	while (r->tab[i].nonce != 0)
		i = (i + 1) & (SRV_REPLAY_SLOTS - 1);
	r->tab[i].nonce = nonce;
	r->tab[i].t1 = t1;
	r->live++;
}

void
srv_replay_purge(struct replay *r, uint64_t now)
{
	struct replay_ent *old = r->tab, *fresh;
	size_t i;

	r->purged = now;
	if (r->live == 0)
		return;
	/* Open addressing has no cheap delete: rebuild without the stale. */
	if ((fresh = calloc(SRV_REPLAY_SLOTS, sizeof(*fresh))) == NULL)
		return;
	r->tab = fresh;
	r->live = 0;
	for (i = 0; i < SRV_REPLAY_SLOTS; i++)
		if (old[i].nonce != 0 && in_window(old[i].t1, now))
			put(r, old[i].nonce, old[i].t1);
	free(old);
}

enum replay_verdict
srv_replay_check(struct replay *r, uint64_t nonce, uint64_t t1, uint64_t now)
{
	size_t i;

	if (nonce == 0 || !in_window(t1, now))
		return REPLAY_STALE;
	for (i = slot_of(nonce); r->tab[i].nonce != 0;
	    i = (i + 1) & (SRV_REPLAY_SLOTS - 1))
		if (r->tab[i].nonce == nonce)
			return REPLAY_SEEN;
	if (r->live >= SRV_REPLAY_SLOTS / 2 || now - r->purged > PURGE_EVERY)
		srv_replay_purge(r, now);
	/* Still full: no room to remember it, so it cannot be accepted. */
	if (r->live >= SRV_REPLAY_SLOTS / 2)
		return REPLAY_FULL;
	put(r, nonce, t1);
	return REPLAY_FRESH;
}

int
srv_seqwin_take(struct seqwin *w, uint64_t seq)
{
	uint64_t shift, i, bit;

	if (seq == UINT64_MAX)
		return 0;
	if (seq >= w->top) {
		shift = seq + 1 - w->top;
		if (shift >= SRV_SEQ_WINDOW)
			memset(w->bits, 0, sizeof(w->bits));
		else
			for (i = w->top; i <= seq; i++)
				w->bits[i / 64 % (SRV_SEQ_WINDOW / 64)] &=
				    ~(1ULL << (i % 64));
		w->top = seq + 1;
	} else if (w->top - seq > SRV_SEQ_WINDOW)
		return 0;	/* older than the window: cannot tell */
	bit = 1ULL << (seq % 64);
	i = seq / 64 % (SRV_SEQ_WINDOW / 64);
	if (w->bits[i] & bit)
		return 0;
	w->bits[i] |= bit;
	return 1;
}
