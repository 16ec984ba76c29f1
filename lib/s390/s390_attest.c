// SPDX-License-Identifier: MIT
#include "lib/s390/s390_attest.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/kdf.h>
#include <openssl/params.h>

#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/s390/s390_pv_crypto.h"

/* The customer public key and one 80-byte slot per host key, into out. */
static enum cgs_err make_slots(EVP_PKEY *cust, EVP_PKEY *const *hosts, size_t n,
			       const uint8_t prot_key[32], uint8_t cust_pub[160], uint8_t *out,
			       struct cgs_diag *d)
{
	enum cgs_err e = s390_pv_ec_coords(cust, cust_pub, d);

	for (size_t i = 0; i < n && !e; i++) {
		struct s390_pv_keyslot ks;
		struct s390_uvreq_keyslot k;

		e = s390_pv_keyslot_make(cust, hosts[i], prot_key, &ks, d);
		if (e)
			break;
		memcpy(k.phkh, ks.phkh, sizeof(k.phkh));
		memcpy(k.wrapped, ks.wrapped, sizeof(k.wrapped));
		memcpy(k.tag, ks.tag, sizeof(k.tag));
		s390_uvreq_keyslot_serialize(&k, out + i * S390_UVREQ_KEYSLOT_SIZE);
	}
	return e;
}

/* Encrypt plain (len bytes) after the aad_len authenticated bytes of buf, tag at the end. */
static enum cgs_err seal_request(uint8_t *buf, size_t aad_len, const uint8_t key[32],
				 const uint8_t iv[12], const uint8_t *plain, size_t len,
				 struct cgs_diag *d)
{
	return s390_pv_gcm_seal(key, iv, buf, aad_len, plain, len, buf + aad_len,
				buf + aad_len + len, d);
}

