/* SPDX-License-Identifier: ISC */
/*
 * Where the cgroup controllers are: /proc/self/mountinfo, never a hard-coded
 * path.  Stock v1 hosts mount cpu and cpuacct together ("cpu,cpuacct"),
 * others separately; hybrid hosts also mount an empty cgroup2 hierarchy.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "limits/limits_int.h"

const char *const limits_hier_name[H_NUM] = {
	"cpu", "cpuacct", "memory", "blkio"
};

#define MAX_FIELDS 32

/* mountinfo escapes space, tab, newline and backslash as \ooo. */
static void
unescape(char *s)
{
	char *w = s;

	while (*s != '\0') {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*w++ = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 +
			    (s[3] - '0'));
			s += 4;
		} else
			*w++ = *s++;
	}
	*w = '\0';
}

/* name is an item of the comma-separated list of len bytes at list. */
int
lim_list_has(const char *list, size_t len, const char *name)
{
	size_t n = strlen(name);
	const char *p = list, *end = list + len;

	if (len == 0)
		return n == 0;
	while (p < end) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		size_t item = comma != NULL ? (size_t)(comma - p) :
		    (size_t)(end - p);

		if (item == n && strncmp(p, name, n) == 0)
			return 1;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	return 0;
}

static int
split(char *line, char **f, int max)
{
	int n = 0;
	char *tok, *save = NULL;

	for (tok = strtok_r(line, " \n", &save); tok != NULL && n < max;
	    tok = strtok_r(NULL, " \n", &save))
		f[n++] = tok;
	return n;
}

static void
set_mount(char *dst, const char *mnt)
{
	if (dst[0] == '\0' && strlen(mnt) < PATH_MAX)
		memcpy(dst, mnt, strlen(mnt) + 1);
}

/* One line: "id parent maj:min root mnt opts [optional...] - type src sopts" */
static void
parse_line(char *line, struct limits_mounts *m)
{
	char *f[MAX_FIELDS];
	int n, i, sep = -1;
	const char *type, *sopts;

	n = split(line, f, MAX_FIELDS);
	for (i = 6; i < n; i++) {
		if (strcmp(f[i], "-") == 0) {
			sep = i;
			break;
		}
	}
	if (sep == -1 || sep + 2 >= n)
		return;
	type = f[sep + 1];
	sopts = sep + 3 < n ? f[sep + 3] : "";
	unescape(f[4]);
	if (strcmp(type, "cgroup2") == 0) {
		set_mount(m->v2, f[4]);
		return;
	}
	if (strcmp(type, "cgroup") != 0)
		return;
	for (i = 0; i < H_NUM; i++)
		if (lim_list_has(sopts, strlen(sopts),
		    limits_hier_name[i]))
			set_mount(m->v1[i], f[4]);
}

int
lim_parse_mountinfo(const char *path, struct limits_mounts *m,
    struct mig_error *e)
{
	char line[4096];
	FILE *f;
	int longline = 0;

	memset(m, 0, sizeof(*m));
	f = fopen(path, "re");
	if (f == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		int whole = strchr(line, '\n') != NULL || feof(f);

		/* A line longer than the buffer is skipped, not misread. */
		if (!longline && whole)
			parse_line(line, m);
		longline = !whole;
	}
	if (ferror(f)) {
		fclose(f);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: read error",
		    path);
	}
	fclose(f);
	return 0;
}

int
lim_hier_shared(const struct limits_ctx *c, enum limits_hier h)
{
	int i;

	for (i = 0; i < (int)h; i++)
		if (c->m.v1[i][0] != '\0' &&
		    strcmp(c->m.v1[i], c->m.v1[h]) == 0)
			return 1;
	return 0;
}

/* A single path component, so that no name escapes the controller roots. */
int
limits_valid_group(const char *name, struct mig_error *e)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > LIMITS_NAME_MAX || name[0] == '.')
		goto bad;
	for (i = 0; i < n; i++) {
		char ch = name[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' ||
		    ch == '.'))
			goto bad;
	}
	/* Names the kernel gives its own files. */
	if (strncmp(name, "cgroup.", 7) == 0)
		goto bad;
	return 0;
bad:
	mig_error_set(e, MIG_E_USAGE, NULL,
	    "cgroup name '%.80s': not a group name (1-%d of A-Z a-z 0-9 _ - ., "
	    "not starting with a dot)", name, LIMITS_NAME_MAX);
	return -1;
}
