/* SPDX-License-Identifier: ISC */
/*
 * The error struct and the SMS catalog.  The list of the codes of facts is
 * written out here: /work/shared is not part of a checkout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "common/migcommon.h"

/* Every SMS code facts.md names. */
static const char *const spec_codes[] = {
	"SMS.0203", "SMS.0205", "SMS.0303", "SMS.0304", "SMS.0807",
	"SMS.1807", "SMS.2802", "SMS.2805", "SMS.2806", "SMS.3802",
	"SMS.3803", "SMS.3804", "SMS.3805", "SMS.3806", "SMS.9007",
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void
catalog_has_spec_codes(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < N(spec_codes); i++) {
		const struct mig_sms *s = mig_sms_lookup(spec_codes[i]);

		if (s == NULL)
			fail_msg("%s missing from the catalog", spec_codes[i]);
		else
			assert_string_equal(s->code, spec_codes[i]);
	}
}

/* The named constants stand for the codes written out here. */
static void
named_codes(void **state)
{
	static const struct {
		const char *named, *literal;
	} v[] = {
		{ MIG_SMS_API_GATEWAY, "SMS.0203" },
		{ MIG_SMS_CLOCK, "SMS.0205" },
		{ MIG_SMS_STATEMENT, "SMS.0208" },
		{ MIG_SMS_DOMAIN, "SMS.0303" },
		{ MIG_SMS_TLS, "SMS.0304" },
		{ MIG_SMS_TRANSFER_NET, "SMS.0807" },
		{ MIG_SMS_DISK_FULL, "SMS.1351" },
		{ MIG_SMS_NO_SSH, "SMS.1402" },
		{ MIG_SMS_DEST_UNREACHABLE, "SMS.1807" },
		{ MIG_SMS_RESPONDER_BUSY, "SMS.1890" },
		{ MIG_SMS_RESPONDER_KEY, "SMS.1891" },
		{ MIG_SMS_DEST_8899, "SMS.2802" },
		{ MIG_SMS_NET_FAULT_2805, "SMS.2805" },
		{ MIG_SMS_NET_FAULT_2806, "SMS.2806" },
		{ MIG_SMS_SSH_FAILED, "SMS.3802" },
		{ MIG_SMS_SSH_HOSTKEY, "SMS.3803" },
		{ MIG_SMS_SSH_AUTH, "SMS.3804" },
		{ MIG_SMS_SSH_TIMEOUT, "SMS.3805" },
		{ MIG_SMS_SSH_REFUSED, "SMS.3806" },
		{ MIG_SMS_NO_RSYNC, "SMS.6517" },
		{ MIG_SMS_OVERSPEED, "SMS.9007" },
	};
	size_t i;

	(void)state;
	assert_int_equal(N(v), mig_sms_count());
	for (i = 0; i < N(v); i++) {
		assert_string_equal(v[i].named, v[i].literal);
		assert_non_null(mig_sms_lookup(v[i].named));
	}
}

static int
well_formed_code(const char *c)
{
	size_t i;

	if (strlen(c) != 8 || strncmp(c, "SMS.", 4) != 0)
		return 0;
	for (i = 4; i < 8; i++) {
		if (c[i] < '0' || c[i] > '9')
			return 0;
	}
	return 1;
}

static void
catalog_sorted_unique_complete(void **state)
{
	size_t i, n = mig_sms_count();

	(void)state;
	assert_true(n >= N(spec_codes));
	for (i = 0; i < n; i++) {
		const struct mig_sms *s = mig_sms_at(i);

		assert_non_null(s);
		if (!well_formed_code(s->code))
			fail_msg("bad code '%s'", s->code);
		if (i > 0 && strcmp(mig_sms_at(i - 1)->code, s->code) >= 0)
			fail_msg("%s not after %s", s->code,
			    mig_sms_at(i - 1)->code);
		assert_true(s->message != NULL && s->message[0] != '\0');
		assert_true(s->remedy != NULL && s->remedy[0] != '\0');
		assert_true(s->section != NULL &&
		    strncmp(s->section, "§", strlen("§")) == 0);
		/* it must fit a mig_error whole */
		if (strlen(s->remedy) >= MIG_ERR_TEXT)
			fail_msg("%s remedy is %zu bytes", s->code,
			    strlen(s->remedy));
		assert_ptr_equal(mig_sms_lookup(s->code), s);
	}
	assert_null(mig_sms_at(n));
}

static void
catalog_lookup_misses(void **state)
{
	(void)state;
	assert_null(mig_sms_lookup(NULL));
	assert_null(mig_sms_lookup(""));
	assert_null(mig_sms_lookup("SMS.0000"));
	assert_null(mig_sms_lookup("SMS.99999"));
	assert_null(mig_sms_lookup("sms.0203"));
}

