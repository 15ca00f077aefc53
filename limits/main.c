/*
 * limits: caps the migration's CPU, memory and disk throughput in a control
 * group.  Verbs apply, status, remove; see limits(1).  Exit status 0 on
 * success, 1 on a runtime failure (or status of an absent group), 2 on bad
 * usage; apply with a command exits with the command's status.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "limits.h"
#include "show.h"

#define PROG "limits"
#define MAX_PIDS 256

struct args {
	const char *verb;
	const char *cpu, *mem, *io, *group, *v2_root, *state_dir, *interval;
	const char *dev[LIMITS_MAX_DEV];
	unsigned ndev;
	const char *pid[MAX_PIDS];
	unsigned npid;
	char **cmd;		/* after "--", NULL when none */
	int json;
};

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: " PROG " apply [--cpu PCT] [--mem MB] [--io MBPS] "
	    "[--io-dev PATH|MAJ:MIN]...\n"
	    "                    [--group NAME] [--pid PID...] "
	    "[-- COMMAND [ARGS...]]\n"
	    "       " PROG " status [--group NAME] [--interval TIME] "
	    "[--json]\n"
	    "       " PROG " remove [--group NAME]\n"
	    "       " PROG " --help | --version\n\n"
	    "  --cpu PCT     1-100 %% of all cores, at least 0.2 core\n"
	    "  --mem MB      200-1000 MB (MB = 2^20 bytes); over it the "
	    "kernel kills\n"
	    "  --io MBPS     10-1000 MB/s reads and writes of the local "
	    "disks\n"
	    "  --io-dev DEV  the disk to cap instead (repeatable)\n"
	    "  --group NAME  the group (default " LIMITS_DEFAULT_GROUP ")\n"
	    "  --pid PID     move this process, every thread, into the group\n"
	    "  -- COMMAND    run COMMAND inside the group and pass its exit "
	    "status\n");
}

static int
fail(const struct mig_error *e)
{
	mig_error_print(stderr, PROG, e);
	return mig_error_exit_status(e);
}

static int usage_error(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

static int
usage_error(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	usage(stderr);
	return 2;
}

/* The command after "--" is cut off before getopt sees the options. */
static void
split_command(int *argc, char **argv, struct args *a)
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

static int
add_pids(struct args *a, char *list)
{
	char *tok, *save = NULL;

	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		if (a->npid == MAX_PIDS)
			return usage_error("more than 256 processes: %s", tok);
		a->pid[a->npid++] = tok;
	}
	return 0;
}

enum { O_CPU = 256, O_MEM, O_IO, O_IODEV, O_GROUP, O_PID, O_JSON,
	O_V2ROOT, O_STATEDIR, O_INTERVAL, O_HELP, O_VERSION };

static const struct option longopts[] = {
	{ "cpu",	required_argument, NULL, O_CPU },
	{ "mem",	required_argument, NULL, O_MEM },
	{ "io",		required_argument, NULL, O_IO },
	{ "io-dev",	required_argument, NULL, O_IODEV },
	{ "group",	required_argument, NULL, O_GROUP },
	{ "pid",	required_argument, NULL, O_PID },
	{ "json",	no_argument,	   NULL, O_JSON },
	{ "interval",	required_argument, NULL, O_INTERVAL },
	{ "cgroup2-root", required_argument, NULL, O_V2ROOT },
	{ "state-dir",	required_argument, NULL, O_STATEDIR },
	{ "help",	no_argument,	   NULL, 'h' },
	{ "version",	no_argument,	   NULL, 'V' },
	{ NULL, 0, NULL, 0 }
};

static int
one_option(struct args *a, int ch)
{
	switch (ch) {
	case O_CPU: a->cpu = optarg; break;
	case O_MEM: a->mem = optarg; break;
	case O_IO: a->io = optarg; break;
	case O_GROUP: a->group = optarg; break;
	case O_JSON: a->json = 1; break;
	case O_INTERVAL: a->interval = optarg; break;
	case O_V2ROOT: a->v2_root = optarg; break;
	case O_STATEDIR: a->state_dir = optarg; break;
	case O_PID: return add_pids(a, optarg);
	case O_IODEV:
		if (a->ndev == LIMITS_MAX_DEV)
			return usage_error("--io-dev: more than 16 disks: %s",
			    optarg);
		a->dev[a->ndev++] = optarg;
		break;
	default:
		usage(stderr);
		return 2;
	}
	return 0;
}

/* -1: --help or --version done; 0: go on; 2: usage error. */
static int
parse_args(int argc, char **argv, struct args *a)
{
	int ch, rc;

	split_command(&argc, argv, a);
	while ((ch = getopt_long(argc, argv, "hV", longopts, NULL)) != -1) {
		if (ch == 'h') {
			usage(stdout);
			return -1;
		}
		if (ch == 'V') {
			printf(PROG " (mignet) " MIGNET_VERSION "\n");
			return -1;
		}
		if ((rc = one_option(a, ch)) != 0)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%s", "a verb is needed: apply, status "
		    "or remove");
	a->verb = argv[optind++];
	/* "--pid 12 34": operands after the verb are more processes. */
	for (; optind < argc; optind++) {
		if (a->npid == 0 || strcmp(a->verb, "apply") != 0)
			return usage_error("unexpected argument: %s",
			    argv[optind]);
		if (add_pids(a, argv[optind]) != 0)
			return 2;
	}
	return 0;
}

