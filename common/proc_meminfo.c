/* SPDX-License-Identifier: ISC */
/*
 * Memory from /proc/meminfo, in bytes.  MemAvailable exists since Linux
 * 3.14; before it, free + buffers + cached is the usual estimate (it counts
 * some cache that cannot be dropped, so it errs on the generous side).
 */
#include <string.h>

#include "common/proc_priv.h"

#define PROC_MEMINFO "/proc/meminfo"

enum { F_TOTAL, F_FREE, F_AVAIL, F_BUFFERS, F_CACHED, F_COUNT };

struct mem_scan {
	const char *path;
	uint64_t v[F_COUNT];
	int seen[F_COUNT];
	struct mig_error *e;
};

static const char *const field_names[F_COUNT] = {
	"MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached",
};

/* "Name:   12345 kB" -> bytes; a value without "kB" is a count, kept. */
static int
mem_value(const char *p, uint64_t *bytes)
{
	uint64_t v;

	if (mig_proc_u64(&p, &v) == -1)
		return -1;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == '\0') {
		*bytes = v;
		return 0;
	}
	if (strcmp(p, "kB") != 0 || v > UINT64_MAX / 1024)
		return -1;
	*bytes = v * 1024;
	return 0;
}

static int
mem_line(void *arg, char *line, int truncated)
{
	struct mem_scan *sc = arg;
	const char *colon = strchr(line, ':');
	size_t i, n;

	if (colon == NULL || truncated)
		return 0;
	n = (size_t)(colon - line);
	for (i = 0; i < F_COUNT; i++) {
		if (strlen(field_names[i]) != n ||
		    strncmp(line, field_names[i], n) != 0)
			continue;
		if (mem_value(colon + 1, &sc->v[i]) == -1)
			return mig_error_set(sc->e, MIG_E_SYSTEM, NULL,
			    "%s: malformed %s line", sc->path,
			    field_names[i]);
		sc->seen[i] = 1;
		return 0;
	}
	return 0;
}

static uint64_t
estimate_available(const struct mem_scan *sc)
{
	uint64_t a = sc->v[F_FREE];

	/* each term is at most total, so no sum below can wrap */
	a += sc->v[F_BUFFERS] < sc->v[F_TOTAL] ? sc->v[F_BUFFERS] : 0;
	a += sc->v[F_CACHED] < sc->v[F_TOTAL] ? sc->v[F_CACHED] : 0;
	return a;
}

int
mig_proc_meminfo(const char *path, struct mig_meminfo *m,
    struct mig_error *e)
{
	struct mem_scan sc;

	memset(&sc, 0, sizeof(sc));
	memset(m, 0, sizeof(*m));
	sc.path = path != NULL ? path : PROC_MEMINFO;
	sc.e = e;
	if (mig_proc_lines(sc.path, mem_line, &sc, e) == -1)
		return -1;
	if (!sc.seen[F_TOTAL] || !sc.seen[F_FREE] || sc.v[F_TOTAL] == 0 ||
	    sc.v[F_FREE] > sc.v[F_TOTAL])
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: no usable MemTotal and MemFree", sc.path);
	m->total = sc.v[F_TOTAL];
	m->free = sc.v[F_FREE];
	m->buffers = sc.v[F_BUFFERS];
	m->cached = sc.v[F_CACHED];
	m->available = sc.seen[F_AVAIL] ? sc.v[F_AVAIL] :
	    estimate_available(&sc);
	if (m->available > m->total)
		m->available = m->total;
	return 0;
}

double
mig_mem_usage(const struct mig_meminfo *m)
{
	uint64_t avail;

	if (m == NULL || m->total == 0)
		return -1.0;
	avail = m->available < m->total ? m->available : m->total;
	return 100.0 * (double)(m->total - avail) / (double)m->total;
}
