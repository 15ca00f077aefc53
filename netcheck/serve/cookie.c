/* SPDX-License-Identifier: ISC */
/*
 * Cookies: before a keyless OPEN takes a session, its sender shows that it
 * receives at the address it claims (DTLS's HelloVerifyRequest, QUIC's
 * Retry, WireGuard's cookie reply).  The cookie is an HMAC of the address,
 * port and the OPEN's nonce under a secret that is replaced every 30 s;
 * the responder keeps nothing per sender, so spoofed OPENs cost it one
 * HMAC and one reply no larger than the OPEN.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "netcheck/serve/serve_int.h"

/*
 * One HMAC context per secret, keyed once: a flood of OPENs then costs no
 * allocation per packet (HMAC() sets up a context every call).
 */
static int
key_ctx(struct cookie_jar *j, int i)
{
	char digest[] = "SHA256";
	OSSL_PARAM p[2];
	EVP_MAC *mac;

	if (j->ctx[i] == NULL) {
		if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) == NULL)
			return -1;
		j->ctx[i] = EVP_MAC_CTX_new(mac);
		EVP_MAC_free(mac);
		if (j->ctx[i] == NULL)
			return -1;
	}
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest,
	    0);
	p[1] = OSSL_PARAM_construct_end();
	return EVP_MAC_init(j->ctx[i], j->secret[i], SRV_COOKIE_SECRET, p) ==
	    1 ? 0 : -1;
}

int
srv_cookie_init(struct nc_server *s, uint64_t now)
{
	s->jar.rotated = now;
	s->jar.have_old = 0;
	if (nc_random(s->jar.secret[0], SRV_COOKIE_SECRET) == -1)
		return -1;
	return key_ctx(&s->jar, 0);
}

void
srv_cookie_free(struct nc_server *s)
{
	EVP_MAC_CTX_free(s->jar.ctx[0]);
	EVP_MAC_CTX_free(s->jar.ctx[1]);
	explicit_bzero(&s->jar, sizeof(s->jar));
}

void
srv_cookie_rotate(struct nc_server *s, uint64_t now)
{
	unsigned char fresh[SRV_COOKIE_SECRET];

	if (now - s->jar.rotated < SRV_COOKIE_SLOT)
		return;
	/* Without fresh randomness the old secret stays: still unguessable. */
	if (nc_random(fresh, sizeof(fresh)) == -1)
		return;
	memcpy(s->jar.secret[1], s->jar.secret[0], SRV_COOKIE_SECRET);
	memcpy(s->jar.secret[0], fresh, SRV_COOKIE_SECRET);
	explicit_bzero(fresh, sizeof(fresh));
	s->jar.rotated = now;
	/* A context that cannot be keyed leaves no cookie valid: safe. */
	s->jar.have_old = key_ctx(&s->jar, 1) == 0;
	if (key_ctx(&s->jar, 0) == -1)
		s->jar.have_old = 0;
}

/* family, address, port, nonce: what the cookie is bound to. */
static size_t
bound_bytes(const struct nc_addr *a, uint64_t nonce, unsigned char *out)
{
	const struct sockaddr_in *a4 = (const struct sockaddr_in *)&a->ss;
	const struct sockaddr_in6 *a6 = (const struct sockaddr_in6 *)&a->ss;
	size_t n = 0;

	out[n++] = (unsigned char)a->ss.ss_family;
	if (a->ss.ss_family == AF_INET6) {
		memcpy(out + n, &a6->sin6_addr, 16);
		n += 16;
		memcpy(out + n, &a6->sin6_port, 2);
	} else {
		memcpy(out + n, &a4->sin_addr, 4);
		n += 4;
		memcpy(out + n, &a4->sin_port, 2);
	}
	n += 2;
	nc_put64(out + n, nonce);
	return n + 8;
}

uint64_t
srv_cookie(const struct nc_server *s, int old,
    const struct nc_addr *from, uint64_t nonce)
{
	EVP_MAC_CTX *ctx = s->jar.ctx[old ? 1 : 0];
	unsigned char in[32], out[EVP_MAX_MD_SIZE];
	size_t n = bound_bytes(from, nonce, in), outlen = 0;
	uint64_t c;

	/* NULL key: the context's own, set when the secret was. */
	if (ctx == NULL || EVP_MAC_init(ctx, NULL, 0, NULL) != 1 ||
	    EVP_MAC_update(ctx, in, n) != 1 ||
	    EVP_MAC_final(ctx, out, &outlen, sizeof(out)) != 1 || outlen < 8)
		return 0;
	c = nc_get64(out);
	return c != 0 ? c : 1;	/* 0 means "no cookie yet" on the wire */
}

int
srv_cookie_ok(const struct nc_server *s, const struct nc_addr *from,
    uint64_t nonce, uint64_t cookie)
{
	unsigned char a[8], b[8];
	uint64_t c;

	if (cookie == 0 || (c = srv_cookie(s, 0, from, nonce)) == 0)
		return 0;
	nc_put64(a, cookie);
	nc_put64(b, c);
	if (CRYPTO_memcmp(a, b, 8) == 0)
		return 1;
	if (!s->jar.have_old || (c = srv_cookie(s, 1, from, nonce)) == 0)
		return 0;
	nc_put64(b, c);
	return CRYPTO_memcmp(a, b, 8) == 0;
}