static int
check_verb_args(const struct args *a)
{
	int apply = strcmp(a->verb, "apply") == 0;

	if (!apply && (a->cpu || a->mem || a->io || a->ndev || a->npid ||
	    a->cmd))
		return usage_error("%s: caps, --pid and a command go with "
		    "apply", a->verb);
	if (!apply && strcmp(a->verb, "status") != 0 && (a->json ||
	    a->interval))
		return usage_error("%s: --json and --interval go with status",
		    a->verb);
	if (apply && a->json)
		return usage_error("%s", "apply: --json goes with status");
	if (a->npid > 0 && a->cmd != NULL)
		return usage_error("%s", "apply: --pid or a command, not both");
	if (a->ndev > 0 && a->io == NULL)
		return usage_error("%s", "--io-dev needs --io");
	return 0;
}

static int
parse_caps(const struct args *a, unsigned ncpu, struct limits_caps *caps,
    pid_t *pids, struct mig_error *e)
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

/* The shell's convention: 128 + signal for a command killed by one. */
static int
wait_command(pid_t child, const char *name)
{
	int status;

	while (waitpid(child, &status, 0) == -1) {
		if (errno != EINTR) {
			fprintf(stderr, PROG ": waitpid: %s\n",
			    strerror(errno));
			return 1;
		}
	}
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status)) {
		fprintf(stderr, PROG ": %s killed by signal %d (%s)%s\n", name,
		    WTERMSIG(status), strsignal(WTERMSIG(status)),
		    WTERMSIG(status) == SIGKILL ? ": see '" PROG
		    " status' for OOM kills of the memory cap" : "");
		return 128 + WTERMSIG(status);
	}
	return 1;
}

/*
 * The child joins the group before exec, while it is one thread: nothing
 * the command starts can run outside the caps.
 */
static int
run_command(struct limits_ctx *ctx, char **cmd)
{
	struct mig_error e;
	pid_t child;
	int rc;

	child = fork();
	if (child == -1) {
		fprintf(stderr, PROG ": fork: %s\n", strerror(errno));
		return 1;
	}
	if (child == 0) {
		if (limits_attach(ctx, getpid(), &e) == -1) {
			mig_error_print(stderr, PROG, &e);
			_exit(1);
		}
		execvp(cmd[0], cmd);
		fprintf(stderr, PROG ": %s: %s\n", cmd[0], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	/* As system(): the terminal's ^C and ^\ are for the command. */
	if (signal(SIGINT, SIG_IGN) == SIG_ERR ||
	    signal(SIGQUIT, SIG_IGN) == SIG_ERR)
		fprintf(stderr, PROG ": signal: %s\n", strerror(errno));
	rc = wait_command(child, cmd[0]);
	if (signal(SIGINT, SIG_DFL) == SIG_ERR ||
	    signal(SIGQUIT, SIG_DFL) == SIG_ERR)
		fprintf(stderr, PROG ": signal: %s\n", strerror(errno));
	return rc;
}

static int
do_apply(struct limits_ctx *ctx, const struct args *a)
{
	struct limits_caps caps;
	pid_t pids[MAX_PIDS];
	struct mig_error e;
	unsigned i;

	if (parse_caps(a, limits_ncpu(ctx), &caps, pids, &e) == -1)
		return fail(&e);
	/* Processes joining an existing group keep the caps it has. */
	if ((a->cpu || a->mem || a->io || !limits_exists(ctx)) &&
	    limits_apply(ctx, &caps, &e) == -1)
		return fail(&e);
	if (caps.io_mbps != 0)
		fprintf(stderr, PROG ": warning: %s\n", limits_io_note(ctx));
	for (i = 0; i < a->npid; i++)
		if (limits_attach(ctx, pids[i], &e) == -1)
			return fail(&e);
	if (a->cmd != NULL)
		return run_command(ctx, a->cmd);
	return 0;
}

static int
do_status(struct limits_ctx *ctx, const struct args *a)
{
	struct limits_status st;
	struct mig_error e;
	uint64_t ns = MIG_NS_PER_S;
	int rc;

	if (a->interval != NULL && mig_parse_duration("--interval",
	    a->interval, "s", &ns, &e) == -1)
		return fail(&e);
	if (ns > 60 * MIG_NS_PER_S)
		return usage_error("--interval %s: at most 60s", a->interval);
	if (limits_status(ctx, ns, &st, &e) == -1)
		return fail(&e);
	rc = a->json ? show_json(ctx, &st, &e) : show_text(ctx, &st);
	if (rc == 0 && (fflush(stdout) == EOF || ferror(stdout)))
		rc = mig_error_set(&e, MIG_E_SYSTEM, NULL,
		    "writing the status: %s", strerror(errno));
	if (rc == -1)
		rc = fail(&e);
	else
		rc = st.exists ? 0 : 1;
	limits_status_free(&st);
	return rc;
}

int
main(int argc, char **argv)
{
	struct args a = { 0 };
	struct limits_opts o = { 0 };
	struct limits_ctx *ctx;
	struct mig_error e;
	int rc;

	rc = parse_args(argc, argv, &a);
	if (rc != 0)
		return rc == -1 ? 0 : rc;
	if (strcmp(a.verb, "apply") != 0 && strcmp(a.verb, "status") != 0 &&
	    strcmp(a.verb, "remove") != 0)
		return usage_error("unknown verb: %s", a.verb);
	if ((rc = check_verb_args(&a)) != 0)
		return rc;
	o.group = a.group;
	o.v2_root = a.v2_root;
	o.state_dir = a.state_dir;
	if (limits_open(&o, &ctx, &e) == -1)
		return fail(&e);
	if (strcmp(a.verb, "apply") == 0)
		rc = do_apply(ctx, &a);
	else if (strcmp(a.verb, "status") == 0)
		rc = do_status(ctx, &a);
	else if (limits_remove(ctx, &e) == -1)
		rc = fail(&e);
	limits_close(ctx);
	return rc;
}
