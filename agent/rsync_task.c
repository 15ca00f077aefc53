/* SPDX-License-Identifier: ISC */
/*
 * The two command lines of an rsync task: the dry run that tells what the
 * destination already holds, and the transfer with rsync's own progress
 * figures.  rsync is recognised by the name of the program (argv[0], or
 * the first word of a shell command); the options go right after it,
 * where --info given by the operator later on the line still wins.
 */
#include <stdlib.h>
#include <string.h>

#include "agent/agent.h"

static int
named_rsync(const char *word, size_t len)
{
	const char *slash;
	size_t n;

	for (slash = word + len; slash > word && slash[-1] != '/'; slash--)
		;
	n = len - (size_t)(slash - word);
	return n == 5 && strncmp(slash, "rsync", 5) == 0;
}

static size_t
first_word(const char *cmd, size_t *start)
{
	size_t s = strspn(cmd, " \t");

	*start = s;
	return strcspn(cmd + s, " \t");
}

int
rsync_task_is(const struct agent_conf *c)
{
	size_t s, n;

	if (c->argv != NULL && c->argv[0] != NULL)
		return named_rsync(c->argv[0], strlen(c->argv[0]));
	if (c->command == NULL)
		return 0;
	n = first_word(c->command, &s);
	/* "rsync" alone is no transfer; a quoted name is not recognised. */
	return c->command[s + n] != '\0' && named_rsync(c->command + s, n);
}

char **
rsync_argv(char *const *argv, const char *const *extra)
{
	size_t n, k, i, j = 0;
	char **v;

	for (n = 0; argv[n] != NULL; n++)
		;
	for (k = 0; extra[k] != NULL; k++)
		;
	if ((v = calloc(n + k + 1, sizeof(*v))) == NULL)
		return NULL;
	v[j++] = argv[0];
	for (i = 0; i < k; i++)
		v[j++] = (char *)(uintptr_t)extra[i];
	for (i = 1; i < n; i++)
		v[j++] = argv[i];
	v[j] = NULL;
	return v;
}

char *
rsync_command(const char *cmd, const char *extra)
{
	size_t s, n, len = strlen(cmd) + strlen(extra) + 2;
	char *out;

	n = first_word(cmd, &s);
	if ((out = malloc(len)) == NULL)
		return NULL;
	(void)memcpy(out, cmd, s + n);
	out[s + n] = ' ';
	(void)memcpy(out + s + n + 1, extra, strlen(extra));
	(void)memcpy(out + s + n + 1 + strlen(extra), cmd + s + n,
	    strlen(cmd + s + n) + 1);
	return out;
}

/*
 * The task's command with opts and the phase's excludes (as separate
 * arguments, or single-quoted words for sh) right after the program name.
 */
int
rsync_task_opts(const struct agent_conf *c, const char *const *opts,
    const char *optstr, char ***argv, char **cmd)
{
	const char *src = c->nsources == 1 ? c->sources[0] : NULL;
	char **ex, *words, *all;
	const char **extra;
	size_t n, k, i;

	if ((ex = excl_args(excl_list(c), src)) == NULL)
		return -1;
	for (n = 0; opts[n] != NULL; n++)
		;
	for (k = 0; ex[k] != NULL; k++)
		;
	if (c->argv != NULL) {
		if ((extra = calloc(n + k + 1, sizeof(*extra))) == NULL)
			goto fail;
		for (i = 0; i < n; i++)
			extra[i] = opts[i];
		for (i = 0; i < k; i++)
			extra[n + i] = ex[i];
		*argv = rsync_argv(c->argv, extra);
		free(extra);
		/* the strings stay with the argv: the child execs or exits */
		free(ex);
		return *argv == NULL ? -1 : 0;
	}
	if ((words = excl_shell_words(ex)) == NULL)
		goto fail;
	agent_strv_free(ex);
	if ((all = malloc(strlen(optstr) + strlen(words) + 2)) == NULL) {
		free(words);
		return -1;
	}
	(void)strcpy(all, optstr);
	if (words[0] != '\0')
		(void)strcat(strcat(all, " "), words);
	free(words);
	*cmd = rsync_command(c->command, all);
	free(all);
	return *cmd == NULL ? -1 : 0;
fail:
	agent_strv_free(ex);
	return -1;
}
