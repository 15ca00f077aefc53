/* SPDX-License-Identifier: ISC */
/*
 * Prometheus' text exposition format, the pieces every textfile writer
 * shares (netcheck report --prom, migagent run --prom-dir): a family's
 * HELP and TYPE lines, label values escaped as the format wants, and
 * numbers in their shortest exact form.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/migcommon.h"

void
mig_prom_family(FILE *f, const char *name, const char *type,
    const char *help)
{
	(void)fprintf(f, "# HELP %s %s\n# TYPE %s %s\n", name, help, name,
	    type);
}

/* Backslash, double quote and newline escaped; at most 255 bytes shown. */
void
mig_prom_label(FILE *f, const char *s)
{
	size_t i;

	for (i = 0; i < 255 && s[i] != '\0'; i++) {
		if (s[i] == '\\' || s[i] == '"')
			(void)fprintf(f, "\\%c", s[i]);
		else if (s[i] == '\n')
			(void)fputs("\\n", f);
		else
			(void)fputc(s[i], f);
	}
}

/*
 * The shortest of %.15g, %.16g and %.17g that reads back as the same
 * double: 0.6 prints as 0.6, not 0.59999999999999998.  Infinities and
 * NaN in the format's spelling.
 */
void
mig_prom_value(FILE *f, double v)
{
	char buf[64];
	int prec;

	if (isnan(v) || isinf(v)) {
		(void)fputs(isnan(v) ? "NaN" : v > 0 ? "+Inf" : "-Inf", f);
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		(void)snprintf(buf, sizeof(buf), "%.17g", v);
	(void)fputs(buf, f);
}