enum cgs_err s390_attest_build_arcb(EVP_PKEY *cust, EVP_PKEY *const *hosts, size_t n,
				    uint64_t paf, const struct s390_attest_secrets *s,
				    uint8_t **ret, size_t *ret_len, struct cgs_diag *d)
{
	struct s390_arcb a;
	uint8_t *slots, *buf, plain[S390_ARCB_MEAS_KEY_SIZE + S390_ARCB_NONCE_SIZE];
	size_t total = s390_arcb_len(n, paf), aad = 0;
	enum cgs_err e;

	if (n == 0 || n > S390_UVREQ_MAX_SLOTS)
		return cgs_diag_set(d, CGS_E_USAGE, "host keys", CGS_DIAG_NO_OFFSET,
				    "%zu host keys: a request takes 1 to 255", n);
	memset(&a, 0, sizeof(a));
	a.hdr.version = S390_UVREQ_VERSION_1;
	a.hdr.nks = (uint8_t)n;
	memcpy(a.hdr.iv, s->iv, sizeof(a.hdr.iv));
	a.paf = paf;
	a.mai = S390_ARCB_MAI_HMAC_SHA512;
	slots = malloc(n * S390_UVREQ_KEYSLOT_SIZE);
	buf = malloc(total);
	if (!slots || !buf) {
		free(slots);
		free(buf);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	a.slots = slots;
	e = make_slots(cust, hosts, n, s->arpk, a.cust_pub, slots, d);
	if (!e)
		e = s390_arcb_serialize_aad(&a, buf, total, &aad, d);
	memcpy(plain, s->meas_key, S390_ARCB_MEAS_KEY_SIZE);
	memcpy(plain + S390_ARCB_MEAS_KEY_SIZE, s->nonce, S390_ARCB_NONCE_SIZE);
	if (!e)
		e = seal_request(buf, aad, s->arpk, s->iv, plain, s390_arcb_plain_size(paf), d);
	cgs_wipe(plain, sizeof(plain));
	free(slots);
	if (e) {
		free(buf);
		return e;
	}
	*ret = buf;
	*ret_len = total;
	return CGS_OK;
}

enum cgs_err s390_attest_request_file(const uint8_t *arcb, size_t len, uint8_t **ret,
				      size_t *ret_len, struct cgs_diag *d)
{
	struct s390_exchange x;
	struct s390_arcb a;
	uint8_t *out;
	size_t n = 0;
	enum cgs_err e = s390_arcb_parse(arcb, len, &a, d);

	if (e)
		return e;
	memset(&x, 0, sizeof(x));
	x.e[S390_EXCH_ARCB].data = arcb;
	x.e[S390_EXCH_ARCB].size = (uint32_t)len;
	x.e[S390_EXCH_MEAS].size = S390_ARCB_MEAS_SIZE;
	x.e[S390_EXCH_ADD].size = (uint32_t)s390_arcb_additional_size(a.paf);
	out = malloc(s390_exchange_size(&x));
	if (!out)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	e = s390_exchange_serialize(&x, out, s390_exchange_size(&x), &n, d);
	if (e) {
		free(out);
		return e;
	}
	*ret = out;
	*ret_len = n;
	return CGS_OK;
}

enum cgs_err s390_attest_open_arcb(const uint8_t *buf, size_t len, const uint8_t arpk[32],
				   struct s390_arcb *ret_a, struct s390_arcb_plain *ret_p,
				   struct cgs_diag *d)
{
	struct s390_arcb a;
	uint8_t plain[S390_ARCB_MEAS_KEY_SIZE + S390_ARCB_NONCE_SIZE];
	size_t aad;
	enum cgs_err e = s390_arcb_parse(buf, len, &a, d);

	if (e)
		return e;
	aad = s390_uvreq_aad_len(&a.hdr);
	e = s390_pv_gcm_open(arpk, a.hdr.iv, buf, aad, buf + aad, a.hdr.sea, buf + len - 16, plain,
			     d);
	if (e == CGS_E_VERIFY)
		return cgs_diag_set(d, CGS_E_VERIFY, "arpk", CGS_DIAG_NO_OFFSET,
				    "the attestation request does not decrypt with this ARPK "
				    "(wrong key, or the request was modified)");
	if (e)
		return e;
	memcpy(ret_p->meas_key, plain, S390_ARCB_MEAS_KEY_SIZE);
	ret_p->has_nonce = !!(a.paf & S390_PAF_NONCE);
	memset(ret_p->nonce, 0, sizeof(ret_p->nonce));
	if (ret_p->has_nonce)
		memcpy(ret_p->nonce, plain + S390_ARCB_MEAS_KEY_SIZE, S390_ARCB_NONCE_SIZE);
	cgs_wipe(plain, sizeof(plain));
	*ret_a = a;
	return CGS_OK;
}

enum cgs_err s390_attest_measurement(const uint8_t key[64], const uint8_t tags[208],
				     const uint8_t cuid[16], const uint8_t *user, size_t user_len,
				     const uint8_t *nonce, const uint8_t *add, size_t add_len,
				     uint8_t out[64], struct cgs_diag *d)
{
	char md[] = "SHA512";
	EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	EVP_MAC_CTX *ctx = mac ? EVP_MAC_CTX_new(mac) : NULL;
	OSSL_PARAM params[2] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, md, 0),
		OSSL_PARAM_construct_end(),
	};
	uint8_t lens[8];
	size_t n = 0;
	int okay;

	if (user_len > 0xffff || add_len > 0xffffffffu)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "measurement input too large");
	cgs_put_be16(lens, (uint16_t)user_len);
	cgs_put_be16(lens + 2, 0);
	cgs_put_be32(lens + 4, (uint32_t)add_len);
	okay = ctx && EVP_MAC_init(ctx, key, 64, params) &&
	       EVP_MAC_update(ctx, tags, S390_ATTEST_TAGS_SIZE) && EVP_MAC_update(ctx, cuid, 16) &&
	       EVP_MAC_update(ctx, lens, sizeof(lens)) &&
	       (!user_len || EVP_MAC_update(ctx, user, user_len)) &&
	       (!nonce || EVP_MAC_update(ctx, nonce, S390_ARCB_NONCE_SIZE)) &&
	       (!add_len || EVP_MAC_update(ctx, add, add_len)) && EVP_MAC_final(ctx, out, &n, 64) &&
	       n == 64;
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (!okay)
		return cgs_diag_openssl(d, "HMAC-SHA512 failed");
	return CGS_OK;
}

static enum cgs_err need(const struct s390_exchange *r, int i, struct cgs_diag *d)
{
	if (r->e[i].data)
		return CGS_OK;
	return cgs_diag_set(d, CGS_E_MALFORMED, s390_exch_item_name(i), 24 + 8 * (uint64_t)i,
			    "not an attestation response: no %s", s390_exch_item_name(i));
}

static void take_blobs(const struct s390_exchange *r, struct s390_attest_verdict *v)
{
	v->measured = r->e[S390_EXCH_MEAS].data;
	v->cuid = r->e[S390_EXCH_CUID].data;
	v->user = r->e[S390_EXCH_USER].data;
	v->user_len = v->user ? r->e[S390_EXCH_USER].size : 0;
	v->add = r->e[S390_EXCH_ADD].data;
	v->add_len = v->add ? r->e[S390_EXCH_ADD].size : 0;
}

