/* SPDX-License-Identifier: ISC */
/*
 * One output path for text and JSON.  A verb adds each value once, with
 * its key and its text format; in text mode the formats go to a buffer,
 * in JSON mode the values go into a json-c tree.  mig_out_finish writes
 * the one or the other, so an error found halfway leaves no half output.
 */
#include <errno.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/migcli.h"

#define DEPTH_MAX	8

static const char NOMEM[] = "out of memory building the output";
static const char MISUSE[] = "the output's structure is broken (a bug)";

struct mig_out {
	const struct mig_cli_cmd *cmd;
	int		 json;
	const char	*failed;	/* sticky: why nothing is written */
	int		 label_w;
	FILE		*dest;		/* stdout, or where mig_out_to says */
	/* text mode */
	FILE		*text;
	char		*buf;
	size_t		 len;
	/* JSON mode */
	struct json_object *stack[DEPTH_MAX];
	int		 depth;		/* stack[depth - 1] is being filled */
	char		*verbatim;
};

struct mig_out *
mig_out_new(const struct mig_cli_cmd *c, int json)
{
	struct mig_out *o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->cmd = c;
	o->json = json;
	o->dest = stdout;
	if (json) {
		if ((o->stack[0] = json_object_new_object()) != NULL) {
			o->depth = 1;
			return o;
		}
	} else if ((o->text = open_memstream(&o->buf, &o->len)) != NULL)
		return o;
	free(o);
	return NULL;
}

int
mig_out_is_json(const struct mig_out *o)
{
	return o->json;
}

void
mig_out_to(struct mig_out *o, FILE *f)
{
	o->dest = f;
}

void
mig_out_labels(struct mig_out *o, int width)
{
	o->label_w = width;
}

