/* SPDX-License-Identifier: ISC */
/*
 * The original agent's exclude lists (facts.md §6): tar.exclude.dir for the
 * full (first) migration, rsync.exclude.dir for the incremental
 * synchronisation after it.  Each is one comma-separated line of absolute
 * paths with globs ("/proc/" and a star).  They become rsync --exclude
 * arguments, one per pattern, never through a shell word split.
 *
 * The original's paths name places of the source's file system; rsync
 * anchors a pattern that starts with "/" at the root of the transfer,
 * which is the copied directory: the [task] source when there is one
 * (rsync SRC/ DST/ copies its contents), "/" otherwise.  "/home" as the
 * source turns "/home/mnt_test/x" into "/mnt_test/x" and drops "/proc/x",
 * which lies outside the copied tree.  A pattern without a leading "/"
 * matches at any depth, as in rsync, and is passed as it is.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <json-c/json.h>

#include "agent/agent.h"

/* The seed's lists, verbatim (facts.md §6). */
static const char tar_default[] =
    "/proc/*,/sys/*,/lost+found/*,/var/lib/ntp/proc/*";
static const char rsync_default[] =
    "/proc/*,/sys/*,/lost+found/*,/tmp/_MEI*,/var/lib/ntp/proc/*,/boot/*,"
    "/boot/efi/*,/etc/fstab,/etc/*,/etc/X11/*,/root/.initrd_bak*,"
    "/lib/modules/*,/boot/grub2/x86_64-efi/*,/boot/grub2/i386-pc/*";

const char *
excl_phase_name(int phase)
{
	return phase == AGENT_PHASE_SYNC ? "sync" : "full";
}

int
excl_phase_parse(const char *s, int *phase)
{
	if (strcasecmp(s, "full") == 0)
		*phase = AGENT_PHASE_FULL;
	else if (strcasecmp(s, "sync") == 0)
		*phase = AGENT_PHASE_SYNC;
	else
		return -1;
	return 0;
}

const char *
excl_key(int phase)
{
	return phase == AGENT_PHASE_SYNC ? "rsync.exclude.dir" :
	    "tar.exclude.dir";
}

const char *
excl_list(const struct agent_conf *c)
{
	const char *set = c->phase == AGENT_PHASE_SYNC ? c->rsync_exclude :
	    c->tar_exclude;

	if (set != NULL)
		return set;
	if (c->no_default_excludes)
		return NULL;
	return c->phase == AGENT_PHASE_SYNC ? rsync_default : tar_default;
}

/*
 * [task] phase and the two lists of [linux.config]; an empty list is a
 * list without patterns (the default is not taken).
 */
int
excl_load(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, struct mig_error *e)
{
	const char *s;

	if ((s = mig_config_get(cfg, "task", "phase")) != NULL &&
	    excl_phase_parse(s, &c->phase) == -1)
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s: [task] phase "
		    "must be full (the first migration) or sync (the "
		    "synchronisation after it), not \"%.40s\"", name, s);
	if ((s = mig_config_get(cfg, "linux.config", "tar.exclude.dir")) !=
	    NULL && agent_str_set(&c->tar_exclude, s, e) == -1)
		return -1;
	if ((s = mig_config_get(cfg, "linux.config", "rsync.exclude.dir")) !=
	    NULL && agent_str_set(&c->rsync_exclude, s, e) == -1)
		return -1;
	return 0;
}

/*
 * The root of the transfer: the source directory itself, with one "/".
 * The task copies its contents (rsync SRC/ DST/), as [task] source and
 * the progress assume.
 */
static char *
transfer_root(const char *src)
{
	size_t n = strlen(src);
	char *r;

	if (src[0] != '/')
		return strdup("/");
	while (n > 1 && src[n - 1] == '/')
		n--;
	if ((r = malloc(n + 2)) == NULL)
		return NULL;
	(void)memcpy(r, src, n);
	r[n] = '\0';
	if (n > 1) {
		r[n] = '/';
		r[n + 1] = '\0';
	}
	return r;
}

/*
 * One pattern relative to root ("/" or "/a/b/"): the rsync pattern, or
 * NULL in *out when it lies outside the copied tree.
 */
static int
one_pattern(const char *pat, size_t len, const char *root, char **out)
{
	size_t rl = strlen(root);
	char *p;

	*out = NULL;
	if (pat[0] == '/' && rl > 1) {
		if (len < rl || strncmp(pat, root, rl) != 0)
			return 0;
		pat += rl - 1;	/* keep the slash: anchored */
		len -= rl - 1;
	}
	if ((p = malloc(len + sizeof("--exclude="))) == NULL)
		return -1;
	(void)memcpy(p, "--exclude=", sizeof("--exclude=") - 1);
	(void)memcpy(p + sizeof("--exclude=") - 1, pat, len);
	p[len + sizeof("--exclude=") - 1] = '\0';
	*out = p;
	return 0;
}

