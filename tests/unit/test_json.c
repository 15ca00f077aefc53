/* SPDX-License-Identifier: ISC */
/* JSON output: fixed decimals, the error object, writing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>
#include <locale.h>
#include <math.h>

#include "common/migcommon.h"

static void
fixed_decimals(void **state)
{
	static const struct {
		double v;
		int dec;
		const char *want;
	} c[] = {
		/* §13.1: 100 GB at 100 Mbit/s */
		{ 3.1746031746, 2, "3.17" },
		{ 0.37037, 2, "0.37" },
		{ 19.0, 0, "19" },
		{ 6.5, 2, "6.50" },
		{ -0.001, 2, "0.00" },		/* no "-0.00" */
		{ -1.5, 1, "-1.5" },
		{ 1e20, 0, "100000000000000000000" },
		{ 2.5, -3, "2" },		/* decimals below 0 mean 0 */
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		struct json_object *o = mig_json_fixed(c[i].v, c[i].dec);

		assert_non_null(o);
		assert_string_equal(json_object_to_json_string(o), c[i].want);
		assert_true(json_object_is_type(o, json_type_double));
		json_object_put(o);
	}
	assert_null(mig_json_fixed(NAN, 2));
	assert_null(mig_json_fixed(INFINITY, 2));
}

/* A tool that calls setlocale() must still write '.' decimals. */
static void
fixed_ignores_locale(void **state)
{
	struct json_object *o;

	(void)state;
	/* ctest builds de_DE.UTF-8 under LOCPATH (tests/unit/common.cmake). */
	assert_non_null(setlocale(LC_NUMERIC, "de_DE.UTF-8"));
	assert_string_equal(localeconv()->decimal_point, ",");
	o = mig_json_fixed(3.1746, 2);
	(void)setlocale(LC_NUMERIC, "C");
	assert_non_null(o);
	assert_string_equal(json_object_to_json_string(o), "3.17");
	json_object_put(o);
}

static char *
written(struct json_object *o)
{
	char *buf = NULL;
	size_t len = 0;
	struct mig_error e;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	assert_int_equal(mig_json_write(f, o, &e), 0);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
write_pretty_noslash(void **state)
{
	struct json_object *o = json_object_new_object();
	char *s;

	(void)state;
	assert_int_equal(json_object_object_add(o, "url",
	    json_object_new_string("https://iam.example.com/v3")), 0);
	assert_int_equal(json_object_object_add(o, "hours",
	    mig_json_fixed(3.1746, 2)), 0);
	s = written(o);
	assert_string_equal(s, "{\n  \"url\":\"https://iam.example.com/v3\",\n"
	    "  \"hours\":3.17\n}\n");
	free(s);
	json_object_put(o);
}

static void
write_error_reported(void **state)
{
	struct json_object *o = json_object_new_int(1);
	struct mig_error e;
	FILE *f = fopen("/dev/full", "w");

	(void)state;
	assert_non_null(f);
	mig_error_clear(&e);
	assert_int_equal(mig_json_write(f, o, &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	(void)fclose(f);
	json_object_put(o);
}

static void
error_object(void **state)
{
	struct mig_error e;
	struct json_object *o, *v;

	(void)state;
	(void)mig_error_set(&e, MIG_E_NETWORK, "SMS.3806", "port 22 refused");
	o = mig_json_error(&e);
	assert_non_null(o);
	assert_true(json_object_object_get_ex(o, "code", &v));
	assert_string_equal(json_object_get_string(v), "SMS.3806");
	assert_true(json_object_object_get_ex(o, "message", &v));
	assert_string_equal(json_object_get_string(v), "port 22 refused");
	assert_true(json_object_object_get_ex(o, "remedy", &v));
	assert_string_equal(json_object_get_string(v),
	    mig_sms_lookup("SMS.3806")->remedy);
	json_object_put(o);

	(void)mig_error_set(&e, MIG_E_USAGE, NULL, "bad \"quote\"");
	o = mig_json_error(&e);
	assert_true(json_object_object_get_ex(o, "code", &v));
	assert_null(v);
	assert_true(json_object_object_get_ex(o, "remedy", &v));
	assert_null(v);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN),
	    "{\"code\":null,\"message\":\"bad \\\"quote\\\"\","
	    "\"remedy\":null}");
	json_object_put(o);
}

/* NULL from a constructor is out of memory; a null is asked for. */
static void
add_push_null(void **state)
{
	struct json_object *o = json_object_new_object();
	struct json_object *a = json_object_new_array();

	(void)state;
	assert_int_equal(mig_json_push(a, json_object_new_int(1)), 0);
	assert_int_equal(mig_json_push_null(a), 0);
	assert_int_equal(mig_json_push(a, NULL), -1);
	assert_int_equal(json_object_array_length(a), 2);
	assert_int_equal(mig_json_add(o, "a", a), 0);
	assert_int_equal(mig_json_null(o, "n"), 0);
	assert_int_equal(mig_json_add(o, "oom", NULL), -1);
	assert_int_equal(mig_json_add_fixed(o, "nan", NAN, 2), 0);
	assert_int_equal(mig_json_add_fixed(o, "h", 3.1746, 2), 0);
	assert_string_equal(json_object_to_json_string_ext(o,
	    JSON_C_TO_STRING_PLAIN),
	    "{\"a\":[1,null],\"n\":null,\"nan\":null,\"h\":3.17}");
	json_object_put(o);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fixed_decimals),
		cmocka_unit_test(fixed_ignores_locale),
		cmocka_unit_test(write_pretty_noslash),
		cmocka_unit_test(write_error_reported),
		cmocka_unit_test(error_object),
		cmocka_unit_test(add_push_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
