/* SPDX-License-Identifier: ISC */
/*
 * libmigcommon's file helpers: write_all, mkdir -p with its mode policy,
 * the atomic replace; the text scrub, the port mapping and the time
 * conversions that used to be written in several places.
 */
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/migcommon.h"

struct dir {
	char path[256];
};

static int
setup(void **state)
{
	static struct dir d;

	(void)snprintf(d.path, sizeof(d.path), "/tmp/mignet-files-XXXXXX");
	if (mkdtemp(d.path) == NULL)
		return -1;
	(void)umask(022);
	*state = &d;
	return 0;
}

static int
teardown(void **state)
{
	struct dir *d = *state;
	char cmd[300];

	(void)snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->path);
	return system(cmd) == 0 ? 0 : -1;
}

static void
join(char *buf, size_t len, const struct dir *d, const char *name)
{
	assert_true((size_t)snprintf(buf, len, "%s/%s", d->path, name) < len);
}

static void
slurp(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	assert_int_equal(fclose(f), 0);
}

static unsigned
mode_of(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return (unsigned)(st.st_mode & 07777);
}

static void
write_all_pipe(void **state)
{
	char buf[100000], back[100000];
	size_t got = 0;
	ssize_t n;
	pid_t pid;
	int p[2], st;

	(void)state;
	memset(buf, 'x', sizeof(buf));
	buf[sizeof(buf) - 1] = 'y';
	assert_int_equal(pipe(p), 0);
	/* more than a pipe holds: a reader must drain it meanwhile */
	assert_true((pid = fork()) != -1);
	if (pid == 0) {
		(void)close(p[0]);
		_exit(mig_write_all(p[1], buf, sizeof(buf)) == 0 ? 0 : 1);
	}
	(void)close(p[1]);
	while ((n = read(p[0], back + got, sizeof(back) - got)) > 0)
		got += (size_t)n;
	(void)close(p[0]);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	assert_int_equal(got, sizeof(buf));
	assert_memory_equal(back, buf, sizeof(buf));
	assert_int_equal(mig_write_all(-1, "a", 1), -1);
	assert_int_equal(mig_write_all(-1, "", 0), 0);
}

static void
mkdirs_modes(void **state)
{
	struct dir *d = *state;
	char leaf[512], mid[512], top[512];
	struct mig_error e;

	join(top, sizeof(top), d, "a");
	join(mid, sizeof(mid), d, "a/b");
	join(leaf, sizeof(leaf), d, "a/b/c/");
	assert_int_equal(mig_mkdirs(leaf, 0700, &e), 0);
	assert_int_equal(mode_of(top), 0755);
	assert_int_equal(mode_of(mid), 0755);
	assert_int_equal(mode_of(leaf), 0700);
	/* existing directories stay as they are */
	assert_int_equal(mig_mkdirs(mid, 0700, &e), 0);
	assert_int_equal(mode_of(mid), 0755);
	join(leaf, sizeof(leaf), d, "a//b//d");
	assert_int_equal(mig_mkdirs(leaf, 0755, &e), 0);
	assert_int_equal(mode_of(leaf), 0755);
}

static void
mkdirs_refuses(void **state)
{
	struct dir *d = *state;
	char file[512], under[512];
	struct mig_error e;
	FILE *f;

	join(file, sizeof(file), d, "plain");
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(mig_mkdirs(file, 0755, &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "plain: Not a directory"));
	join(under, sizeof(under), d, "plain/x");
	assert_int_equal(mig_mkdirs(under, 0755, &e), -1);
	assert_non_null(strstr(e.msg, "plain"));
	assert_int_equal(mig_mkdirs("", 0755, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_string_equal(e.msg, "directory name empty");
}

static void
replace_whole(void **state)
{
	struct dir *d = *state;
	char path[512], tmp[520], buf[64];
	struct mig_replace r;
	struct mig_error e;

	join(path, sizeof(path), d, "state");
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(mig_replace_file(path, "one\n", 4, 0600, &e), 0);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "one\n");
	assert_int_equal(mode_of(path), 0600);
	assert_int_equal(access(tmp, F_OK), -1);

	/* the old contents stay until the commit */
	assert_int_equal(mig_replace_open(&r, path, 0644, &e), 0);
	assert_true(fprintf(r.f, "two %d\n", 2) > 0);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "one\n");
	assert_int_equal(mig_replace_commit(&r, &e), 0);
	assert_null(r.f);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "two 2\n");
	assert_int_equal(mode_of(path), 0644);

	/* an abort leaves the old file and no .tmp */
	assert_int_equal(mig_replace_open(&r, path, 0644, &e), 0);
	assert_true(fputs("three\n", r.f) >= 0);
	mig_replace_abort(&r);
	slurp(path, buf, sizeof(buf));
	assert_string_equal(buf, "two 2\n");
	assert_int_equal(access(tmp, F_OK), -1);

	/* the umask applies to the mode asked for */
	assert_int_equal(mig_replace_file(path, "", 0, 0666, &e), 0);
	assert_int_equal(mode_of(path), 0644);
}

