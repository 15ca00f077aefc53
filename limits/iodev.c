/* SPDX-License-Identifier: ISC */
/*
 * The disks a disk cap applies to.  The kernel's throttles take a whole
 * disk's MAJ:MIN and refuse a partition's, so partitions are mapped to their
 * disk through sysfs: /sys/dev/block/MAJ:MIN links to the device directory;
 * a partition has a "partition" file and sits inside its disk's directory.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "limits/limits_int.h"

static int
read_majmin(const char *path, unsigned *maj, unsigned *min,
    struct mig_error *e)
{
	char buf[32];

	if (lim_read_file(path, buf, sizeof(buf), e) == -1)
		return -1;
	if (sscanf(buf, "%u:%u", maj, min) != 2)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: not MAJ:MIN: \"%.20s\"", path, buf);
	return 0;
}

int
limits_disk_of(const char *sys_dir, unsigned major, unsigned minor,
    struct limits_dev *disk, struct mig_error *e)
{
	char link[PATH_MAX], real[PATH_MAX], path[PATH_MAX];
	char *slash;

	if (lim_path(link, sizeof(link), e, "%s/dev/block/%u:%u", sys_dir,
	    major, minor) == -1)
		return -1;
	if (realpath(link, real) == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%u:%u is not a block device (%s: %s)", major, minor,
		    link, strerror(errno));
	if (lim_path(path, sizeof(path), e, "%s/partition", real) == -1)
		return -1;
	if (!lim_exists(path)) {
		disk->major = major;
		disk->minor = minor;
		return 0;
	}
	slash = strrchr(real, '/');
	if (slash == NULL || slash == real)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: partition without a parent disk", real);
	*slash = '\0';
	if (lim_path(path, sizeof(path), e, "%s/dev", real) == -1)
		return -1;
	if (read_majmin(path, &disk->major, &disk->minor, e) == -1)
		return -1;
	return 0;
}

static void
add_dev(struct limits_dev *dev, unsigned max, unsigned *n,
    const struct limits_dev *d)
{
	unsigned i;

	for (i = 0; i < *n; i++)
		if (dev[i].major == d->major && dev[i].minor == d->minor)
			return;
	if (*n < max)
		dev[(*n)++] = *d;
}

/*
 * The device of one mountinfo line.  btrfs reports an anonymous 0:N there:
 * its source device node says which disk it is on.
 */
static int
mount_dev(char *line, unsigned *maj, unsigned *min)
{
	char *f[3], *save = NULL, *sep, *src;
	struct stat st;
	int i;

	for (i = 0; i < 3; i++) {
		f[i] = strtok_r(i == 0 ? line : NULL, " \n", &save);
		if (f[i] == NULL)
			return -1;
	}
	if (sscanf(f[2], "%u:%u", maj, min) != 2)
		return -1;
	if (*maj != 0)
		return 0;
	sep = strstr(save, " - ");
	if (sep == NULL)
		return -1;
	src = strchr(sep + 3, ' ');
	if (src == NULL)
		return -1;
	src++;
	src[strcspn(src, " \n")] = '\0';
	if (strncmp(src, "/dev/", 5) != 0 || stat(src, &st) == -1 ||
	    !S_ISBLK(st.st_mode))
		return -1;
	*maj = major(st.st_rdev);
	*min = minor(st.st_rdev);
	return 0;
}

int
limits_local_disks(const char *sys_dir, const char *mountinfo,
    struct limits_dev *dev, unsigned max, unsigned *n, struct mig_error *e)
{
	char line[4096];
	struct limits_dev d;
	unsigned maj, min;
	FILE *f;

	*n = 0;
	f = fopen(mountinfo, "re");
	if (f == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s",
		    mountinfo, strerror(errno));
	while (fgets(line, sizeof(line), f) != NULL) {
		if (mount_dev(line, &maj, &min) == -1)
			continue;
		/* Not a block device (nfs, tmpfs...): not a local disk. */
		if (limits_disk_of(sys_dir, maj, min, &d, NULL) == -1)
			continue;
		add_dev(dev, max, n, &d);
	}
	if (ferror(f)) {
		fclose(f);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: read error",
		    mountinfo);
	}
	fclose(f);
	if (*n == 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "no mounted filesystem on a local disk (%s)", mountinfo);
	return 0;
}

int
lim_resolve_disks(const struct limits_ctx *c, const struct limits_caps *in,
    struct limits_caps *out, struct mig_error *e)
{
	unsigned i, n = 0;
	struct limits_dev d;

	*out = *in;
	out->ndev = 0;
	if (in->io_mbps == 0)
		return 0;
	if (in->ndev == 0)
		return limits_local_disks(c->sys_dir, c->mountinfo, out->dev,
		    LIMITS_MAX_DEV, &out->ndev, e);
	for (i = 0; i < in->ndev && i < LIMITS_MAX_DEV; i++) {
		if (limits_disk_of(c->sys_dir, in->dev[i].major,
		    in->dev[i].minor, &d, e) == -1)
			return -1;
		add_dev(out->dev, LIMITS_MAX_DEV, &n, &d);
	}
	out->ndev = n;
	return 0;
}
