/* SPDX-License-Identifier: ISC */
/* Internal to the /proc readers: not part of the API. */
#ifndef PROC_PRIV_H
#define PROC_PRIV_H

#include <stdint.h>

#include "common/migcommon.h"

/* Longer lines (/proc/stat's "intr") reach fn cut, flagged truncated. */
#define MIG_PROC_LINE_MAX 1024

/*
 * Calls fn(arg, line, truncated) for each line of path, without its
 * newline; fn returns 0 to go on, 1 to stop, -1 to fail (having set e).
 * Reads at most 64 MiB: a /proc file is never that long, /dev/zero is.
 */
int mig_proc_lines(const char *path, int (*fn)(void *, char *, int),
    void *arg, struct mig_error *e);
/* Skips blanks, then reads one unsigned decimal; -1 if none or overflow. */
int mig_proc_u64(const char **p, uint64_t *v);

#endif /* PROC_PRIV_H */
