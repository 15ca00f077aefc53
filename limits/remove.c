/* SPDX-License-Identifier: ISC */
/*
 * remove: members go back to the groups they came from (the record made
 * when they joined; the root when there is none or that group is gone),
 * then the group is deleted everywhere.  Nothing here needs the process
 * that applied the caps; an absent group is already removed.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "limits/limits_int.h"

/* Where pid goes back to under mnt: its recorded origin if that exists. */
static void
origin(const struct limits_ctx *c, pid_t pid, const char *mnt, char *path,
    size_t len)
{
	char dir[PATH_MAX];

	if (lim_state_origin(c, pid, mnt, path, len) == 0 &&
	    lim_path(dir, sizeof(dir), NULL, "%s%s", mnt, path) == 0 &&
	    lim_is_dir(dir))
		return;
	path[0] = '/';
	path[1] = '\0';
}

static int
move_threads(const struct limits_ctx *c, enum limits_hier h, pid_t pid,
    const char *path, struct mig_error *e)
{
	char taskdir[PATH_MAX];
	struct dirent *d;
	DIR *dir;
	long tid;
	char *end;

	if (lim_path(taskdir, sizeof(taskdir), e, "%s/%d/task", c->proc_dir,
	    (int)pid) == -1)
		return -1;
	dir = opendir(taskdir);
	if (dir == NULL)
		return 0;	/* the process ended: nothing to move */
	while ((d = readdir(dir)) != NULL) {
		errno = 0;
		tid = strtol(d->d_name, &end, 10);
		if (errno != 0 || *end != '\0' || tid <= 0)
			continue;
		/* A thread that ends meanwhile is left to the kernel. */
		if (lim_v1_attach_tid(c, h, path, (pid_t)tid, e) == -1 &&
		    kill((pid_t)tid, 0) == 0) {
			closedir(dir);
			return -1;
		}
	}
	closedir(dir);
	return 0;
}

static int
move_back(const struct limits_ctx *c, pid_t pid, struct mig_error *e)
{
	char path[PATH_MAX], dir[PATH_MAX];
	int h;

	if (c->mode == LIMITS_V2) {
		origin(c, pid, c->v2_root, path, sizeof(path));
		if (lim_path(dir, sizeof(dir), e, "%s%s", c->v2_root,
		    strcmp(path, "/") == 0 ? "" : path) == -1)
			return -1;
		if (lim_v2_move(dir, pid, e) == -1 && kill(pid, 0) == 0)
			return -1;
		return 0;
	}
	for (h = 0; h < H_NUM; h++) {
		if (c->m.v1[h][0] == '\0' ||
		    lim_hier_shared(c, (enum limits_hier)h))
			continue;
		origin(c, pid, c->m.v1[h], path, sizeof(path));
		if (move_threads(c, (enum limits_hier)h, pid, path, e) == -1)
			return -1;
	}
	return 0;
}

static int
delete_group(const struct limits_ctx *c, struct mig_error *e)
{
	char dir[PATH_MAX];

	if (c->mode == LIMITS_V1)
		return lim_v1_delete(c, e);
	if (lim_group_dir(c, H_CPU, dir, sizeof(dir), e) == -1)
		return -1;
	if (rmdir(dir) == -1 && errno != ENOENT)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "rmdir %s: %s",
		    dir, strerror(errno));
	return 0;
}

int
limits_remove(struct limits_ctx *c, struct mig_error *e)
{
	pid_t *pids;
	size_t i, n;

	if (!lim_group_exists(c))
		return lim_state_clear(c, e);
	if (lim_members(c, &pids, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (move_back(c, pids[i], e) == -1) {
			free(pids);
			return -1;
		}
	}
	free(pids);
	if (delete_group(c, e) == -1)
		return -1;
	return lim_state_clear(c, e);
}
