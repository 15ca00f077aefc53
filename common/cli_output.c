/* SPDX-License-Identifier: ISC */
/*
 * Output files a user names with an option (--html FILE, --csv FILE, ...):
 * "-" is standard output; a file is checked before the work starts, so a
 * typo costs nothing, and replaced whole when the work is done.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/migcli.h"

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
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return mig_cli_usage(c, "%s %s: a directory; give a file name",
		    opt, path);
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
	memset(o, 0, sizeof(*o));
	if (strcmp(path, "-") == 0) {
		o->f = stdout;
		return 0;
	}
	/* A file of the user's: 0666 less the umask, as fopen makes it. */
	if (mig_replace_open(&o->r, path, 0666, e) == -1)
		return -1;
	o->f = o->r.f;
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
	o->f = NULL;
	if (failed) {
		mig_replace_abort(&o->r);
		return -1;
	}
	return mig_replace_commit(&o->r, e);
}
