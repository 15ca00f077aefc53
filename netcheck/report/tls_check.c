/* SPDX-License-Identifier: ISC */
/*
 * The client TLS context of the endpoint checks.  Verification is on by
 * default (the original agent's servercheck = True); the per-connection
 * settings (SNI, host name check, --insecure) are made in endpoints.c.
 */
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "netcheck/report/report_int.h"

int
rep_tls_ctx_new(const char *ca_file, struct ssl_ctx_st **out,
    struct mig_error *e)
{
	char why[256];
	SSL_CTX *ctx;

	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "SSL_CTX_new failed");
	if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1) {
		SSL_CTX_free(ctx);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot require TLS 1.2");
	}
	if (ca_file != NULL) {
		if (SSL_CTX_load_verify_locations(ctx, ca_file, NULL) != 1) {
			ERR_error_string_n(ERR_get_error(), why, sizeof(why));
			ERR_clear_error();
			SSL_CTX_free(ctx);
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "CA file %s: cannot load: %s", ca_file, why);
		}
	} else if (SSL_CTX_set_default_verify_paths(ctx) != 1) {
		SSL_CTX_free(ctx);
		ERR_clear_error();
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot load the system's CA certificates");
	}
	*out = ctx;
	return 0;
}

void
rep_tls_ctx_free(struct ssl_ctx_st *ctx)
{
	SSL_CTX_free(ctx);
}
