// SPDX-License-Identifier: MIT
#include "lib/snp/snp_id_key.h"

#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "lib/core/crypto.h"
#include "lib/core/io.h"

#define MAX_KEY_FILE 65536

static enum cgs_err decode_key(const uint8_t *data, size_t len, EVP_PKEY **ret,
			       struct cgs_diag *d)
{
	EVP_PKEY *pkey = NULL;
	OSSL_DECODER_CTX *dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, NULL, NULL, "EC",
							       OSSL_KEYMGMT_SELECT_PRIVATE_KEY,
							       NULL, NULL);
	const unsigned char *p = data;
	size_t left = len;
	int ok;

	if (!dctx)
		return cgs_diag_openssl(d, "cannot set up the key decoder");
	ok = OSSL_DECODER_from_data(dctx, &p, &left);
	OSSL_DECODER_CTX_free(dctx);
	if (!ok || !pkey) {
		EVP_PKEY_free(pkey);
		cgs_diag_openssl(d, "not an unencrypted EC private key (PEM or DER)");
		if (d) {
			d->err = CGS_E_MALFORMED;
			snprintf(d->field, sizeof(d->field), "key");
		}
		return CGS_E_MALFORMED;
	}
	*ret = pkey;
	return CGS_OK;
}

static enum cgs_err coord(EVP_PKEY *pkey, const char *name, uint8_t out[48],
			  struct cgs_diag *d)
{
	BIGNUM *bn = NULL;
	int ok = EVP_PKEY_get_bn_param(pkey, name, &bn) && BN_bn2binpad(bn, out, 48) == 48;

	BN_free(bn);
	return ok ? CGS_OK : cgs_diag_openssl(d, "cannot read the public key");
}

/* the SNP public-key structure of a P-384 key and its SHA-384 */
static enum cgs_err pub_digest(EVP_PKEY *pkey, uint8_t pub[SNP_PUBKEY_LEN], uint8_t digest[48],
			       struct cgs_diag *d)
{
	uint8_t x[48], y[48];
	char group[32] = "";
	enum cgs_err err;

	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME, group,
					    sizeof(group), NULL) ||
	    strcmp(group, "secp384r1") != 0)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "curve", CGS_DIAG_NO_OFFSET,
				    "EC key on curve '%s', SNP needs P-384 (secp384r1)",
				    group[0] ? group : "?");
	err = coord(pkey, OSSL_PKEY_PARAM_EC_PUB_X, x, d);
	if (!err)
		err = coord(pkey, OSSL_PKEY_PARAM_EC_PUB_Y, y, d);
	if (!err)
		err = snp_pubkey_build(x, 48, y, 48, pub, d);
	if (!err)
		err = cgs_digest("SHA384", pub, SNP_PUBKEY_LEN, digest, NULL, d);
	return err;
}

enum cgs_err snp_id_key_load(const char *path, struct snp_id_key *ret, struct cgs_diag *d)
{
	uint8_t *data = NULL;
	size_t len;
	enum cgs_err err = cgs_read_file(path, MAX_KEY_FILE, &data, &len, d);

	memset(ret, 0, sizeof(*ret));
	if (err)
		return err;
	err = decode_key(data, len, &ret->pkey, d);
	cgs_free_secret(data, len);
	if (err)
		return err;
	if ((err = pub_digest(ret->pkey, ret->pub, ret->digest, d)))
		snp_id_key_free(ret);
	return err;
}

/* a public key from a certificate or a SubjectPublicKeyInfo, PEM or DER */
static EVP_PKEY *public_key(const uint8_t *data, size_t len)
{
	BIO *bio = BIO_new_mem_buf(data, (int)len), *bio2 = BIO_new_mem_buf(data, (int)len);
	const unsigned char *p = data;
	EVP_PKEY *k = NULL;
	X509 *x = NULL;

	if (bio && bio2 && !(x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		k = PEM_read_bio_PUBKEY(bio2, NULL, NULL, NULL);
	if (!x && !k && !(x = d2i_X509(NULL, &p, (long)len))) {
		p = data;
		k = d2i_PUBKEY(NULL, &p, (long)len);
	}
	if (x) {
		k = X509_get_pubkey(x);
		X509_free(x);
	}
	BIO_free(bio);
	BIO_free(bio2);
	ERR_clear_error();
	return k;
}

enum cgs_err snp_id_key_digest_file(const char *path, uint8_t digest[48], struct cgs_diag *d)
{
	uint8_t *data = NULL, pub[SNP_PUBKEY_LEN];
	size_t len;
	EVP_PKEY *k;
	enum cgs_err err = cgs_read_file(path, MAX_KEY_FILE, &data, &len, d);

	if (err)
		return err;
	k = public_key(data, len);
	if (!k) {
		struct snp_id_key priv;

		cgs_free_secret(data, len);
		if ((err = snp_id_key_load(path, &priv, d)))
			return cgs_diag_set(d, err == CGS_E_NOINPUT ? err : CGS_E_MALFORMED, "key",
					    CGS_DIAG_NO_OFFSET,
					    "not a P-384 certificate, public key or private key");
		memcpy(digest, priv.digest, 48);
		snp_id_key_free(&priv);
		return CGS_OK;
	}
	cgs_free_secret(data, len);
	err = pub_digest(k, pub, digest, d);
	EVP_PKEY_free(k);
	return err;
}

void snp_id_key_free(struct snp_id_key *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

enum cgs_err snp_id_key_sign(const struct snp_id_key *k, const uint8_t *data, size_t len,
			     uint8_t sig[SNP_SIG_LEN], struct cgs_diag *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned char der[256], r[48], s[48];
	const unsigned char *p = der;
	size_t dlen = sizeof(der);
	ECDSA_SIG *es = NULL;
	int ok;

	ok = ctx && EVP_DigestSignInit_ex(ctx, NULL, "SHA384", NULL, NULL, k->pkey, NULL) &&
	     EVP_DigestSign(ctx, der, &dlen, data, len);
	EVP_MD_CTX_free(ctx);
	if (ok)
		es = d2i_ECDSA_SIG(NULL, &p, (long)dlen);
	ok = es && BN_bn2binpad(ECDSA_SIG_get0_r(es), r, 48) == 48 &&
	     BN_bn2binpad(ECDSA_SIG_get0_s(es), s, 48) == 48;
	ECDSA_SIG_free(es);
	if (!ok)
		return cgs_diag_openssl(d, "ECDSA P-384 signing failed");
	return snp_sig_build(r, 48, s, 48, sig, d);
}
