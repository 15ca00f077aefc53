/* SPDX-License-Identifier: ISC */
/*
 * INI configuration through libinih.  The whole text is held in memory
 * (at most 1 MiB) and fed to ini_parse_stream by our own reader, which is
 * how we learn line numbers (Debian's inih is built without
 * INI_HANDLER_LINENO) and pass lines longer than inih's buffer (200
 * bytes in Debian's build; the original agent's exclude lines are longer):
 * such a line reaches inih shortened to "key =" and its value, cut out
 * here as inih would cut it, goes to the handler beside it.
 *
 * Keys are case-insensitive, as the original agent reads them
 * ("enableSync" is "enablesync"); sections are not.
 *
 * A key given twice in a section is refused: with "last wins" an operator
 * who edits the first occurrence sees no effect.  Indented lines continue
 * the previous value, joined with '\n', as Python's configparser (the
 * original agent's) does.
 */
#include <errno.h>
#include <fcntl.h>
#include <ini.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/config_priv.h"

#define CONFIG_MAX_BYTES	(1024 * 1024)

struct reader {
	const char *p;		/* next line */
	int line;		/* number of the line last handed out */
	int indented;		/* that line starts with a blank */
	int too_long;		/* line number of a line inih cannot hold */
	char *long_value;	/* the value of that line, when it was long */
	int nomem;
};

struct load {
	struct mig_config *cfg;
	struct reader rd;
	int err_line;		/* first line our handler refused */
	int nomem;
	char err[MIG_ERR_TEXT];
};

void
mig_config_free(struct mig_config *cfg)
{
	size_t i;

	if (cfg == NULL)
		return;
	for (i = 0; i < cfg->n; i++)
		free(cfg->v[i].section);
	free(cfg->v);
	free(cfg->name);
	free(cfg);
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' ||
	    c == '\v';
}

/*
 * A value as inih cuts it: blanks around it dropped, and an inline
 * comment (';' after a blank) too.
 */
static char *
cut_value(const char *s, size_t n)
{
	size_t i, end;

	while (n > 0 && blank(*s)) {
		s++;
		n--;
	}
	for (i = 1; i < n; i++)
		if (s[i] == ';' && blank(s[i - 1])) {
			n = i;
			break;
		}
	end = n;
	while (end > 0 && blank(s[end - 1]))
		end--;
	return strndup(s, end);
}

/*
 * A line longer than inih's buffer, shortened into str: a comment to an
 * empty comment, "key = long value" to "key =" (the value kept in
 * rd->long_value), a continuation to one character.  0 when it cannot be
 * (a long section name or key, no '=' or ':'): inih stops there.
 */
static int
shorten(struct reader *rd, const char *line, size_t n, char *str, int num)
{
	const char *s = line, *d;
	size_t k;

	while (s < line + n && blank(*s))
		s++;
	if (s == line + n || *s == ';' || *s == '#') {
		(void)strcpy(str, ";\n");
		return 1;
	}
	if (*s == '[')
		return 0;
	if (rd->indented) {
		rd->long_value = cut_value(s, n - (size_t)(s - line));
		(void)strcpy(str, " x\n");
	} else {
		d = s;
		while (d < line + n && *d != '=' && *d != ':')
			d++;
		k = (size_t)(d - line) + 1;
		if (d == line + n || k + 2 > (size_t)num - 1)
			return 0;
		rd->long_value = cut_value(d + 1, n - k);
		memcpy(str, line, k);
		(void)strcpy(str + k, "x\n");
	}
	if (rd->long_value == NULL)
		rd->nomem = 1;
	return rd->long_value != NULL;
}

