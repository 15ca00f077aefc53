/* SPDX-License-Identifier: ISC */
/*
 * Error reporting: a struct the caller owns, filled here, printed by the
 * tool's main.  Nothing is kept between calls.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "common/migcommon.h"

int
mig_error_setv(struct mig_error *e, enum mig_errkind kind, const char *sms,
    const char *fmt, va_list ap)
{
	const struct mig_sms *c = NULL;

	if (e == NULL)
		return -1;
	e->kind = kind;
	e->sms = NULL;
	e->remedy[0] = '\0';
	if (sms != NULL) {
		c = mig_sms_lookup(sms);
		/* keep the catalog's string: the caller's may not outlive e */
		e->sms = c != NULL ? c->code : sms;
	}
	if (vsnprintf(e->msg, sizeof(e->msg), fmt, ap) < 0)
		e->msg[0] = '\0';
	if (c != NULL)
		(void)snprintf(e->remedy, sizeof(e->remedy), "%s", c->remedy);
	return -1;
}

int
mig_error_set(struct mig_error *e, enum mig_errkind kind, const char *sms,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)mig_error_setv(e, kind, sms, fmt, ap);
	va_end(ap);
	return -1;
}

void
mig_error_remedy(struct mig_error *e, const char *fmt, ...)
{
	va_list ap;

	if (e == NULL)
		return;
	va_start(ap, fmt);
	if (vsnprintf(e->remedy, sizeof(e->remedy), fmt, ap) < 0)
		e->remedy[0] = '\0';
	va_end(ap);
}

void
mig_error_prefix(struct mig_error *e, const char *prefix)
{
	char msg[MIG_ERR_TEXT];

	if (e == NULL || prefix == NULL)
		return;
	/* cut to fit, as mig_error_set cuts */
	(void)snprintf(msg, sizeof(msg), "%.64s: %.189s", prefix, e->msg);
	memcpy(e->msg, msg, sizeof(e->msg));
}

void
mig_error_clear(struct mig_error *e)
{
	if (e == NULL)
		return;
	memset(e, 0, sizeof(*e));
}

int
mig_error_exit_status(const struct mig_error *e)
{
	if (e == NULL)
		return 3;
	switch (e->kind) {
	case MIG_E_USAGE:
	case MIG_E_CONFIG:
		return 2;
	default:
		return 3;
	}
}

void
mig_error_print(FILE *f, const char *prog, const struct mig_error *e)
{
	if (f == NULL || e == NULL)
		return;
	if (prog != NULL)
		(void)fprintf(f, "%s: ", prog);
	if (e->sms != NULL)
		(void)fprintf(f, "%s: ", e->sms);
	(void)fprintf(f, "%s\n", e->msg[0] != '\0' ? e->msg : "unknown error");
	if (e->remedy[0] != '\0')
		(void)fprintf(f, "  remedy: %s\n", e->remedy);
}

char *
mig_printable(const char *s, size_t n, char *out, size_t len)
{
	size_t i;

	if (len == 0)
		return out;
	for (i = 0; i < n && i + 1 < len && s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = c >= 0x20 && c < 0x7f ? (char)c : '?';
	}
	out[i] = '\0';
	return out;
}
