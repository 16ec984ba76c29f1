// SPDX-License-Identifier: MIT
/* IBM Z Secure Execution cryptography on OpenSSL 3. */
#include "lib/s390/s390_pv_crypto.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <string.h>

#include "lib/core/crypto.h"
#include "lib/core/endian.h"

#define P521_NAME "secp521r1"
#define P521_BYTES 66u
#define COORD_HALF 80u

enum cgs_err s390_pv_ec_generate(EVP_PKEY **ret, struct cgs_diag *d)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", P521_NAME);

	if (!k)
		return cgs_diag_openssl(d, "cannot generate a secp521r1 key");
	*ret = k;
	return CGS_OK;
}

enum cgs_err s390_pv_ec_check(EVP_PKEY *key, struct cgs_diag *d)
{
	return cgs_ec_check_curve(key, P521_NAME, d);
}

static enum cgs_err key_from_scalar(const uint8_t *s, size_t len, EVP_PKEY **ret,
				    struct cgs_diag *d)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *priv = BN_bin2bn(s, (int)len, NULL);
	BIGNUM *order = NULL;
	EC_GROUP *grp = EC_GROUP_new_by_curve_name(NID_secp521r1);
	EC_POINT *pub = NULL;
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	uint8_t pubbuf[1 + 2 * P521_BYTES];
	enum cgs_err err = CGS_OK;
	size_t publen;

	if (!bld || !priv || !grp) {
		err = cgs_diag_openssl(d, "cannot load a private key");
		goto out;
	}
	order = BN_dup(EC_GROUP_get0_order(grp));
	if (BN_is_zero(priv) || !order || BN_cmp(priv, order) >= 0) {
		err = cgs_diag_set(d, CGS_E_MALFORMED, "key", CGS_DIAG_NO_OFFSET,
				   "private scalar out of range for secp521r1");
		goto out;
	}
	pub = EC_POINT_new(grp);
	if (!pub || !EC_POINT_mul(grp, pub, priv, NULL, NULL, NULL) ||
	    !(publen = EC_POINT_point2oct(grp, pub, POINT_CONVERSION_UNCOMPRESSED, pubbuf,
					  sizeof(pubbuf), NULL)) ||
	    !OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, P521_NAME, 0) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) ||
	    !OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, pubbuf, publen) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) ||
	    !(ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL)) ||
	    EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, ret, EVP_PKEY_KEYPAIR, params) <= 0)
		err = cgs_diag_openssl(d, "cannot build the secp521r1 key");
out:
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(pub);
	EC_GROUP_free(grp);
	BN_free(order);
	BN_clear_free(priv);
	cgs_wipe(pubbuf, sizeof(pubbuf));
	return err;
}

enum cgs_err s390_pv_ec_priv_load(const uint8_t *data, size_t len, EVP_PKEY **ret,
				  struct cgs_diag *d)
{
	EVP_PKEY *k;
	BIO *bio;
	enum cgs_err err;

	if (len >= 10 && !memcmp(data, "-----BEGIN", 10)) {
		bio = BIO_new_mem_buf(data, (int)len);
		k = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		if (!k) {
			ERR_clear_error();
			return cgs_diag_set(d, CGS_E_MALFORMED, "key", CGS_DIAG_NO_OFFSET,
					    "not a readable PEM private key");
		}
		err = s390_pv_ec_check(k, d);
		if (err) {
			EVP_PKEY_free(k);
			return err;
		}
		*ret = k;
		return CGS_OK;
	}
	if (len == 0 || len > S390_PV_EC_SCALAR_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "key", CGS_DIAG_NO_OFFSET,
				    "a raw secp521r1 private key has 1..%u bytes, not %zu",
				    S390_PV_EC_SCALAR_MAX, len);
	return key_from_scalar(data, len, ret, d);
}

static enum cgs_err get_bn(EVP_PKEY *key, const char *name, uint8_t *out, struct cgs_diag *d)
{
	BIGNUM *bn = NULL;
	int ok;

	if (!EVP_PKEY_get_bn_param(key, name, &bn))
		return cgs_diag_openssl(d, "cannot read the EC public key");
	ok = BN_bn2binpad(bn, out, COORD_HALF) == (int)COORD_HALF;
	BN_free(bn);
	if (!ok)
		return cgs_diag_set(d, CGS_E_CRYPTO, "key", CGS_DIAG_NO_OFFSET,
				    "EC coordinate too large");
	return CGS_OK;
}

