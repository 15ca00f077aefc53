/* SPDX-License-Identifier: ISC */
/*
 * The group's member processes: cgroup.procs of the group, in every
 * hierarchy on v1 (a process moved halfway is still a member to remove).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits/limits_int.h"

static int
add_pid(pid_t **v, size_t *n, size_t *cap, pid_t p)
{
	pid_t *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i] == p)
			return 0;
	if (*n == *cap) {
		*cap = *cap == 0 ? 32 : *cap * 2;
		nv = reallocarray(*v, *cap, sizeof(**v));
		if (nv == NULL)
			return -1;
		*v = nv;
	}
	(*v)[(*n)++] = p;
	return 0;
}

static int
read_procs(const char *dir, pid_t **v, size_t *n, size_t *cap,
    struct mig_error *e)
{
	char path[PATH_MAX], line[32];
	long p;
	char *end;
	FILE *f;

	if (lim_path(path, sizeof(path), e, "%s/cgroup.procs", dir) == -1)
		return -1;
	f = fopen(path, "re");
	if (f == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		errno = 0;
		p = strtol(line, &end, 10);
		if (errno != 0 || end == line || (*end != '\n' &&
		    *end != '\0') || p <= 0 || p > 0x3fffffff)
			continue;
		if (add_pid(v, n, cap, (pid_t)p) == -1) {
			fclose(f);
			return mig_error_set(e, MIG_E_NOMEM, NULL,
			    "out of memory");
		}
	}
	fclose(f);
	return 0;
}

int
lim_members(const struct limits_ctx *c, pid_t **pids, size_t *n,
    struct mig_error *e)
{
	char dir[PATH_MAX];
	size_t cap = 0;
	int h;

	*pids = NULL;
	*n = 0;
	for (h = 0; h < H_NUM; h++) {
		if (c->mode == LIMITS_V1 && (c->m.v1[h][0] == '\0' ||
		    lim_hier_shared(c, (enum limits_hier)h)))
			continue;
		if (lim_group_dir(c, (enum limits_hier)h, dir, sizeof(dir),
		    e) == -1)
			goto fail;
		if (lim_is_dir(dir) && read_procs(dir, pids, n, &cap, e) == -1)
			goto fail;
		if (c->mode == LIMITS_V2)
			break;
	}
	return 0;
fail:
	free(*pids);
	*pids = NULL;
	*n = 0;
	return -1;
}
