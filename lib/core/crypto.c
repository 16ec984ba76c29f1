// SPDX-License-Identifier: MIT
#include "lib/core/crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/rand.h>

#include <string.h>

#include "lib/core/io.h"

enum cgs_err cgs_digest(const char *name, const void *data, size_t len, uint8_t *out,
			size_t *ret_len, struct cgs_diag *d)
{
	EVP_MD *md = EVP_MD_fetch(NULL, name, NULL);
	unsigned int n = 0;
	int ok;

	if (!md)
		return cgs_diag_openssl(d, "digest %s unavailable", name);
	ok = EVP_Digest(data, len, out, &n, md, NULL);
	EVP_MD_free(md);
	if (!ok)
		return cgs_diag_openssl(d, "%s failed", name);
	if (ret_len)
		*ret_len = n;
	return CGS_OK;
}

struct multi_ctx {
	EVP_MD_CTX **ctx;
	size_t n;
};

static enum cgs_err multi_update(void *arg, const uint8_t *data, size_t len)
{
	struct multi_ctx *m = arg;

	for (size_t i = 0; i < m->n; i++)
		if (!EVP_DigestUpdate(m->ctx[i], data, len))
			return CGS_E_CRYPTO;
	return CGS_OK;
}

enum cgs_err cgs_digest_file_multi(const char *path, const char *const *names, size_t n,
				   uint8_t (*outs)[CGS_MAX_MD], uint64_t *ret_size,
				   struct cgs_diag *d)
{
	EVP_MD_CTX *ctx[4] = { 0 };
	struct multi_ctx m = { ctx, n };
	enum cgs_err err = CGS_OK;
	size_t i;

	if (n > 4)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "too many digests");
	for (i = 0; i < n && !err; i++) {
		EVP_MD *md = EVP_MD_fetch(NULL, names[i], NULL);

		ctx[i] = EVP_MD_CTX_new();
		if (!md || !ctx[i] || !EVP_DigestInit_ex(ctx[i], md, NULL))
			err = cgs_diag_openssl(d, "cannot start %s", names[i]);
		EVP_MD_free(md);
	}
	if (!err)
		err = cgs_stream_file(path, multi_update, &m, ret_size, d);
	if (err == CGS_E_CRYPTO && d && !d->text[0])
		cgs_diag_openssl(d, "digest update failed");
	for (i = 0; i < n && !err; i++)
		if (!EVP_DigestFinal_ex(ctx[i], outs[i], NULL))
			err = cgs_diag_openssl(d, "digest failed");
	for (i = 0; i < n; i++)
		EVP_MD_CTX_free(ctx[i]);
	return err;
}

enum cgs_err cgs_digest_file(const char *name, const char *path, uint8_t *out, size_t *ret_len,
			     uint64_t *ret_size, struct cgs_diag *d)
{
	uint8_t tmp[1][CGS_MAX_MD];
	const char *names[1] = { name };
	EVP_MD *md;
	enum cgs_err err = cgs_digest_file_multi(path, names, 1, tmp, ret_size, d);

	if (err)
		return err;
	md = EVP_MD_fetch(NULL, name, NULL);
	if (!md)
		return cgs_diag_openssl(d, "digest %s unavailable", name);
	if (ret_len)
		*ret_len = (size_t)EVP_MD_get_size(md);
	memcpy(out, tmp[0], (size_t)EVP_MD_get_size(md));
	EVP_MD_free(md);
	return CGS_OK;
}

enum cgs_err cgs_hmac(const char *md, const void *key, size_t keylen, const void *data,
		      size_t len, uint8_t *out, size_t *ret_len, struct cgs_diag *d)
{
	size_t n = 0;

	if (!EVP_Q_mac(NULL, "HMAC", NULL, md, NULL, key, keylen, data, len, out, CGS_MAX_MD, &n))
		return cgs_diag_openssl(d, "HMAC-%s failed", md);
	if (ret_len)
		*ret_len = n;
	return CGS_OK;
}

int cgs_ct_equal(const void *a, const void *b, size_t len)
{
	return CRYPTO_memcmp(a, b, len) == 0;
}

enum cgs_err cgs_random(void *out, size_t len, struct cgs_diag *d)
{
	if (len > INT32_MAX || RAND_bytes(out, (int)len) != 1)
		return cgs_diag_openssl(d, "random generator failed");
	return CGS_OK;
}

void cgs_wipe(void *p, size_t len)
{
	OPENSSL_cleanse(p, len);
}

enum cgs_err cgs_ec_check_curve(EVP_PKEY *key, const char *curve, struct cgs_diag *d)
{
	char group[64] = "";
	size_t n = 0;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "key", CGS_DIAG_NO_OFFSET,
				    "not an EC key (a %s key is required)", curve);
	if (!EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, group, sizeof(group),
					    &n) ||
	    strcmp(group, curve) != 0) {
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "key", CGS_DIAG_NO_OFFSET,
				    "EC key on curve '%s' (%s is required)",
				    group[0] ? group : "unknown", curve);
	}
	return CGS_OK;
}