static void
trim(const char **s, size_t *len)
{
	while (*len > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*len)--;
	}
	while (*len > 0 && ((*s)[*len - 1] == ' ' || (*s)[*len - 1] == '\t'))
		(*len)--;
}

char **
excl_args(const char *list, const char *src)
{
	const char *p, *end;
	char **v, *root, *arg;
	size_t n = 1, k = 0, len;

	if (list == NULL)
		list = "";
	for (p = list; *p != '\0'; p++)
		n += *p == ',' || *p == '\n';
	if ((v = calloc(n + 1, sizeof(*v))) == NULL)
		return NULL;
	if ((root = transfer_root(src != NULL ? src : "/")) == NULL) {
		free(v);
		return NULL;
	}
	for (p = list; ; p = end + 1) {
		/* a continuation line of the file ends a pattern too */
		len = strcspn(p, ",\n");
		end = p[len] != '\0' ? p + len : NULL;
		trim(&p, &len);
		if (len > 0) {
			if (one_pattern(p, len, root, &arg) == -1) {
				agent_strv_free(v);
				free(root);
				return NULL;
			}
			if (arg != NULL)
				v[k++] = arg;
		}
		if (end == NULL)
			break;
	}
	free(root);
	return v;
}

/* A shell word: single-quoted, a quote inside as '\''. */
static size_t
quoted_len(const char *s)
{
	size_t n = 2;

	for (; *s != '\0'; s++)
		n += *s == '\'' ? 4 : 1;
	return n;
}

char *
excl_shell_words(char *const *args)
{
	size_t i, n = 1;
	char *out, *q;
	const char *s;

	for (i = 0; args != NULL && args[i] != NULL; i++)
		n += quoted_len(args[i]) + 1;
	if ((out = malloc(n)) == NULL)
		return NULL;
	q = out;
	for (i = 0; args != NULL && args[i] != NULL; i++) {
		if (i > 0)
			*q++ = ' ';
		*q++ = '\'';
		for (s = args[i]; *s != '\0'; s++) {
			if (*s == '\'') {
				(void)memcpy(q, "'\\''", 4);
				q += 4;
			} else
				*q++ = *s;
		}
		*q++ = '\'';
	}
	*q = '\0';
	return out;
}

static void
not_rsync(struct mig_log *log, const struct agent_conf *c, int phase)
{
	mig_log(log, MIG_LOG_WARN, "phase %s: %s is set but the task is "
	    "not rsync: nothing is excluded (run rsync as the task, or drop "
	    "the key)", excl_phase_name(c->phase), excl_key(phase));
}

/*
 * The start: the phase and its list in the log, or a warning when the
 * list cannot apply (the task is not rsync: the agent cannot tell the
 * program what to leave out).
 */
void
excl_log(struct mig_log *log, const struct agent_conf *c)
{
	const char *l = excl_list(c), *set = c->phase == AGENT_PHASE_SYNC ?
	    c->rsync_exclude : c->tar_exclude;
	char buf[1024];

	(void)mig_printable(l != NULL ? l : "", SIZE_MAX, buf, sizeof(buf));
	if (!rsync_task_is(c)) {
		if (c->tar_exclude != NULL && c->tar_exclude[0] != '\0')
			not_rsync(log, c, AGENT_PHASE_FULL);
		if (c->rsync_exclude != NULL && c->rsync_exclude[0] != '\0')
			not_rsync(log, c, AGENT_PHASE_SYNC);
		return;
	}
	mig_log(log, MIG_LOG_INFO, "phase %s: excludes (%s%s): %s",
	    excl_phase_name(c->phase), excl_key(c->phase), set != NULL ? "" :
	    l != NULL ? ", the default" : ", none", l != NULL ? buf : "-");
}

/*
 * For `migagent status`: the phase and the patterns rsync is given (after
 * the root was taken off), or null when the task is not rsync.
 */
int
excl_json(struct json_object *o, const struct agent_conf *c)
{
	struct json_object *a;
	char **v;
	size_t i, skip = sizeof("--exclude=") - 1;
	int rc = 0;

	rc |= mig_json_add(o, "phase", json_object_new_string(
	    excl_phase_name(c->phase)));
	if (!rsync_task_is(c))
		return rc | mig_json_null(o, "excludes");
	if ((v = excl_args(excl_list(c), c->nsources == 1 ? c->sources[0] :
	    NULL)) == NULL || (a = json_object_new_array()) == NULL) {
		agent_strv_free(v);
		return -1;
	}
	for (i = 0; v[i] != NULL; i++)
		rc |= json_object_array_add(a,
		    json_object_new_string(v[i] + skip));
	agent_strv_free(v);
	return rc | mig_json_add(o, "excludes", a);
}
