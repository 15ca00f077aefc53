/* SPDX-License-Identifier: ISC */
/*
 * What apply did, on disk under the state directory, so that remove works
 * after the applying process died: <group>.caps (the caps, rewritten whole
 * by each apply) and <group>.members (one line per process and hierarchy:
 * where each member was before it joined, appended by each attach).
 * A member is known by pid and start time, so a reused pid is not confused
 * with the process that was recorded.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "limits/limits_int.h"

static int
state_file(const struct limits_ctx *c, const char *ext, char *buf,
    size_t len, struct mig_error *e)
{
	return lim_path(buf, len, e, "%s/%s.%s", c->state_dir, c->group, ext);
}

int
lim_state_save_caps(const struct limits_ctx *c,
    const struct limits_caps *caps, struct mig_error *e)
{
	char path[PATH_MAX], buf[2048];
	size_t len;
	unsigned i;
	int n;

	if (mig_mkdirs(c->state_dir, 0755, e) == -1 ||
	    state_file(c, "caps", path, sizeof(path), e) == -1)
		return -1;
	n = snprintf(buf, sizeof(buf), "group=%s\nmode=v%d\nncpu=%u\n"
	    "cpu_pct=%u\nmem_mib=%u\nio_mibps=%u\napplied=%lld\n", c->group,
	    c->mode == LIMITS_V2 ? 2 : 1, c->ncpu, caps->cpu_pct,
	    caps->mem_mb, caps->io_mbps, (long long)time(NULL));
	len = n > 0 ? (size_t)n : 0;
	for (i = 0; i < caps->ndev && len < sizeof(buf); i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len,
		    "dev=%u:%u\n", caps->dev[i].major, caps->dev[i].minor);
	if (len >= sizeof(buf))
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "state too long");
	return mig_replace_file(path, buf, len, 0644, e);
}

int
lim_proc_starttime(const char *proc_dir, pid_t pid, uint64_t *st)
{
	char path[PATH_MAX], buf[1024];
	unsigned long long v;
	const char *p;
	int i;

	if (lim_path(path, sizeof(path), NULL, "%s/%d/stat", proc_dir,
	    (int)pid) == -1 || lim_read_file(path, buf, sizeof(buf),
	    NULL) == -1)
		return -1;
	/* The command name may hold spaces and parentheses: to the last. */
	p = strrchr(buf, ')');
	if (p == NULL)
		return -1;
	/* Fields from 3 (state) on; starttime is field 22. */
	for (i = 3; i <= 22; i++) {
		p = strchr(p + 1, ' ');
		if (p == NULL)
			return -1;
	}
	if (sscanf(p + 1, "%llu", &v) != 1)
		return -1;
	*st = v;
	return 0;
}

/* The path of pid's group in the hierarchy of controller ctl ("" = v2). */
static int
proc_cgroup(const char *text, const char *ctl, char *out, size_t len)
{
	const char *p;

	for (p = text; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p,
	    "\n")] == '\n')) {
		const char *c1 = strchr(p, ':'), *c2, *nl;
		size_t n;

		nl = p + strcspn(p, "\n");
		if (c1 == NULL || c1 > nl)
			continue;
		c2 = memchr(c1 + 1, ':', (size_t)(nl - c1 - 1));
		if (c2 == NULL)
			continue;
		if (!lim_list_has(c1 + 1, (size_t)(c2 - c1 - 1), ctl))
			continue;
		n = (size_t)(nl - c2 - 1);
		if (n == 0 || n >= len || memchr(c2 + 1, '\t', n) != NULL)
			return -1;
		memcpy(out, c2 + 1, n);
		out[n] = '\0';
		return 0;
	}
	return -1;
}

static int
append_line(const char *path, const char *line, struct mig_error *e)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	if (mig_write_all(fd, line, strlen(line)) == -1) {
		int saved = errno;

		close(fd);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(saved));
	}
	if (close(fd) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	return 0;
}

