/* SPDX-License-Identifier: ISC */
/*
 * Verb apply: create or update the group with its caps, then move the
 * processes given into it or run a command inside it.  Every value is
 * checked before anything is created.  With a command, the exit status is
 * the command's.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "limits/cli.h"

#define MAX_PIDS 256

static const struct option apply_opts[] = {
	{ "cpu",	required_argument, NULL, OPT_CPU },
	{ "mem",	required_argument, NULL, OPT_MEM },
	{ "io",		required_argument, NULL, OPT_IO },
	{ "io-dev",	required_argument, NULL, OPT_IO_DEV },
	{ "pid",	required_argument, NULL, OPT_PID },
	CLI_WHERE_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

struct apply_args {
	struct limits_opts	 o;
	const char		*cpu, *mem, *io;
	const char		*dev[LIMITS_MAX_DEV];
	unsigned		 ndev;
	const char		*pid[MAX_PIDS];
	unsigned		 npid;
	char			**cmd;	/* after "--"; NULL: none */
};

/*
 * The command after "--" is cut off before getopt sees the options:
 * getopt would put the PIDs after --pid among the command's words.
 */
static void
split_command(int *argc, char **argv, struct apply_args *a)
{
	int i;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--") == 0) {
			a->cmd = argv[i + 1] != NULL ? &argv[i + 1] : NULL;
			argv[i] = NULL;
			*argc = i;
			return;
		}
	}
}

/* --pid 12,34 or --pid 12 34: a list, or more PIDs after it. */
static int
add_pids(const struct mig_cli_cmd *v, struct apply_args *a, char *list)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (a->npid == MAX_PIDS)
			return mig_cli_usage(v, "more than %d processes: %s",
			    MAX_PIDS, tok);
		a->pid[a->npid++] = tok;
	}
	return MIG_CLI_OK;
}

static int
add_dev(const struct mig_cli_cmd *v, struct apply_args *a, const char *s)
{
	if (a->ndev == LIMITS_MAX_DEV)
		return mig_cli_usage(v, "--io-dev: more than %d disks: %s",
		    LIMITS_MAX_DEV, s);
	a->dev[a->ndev++] = s;
	return MIG_CLI_OK;
}

static int
apply_opt(const struct mig_cli_cmd *v, struct apply_args *a, int c,
    int status)
{
	switch (c) {
	case OPT_CPU:
		a->cpu = optarg;
		return MIG_CLI_OK;
	case OPT_MEM:
		a->mem = optarg;
		return MIG_CLI_OK;
	case OPT_IO:
		a->io = optarg;
		return MIG_CLI_OK;
	case OPT_IO_DEV:
		return add_dev(v, a, optarg);
	case OPT_PID:
		return add_pids(v, a, optarg);
	default:
		return cli_where(&a->o, c, optarg) ? MIG_CLI_OK : status;
	}
}

static int
apply_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct apply_args *a)
{
	int c, status = MIG_CLI_OK;

	split_command(&argc, argv, a);
	while ((c = mig_cli_getopt(v, argc, argv, apply_opts, &status)) !=
	    -1) {
		if (c == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if ((status = apply_opt(v, a, c, status)) != MIG_CLI_OK)
			return status;
	}
	for (; optind < argc; optind++) {
		if (a->npid == 0)
			return mig_cli_no_operands(v, argc, argv);
		if ((status = add_pids(v, a, argv[optind])) != MIG_CLI_OK)
			return status;
	}
	if (a->npid > 0 && a->cmd != NULL)
		return mig_cli_usage(v, "--pid or a command, not both");
	if (a->ndev > 0 && a->io == NULL)
		return mig_cli_usage(v, "--io-dev needs --io");
	return MIG_CLI_OK;
}

/* The values; --cpu needs the number of cores, known once open. */
static int
apply_values(const struct apply_args *a, unsigned ncpu,
    struct limits_caps *caps, pid_t *pids, struct mig_error *e)
{
	unsigned i;

	memset(caps, 0, sizeof(*caps));
	if ((a->cpu && limits_parse_cpu("--cpu", a->cpu, ncpu,
	    &caps->cpu_pct, e) == -1) ||
	    (a->mem && limits_parse_mem("--mem", a->mem, &caps->mem_mb,
	    e) == -1) ||
	    (a->io && limits_parse_io("--io", a->io, &caps->io_mbps, e) == -1))
		return -1;
	for (i = 0; i < a->ndev; i++)
		if (limits_parse_dev("--io-dev", a->dev[i], NULL,
		    &caps->dev[caps->ndev++], e) == -1)
			return -1;
	for (i = 0; i < a->npid; i++)
		if (limits_parse_pid("--pid", a->pid[i], NULL, &pids[i],
		    e) == -1)
			return -1;
	return 0;
}

static int
sys_fail(const struct mig_cli_cmd *v, const char *what, int err)
{
	struct mig_error e;

	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL, "%s: %s", what,
	    strerror(err));
	return mig_cli_fail(v, &e, 0);
}

