/* SPDX-License-Identifier: ISC */
/*
 * The task: forked into its own process group (so a pause or a kill reaches
 * rsync's ssh child too), its stdout and stderr captured through pipes into
 * the logs, the end of its stderr kept for the classification.  The child
 * waits on a pipe until the parent has moved it into the cgroup, so the
 * caps hold from its first instruction.
 */
#include <sys/prctl.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"

static void
tail_add(struct agent *a, const char *s, size_t n)
{
	size_t keep;

	if (n >= sizeof(a->tail) - 1) {
		s += n - (sizeof(a->tail) - 1);
		n = sizeof(a->tail) - 1;
	}
	if (a->taillen + n > sizeof(a->tail) - 1) {
		keep = sizeof(a->tail) - 1 - n;
		(void)memmove(a->tail, a->tail + a->taillen - keep, keep);
		a->taillen = keep;
	}
	(void)memcpy(a->tail + a->taillen, s, n);
	a->taillen += n;
	a->tail[a->taillen] = '\0';
}

static void
line_out(struct agent *a, struct agent_pipe *p)
{
	p->buf[p->len] = '\0';
	if (!p->is_err && (p->len == 0 || agent_data_line(a, p->buf))) {
		p->len = 0;
		return;
	}
	if (p->is_err) {
		tail_add(a, p->buf, p->len);
		tail_add(a, "\n", 1);
		mig_log(&a->log, MIG_LOG_WARN, "task stderr: %s", p->buf);
	} else
		mig_log(&a->log, MIG_LOG_INFO, "task: %s", p->buf);
	p->len = 0;
}

static void
pipe_close(struct agent_pipe *p)
{
	if (p->ev != NULL)
		event_free(p->ev);
	p->ev = NULL;
	if (p->fd != -1)
		(void)close(p->fd);
	p->fd = -1;
}

/* Reads what is there; a line too long for the buffer is cut. */
static void
pipe_drain(struct agent *a, struct agent_pipe *p)
{
	char buf[4096];
	ssize_t n, i;

	if (p->fd == -1)
		return;
	while ((n = read(p->fd, buf, sizeof(buf))) > 0) {
		for (i = 0; i < n; i++) {
			/* rsync's progress rewrites its line after a CR. */
			if (buf[i] == '\n' || p->len == sizeof(p->buf) - 1 ||
			    (buf[i] == '\r' && !p->is_err))
				line_out(a, p);
			if (buf[i] != '\n' && (buf[i] != '\r' || p->is_err))
				p->buf[p->len++] = buf[i];
		}
	}
	if (n == 0 || (n == -1 && errno != EAGAIN && errno != EINTR)) {
		if (p->len > 0)
			line_out(a, p);
		pipe_close(p);
	}
}

static void
pipe_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)what;
	pipe_drain(a, fd == a->out.fd ? &a->out : &a->err);
}

static int
pipe_watch(struct agent *a, struct agent_pipe *p, int fd, int is_err,
    struct mig_error *e)
{
	p->fd = fd;
	p->len = 0;
	p->is_err = is_err;
	if (fcntl(fd, F_SETFL, O_NONBLOCK) == -1 ||
	    (p->ev = event_new(a->base, fd, EV_READ | EV_PERSIST, pipe_cb,
	    a)) == NULL || event_add(p->ev, NULL) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "task pipe: %s",
		    strerror(errno));
	return 0;
}

static const char *const dry_opts[] = { "--dry-run", "--stats",
    "--info=progress0,name0", NULL };
static const char *const run_opts[] = { "--info=progress2", NULL };
#define DRY_OPTS	"--dry-run --stats --info=progress0,name0"
#define RUN_OPTS	"--info=progress2"

static void
exec_task(char *const *argv, const char *command)
{
	if (argv != NULL)
		(void)execvp(argv[0], argv);
	else
		(void)execl("/bin/sh", "sh", "-c", command, (char *)NULL);
}

/*
 * An rsync task: the dry run first, in a process of its own (its exit
 * status is the task's when it failed: a cut link shows there first), the
 * mark on stdout, then rsync itself in this process.  Statuses 23 and 24
 * (some files could not be read, vanished) go on: the transfer decides.
 */
