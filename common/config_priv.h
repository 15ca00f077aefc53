/* SPDX-License-Identifier: ISC */
/* Internal to config.c and config_get.c: not part of the API. */
#ifndef CONFIG_PRIV_H
#define CONFIG_PRIV_H

#include <stddef.h>

#include "common/migcommon.h"

struct mig_config_entry {
	char *section;		/* the block holding key and value too */
	char *key;
	char *value;
	int line;
};

struct mig_config {
	char *name;		/* what errors call the text */
	struct mig_config_entry *v;
	size_t n, cap;
};


#endif /* CONFIG_PRIV_H */
