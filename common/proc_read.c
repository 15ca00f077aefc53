/* SPDX-License-Identifier: ISC */
/*
 * Line reading and number scanning shared by the /proc readers.  /proc
 * contents are trusted no more than a file: the tests feed fixtures, and a
 * container may mount something else there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/proc_priv.h"

#define PROC_BYTES_MAX (64UL * 1024 * 1024)

/* The rest of a line too long for the buffer; 0 at end of file. */
static size_t
skip_rest(FILE *f)
{
	size_t n = 0;
	int c;

	while ((c = getc(f)) != EOF) {
		n++;
		if (c == '\n')
			break;
	}
	return n;
}

static int
open_failed(const char *path, struct mig_error *e)
{
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot read %s: %s",
	    path, strerror(errno));
	mig_error_remedy(e, "is /proc mounted? (mount -t proc proc /proc)");
	return -1;
}

int
mig_proc_lines(const char *path, int (*fn)(void *, char *, int), void *arg,
    struct mig_error *e)
{
	char line[MIG_PROC_LINE_MAX];
	size_t total = 0, n;
	FILE *f;
	int rc = 0, truncated;

	if ((f = fopen(path, "re")) == NULL)
		return open_failed(path, e);
	while (rc == 0 && fgets(line, sizeof(line), f) != NULL) {
		n = strlen(line);
		truncated = n > 0 && line[n - 1] != '\n' && !feof(f);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (truncated)
			n += skip_rest(f);
		total += n + 1;
		if (total > PROC_BYTES_MAX) {
			rc = mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "%s: longer than 64 MiB; not a /proc file", path);
			break;
		}
		rc = fn(arg, line, truncated);
	}
	if (rc == 0 && ferror(f))
		rc = mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot read %s: %s",
		    path, strerror(errno));
	(void)fclose(f);
	return rc == -1 ? -1 : 0;
}

int
mig_proc_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		uint64_t d = (uint64_t)(*s - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -1;
		x = x * 10 + d;
	}
	*v = x;
	*p = s;
	return 0;
}
