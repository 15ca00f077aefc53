/* SPDX-License-Identifier: ISC */
/*
 * The shared key of --key-file: the file's bytes as they are, one trailing
 * newline cut so that `echo secret > file` and `printf secret` agree.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "netcheck/netcheck.h"

int
nc_key_load(const char *path, struct nc_key *key, struct mig_error *e)
{
	unsigned char buf[NC_KEY_MAX + 2];
	ssize_t n, got = 0;
	int fd;

	memset(key, 0, sizeof(*key));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL, "key file %s: %s",
		    path, strerror(errno));
	while ((size_t)got < sizeof(buf)) {
		n = read(fd, buf + got, sizeof(buf) - (size_t)got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			(void)close(fd);
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "key file %s: %s", path, strerror(errno));
		}
		if (n == 0)
			break;
		got += n;
	}
	(void)close(fd);
	if (got > 0 && buf[got - 1] == '\n')
		got--;
	if (got < NC_KEY_MIN || got > NC_KEY_MAX) {
		OPENSSL_cleanse(buf, sizeof(buf));
		return mig_error_set(e, MIG_E_USAGE, NULL, "key file %s: "
		    "the key must be %d to %d bytes", path, NC_KEY_MIN,
		    NC_KEY_MAX);
	}
	memcpy(key->bytes, buf, (size_t)got);
	key->len = (size_t)got;
	OPENSSL_cleanse(buf, sizeof(buf));
	return 0;
}
