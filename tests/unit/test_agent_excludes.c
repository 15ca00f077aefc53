/* SPDX-License-Identifier: ISC */
/*
 * The exclude lists by phase: the seed's g-property.cfg loaded, each list
 * compared pattern by pattern with facts.md §6, the defaults, the patterns
 * made relative to the copied tree, and the shell quoting of a [task]
 * command.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"

/* facts.md §6, written out here independently of the code's defaults */
static const char *const full_seed[] = { "/proc/*", "/sys/*",
	"/lost+found/*", "/var/lib/ntp/proc/*", NULL };
static const char *const sync_seed[] = { "/proc/*", "/sys/*",
	"/lost+found/*", "/tmp/_MEI*", "/var/lib/ntp/proc/*", "/boot/*",
	"/boot/efi/*", "/etc/fstab", "/etc/*", "/etc/X11/*",
	"/root/.initrd_bak*", "/lib/modules/*", "/boot/grub2/x86_64-efi/*",
	"/boot/grub2/i386-pc/*", NULL };

static void
assert_args(char **v, const char *const *want)
{
	char buf[300];
	size_t i;

	assert_non_null(v);
	for (i = 0; want[i] != NULL; i++) {
		assert_non_null(v[i]);
		(void)snprintf(buf, sizeof(buf), "--exclude=%s", want[i]);
		assert_string_equal(v[i], buf);
	}
	assert_null(v[i]);
}

static void
load(struct agent_conf *c, const char *text)
{
	struct mig_error e;

	agent_conf_init(c);
	mig_error_clear(&e);
	if (agent_conf_load_string(c, "t.cfg", text, 4, NULL, NULL, &e) == -1)
		fail_msg("%s", e.msg);
}

static void
test_seed_lists(void **state)
{
	struct agent_conf c;
	struct mig_error e;
	char path[4096], **v;
	const char *dir = getenv("MIGNET_FIXTURES");

	(void)state;
	assert_true(snprintf(path, sizeof(path), "%s/g-property.seed.cfg",
	    dir != NULL ? dir : "fixtures") < (int)sizeof(path));
	agent_conf_init(&c);
	mig_error_clear(&e);
	if (agent_conf_load(&c, path, 4, NULL, NULL, &e) == -1)
		fail_msg("%s", e.msg);
	assert_non_null(c.rsync_exclude);
	/* the line is 209 characters, "rsync.exclude.dir = " and the value */
	assert_int_equal(strlen(c.rsync_exclude), 209 - 20);
	assert_int_equal(c.phase, AGENT_PHASE_FULL);
	v = excl_args(excl_list(&c), NULL);
	assert_args(v, full_seed);
	agent_strv_free(v);
	c.phase = AGENT_PHASE_SYNC;
	v = excl_args(excl_list(&c), "/");
	assert_args(v, sync_seed);
	agent_strv_free(v);
	agent_conf_free(&c);
}

/* Absent keys: the seed's lists; --no-default-excludes: none. */
static void
test_defaults(void **state)
{
	struct agent_conf c;
	char **v;

	(void)state;
	load(&c, "[task]\nphase = SYNC\n");
	assert_int_equal(c.phase, AGENT_PHASE_SYNC);
	v = excl_args(excl_list(&c), NULL);
	assert_args(v, sync_seed);
	agent_strv_free(v);
	c.no_default_excludes = 1;
	assert_null(excl_list(&c));
	v = excl_args(excl_list(&c), NULL);
	assert_non_null(v);
	assert_null(v[0]);
	agent_strv_free(v);
	agent_conf_free(&c);
	/* an empty key is an empty list, not the default */
	load(&c, "[linux.config]\ntar.exclude.dir =\n");
	assert_string_equal(excl_list(&c), "");
	agent_conf_free(&c);
}

static void
test_phase_refused(void **state)
{
	struct agent_conf c;
	struct mig_error e;

	(void)state;
	agent_conf_init(&c);
	mig_error_clear(&e);
	assert_int_equal(agent_conf_load_string(&c, "t.cfg",
	    "[task]\nphase = incremental\n", 4, NULL, NULL, &e), -1);
	assert_non_null(strstr(e.msg, "[task] phase"));
	agent_conf_free(&c);
}

/* The root of the transfer: the copied directory. */
static void
test_subtree(void **state)
{
	static const char list[] = "/proc/*, /home/mnt_test/*,"
	    "/home/a b/c*.tmp,*.swp,/homex/y";
	static const char *const slash[] = { "/mnt_test/*", "/a b/c*.tmp",
		"*.swp", NULL };
	static const char *const parent[] = { "/home/mnt_test/*",
		"/home/a b/c*.tmp", "*.swp", "/homex/y", NULL };
	char **v;

	(void)state;
	v = excl_args(list, "/home/");
	assert_args(v, slash);
	agent_strv_free(v);
	v = excl_args(list, "/home//");
	assert_args(v, slash);
	agent_strv_free(v);
	/* the source is the copied directory, with or without its slash */
	v = excl_args(list, "/home");
	assert_args(v, slash);
	agent_strv_free(v);
	v = excl_args(list, "/srv/home");
	assert_args(v, (const char *const[]){ "*.swp", NULL });
	agent_strv_free(v);
	v = excl_args("/home/mnt_test/*,/home/a b/c*.tmp,*.swp,/homex/y",
	    "/");
	assert_args(v, parent);
	agent_strv_free(v);
}

/* Continuation lines of the file end a pattern as a comma does. */
static void
test_continuation(void **state)
{
	struct agent_conf c;
	char **v;

	(void)state;
	load(&c, "[linux.config]\ntar.exclude.dir = /proc/*,/sys/*\n"
	    "  /lost+found/*,/var/lib/ntp/proc/*\n");
	v = excl_args(excl_list(&c), NULL);
	assert_args(v, full_seed);
	agent_strv_free(v);
	agent_conf_free(&c);
}

static void
test_shell_words(void **state)
{
	char *a[] = { "--exclude=/a b/*", "--exclude=/it's", NULL };
	char *w;

	(void)state;
	w = excl_shell_words(a);
	assert_non_null(w);
	assert_string_equal(w, "'--exclude=/a b/*' '--exclude=/it'\\''s'");
	free(w);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_seed_lists),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_phase_refused),
		cmocka_unit_test(test_subtree),
		cmocka_unit_test(test_continuation),
		cmocka_unit_test(test_shell_words),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