static int
record(const struct limits_ctx *c, const char *file, pid_t pid, uint64_t st,
    const char *text, const char *ctl, const char *mnt, struct mig_error *e)
{
	char path[PATH_MAX], line[2 * PATH_MAX + 64], self[LIMITS_NAME_MAX + 2];

	if (proc_cgroup(text, ctl, path, sizeof(path)) == -1)
		return 0;	/* not in that hierarchy: nothing to restore */
	snprintf(self, sizeof(self), "/%s", c->group);
	/* Already a member: its origin was recorded when it joined. */
	if (strcmp(path, self) == 0)
		return 0;
	if (lim_path(line, sizeof(line), e, "%d\t%" PRIu64 "\t%s\t%s\n",
	    (int)pid, st, mnt, path) == -1)
		return -1;
	return append_line(file, line, e);
}

int
lim_state_add_member(const struct limits_ctx *c, pid_t pid,
    struct mig_error *e)
{
	char path[PATH_MAX], file[PATH_MAX], text[4096];
	uint64_t st;
	int h;

	if (lim_proc_starttime(c->proc_dir, pid, &st) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "process %d: no such process", (int)pid);
	if (lim_path(path, sizeof(path), e, "%s/%d/cgroup", c->proc_dir,
	    (int)pid) == -1 || lim_read_file(path, text, sizeof(text),
	    e) == -1)
		return -1;
	if (mig_mkdirs(c->state_dir, 0755, e) == -1 ||
	    state_file(c, "members", file, sizeof(file), e) == -1)
		return -1;
	if (c->mode == LIMITS_V2)
		return record(c, file, pid, st, text, "", c->v2_root, e);
	for (h = 0; h < H_NUM; h++) {
		if (c->m.v1[h][0] == '\0' ||
		    lim_hier_shared(c, (enum limits_hier)h))
			continue;
		if (record(c, file, pid, st, text, limits_hier_name[h],
		    c->m.v1[h], e) == -1)
			return -1;
	}
	return 0;
}

/* "pid\tstart\tmnt\tpath" */
static int
match_line(char *line, pid_t pid, uint64_t st, const char *mnt,
    char *path, size_t len)
{
	char *f[4], *save = NULL;
	unsigned long long lst;
	size_t n;
	int i;

	for (i = 0; i < 4; i++) {
		f[i] = strtok_r(i == 0 ? line : NULL, "\t\n", &save);
		if (f[i] == NULL)
			return 0;
	}
	if (atoi(f[0]) != (int)pid || sscanf(f[1], "%llu", &lst) != 1 ||
	    lst != st || strcmp(f[2], mnt) != 0)
		return 0;
	n = strlen(f[3]);
	if (n >= len || f[3][0] != '/')
		return 0;
	memcpy(path, f[3], n + 1);
	return 1;
}

int
lim_state_origin(const struct limits_ctx *c, pid_t pid, const char *mnt,
    char *path, size_t len)
{
	char file[PATH_MAX], line[2 * PATH_MAX + 64];
	uint64_t st;
	FILE *f;
	int found = 0;

	if (lim_proc_starttime(c->proc_dir, pid, &st) == -1 ||
	    state_file(c, "members", file, sizeof(file), NULL) == -1)
		return -1;
	f = fopen(file, "re");
	if (f == NULL)
		return -1;
	/* The first record is where the process came from. */
	while (!found && fgets(line, sizeof(line), f) != NULL)
		found = match_line(line, pid, st, mnt, path, len);
	fclose(f);
	return found ? 0 : -1;
}

int
lim_state_clear(const struct limits_ctx *c, struct mig_error *e)
{
	static const char *const ext[] = { "caps", "caps.tmp", "members" };
	char path[PATH_MAX];
	size_t i;

	for (i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		if (state_file(c, ext[i], path, sizeof(path), e) == -1)
			return -1;
		if (unlink(path) == -1 && errno != ENOENT)
			return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s",
			    path, strerror(errno));
	}
	return 0;
}
