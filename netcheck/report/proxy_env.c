/* SPDX-License-Identifier: ISC */
/*
 * The proxy of the environment, read as curl reads it, for operators whose
 * shell already sets one: https_proxy / HTTPS_PROXY (the endpoints are
 * https), then all_proxy / ALL_PROXY, and no_proxy / NO_PROXY for the
 * names reached directly.  --proxy and auth.cfg come first (the caller
 * only asks here when neither is given).
 */
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "netcheck/report/report_int.h"

#define NO_PROXY_MAX	4096

static const char *
first_set(char *(*getenv_fn)(const char *), const char *const *names,
    const char **which)
{
	const char *v;

	for (; *names != NULL; names++) {
		if ((v = getenv_fn(*names)) != NULL && *v != '\0') {
			*which = *names;
			return v;
		}
	}
	return NULL;
}

int
rep_proxy_from_env(char *(*getenv_fn)(const char *), struct rep_proxy *p,
    int *found, struct mig_error *e)
{
	static const char *const names[] = { "https_proxy", "HTTPS_PROXY",
	    "all_proxy", "ALL_PROXY", NULL };
	const char *v, *which = NULL;

	*found = 0;
	if ((v = first_set(getenv_fn, names, &which)) == NULL)
		return 0;
	if (rep_proxy_parse_url(which, v, p, e) == -1)
		return -1;
	*found = 1;
	return 0;
}

const char *
rep_no_proxy_env(char *(*getenv_fn)(const char *))
{
	static const char *const names[] = { "no_proxy", "NO_PROXY", NULL };
	const char *which;

	return first_set(getenv_fn, names, &which);
}

/* host ends with the entry (n bytes) at a label boundary, or equals it. */
static int
entry_matches(const char *entry, size_t n, const char *host)
{
	size_t hl = strlen(host);

	while (n > 0 && entry[0] == '.') {	/* ".example.com" */
		entry++;
		n--;
	}
	while (n > 0 && entry[n - 1] == '.')
		n--;
	if (n == 0 || n > hl)
		return 0;
	if (strncasecmp(host + hl - n, entry, n) != 0)
		return 0;
	return hl == n || host[hl - n - 1] == '.';
}

int
rep_no_proxy_match(const char *no_proxy, const char *host)
{
	const char *s = no_proxy, *end;
	size_t n;

	if (s == NULL || host == NULL || strnlen(s, NO_PROXY_MAX + 1) >
	    NO_PROXY_MAX)
		return 0;
	while (*s != '\0') {
		s += strspn(s, ", \t");
		n = strcspn(s, ", \t");
		end = s + n;
		if (n == 1 && *s == '*')
			return 1;
		if (n > 0 && entry_matches(s, n, host))
			return 1;
		s = end;
	}
	return 0;
}
