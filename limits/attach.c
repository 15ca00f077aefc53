/* SPDX-License-Identifier: ISC */
/*
 * Joining the group.  On v1 the kernel moves one thread per write to
 * "tasks", so every thread of /proc/PID/task is moved, in passes until a
 * pass finds no thread it had not moved: a thread started by a thread not
 * yet moved is caught by the next pass, one started by a moved thread is
 * born inside.  On v2 one write to cgroup.procs moves the whole process.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "limits/limits_int.h"

#define MAX_PASSES 32

struct tidset {
	pid_t *v;
	size_t n, cap;
};

static int
tidset_has(const struct tidset *s, pid_t t)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		if (s->v[i] == t)
			return 1;
	return 0;
}

static int
tidset_add(struct tidset *s, pid_t t)
{
	pid_t *nv;
	size_t ncap;

	if (s->n == s->cap) {
		ncap = s->cap == 0 ? 64 : s->cap * 2;
		nv = reallocarray(s->v, ncap, sizeof(*nv));
		if (nv == NULL)
			return -1;
		s->v = nv;
		s->cap = ncap;
	}
	s->v[s->n++] = t;
	return 0;
}

static int
parse_tid(const char *name, pid_t *tid)
{
	char *end;
	long v;

	if (name[0] < '0' || name[0] > '9')
		return -1;
	errno = 0;
	v = strtol(name, &end, 10);
	if (errno != 0 || *end != '\0' || v <= 0 || v > 0x3fffffff)
		return -1;
	*tid = (pid_t)v;
	return 0;
}

/* Moves the threads not seen yet; *moved counts them. */
static int
one_pass(const struct limits_ctx *c, const char *taskdir, pid_t pid,
    struct tidset *seen, size_t *moved, struct mig_error *e)
{
	struct dirent *d;
	char path[PATH_MAX];
	DIR *dir;
	pid_t tid;

	*moved = 0;
	dir = opendir(taskdir);
	if (dir == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "process %d: %s", (int)pid, strerror(errno));
	while ((d = readdir(dir)) != NULL) {
		if (parse_tid(d->d_name, &tid) == -1 || tidset_has(seen, tid))
			continue;
		if (lim_v1_attach_all(c, tid, e) == -1) {
			/* A thread that ended meanwhile is not an error. */
			if (lim_path(path, sizeof(path), NULL, "%s/%d", taskdir,
			    (int)tid) == 0 && !lim_exists(path))
				continue;
			closedir(dir);
			return -1;
		}
		if (tidset_add(seen, tid) == -1) {
			closedir(dir);
			return mig_error_set(e, MIG_E_NOMEM, NULL,
			    "out of memory");
		}
		(*moved)++;
	}
	closedir(dir);
	return 0;
}

static int
v1_attach(const struct limits_ctx *c, pid_t pid, struct mig_error *e)
{
	struct tidset seen = { NULL, 0, 0 };
	char taskdir[PATH_MAX];
	size_t moved = 1;
	int pass, rc = 0;

	if (lim_path(taskdir, sizeof(taskdir), e, "%s/%d/task", c->proc_dir,
	    (int)pid) == -1)
		return -1;
	for (pass = 0; pass < MAX_PASSES && moved > 0 && rc == 0; pass++)
		rc = one_pass(c, taskdir, pid, &seen, &moved, e);
	free(seen.v);
	if (rc == 0 && moved > 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "process %d keeps starting threads: not all of them "
		    "could be moved in %d passes", (int)pid, MAX_PASSES);
	return rc;
}

int
limits_attach(struct limits_ctx *c, pid_t pid, struct mig_error *e)
{
	if (!lim_group_exists(c))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "group %s does not exist: apply the caps first", c->group);
	if (lim_state_add_member(c, pid, e) == -1)
		return -1;
	if (c->mode == LIMITS_V2)
		return lim_v2_attach(c, pid, e);
	return v1_attach(c, pid, e);
}