/* fgets for a string: one line (with its '\n') per call. */
static char *
read_line(char *str, int num, void *stream)
{
	struct reader *rd = stream;
	const char *nl;
	size_t n;

	free(rd->long_value);
	rd->long_value = NULL;
	if (*rd->p == '\0' || rd->too_long != 0 || num < 8)
		return NULL;
	nl = strchr(rd->p, '\n');
	n = nl != NULL ? (size_t)(nl - rd->p) + 1 : strlen(rd->p);
	rd->line++;
	rd->indented = (*rd->p == ' ' || *rd->p == '\t');
	if (n > (size_t)num - 1) {
		if (!shorten(rd, rd->p, n, str, num)) {
			/* ending the stream here makes inih stop */
			rd->too_long = rd->line;
			return NULL;
		}
	} else {
		memcpy(str, rd->p, n);
		str[n] = '\0';
	}
	rd->p += n;
	return str;
}

static struct mig_config_entry *
find(const struct mig_config *cfg, const char *section, const char *key)
{
	size_t i;

	for (i = 0; i < cfg->n; i++) {
		if (strcmp(cfg->v[i].section, section) == 0 &&
		    strcasecmp(cfg->v[i].key, key) == 0)
			return &cfg->v[i];
	}
	return NULL;
}

/* One block holds section, key and value: one free per entry. */
static int
add_entry(struct mig_config *cfg, const char *section, const char *key,
    const char *value, int line)
{
	struct mig_config_entry *nv, *ent;
	size_t ls = strlen(section) + 1, lk = strlen(key) + 1;
	size_t lv = strlen(value) + 1;
	char *blk;

	if (cfg->n == cfg->cap) {
		size_t ncap = cfg->cap == 0 ? 16 : cfg->cap * 2;

		nv = reallocarray(cfg->v, ncap, sizeof(*nv));
		if (nv == NULL)
			return -1;
		cfg->v = nv;
		cfg->cap = ncap;
	}
	if ((blk = malloc(ls + lk + lv)) == NULL)
		return -1;
	memcpy(blk, section, ls);
	memcpy(blk + ls, key, lk);
	memcpy(blk + ls + lk, value, lv);
	ent = &cfg->v[cfg->n++];
	ent->section = blk;
	ent->key = blk + ls;
	ent->value = blk + ls + lk;
	ent->line = line;
	return 0;
}

static int
append_value(struct mig_config_entry *ent, const char *more)
{
	size_t ls = strlen(ent->section) + 1, lk = strlen(ent->key) + 1;
	size_t lv = strlen(ent->value), lm = strlen(more);
	char *blk;

	blk = realloc(ent->section, ls + lk + lv + 1 + lm + 1);
	if (blk == NULL)
		return -1;
	ent->section = blk;
	ent->key = blk + ls;
	ent->value = blk + ls + lk;
	ent->value[lv] = '\n';
	memcpy(ent->value + lv + 1, more, lm + 1);
	return 0;
}

/* Returning 0 makes inih count the line as an error; we say why. */
static int
handler(void *user, const char *section, const char *key, const char *value)
{
	struct load *ld = user;
	struct mig_config *cfg = ld->cfg;
	struct mig_config_entry *ent;
	int line = ld->rd.line;

	if (ld->err_line != 0 || ld->nomem)
		return 1;	/* the first problem is the one reported */
	if (ld->rd.long_value != NULL)
		value = ld->rd.long_value;
	ent = cfg->n > 0 ? &cfg->v[cfg->n - 1] : NULL;
	if (ld->rd.indented && ent != NULL &&
	    strcmp(ent->section, section) == 0 &&
	    strcasecmp(ent->key, key) == 0) {
		if (append_value(ent, value) == -1)
			ld->nomem = 1;
		return 1;
	}
	if (*key == '\0') {
		ld->err_line = line;
		(void)snprintf(ld->err, sizeof(ld->err), "a key is missing "
		    "before '='");
		return 1;
	}
	if ((ent = find(cfg, section, key)) != NULL) {
		ld->err_line = line;
		(void)mig_printable(key, SIZE_MAX, ld->err,
		    sizeof(ld->err) / 2);
		(void)snprintf(ld->err + strlen(ld->err),
		    sizeof(ld->err) - strlen(ld->err),
		    " given twice (first on line %d); keep one", ent->line);
		return 1;
	}
	if (add_entry(cfg, section, key, value, line) == -1)
		ld->nomem = 1;
	return 1;
}

