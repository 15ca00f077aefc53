/* SPDX-License-Identifier: ISC */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "helptext.h"

static void
read_all(FILE *f, char *buf, size_t len)
{
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, len - 1, f);
	buf[n] = '\0';
	/* A text that fills the buffer was cut: make the buffer larger. */
	assert_true(n < len - 1);
}

void
helptext_help(const char *bin, const char *verb, char *buf, size_t len)
{
	char cmd[1024];
	FILE *f;

	assert_true((size_t)snprintf(cmd, sizeof(cmd), "'%s' %s --help", bin,
	    verb != NULL ? verb : "") < sizeof(cmd));
	f = popen(cmd, "r");
	read_all(f, buf, len);
	assert_int_equal(pclose(f), 0);
}

void
helptext_man(const char *path, char *buf, size_t len)
{
	static char raw[HELPTEXT_MAX];
	size_t i, o = 0;
	FILE *f = fopen(path, "r");

	read_all(f, raw, sizeof(raw));
	assert_int_equal(fclose(f), 0);
	for (i = 0; raw[i] != '\0' && o + 1 < len; i++) {
		if (raw[i] == '\\')
			continue;
		buf[o++] = raw[i] == '\n' ? ' ' : raw[i];
	}
	buf[o] = '\0';
}

void
helptext_has(const char *text, const char *fmt, ...)
{
	char want[256];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(want, sizeof(want), fmt, ap);
	va_end(ap);
	if (strstr(text, want) == NULL)
		fail_msg("'%s' not found in:\n%s", want, text);
}
