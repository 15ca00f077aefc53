/* SPDX-License-Identifier: ISC */
/*
 * apply: check everything that can be checked before touching the system
 * (ranges, controllers, the disks to cap), then create or update the group
 * and record what was applied.  A failure halfway through removes a group
 * this call created, so a refused apply leaves nothing behind.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "limits/limits_int.h"

static void
undo(const struct limits_ctx *c)
{
	char dir[PATH_MAX];

	/* Best effort: the error being reported is the apply's. */
	if (c->mode == LIMITS_V1) {
		(void)lim_v1_delete(c, NULL);
		return;
	}
	if (lim_group_dir(c, H_CPU, dir, sizeof(dir), NULL) == 0)
		(void)rmdir(dir);
}

int
limits_apply(struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	struct limits_caps r;
	int existed, rc;

	if (limits_check(caps, c->ncpu, e) == -1)
		return -1;
	if (lim_resolve_disks(c, caps, &r, e) == -1)
		return -1;
	existed = lim_group_exists(c);
	if (c->mode == LIMITS_V2)
		rc = lim_v2_apply(c, &r, e);
	else
		rc = lim_v1_apply(c, &r, e);
	if (rc == -1) {
		if (!existed)
			undo(c);
		return -1;
	}
	return lim_state_save_caps(c, &r, e);
}