static void vtext(struct mig_out *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static void
vtext(struct mig_out *o, const char *fmt, va_list ap)
{
	if (o->failed || o->json)
		return;
	if (vfprintf(o->text, fmt, ap) < 0)
		o->failed = NOMEM;
}

void
mig_out_text(struct mig_out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtext(o, fmt, ap);
	va_end(ap);
}

void
mig_out_label(struct mig_out *o, const char *label)
{
	mig_out_text(o, "%-*s ", o->label_w, label);
}

/*
 * Puts v under key in the object being filled, or at the end of the
 * array being filled (key unused).  v == NULL is json-c out of memory
 * unless null is set: then it is JSON's null.
 */
static void
put(struct mig_out *o, const char *key, struct json_object *v, int null)
{
	struct json_object *top;
	int rc;

	if (o->failed || !o->json)
		goto drop;
	if (v == NULL && !null) {
		o->failed = NOMEM;
		goto drop;
	}
	top = o->stack[o->depth - 1];
	if (json_object_is_type(top, json_type_array))
		rc = json_object_array_add(top, v);
	else if (key != NULL)
		rc = json_object_object_add(top, key, v);
	else {
		o->failed = MISUSE;	/* a member without a name */
		goto drop;
	}
	/* json-c leaves v to us when it cannot insert it. */
	if (rc == 0)
		return;
	o->failed = NOMEM;
drop:
	json_object_put(v);
}

void
mig_out_str_(struct mig_out *o, const char *key, const char *fmt, ...)
{
	va_list ap, aq;
	const char *s;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vtext(o, fmt, aq);
	va_end(aq);
	s = va_arg(ap, const char *);
	va_end(ap);
	mig_out_json_str(o, key, s);
}

void
mig_out_u64_(struct mig_out *o, const char *key, const char *fmt, ...)
{
	va_list ap, aq;
	unsigned long long v;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vtext(o, fmt, aq);
	va_end(aq);
	v = va_arg(ap, unsigned long long);
	va_end(ap);
	mig_out_json_u64(o, key, v);
}

void
mig_out_i64_(struct mig_out *o, const char *key, const char *fmt, ...)
{
	va_list ap, aq;
	long long v;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vtext(o, fmt, aq);
	va_end(aq);
	v = va_arg(ap, long long);
	va_end(ap);
	mig_out_json_i64(o, key, v);
}

void
mig_out_fixed_(struct mig_out *o, const char *key, int decimals,
    const char *fmt, ...)
{
	va_list ap, aq;
	double v;

	va_start(ap, fmt);
	va_copy(aq, ap);
	vtext(o, fmt, aq);
	va_end(aq);
	v = va_arg(ap, double);
	va_end(ap);
	mig_out_json_fixed(o, key, v, decimals);
}

void
mig_out_json_str(struct mig_out *o, const char *key, const char *s)
{
	if (!o->json)
		return;
	put(o, key, s != NULL ? json_object_new_string(s) : NULL, s == NULL);
}

void
mig_out_json_u64(struct mig_out *o, const char *key, uint64_t v)
{
	if (o->json)
		put(o, key, json_object_new_uint64(v), 0);
}

void
mig_out_json_i64(struct mig_out *o, const char *key, int64_t v)
{
	if (o->json)
		put(o, key, json_object_new_int64(v), 0);
}

void
mig_out_json_bool(struct mig_out *o, const char *key, int v)
{
	if (o->json)
		put(o, key, json_object_new_boolean(v), 0);
}

void
mig_out_json_fixed(struct mig_out *o, const char *key, double v,
    int decimals)
{
	if (!o->json)
		return;
	/* Not measured is null; a NULL for a finite value is out of memory. */
	if (!isfinite(v))
		put(o, key, NULL, 1);
	else
		put(o, key, mig_json_fixed(v, decimals), 0);
}

void
mig_out_null(struct mig_out *o, const char *key)
{
	if (o->json)
		put(o, key, NULL, 1);
}

static void
open_node(struct mig_out *o, const char *key, struct json_object *v)
{
	if (o->failed || !o->json) {
		json_object_put(v);
		return;
	}
	if (o->depth == DEPTH_MAX) {
		json_object_put(v);
		o->failed = MISUSE;
		return;
	}
	/* The tree owns v from here; the stack only borrows it. */
	put(o, key, v, 0);
	if (!o->failed)
		o->stack[o->depth++] = v;
}

void
mig_out_open(struct mig_out *o, const char *key)
{
	if (o->json)
		open_node(o, key, json_object_new_object());
}

void
mig_out_open_array(struct mig_out *o, const char *key)
{
	if (o->json)
		open_node(o, key, json_object_new_array());
}

void
mig_out_close(struct mig_out *o)
{
	if (o->failed || !o->json)
		return;
	if (o->depth <= 1)
		o->failed = MISUSE;	/* more closes than opens */
	else
		o->depth--;
}

void
mig_out_json_verbatim(struct mig_out *o, const char *text)
{
	if (o->failed || !o->json)
		return;
	free(o->verbatim);
	if ((o->verbatim = strdup(text)) == NULL)
		o->failed = NOMEM;
}

void
mig_out_free(struct mig_out *o)
{
	if (o == NULL)
		return;
	if (o->text != NULL)
		(void)fclose(o->text);
	free(o->buf);
	if (o->depth > 0)
		json_object_put(o->stack[0]);
	free(o->verbatim);
	free(o);
}

static int
write_text(struct mig_out *o, struct mig_error *e)
{
	int rc;

	/* fclose sets buf and len to what was written; NULL when it failed. */
	rc = fclose(o->text);
	o->text = NULL;
	if (rc == EOF || o->buf == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "%s", NOMEM);
	if (o->len > 0 && fwrite(o->buf, 1, o->len, o->dest) != o->len)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot write the output: %s", strerror(errno));
	return 0;
}

static int
write_json(struct mig_out *o, struct mig_error *e)
{
	if (o->verbatim != NULL) {
		if (fputs(o->verbatim, o->dest) == EOF)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "cannot write the output: %s", strerror(errno));
		return 0;
	}
	return mig_json_write(o->dest, o->stack[0], e);
}

int
mig_out_finish(struct mig_out *o)
{
	const struct mig_cli_cmd *c = o->cmd;
	struct mig_error e;
	FILE *dest = o->dest;
	int rc;

	mig_error_clear(&e);
	/* An object or array left open is a verb that lost its place. */
	if (o->failed == NULL && o->json && o->depth != 1)
		o->failed = MISUSE;
	if (o->failed != NULL)
		rc = mig_error_set(&e, o->failed == NOMEM ? MIG_E_NOMEM :
		    MIG_E_SYSTEM, NULL, "%s", o->failed);
	else if (o->json)
		rc = write_json(o, &e);
	else
		rc = write_text(o, &e);
	mig_out_free(o);
	if (rc == -1)
		return mig_cli_fail(c, &e, 0);
	if (dest != stdout)
		return fflush(dest) == EOF || ferror(dest) ? MIG_CLI_FAIL :
		    MIG_CLI_OK;
	return mig_cli_flush(c);
}

int
mig_out_nomem(const struct mig_cli_cmd *c)
{
	struct mig_error e;

	mig_error_clear(&e);
	(void)mig_error_set(&e, MIG_E_NOMEM, NULL, "%s", NOMEM);
	return mig_cli_fail(c, &e, 0);
}
