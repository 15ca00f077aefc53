/* SPDX-License-Identifier: ISC */
/*
 * Thresholds files as untrusted text: a file that loads must grade every
 * value consistently (green at one end, red at the other, never better
 * further out) and keep U within [0.5, 0.8]; a refused file must say why
 * in one printable line.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const double probes[] = {
	0, 1e-3, 0.5, 1, 3, 10, 50, 75, 99, 100, 300, 1e3, 5e5, 1e7, 1e9, 1e12,
};

#define NPROBES	(sizeof(probes) / sizeof(probes[0]))

static void
check_metric(const struct rep_threshold *t)
{
	enum rep_grade g, prev = REP_GRADE_NONE;
	size_t i;

	if (!t->set)
		return;
	for (i = 0; i < NPROBES; i++) {
		size_t k = t->higher_better ? NPROBES - 1 - i : i;

		g = rep_grade_value(t, probes[k]);
		if (g < REP_GREEN || g > REP_RED || g < prev)
			abort();
		prev = g;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rep_thresholds t;
	struct rep_util u;
	struct mig_error e;
	char *text;
	size_t i;

	if ((text = malloc(size + 1)) == NULL)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	memset(&t, 0, sizeof(t));
	if (rep_thresholds_load_string("fuzz.ini", text, &t, &e) == -1) {
		if (e.kind != MIG_E_NOMEM && (e.msg[0] == '\0' ||
		    strncmp(e.msg, "fuzz.ini", 8) != 0))
			abort();
		free(text);
		return 0;
	}
	for (i = 0; i < REP_M_COUNT; i++)
		check_metric(&t.m[i]);
	for (i = 0; i < NPROBES; i++) {
		if (rep_utilization(&t, probes[i], probes[NPROBES - 1 - i],
		    probes[i], &u, &e) == 0 &&
		    !(u.u >= REP_U_MIN && u.u <= REP_U_MAX))
			abort();
	}
	free(text);
	return 0;
}
