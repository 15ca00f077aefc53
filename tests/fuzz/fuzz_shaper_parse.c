/* SPDX-License-Identifier: ISC */
/*
 * libFuzzer: the shaper's parsers of untrusted input - destinations and
 * windows from the command line, and the state record read back from
 * /run.  The first byte picks the parser.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "shaper/shaper_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
text_parsers(const char *s)
{
	struct shaper_dest d, d2;
	struct shaper_window w;
	struct mig_error e;
	char buf[SHAPER_DEST_TEXT], wb[96];

	if (shaper_dest_parse("d", s, &d, &e) == 0) {
		/* What is accepted prints back to itself. */
		(void)shaper_dest_format(&d, buf, sizeof(buf));
		if (shaper_dest_parse("d", buf, &d2, &e) != 0 ||
		    !shaper_dest_equal(&d, &d2))
			abort();
	}
	if (shaper_window_parse("w", s, &w, &e) == 0) {
		(void)shaper_window_format(&w, wb, sizeof(wb));
		if (shaper_window_active(&w, 1, w.start) != 0)
			abort();
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct shaper_state st;
	struct mig_error e;
	char *s;

	if (size == 0 || size > SHAPER_STATE_MAX + 16)
		return 0;
	if (data[0] & 1) {
		(void)shaper_state_parse((const char *)data + 1, size - 1, &st,
		    &e);
		return 0;
	}
	if ((s = malloc(size)) == NULL)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';
	text_parsers(s);
	free(s);
	return 0;
}
