/* SPDX-License-Identifier: ISC */
/*
 * The state record of one device: what mignet applied there and what the
 * root was before, in a small text file "<netns>.<ifindex>.state" under
 * the state directory, replaced atomically (write, fsync, rename).  It is
 * read back like any untrusted input: bounded size and lines, known keys,
 * every value re-parsed by the parsers of the command line.
 *
 *	mignet-shaper 1
 *	netns 4026531840
 *	ifindex 3
 *	ifname eth0
 *	prev_root pfifo_fast
 *	limit 1 198.18.1.2:5201 10000000bit 09:00-17:00=5000000bit
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "shaper/shaper_int.h"

#define STATE_MAGIC	"mignet-shaper 1"
#define STATE_LINE	512
#define STATE_TOKENS	(3 + SHAPER_MAX_WINDOWS + 1)

static int
bad(struct mig_error *e, size_t line, const char *what)
{
	return mig_error_set(e, MIG_E_SYSTEM, NULL,
	    "state record, line %zu: %s", line, what);
}

static size_t
tokens(char *s, char **tok, size_t max)
{
	size_t n = 0;
	char *save = NULL, *t;

	for (t = strtok_r(s, " \t", &save); t != NULL;
	    t = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		tok[n++] = t;
	}
	return n;
}

static int
parse_limit(char **tok, size_t n, struct shaper_state *st, size_t line,
    struct mig_error *e)
{
	struct shaper_state_limit *sl;
	struct mig_error pe;
	uint64_t id;
	size_t i;

	if (n < 4 || st->n >= SHAPER_MAX_LIMITS)
		return bad(e, line, "limit: malformed or too many");
	sl = &st->lim[st->n];
	memset(sl, 0, sizeof(*sl));
	mig_error_clear(&pe);
	if (mig_parse_uint("id", tok[1], 1, SHAPER_MAX_LIMITS, &id,
	    &pe) == -1 ||
	    shaper_dest_parse("dest", tok[2], &sl->l.dest, &pe) == -1 ||
	    shaper_rate_parse("rate", tok[3], &sl->l.rate_bps, &pe) == -1)
		return bad(e, line, pe.msg);
	for (i = 4; i < n; i++)
		if (shaper_window_parse("window", tok[i],
		    &sl->l.windows[sl->l.nwindows++], &pe) == -1)
			return bad(e, line, pe.msg);
	if (shaper_windows_check("windows", sl->l.windows, sl->l.nwindows,
	    &pe) == -1)
		return bad(e, line, pe.msg);
	for (i = 0; i < st->n; i++)
		if (st->lim[i].id == id ||
		    shaper_dest_equal(&st->lim[i].l.dest, &sl->l.dest))
			return bad(e, line, "limit given twice");
	sl->id = (unsigned)id;
	st->n++;
	return 0;
}

static int
parse_word(char *dst, size_t len, const char *v)
{
	size_t i, n = strlen(v);

	if (n == 0 || n >= len)
		return -1;
	for (i = 0; i < n; i++)
		if (v[i] <= ' ' || v[i] > '~')
			return -1;
	(void)memcpy(dst, v, n + 1);
	return 0;
}

static int
parse_line(char *s, struct shaper_state *st, size_t line,
    struct mig_error *e)
{
	char *tok[STATE_TOKENS];
	struct mig_error pe;
	uint64_t v;
	size_t n = tokens(s, tok, STATE_TOKENS);

	mig_error_clear(&pe);
	if (n == 0)
		return 0;
	if (n > STATE_TOKENS)
		return bad(e, line, "too many fields");
	if (strcmp(tok[0], "limit") == 0)
		return parse_limit(tok, n, st, line, e);
	if (n != 2)
		return bad(e, line, "expected 'key value'");
	if (strcmp(tok[0], "netns") == 0) {
		if (mig_parse_uint("netns", tok[1], 1, UINT64_MAX, &v,
		    &pe) == -1)
			return bad(e, line, pe.msg);
		st->netns = v;
	} else if (strcmp(tok[0], "ifindex") == 0) {
		if (mig_parse_uint("ifindex", tok[1], 1, INT32_MAX, &v,
		    &pe) == -1)
			return bad(e, line, pe.msg);
		st->ifindex = (int)v;
	} else if (strcmp(tok[0], "ifname") == 0) {
		if (shaper_ifname_check("ifname", tok[1], &pe) == -1)
			return bad(e, line, pe.msg);
		(void)snprintf(st->ifname, sizeof(st->ifname), "%s", tok[1]);
	} else if (strcmp(tok[0], "prev_root") == 0) {
		if (parse_word(st->prev_root, sizeof(st->prev_root),
		    tok[1]) == -1)
			return bad(e, line, "prev_root: not a qdisc kind");
	} else
		return bad(e, line, "unknown key");
	return 0;
}

int
shaper_state_parse(const char *text, size_t len, struct shaper_state *st,
    struct mig_error *e)
{
	char buf[STATE_LINE + 1];
	size_t line = 0, pos = 0, end;

	memset(st, 0, sizeof(*st));
	if (len > SHAPER_STATE_MAX)
		return bad(e, 0, "larger than 32 KiB");
	if (memchr(text, '\0', len) != NULL)
		return bad(e, 0, "contains a NUL byte");
	while (pos < len) {
		for (end = pos; end < len && text[end] != '\n'; end++)
			;
		line++;
		if (end - pos > STATE_LINE)
			return bad(e, line, "line too long");
		(void)memcpy(buf, text + pos, end - pos);
		buf[end - pos] = '\0';
		pos = end + 1;
		if (line == 1) {
			if (strcmp(buf, STATE_MAGIC) != 0)
				return bad(e, line, "not a mignet shaper "
				    "record (version 1)");
			continue;
		}
		if (parse_line(buf, st, line, e) == -1)
			return -1;
	}
	if (line == 0 || st->ifindex == 0 || st->netns == 0 ||
	    st->ifname[0] == '\0')
		return bad(e, line, "incomplete (netns, ifindex, ifname)");
	return 0;
}

static int
append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
append(char *buf, size_t len, size_t *pos, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (*pos >= len)
		return -1;
	va_start(ap, fmt);
	r = vsnprintf(buf + *pos, len - *pos, fmt, ap);
	va_end(ap);
	if (r < 0 || (size_t)r >= len - *pos)
		return -1;
	*pos += (size_t)r;
	return 0;
}

int
shaper_state_format(const struct shaper_state *st, char *buf, size_t len)
{
	char d[SHAPER_DEST_TEXT], w[96];
	size_t pos = 0, i, j;
	const struct shaper_limit *l;

	if (append(buf, len, &pos, "%s\nnetns %" PRIu64 "\nifindex %d\n"
	    "ifname %s\nprev_root %s\n", STATE_MAGIC, st->netns, st->ifindex,
	    st->ifname, st->prev_root[0] ? st->prev_root : "none") == -1)
		return -1;
	for (i = 0; i < st->n; i++) {
		l = &st->lim[i].l;
		if (append(buf, len, &pos, "limit %u %s %" PRIu64 "bit",
		    st->lim[i].id, shaper_dest_format(&l->dest, d, sizeof(d)),
		    l->rate_bps) == -1)
			return -1;
		for (j = 0; j < l->nwindows; j++)
			if (append(buf, len, &pos, " %s", shaper_window_format(
			    &l->windows[j], w, sizeof(w))) == -1)
				return -1;
		if (append(buf, len, &pos, "\n") == -1)
			return -1;
	}
	return (int)pos;
}

static void
state_path(const struct shaper_ctx *ctx, int ifindex, char *p, size_t len)
{
	(void)snprintf(p, len, "%s/%" PRIu64 ".%d.state", ctx->dir,
	    ctx->netns, ifindex);
}

static int
read_all(int fd, char *buf, size_t max, size_t *n)
{
	ssize_t r;

	*n = 0;
	while (*n < max) {
		r = read(fd, buf + *n, max - *n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0)
			return 0;
		*n += (size_t)r;
	}
	return 0;
}

int
shaper_state_load(struct shaper_ctx *ctx, int ifindex,
    struct shaper_state *st, int *found, struct mig_error *e)
{
	char path[PATH_MAX], *buf;
	size_t n;
	int fd, rc;

	*found = 0;
	memset(st, 0, sizeof(*st));
	state_path(ctx, ifindex, path, sizeof(path));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)) == -1) {
		if (errno == ENOENT)
			return 0;
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	}
	if ((buf = malloc(SHAPER_STATE_MAX + 1)) == NULL) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	rc = read_all(fd, buf, SHAPER_STATE_MAX + 1, &n);
	(void)close(fd);
	if (rc == -1)
		rc = mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	else if ((rc = shaper_state_parse(buf, n, st, e)) == -1)
		mig_error_remedy(e, "%s is damaged: check the device with "
		    "tc qdisc show, then delete the file", path);
	else if (st->ifindex != ifindex || st->netns != ctx->netns)
		rc = mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: records "
		    "another device or namespace", path);
	free(buf);
	if (rc == 0)
		*found = 1;
	return rc;
}

int
shaper_state_save(struct shaper_ctx *ctx, const struct shaper_state *st,
    struct mig_error *e)
{
	char path[PATH_MAX], *buf;
	int n, rc;

	if (mig_mkdirs(ctx->dir, SHAPER_DIR_MODE, e) == -1)
		return -1;
	if ((buf = malloc(SHAPER_STATE_MAX)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if ((n = shaper_state_format(st, buf, SHAPER_STATE_MAX)) < 0) {
		free(buf);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "state record too large");
	}
	state_path(ctx, st->ifindex, path, sizeof(path));
	rc = mig_replace_file(path, buf, (size_t)n, 0600, e);
	free(buf);
	return rc;
}

int
shaper_state_drop(struct shaper_ctx *ctx, int ifindex, struct mig_error *e)
{
	char path[PATH_MAX];

	state_path(ctx, ifindex, path, sizeof(path));
	if (unlink(path) == -1 && errno != ENOENT)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	return 0;
}

/* "<netns>.<ifindex>.state" of our namespace: the ifindex, or -1. */
static int
name_ifindex(const struct shaper_ctx *ctx, const char *name)
{
	char want[32];
	const char *p;
	size_t wl;
	long v = 0;

	wl = (size_t)snprintf(want, sizeof(want), "%" PRIu64 ".", ctx->netns);
	if (strncmp(name, want, wl) != 0)
		return -1;
	for (p = name + wl; *p >= '0' && *p <= '9' && v < INT32_MAX; p++)
		v = v * 10 + (*p - '0');
	if (p == name + wl || strcmp(p, ".state") != 0 || v <= 0 ||
	    v > INT32_MAX)
		return -1;
	return (int)v;
}

int
shaper_state_list(struct shaper_ctx *ctx, int *ifx, size_t max, size_t *n,
    struct mig_error *e)
{
	DIR *d;
	struct dirent *de;
	int i;

	*n = 0;
	if ((d = opendir(ctx->dir)) == NULL) {
		if (errno == ENOENT)
			return 0;
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s",
		    ctx->dir, strerror(errno));
	}
	while ((de = readdir(d)) != NULL && *n < max)
		if ((i = name_ifindex(ctx, de->d_name)) > 0)
			ifx[(*n)++] = i;
	(void)closedir(d);
	return 0;
}

struct shaper_state_limit *
shaper_state_find(struct shaper_state *st, const struct shaper_dest *dest)
{
	size_t i;

	for (i = 0; i < st->n; i++)
		if (shaper_dest_equal(&st->lim[i].l.dest, dest))
			return &st->lim[i];
	return NULL;
}