/* The first problem of the text, by line: inih's or ours. */
static int
parse_error(const char *name, const struct load *ld, int rc,
    struct mig_error *e)
{
	if (ld->nomem || ld->rd.nomem || rc == -2)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "%s: out of memory reading the configuration", name);
	if (ld->rd.too_long != 0 && (rc <= 0 || ld->rd.too_long <= rc) &&
	    (ld->err_line == 0 || ld->rd.too_long < ld->err_line)) {
		(void)mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s:%d: a section name or key longer than %d characters, "
		    "or a long line that is not key = value", name,
		    ld->rd.too_long, INI_MAX_LINE - 8);
		return -1;
	}
	if (ld->err_line != 0 && (rc <= 0 || ld->err_line < rc))
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s:%d: %s", name,
		    ld->err_line, ld->err);
	if (rc > 0) {
		(void)mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s:%d: syntax error", name, rc);
		mig_error_remedy(e, "lines are [section], key = value, "
		    "; comment or # comment");
		return -1;
	}
	return 0;
}

int
mig_config_load_string(const char *name, const char *text,
    struct mig_config **out, struct mig_error *e)
{
	struct load ld;
	int rc;

	*out = NULL;
	if (name == NULL)
		name = "configuration";
	if (text == NULL)
		text = "";
	if (strnlen(text, CONFIG_MAX_BYTES + 1) > CONFIG_MAX_BYTES)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: larger than 1 MiB; not a configuration file", name);
	memset(&ld, 0, sizeof(ld));
	ld.rd.p = text;
	if ((ld.cfg = calloc(1, sizeof(*ld.cfg))) == NULL ||
	    (ld.cfg->name = strdup(name)) == NULL) {
		mig_config_free(ld.cfg);
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "%s: out of memory reading the configuration", name);
	}
	rc = ini_parse_stream(read_line, &ld.rd, handler, &ld);
	free(ld.rd.long_value);
	if (parse_error(name, &ld, rc, e) == -1) {
		mig_config_free(ld.cfg);
		return -1;
	}
	*out = ld.cfg;
	return 0;
}

int
mig_config_load(const char *path, struct mig_config **out,
    struct mig_error *e)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (path == NULL)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "no configuration file given");
	if (mig_read_file(path, CONFIG_MAX_BYTES, &text, &len, NULL,
	    e) == -1) {
		mig_error_remedy(e, "check the path and permissions: "
		    "ls -l %s", path);
		return -1;
	}
	if (strlen(text) != len) {
		free(text);
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: contains a NUL byte; not a text file", path);
	}
	rc = mig_config_load_string(path, text, out, e);
	free(text);
	return rc;
}

const char *
mig_config_get(const struct mig_config *cfg, const char *section,
    const char *key)
{
	const struct mig_config_entry *ent;

	if (cfg == NULL || section == NULL || key == NULL)
		return NULL;
	ent = find(cfg, section, key);
	return ent != NULL ? ent->value : NULL;
}

static int
known(const struct mig_config_key *k, const struct mig_config_entry *ent)
{
	for (; k != NULL && k->section != NULL; k++) {
		if (strcmp(k->section, ent->section) != 0)
			continue;
		if (k->key == NULL || strcasecmp(k->key, ent->key) == 0)
			return 1;
	}
	return 0;
}

void
mig_config_unknown(const struct mig_config *cfg,
    const struct mig_config_key *k,
    void (*fn)(void *arg, const char *section, const char *key, int line),
    void *arg)
{
	size_t i;

	if (cfg == NULL || fn == NULL)
		return;
	for (i = 0; i < cfg->n; i++) {
		if (!known(k, &cfg->v[i]))
			fn(arg, cfg->v[i].section, cfg->v[i].key,
			    cfg->v[i].line);
	}
}
