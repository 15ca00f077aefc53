/* SPDX-License-Identifier: ISC */
/* libmigcli's output path: the same calls give the text and the JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <math.h>

#include "common/migcli.h"

static const struct mig_cli_verb verb = { "show", "", "", NULL };
static const struct mig_cli tool = { "tool", NULL, &verb, 1, 1, NULL };
static const struct mig_cli_cmd cmd = { &tool, &verb };

/* What a verb would do: one sequence of calls for both forms. */
static void
emit(struct mig_out *o)
{
	static const char *const names[] = { "a", "b" };
	size_t i;

	mig_out_labels(o, 8);
	mig_out_label(o, "name");
	mig_out_str(o, "name", "%s\n", "eth0");
	mig_out_label(o, "packets");
	mig_out_u64(o, "sent", "%llu sent, ", UINT64_MAX);
	mig_out_i64(o, "lost", "%lld lost\n", -3);
	mig_out_label(o, "rate");
	mig_out_fixed(o, "mbit", 3, "%.1f Mbit/s\n", 12.34567);
	mig_out_json_fixed(o, "share", 0.5, 2);
	mig_out_json_fixed(o, "zero", -0.001, 2);
	mig_out_json_fixed(o, "jitter", NAN, 3);
	mig_out_json_bool(o, "ok", 1);
	mig_out_json_str(o, "gone", NULL);
	mig_out_null(o, "minutes");
	mig_out_open(o, "peer");
	mig_out_label(o, "peer");
	mig_out_str(o, "address", "%-10s|", "fd00::1");
	mig_out_json_i64(o, "port", 8900);
	mig_out_close(o);
	mig_out_text(o, "\n");
	mig_out_open_array(o, "rows");
	for (i = 0; i < 2; i++) {
		mig_out_open(o, NULL);
		mig_out_str(o, "row", "  %-4s", names[i]);
		mig_out_u64(o, "n", "%3llu\n", i);
		mig_out_close(o);
	}
	mig_out_close(o);
	mig_out_open_array(o, "samples");
	mig_out_fixed(o, NULL, 1, " %.2f", 1.25);
	mig_out_json_fixed(o, NULL, INFINITY, 1);
	mig_out_close(o);
	mig_out_text(o, "\nnote: %d%%\n", 5);
}

static const char want_text[] =
	"name     eth0\n"
	"packets  18446744073709551615 sent, -3 lost\n"
	"rate     12.3 Mbit/s\n"
	"peer     fd00::1   |\n"
	"  a     0\n"
	"  b     1\n"
	" 1.25\n"
	"note: 5%\n";

static const char want_json[] =
	"{\n"
	"  \"name\":\"eth0\",\n"
	"  \"sent\":18446744073709551615,\n"
	"  \"lost\":-3,\n"
	"  \"mbit\":12.346,\n"
	"  \"share\":0.50,\n"
	"  \"zero\":0.00,\n"
	"  \"jitter\":null,\n"
	"  \"ok\":true,\n"
	"  \"gone\":null,\n"
	"  \"minutes\":null,\n"
	"  \"peer\":{\n"
	"    \"address\":\"fd00::1\",\n"
	"    \"port\":8900\n"
	"  },\n"
	"  \"rows\":[\n"
	"    {\n"
	"      \"row\":\"a\",\n"
	"      \"n\":0\n"
	"    },\n"
	"    {\n"
	"      \"row\":\"b\",\n"
	"      \"n\":1\n"
	"    }\n"
	"  ],\n"
	"  \"samples\":[\n"
	"    1.2,\n"
	"    null\n"
	"  ]\n"
	"}\n";

/* Runs emit in one mode into a buffer; returns the exit status. */
static int
run(int json, void (*fn)(struct mig_out *), char **buf)
{
	struct mig_out *o;
	size_t len;
	FILE *f;
	int st;

	assert_non_null(f = open_memstream(buf, &len));
	assert_non_null(o = mig_out_new(&cmd, json));
	assert_int_equal(mig_out_is_json(o), json);
	mig_out_to(o, f);
	fn(o);
	st = mig_out_finish(o);
	assert_int_equal(fclose(f), 0);
	return st;
}

