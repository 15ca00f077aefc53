/* SPDX-License-Identifier: ISC */
/*
 * The HTTP CONNECT proxy of §12.7: its URL, the original agent's auth.cfg
 * [proxy-config], and the CONNECT request.  URLs and configuration come
 * from operators and files: every part is bounded and checked, and nothing
 * that could end a header line (CR, LF, NUL) gets into a request.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "netcheck/report/report_int.h"

#define SECTION		"proxy-config"
#define URL_MAX		1024

static int
bad(const char *what, const char *why, struct mig_error *e)
{
	return mig_error_set(e, MIG_E_USAGE, NULL, "%s: %s", what, why);
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Percent-decodes s[0..n) into out; control characters are refused. */
static int
decode(const char *s, size_t n, char *out, size_t len)
{
	size_t i, o = 0;
	int c;

	for (i = 0; i < n; i++) {
		c = (unsigned char)s[i];
		if (c == '%') {
			if (i + 2 >= n || hexval(s[i + 1]) < 0 ||
			    hexval(s[i + 2]) < 0)
				return -1;
			c = hexval(s[i + 1]) * 16 + hexval(s[i + 2]);
			i += 2;
		}
		if (c < 0x20 || c == 0x7f || o + 1 >= len)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return 0;
}

/* A literal from a file or the environment: no escapes, no controls. */
static int
copy_plain(const char *s, char *out, size_t len)
{
	size_t i;

	for (i = 0; s[i] != '\0'; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f || i + 1 >= len)
			return -1;
		out[i] = s[i];
	}
	out[i] = '\0';
	return 0;
}

static int
host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
}

static int
v6_char(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

/* "host", "host:port", "[v6]", "[v6]:port" */
static int
host_port(const char *what, const char *s, size_t n, uint16_t defport,
    struct rep_proxy *p, struct mig_error *e)
{
	const char *h = s, *colon = NULL;
	size_t hn, i;
	unsigned long port = 0;

	if (n > 0 && s[0] == '[') {
		const char *rb = memchr(s, ']', n);

		if (rb == NULL)
			return bad(what, "missing ']' after an IPv6 address",
			    e);
		h = s + 1;
		hn = (size_t)(rb - h);
		for (i = 0; i < hn; i++) {
			if (!v6_char(h[i]))
				return bad(what, "bad IPv6 address", e);
		}
		if (rb + 1 < s + n) {
			if (rb[1] != ':')
				return bad(what, "junk after ']'", e);
			colon = rb + 1;
		}
	} else {
		colon = memchr(s, ':', n);
		hn = colon ? (size_t)(colon - s) : n;
		for (i = 0; i < hn; i++) {
			if (!host_char(h[i]))
				return bad(what, "bad character in the host "
				    "name", e);
		}
	}
	if (hn == 0 || hn >= sizeof(p->host))
		return bad(what, "the host is empty or too long", e);
	memcpy(p->host, h, hn);
	p->host[hn] = '\0';
	p->port = defport;
	if (colon == NULL)
		return 0;
	for (i = (size_t)(colon - s) + 1; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || port > 65535)
			return bad(what, "the port is not a number", e);
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	if (port == 0 || port > 65535)
		return bad(what, "the port must be 1 to 65535", e);
	p->port = (uint16_t)port;
	return 0;
}

static int
userinfo(const char *what, const char *s, size_t n, struct rep_proxy *p,
    struct mig_error *e)
{
	const char *colon = memchr(s, ':', n);
	size_t un = colon ? (size_t)(colon - s) : n;

	if (decode(s, un, p->user, sizeof(p->user)) == -1 || un == 0)
		return bad(what, "bad or too long user name", e);
	if (colon && decode(colon + 1, n - un - 1, p->pass,
	    sizeof(p->pass)) == -1)
		return bad(what, "bad or too long password", e);
	p->auth = 1;
	return 0;
}

int
rep_url_parse(const char *what, const char *url, int web_ports,
    struct rep_proxy *out, struct mig_error *e)
{
	struct rep_proxy p;
	const char *s = url, *end, *at, *q;
	size_t n = strnlen(url, URL_MAX + 1);

	memset(&p, 0, sizeof(p));
	if (n > URL_MAX)
		return bad(what, "longer than 1024 characters", e);
	if (strncmp(s, "http://", 7) == 0) {
		s += 7;
	} else if (strncmp(s, "https://", 8) == 0) {
		p.tls = 1;
		s += 8;
	} else if (strstr(s, "://") != NULL) {
		return bad(what, "the scheme must be http:// or https://", e);
	}
	end = s + strcspn(s, "/");
	if (*end == '/' && end[1] != '\0')
		return bad(what, "a proxy URL has no path", e);
	/* The last '@' ends the user information: passwords may hold '@'. */
	at = NULL;
	for (q = s; q < end; q++) {
		if (*q == '@')
			at = q;
	}
	if (at != NULL && userinfo(what, s, (size_t)(at - s), &p, e) == -1)
		return -1;
	if (at != NULL)
		s = at + 1;
	if (host_port(what, s, (size_t)(end - s), !web_ports ? REP_PROXY_PORT :
	    p.tls ? 443 : 80, &p, e) == -1)
		return -1;
	*out = p;
	return 0;
}

int
rep_proxy_parse_url(const char *what, const char *url, struct rep_proxy *out,
    struct mig_error *e)
{
	return rep_url_parse(what, url, 0, out, e);
}

/* auth.cfg's password: the environment first, then proxy_password. */
static int
password(const struct mig_config *cfg, const char *name, const char *env,
    struct rep_proxy *p, struct mig_error *e)
{
	const char *pw = env;

	if (pw == NULL || *pw == '\0')
		pw = mig_config_get(cfg, SECTION, "proxy_password");
	if (pw == NULL || *pw == '\0')
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: [%s] use_password = true, but no password: set "
		    "MIGNET_PROXY_PASSWORD or proxy_password", name, SECTION);
	if (copy_plain(pw, p->pass, sizeof(p->pass)) == -1)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: [%s] the password is too long or holds control "
		    "characters", name, SECTION);
	return 0;
}

