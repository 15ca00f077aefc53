/* SPDX-License-Identifier: ISC */
/*
 * The responder binds its port as whoever started it, then runs as an
 * unprivileged user: it parses packets from anyone.
 */
#include <sys/prctl.h>

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/serve.h"

int
nc_drop_privileges(const char *user, struct mig_error *e)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	int rc;

	if (user == NULL)
		user = "nobody";
	if (geteuid() != 0)
		return 0;
	rc = getpwnam_r(user, &pw, buf, sizeof(buf), &res);
	if (rc != 0 || res == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "no user '%s' to run as", user);
	if (pw.pw_uid == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "user '%s' is root; the responder must not run as root",
		    user);
	if (setgroups(1, &pw.pw_gid) == -1 ||
	    setresgid(pw.pw_gid, pw.pw_gid, pw.pw_gid) == -1 ||
	    setresuid(pw.pw_uid, pw.pw_uid, pw.pw_uid) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot become %s: %s", user, strerror(errno));
	if (setuid(0) != -1 || seteuid(0) != -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "root privileges came back after dropping them");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "PR_SET_NO_NEW_PRIVS: %s", strerror(errno));
	return 0;
}