enum cgs_err s390_attest_verify(const struct s390_exchange *resp, const uint8_t tags[208],
				const uint8_t arpk[32], struct s390_attest_verdict *v,
				struct cgs_diag *d)
{
	const struct s390_exch_entry *arcb = &resp->e[S390_EXCH_ARCB];
	enum cgs_err e;
	size_t want;

	memset(v, 0, sizeof(*v));
	e = need(resp, S390_EXCH_ARCB, d);
	if (!e)
		e = need(resp, S390_EXCH_MEAS, d);
	if (!e)
		e = need(resp, S390_EXCH_CUID, d);
	if (e)
		return e;
	for (int i = S390_EXCH_ADD; i <= S390_EXCH_USER; i++)
		if (resp->e[i].size && !resp->e[i].data)
			return cgs_diag_set(d, CGS_E_MALFORMED, s390_exch_item_name(i),
					    24 + 8 * (uint64_t)i,
					    "a response carries data, not an expected size");
	if (resp->e[S390_EXCH_MEAS].size != S390_ARCB_MEAS_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "measurement", 32,
				    "measurement of %u bytes, HMAC-SHA512 has 64",
				    resp->e[S390_EXCH_MEAS].size);
	take_blobs(resp, v);
	e = s390_attest_open_arcb(arcb->data, arcb->size, arpk, &v->arcb, &v->plain, d);
	if (e) {
		if (e == CGS_E_VERIFY)
			v->decrypt = S390_CHECK_FAIL;
		return e;
	}
	v->decrypt = S390_CHECK_PASS;
	want = s390_arcb_additional_size(v->arcb.paf);
	if (v->add_len != want) {
		v->add_size = S390_CHECK_FAIL;
		return cgs_diag_set(d, CGS_E_VERIFY, "additional data", 40,
				    "%zu bytes of additional data, the request asked for %zu",
				    v->add_len, want);
	}
	v->add_size = S390_CHECK_PASS;
	e = s390_attest_measurement(v->plain.meas_key, tags, v->cuid, v->user, v->user_len,
				    v->plain.has_nonce ? v->plain.nonce : NULL, v->add, v->add_len,
				    v->computed, d);
	if (e)
		return e;
	if (!cgs_ct_equal(v->computed, v->measured, S390_ARCB_MEAS_SIZE)) {
		v->measurement = S390_CHECK_FAIL;
		return cgs_diag_set(d, CGS_E_VERIFY, "measurement", CGS_DIAG_NO_OFFSET,
				    "the measurement does not match the SE header and the request");
	}
	v->measurement = S390_CHECK_PASS;
	return CGS_OK;
}

enum cgs_err s390_attest_secret_store_hash(const uint8_t (*tags)[16], size_t n, int locked,
					   uint8_t out[64], struct cgs_diag *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t lock = locked ? 1 : 0;
	unsigned int len = 0;
	int okay = ctx && EVP_DigestInit_ex(ctx, EVP_sha512(), NULL);

	for (size_t i = 0; okay && i < n; i++)
		okay = EVP_DigestUpdate(ctx, tags[i], 16);
	okay = okay && EVP_DigestUpdate(ctx, &lock, 1) && EVP_DigestFinal_ex(ctx, out, &len);
	EVP_MD_CTX_free(ctx);
	if (!okay)
		return cgs_diag_openssl(d, "SHA-512 failed");
	return CGS_OK;
}

/* ---- add-secret requests ---- */

enum cgs_err s390_attest_ext_secret(const uint8_t cck[32], const uint8_t hdr_tag[16],
					  uint8_t out[32], struct cgs_diag *d)
{
	char info[] = "IBM Z Ultravisor Add-Secret", md[] = "SHA512";
	uint8_t ikm[32], salt[16];
	EVP_KDF *kdf = EVP_KDF_fetch(NULL, "HKDF", NULL);
	EVP_KDF_CTX *ctx = kdf ? EVP_KDF_CTX_new(kdf) : NULL;
	OSSL_PARAM p[5];
	int okay;

	memcpy(ikm, cck, sizeof(ikm));
	memcpy(salt, hdr_tag, sizeof(salt));
	p[0] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, md, 0);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY, ikm, sizeof(ikm));
	p[2] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, salt, sizeof(salt));
	p[3] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, info, sizeof(info) - 1);
	p[4] = OSSL_PARAM_construct_end();
	okay = ctx && EVP_KDF_derive(ctx, out, 32, p) > 0;
	cgs_wipe(ikm, sizeof(ikm));
	EVP_KDF_CTX_free(ctx);
	EVP_KDF_free(kdf);
	if (!okay)
		return cgs_diag_openssl(d, "HKDF-SHA512 failed");
	return CGS_OK;
}

