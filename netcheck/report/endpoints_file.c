/* SPDX-License-Identifier: ISC */
/*
 * Endpoint lists (share/endpoints/README.md): data, so that any cloud or
 * an operator's own list works without code.  The file is untrusted text:
 * lines, names, URLs and counts are bounded, and a line that does not
 * parse is refused with its number rather than skipped.
 *
 *	domain    myhuaweicloud.com
 *	regions   cn-north-4 cn-south-1 ...
 *	endpoint  NAME  gateway|service  https://ecs.{region}.{domain}[:port]
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

#define LINE_MAX_LEN	512
#define TEXT_MAX	(1024 * 1024)
#define REGION_MAX	64
#define REGIONS_MAX	256
#define TOKENS_MAX	(REGIONS_MAX + 1)

struct tmpl {
	char	name[REP_NAME_MAX];
	enum rep_ep_role role;
	char	url[LINE_MAX_LEN];
	int	line;
};

struct parse {
	const char	*file;
	const char	*region;
	char		 domain[REP_HOST_MAX];
	char		 regions[REGIONS_MAX][REGION_MAX];
	size_t		 nregions;
	struct tmpl	*t;
	size_t		 n, cap;
	struct mig_error *e;
};

static int
perr(struct parse *p, int line, const char *why)
{
	return mig_error_set(p->e, MIG_E_CONFIG, NULL, "%s:%d: %s", p->file,
	    line, why);
}

static int
name_ok(const char *s, size_t max)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.'))
			return 0;
	}
	return i > 0 && i < max;
}

static int
region_ok(const char *s)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return i > 0 && i < REGION_MAX;
}

/* Splits line in place at blanks; returns the number of tokens. */
static size_t
tokens(char *line, char **tok, size_t max)
{
	size_t n = 0;
	char *s = line;

	while (*s != '\0') {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (*s == '\0' || *s == '#')
			break;
		if (n == max)
			return max + 1;
		tok[n++] = s;
		while (*s != '\0' && *s != ' ' && *s != '\t')
			s++;
	}
	return n;
}

/* Lists are short: grow as lines come instead of reserving 1000. */
static int
grow(struct parse *p)
{
	size_t cap = p->cap ? p->cap * 2 : 16;
	struct tmpl *t;

	if (cap > REP_EP_MAX)
		cap = REP_EP_MAX;
	if ((t = reallocarray(p->t, cap, sizeof(*t))) == NULL)
		return -1;
	p->t = t;
	p->cap = cap;
	return 0;
}

static int
directive_endpoint(struct parse *p, int line, char **tok, size_t n)
{
	struct tmpl *t;
	size_t i;

	if (n != 4)
		return perr(p, line, "endpoint NAME gateway|service URL");
	if (!name_ok(tok[1], REP_NAME_MAX))
		return perr(p, line, "the name must be 1 to 31 letters, "
		    "digits, '-', '_' or '.'");
	for (i = 0; i < p->n; i++) {
		if (strcmp(p->t[i].name, tok[1]) == 0)
			return perr(p, line, "this name is already used");
	}
	if (p->n == REP_EP_MAX)
		return perr(p, line, "more than 1000 endpoints");
	if (p->n == p->cap && grow(p) == -1)
		return mig_error_set(p->e, MIG_E_NOMEM, NULL, "out of memory");
	t = &p->t[p->n];
	if (strcmp(tok[2], "gateway") == 0)
		t->role = REP_EP_GATEWAY;
	else if (strcmp(tok[2], "service") == 0)
		t->role = REP_EP_SERVICE;
	else
		return perr(p, line, "the role must be gateway or service");
	(void)snprintf(t->name, sizeof(t->name), "%s", tok[1]);
	(void)snprintf(t->url, sizeof(t->url), "%s", tok[3]);
	t->line = line;
	p->n++;
	return 0;
}

static int
directive(struct parse *p, int line, char **tok, size_t n)
{
	size_t i;

	if (strcmp(tok[0], "endpoint") == 0)
		return directive_endpoint(p, line, tok, n);
	if (strcmp(tok[0], "domain") == 0) {
		if (n != 2 || !name_ok(tok[1], REP_HOST_MAX) ||
		    p->domain[0] != '\0')
			return perr(p, line, "one domain line: domain NAME");
		(void)snprintf(p->domain, sizeof(p->domain), "%s", tok[1]);
		return 0;
	}
	if (strcmp(tok[0], "regions") == 0) {
		for (i = 1; i < n; i++) {
			if (!region_ok(tok[i]))
				return perr(p, line, "a region is 1 to 63 "
				    "lowercase letters, digits or '-'");
			if (p->nregions == REGIONS_MAX)
				return perr(p, line, "more than 256 regions");
			(void)snprintf(p->regions[p->nregions++], REGION_MAX,
			    "%s", tok[i]);
		}
		return 0;
	}
	return perr(p, line, "unknown line: endpoint, domain or regions");
}

static int
parse_lines(struct parse *p, const char *text, size_t len)
{
	char buf[LINE_MAX_LEN + 2], *tok[TOKENS_MAX];
	size_t pos = 0, n, ln;
	int line = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);

		ln = nl ? (size_t)(nl - (text + pos)) : len - pos;
		line++;
		if (ln > LINE_MAX_LEN)
			return perr(p, line, "line longer than 512 characters");
		memcpy(buf, text + pos, ln);
		buf[ln] = '\0';
		if (ln > 0 && buf[ln - 1] == '\r')
			buf[ln - 1] = '\0';
		pos += ln + 1;
		n = tokens(buf, tok, TOKENS_MAX);
		if (n > TOKENS_MAX)
			return perr(p, line, "too many fields");
		if (n > 0 && directive(p, line, tok, n) == -1)
			return -1;
	}
	return 0;
}

