/* SPDX-License-Identifier: ISC */
/*
 * Data progress from rsync's own lines (rsync 3.5.0's output, copied):
 * the dry run's --stats, the mark, --info=progress2 lines; the figures
 * across attempts; the command lines of an rsync task.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"

static void
dry_run(struct agent_progress *p, const char *total, const char *xfer)
{
	prog_attempt(p);
	assert_int_equal(prog_line(p, "Number of files: 3 (reg: 2, dir: 1)"),
	    PROG_LINE_DRY_RUN);
	assert_int_equal(prog_line(p, total), PROG_LINE_DRY_RUN);
	assert_int_equal(prog_line(p, xfer), PROG_LINE_DRY_RUN);
	assert_int_equal(prog_line(p, AGENT_DRY_RUN_MARK), PROG_LINE_MARK);
}

static void
test_attempts(void **state)
{
	struct agent_progress p;
	struct prog_fig f;

	(void)state;
	prog_init(&p, 1);
	assert_int_equal(prog_figures(&p, &f), 0);
	dry_run(&p, "Total file size: 52,428,800 bytes",
	    "Total transferred file size: 20,971,520 bytes");
	assert_int_equal(prog_figures(&p, &f), 1);
	assert_true(f.total == 52428800 && f.done == 31457280);
	assert_int_equal(prog_line(&p, "         32,768   0%    0.00kB/s    "
	    "0:00:00  "), PROG_LINE_PROGRESS);
	assert_int_equal(prog_line(&p, "     10,000,000  40%  229.53MB/s    "
	    "0:00:00 (xfr#1, to-chk=0/3)"), PROG_LINE_PROGRESS);
	assert_int_equal(prog_figures(&p, &f), 1);
	assert_true(f.done == 41457280 && f.remaining == 10971520);
	/* The next attempt: the last figure holds until its dry run. */
	prog_attempt(&p);
	assert_int_equal(prog_figures(&p, &f), 1);
	assert_true(f.done == 41457280);
	assert_int_equal(prog_line(&p, "Total file size: 52,428,800 bytes"),
	    PROG_LINE_DRY_RUN);
	assert_int_equal(prog_line(&p, "Total transferred file size: "
	    "15,000,000 bytes"), PROG_LINE_DRY_RUN);
	assert_int_equal(prog_line(&p, AGENT_DRY_RUN_MARK), PROG_LINE_MARK);
	(void)prog_figures(&p, &f);
	assert_true(f.done == 37428800);
	/* Everything sent: not 100 % before the task ended well. */
	assert_int_equal(prog_line(&p, "     15,000,000 100%  1.00MB/s    "
	    "0:00:01 (xfr#2, to-chk=0/3)"), PROG_LINE_PROGRESS);
	(void)prog_figures(&p, &f);
	assert_true(f.pct < 100.0 && f.remaining > 0);
	prog_finished(&p);
	(void)prog_figures(&p, &f);
	assert_true(f.pct == 100.0 && f.remaining == 0);
}

static void
test_not_ours(void **state)
{
	struct agent_progress p;
	struct prog_fig f;

	(void)state;
	prog_init(&p, 0);
	assert_int_equal(prog_line(&p, "   1,000  40%  1.00MB/s"),
	    PROG_LINE_OTHER);
	assert_int_equal(prog_figures(&p, &f), 0);
	prog_init(&p, 1);
	/* No stats in the dry run: unknown, not zero. */
	prog_attempt(&p);
	assert_int_equal(prog_line(&p, AGENT_DRY_RUN_MARK), PROG_LINE_MARK);
	assert_int_equal(prog_figures(&p, &f), 0);
	assert_int_equal(prog_line(&p, "sending incremental file list"),
	    PROG_LINE_OTHER);
	assert_int_equal(prog_line(&p, "   52.43M  40%  1.00MB/s"),
	    PROG_LINE_OTHER);
	assert_int_equal(prog_line(&p, "large.0"), PROG_LINE_OTHER);
}

static void
test_commands(void **state)
{
	static const char *const extra[] = { "--info=progress2", NULL };
	char *argv[] = { "/usr/bin/rsync", "-a", "s/", "d/", NULL };
	struct agent_conf c;
	char **v, *s;

	(void)state;
	agent_conf_init(&c);
	c.argv = argv;
	assert_int_equal(rsync_task_is(&c), 1);
	argv[0] = "rsyncx";
	assert_int_equal(rsync_task_is(&c), 0);
	argv[0] = "rsync";
	v = rsync_argv(argv, extra);
	assert_non_null(v);
	assert_string_equal(v[0], "rsync");
	assert_string_equal(v[1], "--info=progress2");
	assert_string_equal(v[2], "-a");
	assert_null(v[5]);
	free(v);
	c.argv = NULL;
	c.command = "  rsync -a -e \"ssh -p 2\" s/ d/";
	assert_int_equal(rsync_task_is(&c), 1);
	s = rsync_command(c.command, "--dry-run --stats");
	assert_non_null(s);
	assert_string_equal(s, "  rsync --dry-run --stats -a -e \"ssh -p 2\" "
	    "s/ d/");
	free(s);
	c.command = "tar cf - s | ssh d tar xf -";
	assert_int_equal(rsync_task_is(&c), 0);
	c.command = "rsync";
	assert_int_equal(rsync_task_is(&c), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_attempts),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_commands),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