static void
replace_refuses(void **state)
{
	struct dir *d = *state;
	char path[512], tmp[520], target[512], buf[64];
	struct mig_error e;

	/* path.tmp is never followed: a link there does not redirect it */
	join(path, sizeof(path), d, "victim");
	join(target, sizeof(target), d, "elsewhere");
	(void)snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	assert_int_equal(mig_replace_file(target, "keep\n", 5, 0644, &e), 0);
	assert_int_equal(symlink(target, tmp), 0);
	assert_int_equal(mig_replace_file(path, "new\n", 4, 0644, &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "victim.tmp"));
	slurp(target, buf, sizeof(buf));
	assert_string_equal(buf, "keep\n");

	join(path, sizeof(path), d, "no/such/dir/file");
	assert_int_equal(mig_replace_file(path, "x", 1, 0644, &e), -1);
	assert_non_null(strstr(e.msg, "No such file or directory"));
}

static void
printable(void **state)
{
	char out[16], in[] = "a\tb\nc\x7f\xc3\xa9z";

	(void)state;
	assert_string_equal(mig_printable("a\tb\nc\x7f\xc3\xa9z", SIZE_MAX,
	    out, sizeof(out)), "a?b?c???z");
	assert_string_equal(mig_printable("abcdef", 3, out, sizeof(out)),
	    "abc");
	assert_string_equal(mig_printable("abcdef", SIZE_MAX, out, 4), "abc");
	/* in place */
	assert_string_equal(mig_printable(in, sizeof(in), in, sizeof(in)),
	    "a?b?c???z");
	out[0] = 'q';
	(void)mig_printable("abc", SIZE_MAX, out, 0);
	assert_int_equal(out[0], 'q');
}

static void
port_sms(void **state)
{
	(void)state;
	assert_int_equal(mig_port_role_of(22), MIG_ROLE_SSH);
	assert_int_equal(mig_port_role_of(8899), MIG_ROLE_WINDOWS);
	assert_int_equal(mig_port_role_of(8900), MIG_ROLE_BLOCK);
	assert_int_equal(mig_port_role_of(2222), MIG_ROLE_OTHER);

	assert_string_equal(mig_port_sms(MIG_ROLE_BLOCK, MIG_PORT_REFUSED),
	    "SMS.1807");
	assert_string_equal(mig_port_sms(MIG_ROLE_BLOCK, MIG_PORT_TIMEOUT),
	    "SMS.1807");
	assert_string_equal(mig_port_sms(MIG_ROLE_BLOCK, MIG_PORT_ERROR),
	    "SMS.1807");
	assert_string_equal(mig_port_sms(MIG_ROLE_WINDOWS,
	    MIG_PORT_UNREACHABLE), "SMS.2802");
	assert_string_equal(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_REFUSED),
	    "SMS.3806");
	assert_string_equal(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_TIMEOUT),
	    "SMS.3805");
	assert_string_equal(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_UNREACHABLE),
	    "SMS.3805");
	assert_string_equal(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_ERROR),
	    "SMS.3802");
	assert_string_equal(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_NOT_SSH),
	    "SMS.3802");
	assert_null(mig_port_sms(MIG_ROLE_SSH, MIG_PORT_OK));
	assert_null(mig_port_sms(MIG_ROLE_BLOCK, MIG_PORT_OK));
	assert_null(mig_port_sms(MIG_ROLE_BLOCK, MIG_PORT_NOT_SSH));
	assert_null(mig_port_sms(MIG_ROLE_OTHER, MIG_PORT_REFUSED));
}

static void
time_structs(void **state)
{
	struct timeval tv;
	struct timespec ts;

	(void)state;
	tv = mig_ns_timeval(2500000999ULL);
	assert_int_equal(tv.tv_sec, 2);
	assert_int_equal(tv.tv_usec, 500000);
	tv = mig_ns_timeval(999);
	assert_int_equal(tv.tv_sec, 0);
	assert_int_equal(tv.tv_usec, 0);
	ts = mig_ns_timespec(2500000999ULL);
	assert_int_equal(ts.tv_sec, 2);
	assert_int_equal(ts.tv_nsec, 500000999);
	assert_int_equal(mig_timespec_ns(&ts), 2500000999ULL);
	ts.tv_sec = 1700000000;
	ts.tv_nsec = 1;
	assert_int_equal(mig_timespec_ns(&ts), 1700000000000000001ULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(write_all_pipe),
		cmocka_unit_test_setup_teardown(mkdirs_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(mkdirs_refuses, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(replace_whole, setup, teardown),
		cmocka_unit_test_setup_teardown(replace_refuses, setup,
		    teardown),
		cmocka_unit_test(printable),
		cmocka_unit_test(port_sms),
		cmocka_unit_test(time_structs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