/* A few remedies carry the commands the document tells operators to run. */
static void
catalog_remedies_are_concrete(void **state)
{
	(void)state;
	assert_non_null(strstr(mig_sms_lookup("SMS.9007")->remedy,
	    "tc qdisc show dev"));
	assert_non_null(strstr(mig_sms_lookup("SMS.9007")->remedy,
	    "lsmod | grep sch_cbq"));
	assert_non_null(strstr(mig_sms_lookup("SMS.1807")->remedy, "8900"));
	assert_non_null(strstr(mig_sms_lookup("SMS.2802")->remedy, "8899"));
	assert_non_null(strstr(mig_sms_lookup("SMS.0304")->remedy,
	    "servercheck = False"));
	assert_non_null(strstr(mig_sms_lookup("SMS.0205")->remedy, "15"));
	assert_string_equal(mig_sms_lookup("SMS.9007")->section, "§16.58");
}

static void
set_fills_and_returns(void **state)
{
	struct mig_error e;
	char code[] = "SMS.0807";

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_error_set(&e, MIG_E_NETWORK, code, "lost %s:%d",
	    "10.0.0.2", 22), -1);
	assert_int_equal(e.kind, MIG_E_NETWORK);
	assert_string_equal(e.msg, "lost 10.0.0.2:22");
	assert_string_equal(e.remedy, mig_sms_lookup("SMS.0807")->remedy);
	/* the code survives the caller's buffer */
	memset(code, 0, sizeof(code));
	assert_string_equal(e.sms, "SMS.0807");
	mig_error_remedy(&e, "run %s", "ping");
	assert_string_equal(e.remedy, "run ping");
	assert_int_equal(mig_error_exit_status(&e), 3);

	assert_int_equal(mig_error_set(&e, MIG_E_CONFIG, NULL, "x"), -1);
	assert_null(e.sms);
	assert_string_equal(e.remedy, "");
	assert_int_equal(mig_error_exit_status(&e), 2);
	assert_int_equal(mig_error_set(NULL, MIG_E_USAGE, NULL, "x"), -1);
	mig_error_remedy(NULL, "nothing");
	mig_error_clear(NULL);
	assert_int_equal(mig_error_exit_status(NULL), 3);
}

static void
set_truncates(void **state)
{
	struct mig_error e;
	char big[1000];

	(void)state;
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	(void)mig_error_set(&e, MIG_E_SYSTEM, NULL, "%s", big);
	assert_int_equal(strlen(e.msg), MIG_ERR_TEXT - 1);
	mig_error_remedy(&e, "%s", big);
	assert_int_equal(strlen(e.remedy), MIG_ERR_TEXT - 1);
}

static void
exit_statuses(void **state)
{
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	e.kind = MIG_E_USAGE;
	assert_int_equal(mig_error_exit_status(&e), 2);
	e.kind = MIG_E_CONFIG;
	assert_int_equal(mig_error_exit_status(&e), 2);
	e.kind = MIG_E_SYSTEM;
	assert_int_equal(mig_error_exit_status(&e), 3);
	e.kind = MIG_E_NETWORK;
	assert_int_equal(mig_error_exit_status(&e), 3);
	e.kind = MIG_E_NOMEM;
	assert_int_equal(mig_error_exit_status(&e), 3);
}

static char *
printed(const char *prog, const struct mig_error *e)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	mig_error_print(f, prog, e);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
print_format(void **state)
{
	struct mig_error e;
	char *s;

	(void)state;
	(void)mig_error_set(&e, MIG_E_NETWORK, "SMS.3805", "port 22: timeout");
	mig_error_remedy(&e, "open port 22");
	s = printed("netcheck", &e);
	assert_string_equal(s, "netcheck: SMS.3805: port 22: timeout\n"
	    "  remedy: open port 22\n");
	free(s);
	(void)mig_error_set(&e, MIG_E_USAGE, NULL, "bad");
	s = printed(NULL, &e);
	assert_string_equal(s, "bad\n");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(catalog_has_spec_codes),
		cmocka_unit_test(named_codes),
		cmocka_unit_test(catalog_sorted_unique_complete),
		cmocka_unit_test(catalog_lookup_misses),
		cmocka_unit_test(catalog_remedies_are_concrete),
		cmocka_unit_test(set_fills_and_returns),
		cmocka_unit_test(set_truncates),
		cmocka_unit_test(exit_statuses),
		cmocka_unit_test(print_format),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