enum cgs_err s390_pv_ec_coords(EVP_PKEY *key, uint8_t out[S390_PV_COORD_SIZE], struct cgs_diag *d)
{
	enum cgs_err err = s390_pv_ec_check(key, d);

	if (!err)
		err = get_bn(key, OSSL_PKEY_PARAM_EC_PUB_X, out, d);
	if (!err)
		err = get_bn(key, OSSL_PKEY_PARAM_EC_PUB_Y, out + COORD_HALF, d);
	return err;
}

enum cgs_err s390_pv_ec_from_coords(const uint8_t in[S390_PV_COORD_SIZE], EVP_PKEY **ret,
				    struct cgs_diag *d)
{
	uint8_t pt[1 + 2 * P521_BYTES];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *k = NULL;
	size_t pad = COORD_HALF - P521_BYTES;

	for (size_t i = 0; i < pad; i++)
		if (in[i] || in[COORD_HALF + i])
			return cgs_diag_set(d, CGS_E_MALFORMED, "coordinates", i,
					    "EC coordinate wider than 521 bits");
	pt[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(pt + 1, in + pad, P521_BYTES);
	memcpy(pt + 1 + P521_BYTES, in + COORD_HALF + pad, P521_BYTES);
	static char group[] = P521_NAME;

	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, "coordinates", CGS_DIAG_NO_OFFSET,
				    "not a point on secp521r1");
	}
	EVP_PKEY_CTX_free(ctx);
	ctx = EVP_PKEY_CTX_new(k, NULL);
	if (!ctx || EVP_PKEY_public_check(ctx) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		EVP_PKEY_free(k);
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, "coordinates", CGS_DIAG_NO_OFFSET,
				    "not a valid secp521r1 public key");
	}
	EVP_PKEY_CTX_free(ctx);
	*ret = k;
	return CGS_OK;
}

enum cgs_err s390_pv_phkh(EVP_PKEY *key, uint8_t out[S390_PV_PHKH_SIZE], struct cgs_diag *d)
{
	uint8_t c[S390_PV_COORD_SIZE];
	enum cgs_err err = s390_pv_ec_coords(key, c, d);

	if (!err)
		err = cgs_digest("SHA256", c, sizeof(c), out, NULL, d);
	return err;
}

enum cgs_err s390_pv_derive_key(EVP_PKEY *priv, EVP_PKEY *peer, uint8_t out[32], struct cgs_diag *d)
{
	uint8_t z[P521_BYTES + 4];
	size_t zlen = P521_BYTES;
	EVP_PKEY_CTX *ctx;
	enum cgs_err err;

	if ((err = s390_pv_ec_check(priv, d)) || (err = s390_pv_ec_check(peer, d)))
		return err;
	ctx = EVP_PKEY_CTX_new(priv, NULL);
	if (!ctx || EVP_PKEY_derive_init(ctx) <= 0 || EVP_PKEY_derive_set_peer(ctx, peer) <= 0 ||
	    EVP_PKEY_derive(ctx, z, &zlen) <= 0 || zlen != P521_BYTES) {
		EVP_PKEY_CTX_free(ctx);
		return cgs_diag_openssl(d, "ECDH key agreement failed");
	}
	EVP_PKEY_CTX_free(ctx);
	cgs_put_be32(z + P521_BYTES, 1);
	err = cgs_digest("SHA256", z, sizeof(z), out, NULL, d);
	cgs_wipe(z, sizeof(z));
	return err;
}

static enum cgs_err gcm(int enc, const uint8_t key[32], const uint8_t iv[12], const uint8_t *aad,
			size_t aad_len, const uint8_t *in, size_t len, uint8_t *out, uint8_t *tag,
			struct cgs_diag *d)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int n = 0, ok;

	ok = ctx && EVP_CipherInit_ex2(ctx, EVP_aes_256_gcm(), key, iv, enc, NULL) &&
	     (!aad_len || EVP_CipherUpdate(ctx, NULL, &n, aad, (int)aad_len)) &&
	     (!len || EVP_CipherUpdate(ctx, out, &n, in, (int)len)) &&
	     (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, 16, tag));
	if (!ok) {
		EVP_CIPHER_CTX_free(ctx);
		return cgs_diag_openssl(d, "AES-256-GCM failed");
	}
	ok = EVP_CipherFinal_ex(ctx, out + n, &n);
	if (ok && enc)
		ok = EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, 16, tag);
	EVP_CIPHER_CTX_free(ctx);
	if (!ok && !enc) {
		ERR_clear_error();
		cgs_wipe(out, len);
		return cgs_diag_set(d, CGS_E_VERIFY, "tag", CGS_DIAG_NO_OFFSET,
				    "AES-GCM authentication failed (wrong key or modified data)");
	}
	if (!ok)
		return cgs_diag_openssl(d, "AES-256-GCM failed");
	return CGS_OK;
}