static int
proxy_user(const struct mig_config *cfg, const char *name, const char *env,
    struct rep_proxy *p, struct mig_error *e)
{
	const char *user;
	int use_pw;

	if (mig_config_string(cfg, SECTION, "proxy_user", "", &user, e) == -1 ||
	    mig_config_bool(cfg, SECTION, "use_password", 0, &use_pw, e) == -1)
		return -1;
	if (*user != '\0') {
		if (copy_plain(user, p->user, sizeof(p->user)) == -1)
			return mig_error_set(e, MIG_E_CONFIG, NULL,
			    "%s: [%s] proxy_user: too long or holds control "
			    "characters", name, SECTION);
		p->auth = 1;
	}
	if (!use_pw)
		return 0;
	if (!p->auth)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: [%s] use_password = true needs proxy_user", name,
		    SECTION);
	return password(cfg, name, env, p, e);
}

int
rep_proxy_from_config(const struct mig_config *cfg, const char *name,
    const char *env_password, struct rep_proxy *out, int *enabled,
    struct mig_error *e)
{
	struct rep_proxy p;
	const char *addr;
	long long port;
	int on;
	char what[MIG_ERR_TEXT];

	*enabled = 0;
	if (mig_config_bool(cfg, SECTION, "enable", 0, &on, e) == -1)
		return -1;
	if (!on)
		return 0;
	if (mig_config_string(cfg, SECTION, "proxy_addr", NULL, &addr, e) == -1)
		return -1;
	if (addr == NULL || *addr == '\0')
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: [%s] enable = true needs proxy_addr", name, SECTION);
	(void)snprintf(what, sizeof(what), "%s: [%s] proxy_addr", name,
	    SECTION);
	if (rep_proxy_parse_url(what, addr, &p, e) == -1) {
		e->kind = MIG_E_CONFIG;
		return -1;
	}
	/* The document writes the port as a key of its own. */
	if (mig_config_int(cfg, SECTION, "proxy_port", p.port, 1, 65535,
	    &port, e) == -1)
		return -1;
	p.port = (uint16_t)port;
	if (!p.auth && proxy_user(cfg, name, env_password, &p, e) == -1)
		return -1;
	*out = p;
	*enabled = 1;
	return 0;
}

static int
basic_auth(const struct rep_proxy *p, char *out, size_t len)
{
	char plain[sizeof(p->user) + sizeof(p->pass) + 1];
	int n;

	n = snprintf(plain, sizeof(plain), "%s:%s", p->user, p->pass);
	if (n < 0 || (size_t)n >= sizeof(plain) ||
	    (size_t)(n + 2) / 3 * 4 >= len)
		return -1;
	(void)EVP_EncodeBlock((unsigned char *)out, (unsigned char *)plain, n);
	return 0;
}

int
rep_proxy_request(const struct rep_proxy *p, const char *host, uint16_t port,
    char *buf, size_t len, struct mig_error *e)
{
	char auth[512] = "", hp[REP_HOST_MAX + 16];
	int v6 = strchr(host, ':') != NULL, n;

	if (strpbrk(host, "\r\n \t") != NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL, "bad host name");
	(void)snprintf(hp, sizeof(hp), v6 ? "[%s]:%u" : "%s:%u", host,
	    (unsigned)port);
	if (p->auth && basic_auth(p, auth, sizeof(auth)) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "proxy credentials too long");
	n = snprintf(buf, len, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n"
	    "%s%s%s"
	    "User-Agent: mignet-netcheck/" MIGNET_VERSION "\r\n\r\n", hp, hp,
	    p->auth ? "Proxy-Authorization: Basic " : "", auth,
	    p->auth ? "\r\n" : "");
	if (n < 0 || (size_t)n >= len)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "CONNECT request too long");
	return 0;
}
