/* SPDX-License-Identifier: ISC */
/*
 * The wire format (PROTOCOL.md): encode, decode, authenticate.  Everything
 * that arrives from the network goes through nc_msg_decode() first; it
 * reads nothing past n and trusts no field before the MAC is checked.
 */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "netcheck/proto.h"

static const unsigned char magic[3] = { 'N', 'C', 'K' };

void
nc_put64(unsigned char *p, uint64_t v)
{
	int i;

	for (i = 7; i >= 0; i--) {
		p[i] = v & 0xff;
		v >>= 8;
	}
}

uint64_t
nc_get64(const unsigned char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

size_t
nc_msg_min(const struct nc_key *key)
{
	return NC_HDR_LEN + (key != NULL && key->len > 0 ? NC_MAC_LEN : 0);
}

static int
mac(const struct nc_key *key, const unsigned char *buf, size_t n,
    unsigned char out[NC_MAC_LEN])
{
	unsigned int outlen = 0;

	if (HMAC(EVP_sha256(), key->bytes, (int)key->len, buf, n, out,
	    &outlen) == NULL || outlen != NC_MAC_LEN)
		return -1;
	return 0;
}

int
nc_msg_encode(const struct nc_msg *m, unsigned char *buf, size_t cap,
    const struct nc_key *key, int zero_pad)
{
	int keyed = key != NULL && key->len > 0;
	size_t end;

	if (m->len < nc_msg_min(key) || m->len > cap)
		return -1;
	end = m->len - (keyed ? NC_MAC_LEN : 0);
	memcpy(buf, magic, sizeof(magic));
	buf[3] = NC_PROTO_VERSION;
	buf[4] = m->type;
	buf[5] = keyed ? NC_FLAG_MAC : 0;
	buf[6] = m->len >> 8;
	buf[7] = m->len & 0xff;
	nc_put64(buf + 8, m->token);
	nc_put64(buf + 16, m->seq);
	nc_put64(buf + 24, m->t1);
	nc_put64(buf + 32, m->t2);
	nc_put64(buf + 40, m->t3);
	nc_put64(buf + 48, m->a);
	nc_put64(buf + 56, m->b);
	if (zero_pad && end > NC_HDR_LEN)
		memset(buf + NC_HDR_LEN, 0, end - NC_HDR_LEN);
	if (keyed && mac(key, buf, end, buf + end) == -1)
		return -1;
	return 0;
}

long
nc_msg_peek_len(const unsigned char *buf, size_t n)
{
	long len;

	if (n < 8 || memcmp(buf, magic, sizeof(magic)) != 0 ||
	    buf[3] != NC_PROTO_VERSION)
		return -1;
	len = (long)buf[6] << 8 | buf[7];
	if (len < NC_HDR_LEN || len > NC_TCP_MSG_MAX)
		return -1;
	return len;
}

static int
fail(const char **why, const char *reason)
{
	if (why != NULL)
		*why = reason;
	return -1;
}

int
nc_msg_decode(const unsigned char *buf, size_t n, int exact,
    const struct nc_key *key, struct nc_msg *m, const char **why)
{
	unsigned char want[NC_MAC_LEN];
	int keyed = key != NULL && key->len > 0;
	size_t len;

	if (n < NC_HDR_LEN)
		return fail(why, "truncated");
	if (memcmp(buf, magic, sizeof(magic)) != 0)
		return fail(why, "bad magic");
	if (buf[3] != NC_PROTO_VERSION)
		return fail(why, "unsupported version");
	len = (size_t)buf[6] << 8 | buf[7];
	if (len < NC_HDR_LEN || len > n || (exact && len != n))
		return fail(why, "bad length");
	if (!!(buf[5] & NC_FLAG_MAC) != keyed)
		return fail(why, keyed ? "no MAC" : "unexpected MAC");
	if (buf[5] & ~NC_FLAG_MAC)
		return fail(why, "unknown flags");
	if (keyed) {
		if (len < NC_HDR_LEN + NC_MAC_LEN)
			return fail(why, "truncated");
		if (mac(key, buf, len - NC_MAC_LEN, want) == -1)
			return fail(why, "HMAC failed");
		if (CRYPTO_memcmp(want, buf + len - NC_MAC_LEN,
		    NC_MAC_LEN) != 0)
			return fail(why, "bad MAC");
	}
	m->type = buf[4];
	m->flags = buf[5];
	m->len = (uint16_t)len;
	m->token = nc_get64(buf + 8);
	m->seq = nc_get64(buf + 16);
	m->t1 = nc_get64(buf + 24);
	m->t2 = nc_get64(buf + 32);
	m->t3 = nc_get64(buf + 40);
	m->a = nc_get64(buf + 48);
	m->b = nc_get64(buf + 56);
	return 0;
}

unsigned
nc_msg_other_version(const unsigned char *buf, size_t n)
{
	if (n < 4 || memcmp(buf, magic, sizeof(magic)) != 0 ||
	    buf[3] == NC_PROTO_VERSION)
		return 0;
	return buf[3];
}

enum nc_key_verdict
nc_key_verdict_of(const char *why)
{
	if (why == NULL)
		return NC_KEY_OK;
	if (strcmp(why, "unexpected MAC") == 0)
		return NC_KEY_NEEDED;
	if (strcmp(why, "no MAC") == 0)
		return NC_KEY_UNWANTED;
	if (strcmp(why, "bad MAC") == 0)
		return NC_KEY_BAD;
	return NC_KEY_OK;
}

int
nc_random(void *buf, size_t n)
{
	if (n > 0x7fffffff || RAND_bytes(buf, (int)n) != 1)
		return -1;
	return 0;
}