/* Replaces {region} and {domain}; anything else in braces is refused. */
static int
expand(struct parse *p, const struct tmpl *t, char *out, size_t len)
{
	const char *s = t->url, *val;
	size_t o = 0, vn;

	while (*s != '\0') {
		if (*s != '{' && *s != '}') {
			if (o + 1 >= len)
				return perr(p, t->line, "URL too long");
			out[o++] = *s++;
			continue;
		}
		if (strncmp(s, "{region}", 8) == 0) {
			val = p->region;
			s += 8;
		} else if (strncmp(s, "{domain}", 8) == 0) {
			if (p->domain[0] == '\0')
				return perr(p, t->line, "{domain} without a "
				    "domain line");
			val = p->domain;
			s += 8;
		} else {
			return perr(p, t->line, "unknown placeholder (use "
			    "{region} or {domain})");
		}
		vn = strlen(val);
		if (o + vn >= len)
			return perr(p, t->line, "URL too long");
		memcpy(out + o, val, vn);
		o += vn;
	}
	out[o] = '\0';
	return 0;
}

/* https://host[:port][/] or http://..., through the proxy URL parser. */
static int
url(struct parse *p, const struct tmpl *t, struct rep_endpoint *ep)
{
	char u[LINE_MAX_LEN + REP_HOST_MAX * 4];
	struct rep_proxy hp;
	struct mig_error e2;

	if (expand(p, t, u, sizeof(u)) == -1)
		return -1;
	if (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
		return perr(p, t->line, "the URL must start with https:// "
		    "or http://");
	if (strchr(u, '@') != NULL)
		return perr(p, t->line, "no user information in endpoint URLs");
	if (rep_url_parse("url", u, 1, &hp, &e2) == -1)
		return perr(p, t->line, e2.msg);
	ep->tls = hp.tls;
	ep->port = hp.port;
	(void)snprintf(ep->host, sizeof(ep->host), "%s", hp.host);
	(void)snprintf(ep->name, sizeof(ep->name), "%s", t->name);
	ep->role = t->role;
	return 0;
}

static int
check_region(struct parse *p, int regional)
{
	char known[MIG_ERR_TEXT] = "";
	size_t i, o = 0;

	if (!regional)
		return 0;
	if (p->region == NULL)
		return mig_error_set(p->e, MIG_E_USAGE, NULL,
		    "%s lists region-level services ({region}): give the "
		    "destination's region", p->file);
	if (!region_ok(p->region))
		return mig_error_set(p->e, MIG_E_USAGE, NULL,
		    "region %.64s: 1 to 63 lowercase letters, digits or '-'",
		    p->region);
	if (p->nregions == 0)
		return 0;
	for (i = 0; i < p->nregions; i++) {
		if (strcmp(p->regions[i], p->region) == 0)
			return 0;
		if (o + REGION_MAX + 2 < sizeof(known))
			o += (size_t)snprintf(known + o, sizeof(known) - o,
			    "%s%s", i ? " " : "", p->regions[i]);
	}
	return mig_error_set(p->e, MIG_E_USAGE, NULL,
	    "region %s: unknown region (%s knows: %s)", p->region, p->file,
	    known);
}

int
rep_endpoints_parse(const char *name, const char *text, size_t len,
    const char *region, struct rep_endpoints *out, struct mig_error *e)
{
	struct parse *p;
	size_t i;
	int rc = -1, regional = 0;

	memset(out, 0, sizeof(*out));
	if (len > TEXT_MAX || memchr(text, '\0', len) != NULL)
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s: over 1 MiB "
		    "or holds NUL bytes: not an endpoint list", name);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	p->file = name;
	p->region = region;
	p->e = e;
	if (parse_lines(p, text, len) == -1)
		goto out;
	if (p->n == 0) {
		(void)mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: no endpoint lines", name);
		goto out;
	}
	for (i = 0; i < p->n; i++)
		regional |= strstr(p->t[i].url, "{region}") != NULL;
	if (check_region(p, regional) == -1)
		goto out;
	if ((out->v = calloc(p->n, sizeof(*out->v))) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		goto out;
	}
	for (i = 0; i < p->n; i++) {
		if (url(p, &p->t[i], &out->v[i]) == -1) {
			rep_endpoints_free(out);
			goto out;
		}
	}
	out->n = p->n;
	out->regional = regional;
	rc = 0;
out:
	free(p->t);
	free(p);
	return rc;
}

int
rep_endpoints_load(const char *path, const char *region,
    struct rep_endpoints *out, struct mig_error *e)
{
	char *text;
	size_t n;
	int rc;

	if (mig_read_file(path, TEXT_MAX, &text, &n, NULL, e) == -1) {
		e->kind = MIG_E_USAGE;
		return -1;
	}
	rc = rep_endpoints_parse(path, text, n, region, out, e);
	free(text);
	return rc;
}

void
rep_endpoints_free(struct rep_endpoints *l)
{
	free(l->v);
	l->v = NULL;
	l->n = 0;
}
