/* SPDX-License-Identifier: ISC */
/*
 * One lock for every change: flock on "<state dir>/lock".  flock locks
 * belong to the open file, so two contexts of one process exclude each
 * other too.  The lock goes with the process: a killed apply never leaves
 * it held.
 */
#include <sys/file.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "shaper/shaper_int.h"

int
shaper_lock(struct shaper_ctx *ctx, struct mig_error *e)
{
	char path[PATH_MAX];
	int fd;

	if (ctx->lock_fd != -1)
		return 0;
	if (mig_mkdirs(ctx->dir, SHAPER_DIR_MODE, e) == -1)
		return -1;
	(void)snprintf(path, sizeof(path), "%s/lock", ctx->dir);
	if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
	    0600)) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR)
			continue;
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "locking %s: %s",
		    path, strerror(errno));
		(void)close(fd);
		return -1;
	}
	ctx->lock_fd = fd;
	return 0;
}

void
shaper_unlock(struct shaper_ctx *ctx)
{
	if (ctx->lock_fd == -1)
		return;
	(void)close(ctx->lock_fd);
	ctx->lock_fd = -1;
}
