/* SPDX-License-Identifier: ISC */
/*
 * Output files a user names with an option (--html FILE, --csv FILE, ...):
 * "-" is standard output; a file is checked before the work starts, so a
 * typo costs nothing, and replaced whole when the work is done; a link, a
 * device or a FIFO (/dev/stderr, /dev/null) is written in place.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/migcli.h"

/*
 * A symbolic link (/dev/stderr) or a device or FIFO (/dev/null) is written
 * in place, as a shell redirection writes it: replacing it would put a
 * regular file where the link or the device was.
 */
static int
written_in_place(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0 && !S_ISREG(st.st_mode);
}

int
mig_cli_check_output(const struct mig_cli_cmd *c, const char *opt,
    const char *path, const char **std)
{
	char dir[MIG_PATH_MAX];
	const char *slash;
	struct stat st;

	if (path == NULL)
		return MIG_CLI_OK;
	if (strcmp(path, "-") == 0) {
		if (*std != NULL)
			return mig_cli_usage(c, "%s and %s -: both write to "
			    "standard output", *std, opt);
		*std = opt;
		return MIG_CLI_OK;
	}
	if (*path == '\0')
		return mig_cli_usage(c, "%s: an empty name; give a file name "
		    "or - for standard output", opt);
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return mig_cli_usage(c, "%s %s: a directory; give a file name",
		    opt, path);
	if (written_in_place(path))
		return access(path, W_OK) == 0 ? MIG_CLI_OK : mig_cli_usage(c,
		    "%s %s: cannot write: %s", opt, path, strerror(errno));
	slash = strrchr(path, '/');
	if (slash == NULL)
		(void)snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		(void)snprintf(dir, sizeof(dir), "/");
	else if ((size_t)(slash - path) >= sizeof(dir))
		return mig_cli_usage(c, "%s: the path is too long", opt);
	else
		(void)snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path),
		    path);
	if (stat(dir, &st) == -1 || !S_ISDIR(st.st_mode))
		return mig_cli_usage(c, "%s %s: the directory %s does not "
		    "exist", opt, path, dir);
	if (access(dir, W_OK) == -1)
		return mig_cli_usage(c, "%s %s: cannot write in %s: %s", opt,
		    path, dir, strerror(errno));
	return MIG_CLI_OK;
}

int
mig_cli_output_open(struct mig_cli_output *o, const char *path,
    struct mig_error *e)
{
	struct stat st;
	int fd, trunc;

	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	if (written_in_place(path)) {
		/* Truncated as by ">" when the link leads to a file. */
		trunc = stat(path, &st) == 0 && S_ISREG(st.st_mode) ?
		    O_TRUNC : 0;
		fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC | trunc);
		if (fd == -1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot "
			    "write %s: %s", path, strerror(errno));
		if ((o->f = fdopen(fd, "w")) == NULL) {
			int saved = errno;

			(void)close(fd);
			return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot "
			    "write %s: %s", path, strerror(saved));
		}
		o->in_place = 1;
		(void)snprintf(o->r.path, sizeof(o->r.path), "%s", path);
		return 0;
	}
	/* A file of the user's: 0666 less the umask, as fopen makes it. */
	if (mig_replace_open(&o->r, path, 0666, e) == -1)
		return -1;
	o->f = o->r.f;
	return 0;
}

/* A link, device or FIFO: flushed and closed, its errors reported. */
static int
close_in_place(struct mig_cli_output *o, int failed, struct mig_error *e)
{
	int bad, saved;

	errno = 0;
	bad = fflush(o->f) != 0 || ferror(o->f);
	saved = errno;
	if (fclose(o->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	o->f = NULL;
	if (failed)
		return -1;
	if (bad)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", o->r.path, strerror(saved != 0 ? saved : EIO));
	return 0;
}

int
mig_cli_output_close(struct mig_cli_output *o, int failed,
    struct mig_error *e)
{
	if (o->f == stdout) {
		o->f = NULL;
		if (failed)
			return -1;
		if (fflush(stdout) == EOF || ferror(stdout))
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "standard output: %s", strerror(errno));
		return 0;
	}
	if (o->in_place)
		return close_in_place(o, failed, e);
	o->f = NULL;
	if (failed) {
		mig_replace_abort(&o->r);
		return -1;
	}
	return mig_replace_commit(&o->r, e);
}
