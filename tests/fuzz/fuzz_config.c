/* SPDX-License-Identifier: ISC */
/*
 * INI text through mig_config_load_string, then every typed getter on
 * every key found.  Errors must be one printable line naming the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/migcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_error(int rc, const struct mig_error *e)
{
	size_t i, n;

	if (rc == 0)
		return;
	if (rc != -1 || e->kind == MIG_E_NONE)
		abort();
	n = strnlen(e->msg, sizeof(e->msg));
	if (n == 0 || n == sizeof(e->msg) || strncmp(e->msg, "fuzz.cfg", 8))
		abort();
	for (i = 0; i < n; i++) {
		if ((unsigned char)e->msg[i] < 0x20 || e->msg[i] == 0x7f)
			abort();
	}
}

static void
every_getter(void *arg, const char *section, const char *key, int line)
{
	const struct mig_config *cfg = arg;
	struct mig_error e;
	const char *s;
	long long ll;
	uint64_t u;
	int b;

	if (line < 1 || mig_config_get(cfg, section, key) == NULL)
		abort();
	check_error(mig_config_string(cfg, section, key, NULL, &s, &e), &e);
	if (s == NULL)
		abort();
	check_error(mig_config_bool(cfg, section, key, 0, &b, &e), &e);
	check_error(mig_config_int(cfg, section, key, 0, -1000, 1000, &ll,
	    &e), &e);
	check_error(mig_config_rate(cfg, section, key, 0, 1000, MIG_GB, &u,
	    &e), &e);
	check_error(mig_config_size(cfg, section, key, 0, 0, MIG_TB, &u, &e),
	    &e);
	check_error(mig_config_duration(cfg, section, key, 0, 0, UINT64_MAX,
	    &u, &e), &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct mig_config_key none[] = { { NULL, NULL } };
	struct mig_config *cfg = NULL;
	struct mig_error e;
	char *text;
	int rc;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	rc = mig_config_load_string("fuzz.cfg", text, &cfg, &e);
	if (rc == -1 && e.kind != MIG_E_NOMEM)
		check_error(rc, &e);
	if (rc == 0) {
		/* nothing is known: every key comes back once */
		mig_config_unknown(cfg, none, every_getter, cfg);
		mig_config_free(cfg);
	}
	free(text);
	return 0;
}
