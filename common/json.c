/* SPDX-License-Identifier: ISC */
/*
 * JSON output through json-c.  Numbers meant for people (hours, percent)
 * are written with a fixed number of decimals, formatted in the C locale
 * so that a tool which called setlocale() still writes valid JSON.
 */
#include <errno.h>
#include <json-c/json.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "common/migcommon.h"

#define DECIMALS_MAX 17		/* beyond this a double has no digits left */

struct json_object *
mig_json_fixed(double v, int decimals)
{
	char buf[384];	/* DBL_MAX has 309 integer digits */
	locale_t c, old;
	int n;

	/* NULL is what json-c writes as null: no number for NaN or inf */
	if (!isfinite(v))
		return NULL;
	if (decimals < 0)
		decimals = 0;
	if (decimals > DECIMALS_MAX)
		decimals = DECIMALS_MAX;
	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return NULL;
	old = uselocale(c);
	n = snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	(void)uselocale(old);
	freelocale(c);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return NULL;
	/* "-0.00" reads as a bug in a report */
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
	return json_object_new_double_s(v, buf);
}

int
mig_json_write(FILE *f, struct json_object *o, struct mig_error *e)
{
	const char *s;

	s = json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PRETTY | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (s == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "out of memory writing JSON");
	if (fputs(s, f) == EOF || fputc('\n', f) == EOF || fflush(f) == EOF)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot write JSON: %s", strerror(errno));
	return 0;
}

/* On failure json_object_object_add leaves v to us (json-c 0.16). */
static int
add_string(struct json_object *obj, const char *key, const char *s)
{
	struct json_object *v = NULL;

	if (s != NULL && (v = json_object_new_string(s)) == NULL)
		return -1;
	if (json_object_object_add(obj, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

struct json_object *
mig_json_error(const struct mig_error *e)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if (add_string(o, "code", e != NULL ? e->sms : NULL) == -1 ||
	    add_string(o, "message", e != NULL ? e->msg : "") == -1 ||
	    add_string(o, "remedy", e != NULL && e->remedy[0] != '\0' ?
	    e->remedy : NULL) == -1) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

int
mig_json_add(struct json_object *o, const char *key, struct json_object *val)
{
	if (val == NULL)
		return -1;
	/* json-c does not take val when the insertion fails. */
	if (json_object_object_add(o, key, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
mig_json_null(struct json_object *o, const char *key)
{
	return json_object_object_add(o, key, NULL) != 0 ? -1 : 0;
}

int
mig_json_push(struct json_object *a, struct json_object *val)
{
	if (val == NULL)
		return -1;
	if (json_object_array_add(a, val) != 0) {
		json_object_put(val);
		return -1;
	}
	return 0;
}

int
mig_json_push_null(struct json_object *a)
{
	return json_object_array_add(a, NULL) != 0 ? -1 : 0;
}

int
mig_json_add_fixed(struct json_object *o, const char *key, double v,
    int decimals)
{
	/* A measurement that could not be made is null, not out of memory. */
	if (!isfinite(v))
		return mig_json_null(o, key);
	return mig_json_add(o, key, mig_json_fixed(v, decimals));
}

int
mig_json_add_str(struct json_object *o, const char *key, const char *s)
{
	if (s == NULL || s[0] == '\0')
		return mig_json_null(o, key);
	return mig_json_add(o, key, json_object_new_string(s));
}

struct json_object *
mig_json_done(struct json_object *o, int bad)
{
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}
