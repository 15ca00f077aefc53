/* SPDX-License-Identifier: ISC */
/*
 * C of §13.1 when the operator does not give it: the used space of the
 * source's local filesystems, which is what a file-level migration moves.
 * Network, pseudo and memory filesystems are not the server's data.
 */
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <errno.h>
#include <mntent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

#define MAX_DEVS	4096	/* distinct devices remembered */

static const char *const local_types[] = {
	"ext2", "ext3", "ext4", "xfs", "btrfs", "f2fs", "jfs", "reiserfs",
	"vfat", "exfat", "ntfs", "ntfs3", "zfs", "nilfs2", "bcachefs",
	NULL,
};

int
rep_fs_is_local(const char *type)
{
	size_t i;

	for (i = 0; local_types[i] != NULL; i++) {
		if (strcmp(type, local_types[i]) == 0)
			return 1;
	}
	return 0;
}

static int
seen_dev(const dev_t *devs, size_t n, dev_t d)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (devs[i] == d)
			return 1;
	}
	return 0;
}

/* Used bytes of one mount point; 0 when it cannot be read or is seen. */
static uint64_t
used_bytes(const char *dir, dev_t *devs, size_t *ndev)
{
	struct statvfs sv;
	struct stat st;

	/* A mount point that vanished or hangs is skipped, not fatal. */
	if (stat(dir, &st) == -1 || statvfs(dir, &sv) == -1)
		return 0;
	if (seen_dev(devs, *ndev, st.st_dev) || *ndev >= MAX_DEVS)
		return 0;
	devs[(*ndev)++] = st.st_dev;
	if (sv.f_blocks < sv.f_bfree)
		return 0;
	return (uint64_t)(sv.f_blocks - sv.f_bfree) * (uint64_t)sv.f_frsize;
}

int
rep_datasize_local(const char *mounts_path, uint64_t *bytes, unsigned *nfs,
    struct mig_error *e)
{
	const char *path = mounts_path ? mounts_path : "/proc/self/mounts";
	struct mntent ent, *m;
	char buf[4096];
	dev_t *devs;
	size_t ndev = 0;
	uint64_t sum = 0, u;
	FILE *f;

	if ((devs = calloc(MAX_DEVS, sizeof(*devs))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if ((f = setmntent(path, "re")) == NULL) {
		free(devs);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	}
	*nfs = 0;
	while ((m = getmntent_r(f, &ent, buf, sizeof(buf))) != NULL) {
		if (!rep_fs_is_local(m->mnt_type))
			continue;
		u = used_bytes(m->mnt_dir, devs, &ndev);
		if (u == 0)
			continue;
		sum += u;
		(*nfs)++;
	}
	endmntent(f);
	free(devs);
	*bytes = sum;
	if (sum == 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: no local filesystem with used space (give the data "
		    "size by hand)", path);
	return 0;
}