enum cgs_err s390_pv_gcm_seal(const uint8_t key[32], const uint8_t iv[S390_PV_IV_SIZE],
			      const uint8_t *aad, size_t aad_len, const uint8_t *pt, size_t len,
			      uint8_t *ct, uint8_t tag[S390_PV_TAG_SIZE], struct cgs_diag *d)
{
	return gcm(1, key, iv, aad, aad_len, pt, len, ct, tag, d);
}

enum cgs_err s390_pv_gcm_open(const uint8_t key[32], const uint8_t iv[S390_PV_IV_SIZE],
			      const uint8_t *aad, size_t aad_len, const uint8_t *ct, size_t len,
			      const uint8_t tag[S390_PV_TAG_SIZE], uint8_t *pt, struct cgs_diag *d)
{
	uint8_t t[S390_PV_TAG_SIZE];

	memcpy(t, tag, sizeof(t));
	return gcm(0, key, iv, aad, aad_len, ct, len, pt, t, d);
}

static const uint8_t zero_iv[S390_PV_IV_SIZE];

enum cgs_err s390_pv_keyslot_make(EVP_PKEY *cust_priv, EVP_PKEY *host_pub,
				  const uint8_t prot_key[32], struct s390_pv_keyslot *ret,
				  struct cgs_diag *d)
{
	uint8_t k[32];
	enum cgs_err err = s390_pv_phkh(host_pub, ret->phkh, d);

	if (!err)
		err = s390_pv_derive_key(cust_priv, host_pub, k, d);
	if (!err)
		err =
		    s390_pv_gcm_seal(k, zero_iv, NULL, 0, prot_key, 32, ret->wrapped, ret->tag, d);
	cgs_wipe(k, sizeof(k));
	return err;
}

enum cgs_err s390_pv_keyslot_open(EVP_PKEY *host_priv, EVP_PKEY *cust_pub,
				  const struct s390_pv_keyslot *slot, uint8_t prot_key[32],
				  struct cgs_diag *d)
{
	uint8_t k[32];
	enum cgs_err err = s390_pv_derive_key(host_priv, cust_pub, k, d);

	if (!err)
		err = s390_pv_gcm_open(k, zero_iv, NULL, 0, slot->wrapped, 32, slot->tag, prot_key,
				       d);
	cgs_wipe(k, sizeof(k));
	return err;
}

enum cgs_err s390_pv_hdr_set_keys(struct s390_pv_hdr *h, EVP_PKEY *cust_priv,
				  EVP_PKEY *const *hosts, size_t n, const uint8_t prot_key[32],
				  struct cgs_diag *d)
{
	enum cgs_err err;

	if (n != h->nks)
		return cgs_diag_set(d, CGS_E_INTERNAL, "nks", CGS_DIAG_NO_OFFSET,
				    "host key count does not match the header");
	err = s390_pv_ec_coords(cust_priv, h->cust_pub, d);
	for (size_t i = 0; i < n && !err; i++)
		err = s390_pv_keyslot_make(cust_priv, hosts[i], prot_key, &h->slots[i], d);
	return err;
}

enum cgs_err s390_pv_hdr_seal(struct s390_pv_hdr *h, const struct s390_pv_hdr_secret *sec,
			      const uint8_t prot_key[32], struct cgs_diag *d)
{
	static const uint8_t zero[S390_PV_HDR_SEA];
	uint8_t buf[S390_PV_HDR_MAX_SIZE], pt[S390_PV_HDR_SEA];
	size_t len, aad = s390_pv_hdr_aad_len(h->nks);
	enum cgs_err err;

	memcpy(h->enc, zero, sizeof(zero));
	err = s390_pv_hdr_serialize(h, buf, sizeof(buf), &len, d);
	if (err)
		return err;
	s390_pv_hdr_secret_encode(sec, pt);
	err = s390_pv_gcm_seal(prot_key, h->iv, buf, aad, pt, sizeof(pt), h->enc, h->tag, d);
	cgs_wipe(pt, sizeof(pt));
	return err;
}