static void
text_form(void **state)
{
	char *buf = NULL;

	(void)state;
	assert_int_equal(run(0, emit, &buf), MIG_CLI_OK);
	assert_string_equal(buf, want_text);
	free(buf);
}

static void
json_form(void **state)
{
	struct json_object *got, *want;
	char *buf = NULL;

	(void)state;
	assert_int_equal(run(1, emit, &buf), MIG_CLI_OK);
	/* The bytes (decimals as written) and the document json-c reads. */
	assert_string_equal(buf, want_json);
	assert_non_null(got = json_tokener_parse(buf));
	assert_non_null(want = json_tokener_parse(want_json));
	assert_true(json_object_equal(got, want));
	assert_true(json_object_is_type(json_object_object_get(got,
	    "jitter"), json_type_null));
	json_object_put(got);
	json_object_put(want);
	free(buf);
}

static void
unbalanced(struct mig_out *o)
{
	mig_out_u64(o, "n", "%llu\n", 1);
	mig_out_close(o);
}

static void
left_open(struct mig_out *o)
{
	mig_out_open_array(o, "rows");
	mig_out_u64(o, NULL, "%llu\n", 1);
}

static void
too_deep(struct mig_out *o)
{
	int i;

	for (i = 0; i < 20; i++)
		mig_out_open(o, "x");
}

static void
nameless(struct mig_out *o)
{
	mig_out_json_str(o, NULL, "member without a key");
}

/* A failure sticks: nothing is written, the status says so. */
static void
failure_writes_nothing(void **state)
{
	char *buf = NULL;

	(void)state;
	assert_int_equal(run(1, unbalanced, &buf), MIG_CLI_FAIL);
	assert_string_equal(buf, "");
	free(buf);
	buf = NULL;
	assert_int_equal(run(1, left_open, &buf), MIG_CLI_FAIL);
	assert_string_equal(buf, "");
	free(buf);
	buf = NULL;
	assert_int_equal(run(1, too_deep, &buf), MIG_CLI_FAIL);
	assert_string_equal(buf, "");
	free(buf);
	buf = NULL;
	assert_int_equal(run(1, nameless, &buf), MIG_CLI_FAIL);
	assert_string_equal(buf, "");
	free(buf);
	/* Structure is JSON's only: text mode has nothing to get wrong. */
	buf = NULL;
	assert_int_equal(run(0, unbalanced, &buf), MIG_CLI_OK);
	assert_string_equal(buf, "1\n");
	free(buf);
}

static void
relay(struct mig_out *o)
{
	mig_out_text(o, "state  running\n");
	mig_out_json_verbatim(o, "{\"state\":\"running\"}\n");
}

static void
verbatim(void **state)
{
	char *buf = NULL;

	(void)state;
	assert_int_equal(run(1, relay, &buf), MIG_CLI_OK);
	assert_string_equal(buf, "{\"state\":\"running\"}\n");
	free(buf);
	buf = NULL;
	assert_int_equal(run(0, relay, &buf), MIG_CLI_OK);
	assert_string_equal(buf, "state  running\n");
	free(buf);
}

static void
dropped(void **state)
{
	struct mig_out *o;

	(void)state;
	/* A verb that fails after building part of its output. */
	assert_non_null(o = mig_out_new(&cmd, 1));
	mig_out_open_array(o, "rows");
	mig_out_u64(o, NULL, "%llu", 7);
	mig_out_free(o);
	assert_non_null(o = mig_out_new(&cmd, 0));
	mig_out_text(o, "half a table");
	mig_out_free(o);
	mig_out_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(text_form),
		cmocka_unit_test(json_form),
		cmocka_unit_test(failure_writes_nothing),
		cmocka_unit_test(verbatim),
		cmocka_unit_test(dropped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