/* The shell's convention: 128 + signal for a command killed by one. */
static int
wait_command(const struct mig_cli_cmd *v, pid_t child, const char *name)
{
	struct mig_error e;
	int status, sig;

	while (waitpid(child, &status, 0) == -1)
		if (errno != EINTR)
			return sys_fail(v, "waitpid", errno);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (!WIFSIGNALED(status))
		return MIG_CLI_FAIL;
	sig = WTERMSIG(status);
	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL, "%s killed by signal %d "
	    "(%s)%s", name, sig, strsignal(sig), sig == SIGKILL ?
	    ": see 'limits status' for OOM kills of the memory cap" : "");
	(void)mig_cli_fail(v, &e, 0);
	return 128 + sig;
}

/*
 * The child joins the group before exec, while it is one thread: nothing
 * the command starts can run outside the caps.  It gets SIGTERM when
 * limits dies, even by SIGKILL: `limits remove` after that would leave it
 * running uncapped.  The parent may have died before prctl: then it goes
 * at once.
 */
static void
exec_command(const struct mig_cli_cmd *v, struct limits_ctx *ctx,
    char **cmd, pid_t parent)
{
	struct mig_error e;
	int err;

	if (prctl(PR_SET_PDEATHSIG, SIGTERM) == -1) {
		(void)sys_fail(v, "prctl", errno);
		_exit(126);
	}
	if (getppid() != parent)
		_exit(128 + SIGTERM);
	mig_error_clear(&e);
	if (limits_attach(ctx, getpid(), &e) == -1) {
		(void)mig_cli_fail(v, &e, 0);
		_exit(1);
	}
	execvp(cmd[0], cmd);
	err = errno;
	(void)sys_fail(v, cmd[0], err);
	_exit(err == ENOENT ? 127 : 126);
}

static void
set_signals(const struct mig_cli_cmd *v, void (*handler)(int))
{
	if (signal(SIGINT, handler) == SIG_ERR ||
	    signal(SIGQUIT, handler) == SIG_ERR)
		mig_cli_warn(v, "signal: %s", strerror(errno));
}

static int
run_command(const struct mig_cli_cmd *v, struct limits_ctx *ctx, char **cmd)
{
	pid_t child, self = getpid();
	int rc;

	if ((child = fork()) == -1)
		return sys_fail(v, "fork", errno);
	if (child == 0)
		exec_command(v, ctx, cmd, self);
	/* As system(): the terminal's ^C and ^\ are for the command. */
	set_signals(v, SIG_IGN);
	rc = wait_command(v, child, cmd[0]);
	set_signals(v, SIG_DFL);
	return rc;
}

static int
apply_run(const struct mig_cli_cmd *v, struct limits_ctx *ctx,
    const struct apply_args *a)
{
	struct limits_caps caps;
	pid_t pids[MAX_PIDS];
	struct mig_error e;
	unsigned i;

	mig_error_clear(&e);
	if (apply_values(a, limits_ncpu(ctx), &caps, pids, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	/* Processes joining an existing group keep the caps it has. */
	if ((a->cpu || a->mem || a->io || !limits_exists(ctx)) &&
	    limits_apply(ctx, &caps, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	if (caps.io_mbps != 0)
		mig_cli_warn(v, "%s", limits_io_note(ctx));
	for (i = 0; i < a->npid; i++)
		if (limits_attach(ctx, pids[i], &e) == -1)
			return mig_cli_fail(v, &e, 0);
	if (a->cmd != NULL)
		return run_command(v, ctx, a->cmd);
	return MIG_CLI_OK;
}

int
cmd_apply(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct apply_args a;
	struct limits_ctx *ctx;
	int status;

	memset(&a, 0, sizeof(a));
	if ((status = apply_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, &a.o, &ctx)) != MIG_CLI_OK)
		return status;
	status = apply_run(v, ctx, &a);
	limits_close(ctx);
	return status;
}