static void
rsync_phases(const struct agent_conf *c)
{
	char **dry = NULL, **run = NULL, *dcmd = NULL, *rcmd = NULL;
	pid_t pid;
	int st, code;

	if (rsync_task_opts(c, dry_opts, DRY_OPTS, &dry, &dcmd) == -1 ||
	    rsync_task_opts(c, run_opts, RUN_OPTS, &run, &rcmd) == -1)
		return;		/* no memory: the task as it is */
	if ((dry == NULL || run == NULL) && (dcmd == NULL || rcmd == NULL))
		return;		/* no memory: the task as it is */
	if ((pid = fork()) == -1)
		return;
	if (pid == 0) {
		(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
		exec_task(dry, dcmd);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		if (errno != EINTR)
			_exit(126);
	if (WIFSIGNALED(st)) {
		(void)signal(WTERMSIG(st), SIG_DFL);
		(void)kill(getpid(), WTERMSIG(st));
		_exit(128 + WTERMSIG(st));
	}
	code = WEXITSTATUS(st);
	if (code != 0 && code != 23 && code != 24)
		_exit(code);
	(void)dprintf(1, "\n%s\n", AGENT_DRY_RUN_MARK);
	exec_task(run, rcmd);
	(void)dprintf(2, "migagent: cannot run %s: %s\n", c->argv != NULL ?
	    c->argv[0] : "/bin/sh", strerror(errno));
	_exit(127);
}

static void __attribute__((noreturn))
child(struct agent *a, int out, int err, int go)
{
	const struct agent_conf *c = a->conf;
	sigset_t none;
	char b;
	int fd;

	(void)setpgid(0, 0);
	/* The agent killed with -9 must not leave a transfer behind. */
	(void)prctl(PR_SET_PDEATHSIG, SIGTERM);
	(void)signal(SIGPIPE, SIG_DFL);
	(void)sigemptyset(&none);
	(void)sigprocmask(SIG_SETMASK, &none, NULL);
	if ((fd = open("/dev/null", O_RDONLY)) != -1)
		(void)dup2(fd, 0);
	(void)dup2(out, 1);
	(void)dup2(err, 2);
	if (read(go, &b, 1) != 1 || b != 'g')
		_exit(126);
	/* The capture and netlink sockets of the agent are not the task's. */
	(void)close_range(3, ~0U, 0);
	if (a->prog.rsync)
		rsync_phases(c);
	exec_task(c->argv, c->command);
	(void)dprintf(2, "migagent: cannot run %s: %s\n", c->argv != NULL ?
	    c->argv[0] : "/bin/sh", strerror(errno));
	_exit(127);
}

static void
close_pair(int p[2])
{
	if (p[0] != -1)
		(void)close(p[0]);
	if (p[1] != -1)
		(void)close(p[1]);
}

int
task_start(struct agent *a, struct mig_error *e)
{
	int out[2] = { -1, -1 }, err[2] = { -1, -1 }, go[2] = { -1, -1 };
	pid_t pid;

	if (pipe2(out, O_CLOEXEC) == -1 || pipe2(err, O_CLOEXEC) == -1 ||
	    pipe2(go, O_CLOEXEC) == -1) {
		close_pair(out);
		close_pair(err);
		close_pair(go);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "pipe: %s",
		    strerror(errno));
	}
	if ((pid = fork()) == -1) {
		close_pair(out);
		close_pair(err);
		close_pair(go);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "fork: %s",
		    strerror(errno));
	}
	if (pid == 0)
		child(a, out[1], err[1], go[0]);
	(void)setpgid(pid, pid);	/* both sides: no race with kill */
	(void)close(out[1]);
	(void)close(err[1]);
	(void)close(go[0]);
	a->pid = pid;
	a->attempt++;
	prog_attempt(&a->prog);
	stall_started(a);
	a->taillen = 0;
	a->tail[0] = '\0';
	if (pipe_watch(a, &a->out, out[0], 0, e) == -1 ||
	    pipe_watch(a, &a->err, err[0], 1, e) == -1 ||
	    (a->capped && limits_attach(a->lim, pid, e) == -1)) {
		(void)close(go[1]);	/* the child exits 126 */
		return -1;
	}
	if (write(go[1], "g", 1) != 1) {
		(void)close(go[1]);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "starting the "
		    "task: %s", strerror(errno));
	}
	(void)close(go[1]);
	agent_set_state(a, AGENT_RUNNING);
	mig_log(&a->log, MIG_LOG_INFO, "task started pid=%ld attempt=%u",
	    (long)pid, a->attempt);
	return 0;
}

void
task_signal(struct agent *a, int sig)
{
	if (a->pid > 0)
		(void)killpg(a->pid, sig);
}

/* The task's main process is gone: what is left of its output, its group. */
void
task_reaped(struct agent *a, int wstatus)
{
	pid_t pgid = a->pid;

	pipe_drain(a, &a->out);
	pipe_drain(a, &a->err);
	pipe_close(&a->out);
	pipe_close(&a->err);
	/* An ssh left over from rsync holds nothing we want. */
	(void)killpg(pgid, SIGCONT);
	(void)killpg(pgid, SIGKILL);
	a->pid = 0;
	agent_task_ended(a, wstatus);
}

/* At teardown: the task and its group, gone for sure. */
void
task_kill_wait(struct agent *a)
{
	int st;

	if (a->pid <= 0)
		return;
	(void)killpg(a->pid, SIGCONT);
	(void)killpg(a->pid, SIGKILL);
	while (waitpid(a->pid, &st, 0) == -1 && errno == EINTR)
		;
	pipe_close(&a->out);
	pipe_close(&a->err);
	a->pid = 0;
}