enum cgs_err s390_pv_hdr_open(const struct s390_pv_hdr *h, const uint8_t prot_key[32],
			      struct s390_pv_hdr_secret *ret, struct cgs_diag *d)
{
	uint8_t buf[S390_PV_HDR_MAX_SIZE], pt[S390_PV_HDR_SEA];
	size_t len, aad = s390_pv_hdr_aad_len(h->nks);
	enum cgs_err err = s390_pv_hdr_serialize(h, buf, sizeof(buf), &len, d);

	if (!err)
		err =
		    s390_pv_gcm_open(prot_key, h->iv, buf, aad, h->enc, sizeof(pt), h->tag, pt, d);
	if (!err)
		s390_pv_hdr_secret_decode(pt, ret);
	cgs_wipe(pt, sizeof(pt));
	return err;
}

enum cgs_err s390_pv_hdr_open_with_host(const struct s390_pv_hdr *h, EVP_PKEY *host_priv,
					uint8_t ret_prot_key[32], struct s390_pv_hdr_secret *ret,
					struct cgs_diag *d)
{
	uint8_t phkh[32], key[32];
	EVP_PKEY *cust = NULL;
	enum cgs_err err = s390_pv_phkh(host_priv, phkh, d);
	uint64_t i;

	if (err)
		return err;
	for (i = 0; i < h->nks; i++)
		if (!memcmp(h->slots[i].phkh, phkh, 32))
			break;
	if (i == h->nks)
		return cgs_diag_set(d, CGS_E_VERIFY, "key_slots", CGS_DIAG_NO_OFFSET,
				    "no key slot for this host key");
	err = s390_pv_ec_from_coords(h->cust_pub, &cust, d);
	if (!err)
		err = s390_pv_keyslot_open(host_priv, cust, &h->slots[i], key, d);
	if (!err)
		err = s390_pv_hdr_open(h, key, ret, d);
	if (!err)
		memcpy(ret_prot_key, key, 32);
	cgs_wipe(key, sizeof(key));
	EVP_PKEY_free(cust);
	return err;
}

void s390_pv_tweak_add(uint8_t tweak[S390_PV_TWEAK_SIZE], uint64_t n)
{
	uint64_t lo = cgs_be64(tweak + 8), hi = cgs_be64(tweak);
	uint64_t sum = lo + n;

	if (sum < lo)
		hi++;
	cgs_put_be64(tweak, hi);
	cgs_put_be64(tweak + 8, sum);
}

void s390_pv_tweak_make(uint16_t kind, const uint8_t rand6[6], uint8_t out[S390_PV_TWEAK_SIZE])
{
	memset(out, 0, S390_PV_TWEAK_SIZE);
	cgs_put_be16(out, kind);
	memcpy(out + 2, rand6, 6);
}

enum cgs_err s390_pv_digests_init(struct s390_pv_digests *g, struct cgs_diag *d)
{
	EVP_MD_CTX **c[3] = {&g->pld, &g->ald, &g->tld};

	memset(g, 0, sizeof(*g));
	for (int i = 0; i < 3; i++) {
		*c[i] = EVP_MD_CTX_new();
		if (!*c[i] || !EVP_DigestInit_ex(*c[i], EVP_sha512(), NULL)) {
			s390_pv_digests_free(g);
			return cgs_diag_openssl(d, "cannot start SHA-512");
		}
	}
	return CGS_OK;
}

enum cgs_err s390_pv_digests_final(struct s390_pv_digests *g, uint8_t pld[64], uint8_t ald[64],
				   uint8_t tld[64], struct cgs_diag *d)
{
	if (!EVP_DigestFinal_ex(g->pld, pld, NULL) || !EVP_DigestFinal_ex(g->ald, ald, NULL) ||
	    !EVP_DigestFinal_ex(g->tld, tld, NULL))
		return cgs_diag_openssl(d, "SHA-512 failed");
	return CGS_OK;
}

void s390_pv_digests_free(struct s390_pv_digests *g)
{
	EVP_MD_CTX_free(g->pld);
	EVP_MD_CTX_free(g->ald);
	EVP_MD_CTX_free(g->tld);
	g->pld = g->ald = g->tld = NULL;
}

