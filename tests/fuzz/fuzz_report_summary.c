/* SPDX-License-Identifier: ISC */
/*
 * netcheck summary's reader of reports from other machines: a report
 * that is accepted has strings that fit their fields (well-formed UTF-8,
 * no control characters), a known
 * verdict and figures that are NaN or in range, and its text, CSV and
 * JSON outputs are written; a refused one says why in one line naming
 * the file.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "netcheck/report/report_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Fits its field, well-formed UTF-8, no C0, DEL or C1 control. */
static void
printable(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (strnlen(s, len) == len)
		abort();
	for (; *p != '\0'; p += n) {
		n = rep_utf8_len(p);
		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0))
			abort();
	}
}

static void
in_range(double v)
{
	if (!isnan(v) && !(isfinite(v) && v >= 0))
		abort();
}

static void
check_row(const struct rep_sum_row *r)
{
	size_t i;

	printable(r->id, sizeof(r->id));
	printable(r->host, sizeof(r->host));
	printable(r->dest, sizeof(r->dest));
	printable(r->generated, sizeof(r->generated));
	if (r->verdict > REP_RED || r->nprob > REP_SUM_PROBLEMS_MAX ||
	    r->nprob > r->nprob_all)
		abort();
	in_range(r->eta_h);
	in_range(r->loss_pct);
	in_range(r->rtt_ms);
	in_range(r->tput_bps);
	if (!isnan(r->loss_pct) && r->loss_pct > 100)
		abort();
	for (i = 0; i < r->nprob; i++) {
		printable(r->prob[i].code, sizeof(r->prob[i].code));
		printable(r->prob[i].what, sizeof(r->prob[i].what));
		printable(r->prob[i].remedy, sizeof(r->prob[i].remedy));
	}
}

static void
outputs(struct rep_sum_row *rows)
{
	struct rep_summary s;
	struct json_object *o;
	struct mig_error e;
	FILE *f;

	memset(&s, 0, sizeof(s));
	s.rows = rows;
	s.n = 2;
	rep_sum_sort(rows, 2);
	if ((f = fopen("/dev/null", "w")) == NULL)
		return;
	rep_sum_text(f, &s);
	if (rep_sum_csv(f, &s, &e) == -1)
		abort();
	(void)fclose(f);
	if (rep_sum_json(&s, &o, &e) == 0)
		json_object_put(o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rep_sum_row rows[2];
	struct mig_error e;

	if (rep_sum_parse("fuzz.json", (const char *)data, size, &rows[0],
	    &e) == -1) {
		if (e.kind != MIG_E_NOMEM && strncmp(e.msg, "fuzz.json: ",
		    11) != 0)
			abort();
		return 0;
	}
	check_row(&rows[0]);
	rows[1] = rows[0];
	rows[1].file = "other.json";
	outputs(rows);
	return 0;
}