enum cgs_err s390_attest_encode_secret(uint16_t type, const uint8_t *in, size_t len,
				      uint8_t **ret, size_t *ret_len, struct cgs_diag *d)
{
	size_t n = len, off = 0;
	uint8_t *out;

	if (type == S390_SECRET_PLAINTEXT) {
		if (len > S390_ASRCB_PLAIN_MAX)
			return cgs_diag_set(d, CGS_E_USAGE, "secret", CGS_DIAG_NO_OFFSET,
					    "a plaintext secret has at most %u bytes, not %zu",
					    S390_ASRCB_PLAIN_MAX, len);
		n = (2 + len + 15) & ~(size_t)15;
		off = 2;
	}
	if (!s390_asrcb_secret_len_ok(type, (uint32_t)n))
		return cgs_diag_set(d, CGS_E_USAGE, "secret", CGS_DIAG_NO_OFFSET,
				    "%zu bytes are not a valid %s secret", len,
				    s390_secret_type_name(type) ? s390_secret_type_name(type) :
								  "unknown");
	out = calloc(1, n ? n : 1);
	if (!out)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (off)
		cgs_put_be16(out, (uint16_t)len);
	if (len)
		memcpy(out + off, in, len);
	*ret = out;
	*ret_len = n;
	return CGS_OK;
}

enum cgs_err s390_attest_secret_build(struct s390_asrcb *a, EVP_PKEY *cust, EVP_PKEY *const *hosts,
			      size_t n, const uint8_t prot_key[32], const uint8_t *secret,
			      const uint8_t ext_secret[32], uint8_t **ret, size_t *ret_len,
			      struct cgs_diag *d)
{
	uint8_t *slots, *buf, *plain;
	size_t total, aad = 0, plen = (size_t)a->secret_len + S390_ASRCB_EXT_SECRET_SIZE;
	enum cgs_err e;

	if (n == 0 || n > S390_UVREQ_MAX_SLOTS)
		return cgs_diag_set(d, CGS_E_USAGE, "host keys", CGS_DIAG_NO_OFFSET,
				    "%zu host keys: a request takes 1 to 255", n);
	a->hdr.nks = (uint8_t)n;
	a->hdr.version = S390_UVREQ_VERSION_1;
	total = s390_asrcb_len(n, a->secret_type, a->secret_len);
	slots = malloc(n * S390_UVREQ_KEYSLOT_SIZE);
	buf = malloc(total);
	plain = malloc(plen);
	if (!slots || !buf || !plain) {
		free(slots);
		free(buf);
		free(plain);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	a->slots = slots;
	e = make_slots(cust, hosts, n, prot_key, a->cust_pub, slots, d);
	if (!e)
		e = s390_asrcb_serialize_aad(a, buf, total, &aad, d);
	if (a->secret_len)
		memcpy(plain, secret, a->secret_len);
	memcpy(plain + a->secret_len, ext_secret, S390_ASRCB_EXT_SECRET_SIZE);
	if (!e)
		e = seal_request(buf, aad, prot_key, a->hdr.iv, plain, plen, d);
	cgs_wipe(plain, plen);
	free(plain);
	free(slots);
	a->slots = NULL;
	if (e) {
		free(buf);
		return e;
	}
	*ret = buf;
	*ret_len = total;
	return CGS_OK;
}

enum cgs_err s390_attest_secret_open(const uint8_t *buf, size_t len, const uint8_t prot_key[32],
			     struct s390_asrcb *ret_a, uint8_t **ret, size_t *ret_len,
			     struct cgs_diag *d)
{
	struct s390_asrcb a;
	uint8_t *plain;
	size_t aad;
	enum cgs_err e = s390_asrcb_parse(buf, len, &a, d);

	if (e)
		return e;
	aad = s390_uvreq_aad_len(&a.hdr);
	plain = malloc(a.hdr.sea);
	if (!plain)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	e = s390_pv_gcm_open(prot_key, a.hdr.iv, buf, aad, buf + aad, a.hdr.sea, buf + len - 16,
			     plain, d);
	if (e) {
		free(plain);
		if (e == CGS_E_VERIFY)
			return cgs_diag_set(d, CGS_E_VERIFY, "protection key", CGS_DIAG_NO_OFFSET,
					    "the add-secret request does not decrypt with this key");
		return e;
	}
	*ret_a = a;
	*ret = plain;
	*ret_len = a.hdr.sea;
	return CGS_OK;
}

int s390_attest_hdr_has_phkh(const struct s390_pv_hdr *h, const uint8_t phkh[32])
{
	for (uint64_t i = 0; i < h->nks && i < S390_PV_HDR_MAX_SLOTS; i++)
		if (!memcmp(h->slots[i].phkh, phkh, 32))
			return 1;
	return 0;
}