enum cgs_err s390_pv_comp_init(struct s390_pv_comp *c, const uint8_t xts_key[64], int mode,
			       const uint8_t tweak[S390_PV_TWEAK_SIZE], uint64_t addr,
			       struct s390_pv_digests *dig, struct cgs_diag *d)
{
	memset(c, 0, sizeof(*c));
	c->mode = mode;
	memcpy(c->tweak, tweak, S390_PV_TWEAK_SIZE);
	c->addr = addr;
	c->dig = dig;
	if (mode == S390_PV_MODE_CLEAR)
		return CGS_OK;
	c->ctx = EVP_CIPHER_CTX_new();
	if (!c->ctx || !EVP_CipherInit_ex2(c->ctx, EVP_aes_256_xts(), xts_key, NULL, mode, NULL)) {
		s390_pv_comp_free(c);
		return cgs_diag_openssl(d, "cannot set up AES-256-XTS (the two key halves must "
					   "differ)");
	}
	return CGS_OK;
}

enum cgs_err s390_pv_digests_index(struct s390_pv_digests *g, uint64_t addr,
				   const uint8_t tweak[S390_PV_TWEAK_SIZE], size_t npages,
				   struct cgs_diag *d)
{
	uint8_t a[64 * 8], t[64 * S390_PV_TWEAK_SIZE], tw[S390_PV_TWEAK_SIZE];

	memcpy(tw, tweak, sizeof(tw));
	while (npages) {
		size_t n = npages < 64 ? npages : 64;

		for (size_t i = 0; i < n; i++, addr += S390_PV_PAGE) {
			cgs_put_be64(a + 8 * i, addr);
			memcpy(t + S390_PV_TWEAK_SIZE * i, tw, S390_PV_TWEAK_SIZE);
			s390_pv_tweak_add(tw, S390_PV_PAGE);
		}
		if (!EVP_DigestUpdate(g->ald, a, 8 * n) ||
		    !EVP_DigestUpdate(g->tld, t, S390_PV_TWEAK_SIZE * n))
			return cgs_diag_openssl(d, "SHA-512 failed");
		g->nep += n;
		npages -= n;
	}
	return CGS_OK;
}

enum cgs_err s390_pv_digests_stored(struct s390_pv_digests *g, const uint8_t *data, size_t len,
				    struct cgs_diag *d)
{
	if (!EVP_DigestUpdate(g->pld, data, len))
		return cgs_diag_openssl(d, "SHA-512 failed");
	return CGS_OK;
}

/* One page into the digests: the same two steps as a pipelined image build. */
static enum cgs_err digest_page(struct s390_pv_comp *c, const uint8_t *stored, struct cgs_diag *d)
{
	enum cgs_err err;

	if (!c->dig)
		return CGS_OK;
	err = s390_pv_digests_stored(c->dig, stored, S390_PV_PAGE, d);
	if (!err)
		err = s390_pv_digests_index(c->dig, c->addr, c->tweak, 1, d);
	return err;
}

enum cgs_err s390_pv_comp_pages(struct s390_pv_comp *c, const uint8_t *in, uint8_t *out,
				size_t npages, struct cgs_diag *d)
{
	enum cgs_err err;
	int n;

	for (size_t i = 0; i < npages; i++, in += S390_PV_PAGE, out += S390_PV_PAGE) {
		if (c->mode == S390_PV_MODE_DECRYPT && (err = digest_page(c, in, d)))
			return err;
		if (c->mode == S390_PV_MODE_CLEAR) {
			if (out != in)
				memmove(out, in, S390_PV_PAGE);
		} else if (!EVP_CipherInit_ex2(c->ctx, NULL, NULL, c->tweak, c->mode, NULL) ||
			   !EVP_CipherUpdate(c->ctx, out, &n, in, S390_PV_PAGE)) {
			return cgs_diag_openssl(d, "AES-256-XTS failed");
		}
		if (c->mode != S390_PV_MODE_DECRYPT && (err = digest_page(c, out, d)))
			return err;
		s390_pv_tweak_add(c->tweak, S390_PV_PAGE);
		c->addr += S390_PV_PAGE;
	}
	return CGS_OK;
}

void s390_pv_comp_free(struct s390_pv_comp *c)
{
	EVP_CIPHER_CTX_free(c->ctx);
	c->ctx = NULL;
}
