/* SPDX-License-Identifier: ISC */
/*
 * Endpoint lists (share/endpoints/README.md) as untrusted text: a parsed
 * list must hold only usable endpoints, and a refused one must say why in
 * one printable line naming the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s, size_t max)
{
	size_t i, n = strnlen(s, max);

	if (n == max)
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			abort();
	}
}

static void
check_list(const struct rep_endpoints *l)
{
	size_t i;

	if (l->n == 0 || l->n > REP_EP_MAX)
		abort();
	for (i = 0; i < l->n; i++) {
		const struct rep_endpoint *ep = &l->v[i];

		check_text(ep->name, sizeof(ep->name));
		check_text(ep->host, sizeof(ep->host));
		if (ep->name[0] == '\0' || ep->host[0] == '\0' || ep->port == 0)
			abort();
		if (strpbrk(ep->host, " \t{}/@") != NULL)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rep_endpoints l;
	struct mig_error e;
	/* the first byte picks the region: none, a listed-looking one, junk */
	static const char *const regions[] = { NULL, "r1", "cn-south-1",
	    "Bad/../Region" };
	const char *region = size ? regions[data[0] % 4] : NULL;

	if (rep_endpoints_parse("fuzz.conf", (const char *)data, size, region,
	    &l, &e) == 0) {
		check_list(&l);
		rep_endpoints_free(&l);
		return 0;
	}
	check_text(e.msg, sizeof(e.msg));
	if (e.msg[0] == '\0' || (e.kind != MIG_E_CONFIG &&
	    e.kind != MIG_E_USAGE && e.kind != MIG_E_NOMEM))
		abort();
	return 0;
}
