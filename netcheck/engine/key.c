/* SPDX-License-Identifier: ISC */
/*
 * The shared key of --key-file: the file's bytes as they are, one trailing
 * newline cut so that `echo secret > file` and `printf secret` agree.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "netcheck/netcheck.h"

int
nc_key_load(const char *path, struct nc_key *key, struct mig_error *e)
{
	char *buf;
	size_t got;
	mode_t mode;

	memset(key, 0, sizeof(*key));
	/* One byte over the longest key and its newline: too long shows. */
	if (mig_read_file(path, NC_KEY_MAX + 2, &buf, &got, &mode, e) == -1) {
		e->kind = MIG_E_USAGE;
		return -1;
	}
	if (got > 0 && buf[got - 1] == '\n')
		got--;
	if (got < NC_KEY_MIN || got > NC_KEY_MAX) {
		OPENSSL_cleanse(buf, NC_KEY_MAX + 2);
		free(buf);
		return mig_error_set(e, MIG_E_USAGE, NULL, "key file %s: "
		    "the key must be %d to %d bytes", path, NC_KEY_MIN,
		    NC_KEY_MAX);
	}
	memcpy(key->bytes, buf, got);
	key->len = got;
	key->exposed = (mode & 077) != 0;
	OPENSSL_cleanse(buf, NC_KEY_MAX + 2);
	free(buf);
	return 0;
}
