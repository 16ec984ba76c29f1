// SPDX-License-Identifier: MIT
#include "keys/sev_chain.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include "lib/core/crypto.h"
#include "lib/core/hex.h"

#define MAX_RSA_BYTES 512

const char *sev_algo_md(uint32_t algo)
{
	switch (algo) {
	case SEV_ALGO_RSA_SHA256:
	case SEV_ALGO_ECDSA_SHA256:
	case SEV_ALGO_ECDH_SHA256:
		return "SHA256";
	case SEV_ALGO_RSA_SHA384:
	case SEV_ALGO_ECDSA_SHA384:
	case SEV_ALGO_ECDH_SHA384:
		return "SHA384";
	default:
		return NULL;
	}
}

static enum cgs_err rsa_pkey(const uint8_t *n_le, size_t nlen, const uint8_t *e_le, size_t elen,
			     EVP_PKEY **ret, struct cgs_diag *d)
{
	BIGNUM *n = BN_lebin2bn(n_le, (int)nlen, NULL), *e = BN_lebin2bn(e_le, (int)elen, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	EVP_PKEY *pkey = NULL;
	enum cgs_err err = CGS_OK;

	if (!n || !e || !bld || !ctx) {
		err = cgs_diag_openssl(d, "cannot build an RSA key");
		goto out;
	}
	if ((size_t)BN_num_bits(n) != nlen * 8 || !BN_is_odd(e) || BN_is_one(e)) {
		err = cgs_diag_set(d, CGS_E_VERIFY, "modulus", CGS_DIAG_NO_OFFSET,
				   "RSA key unusable: modulus of %d bits (expected %zu) or bad "
				   "exponent", BN_num_bits(n), nlen * 8);
		goto out;
	}
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !(params = OSSL_PARAM_BLD_to_param(bld)) || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		err = cgs_diag_openssl(d, "cannot build an RSA key");
		goto out;
	}
	*ret = pkey;
out:
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	BN_free(n);
	BN_free(e);
	return err;
}

enum cgs_err sev_ca_cert_pkey(const struct sev_ca_cert *c, EVP_PKEY **ret, struct cgs_diag *d)
{
	return rsa_pkey(c->modulus, c->modulus_bits / 8, c->pubexp, c->pubexp_bits / 8, ret, d);
}

static void reverse_copy(uint8_t *dst, const uint8_t *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = src[n - 1 - i];
}

static enum cgs_err ec_pkey(uint32_t curve, const uint8_t *qx, const uint8_t *qy, EVP_PKEY **ret,
			    struct cgs_diag *d)
{
	size_t n = sev_curve_bytes(curve);
	uint8_t pt[1 + 2 * 66];
	char group[16];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = NULL, *cctx = NULL;
	EVP_PKEY *pkey = NULL;
	enum cgs_err err = CGS_OK;

	if (!n)
		return cgs_diag_set(d, CGS_E_VERIFY, "curve", CGS_DIAG_NO_OFFSET,
				    "unknown curve id %u", curve);
	snprintf(group, sizeof(group), "%s", curve == SEV_CURVE_P256 ? "prime256v1" : "secp384r1");
	pt[0] = 0x04;
	reverse_copy(pt + 1, qx, n);
	reverse_copy(pt + 1 + n, qy, n);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, 1 + 2 * n);
	params[2] = OSSL_PARAM_construct_end();
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1) {
		ERR_clear_error();
		err = cgs_diag_set(d, CGS_E_VERIFY, "pubkey", CGS_DIAG_NO_OFFSET,
				   "EC public key is not a point of %s", sev_curve_name(curve));
		goto out;
	}
	cctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
	/* cofactor 1: on the curve and not infinity is enough */
	if (!cctx || EVP_PKEY_public_check_quick(cctx) != 1) {
		ERR_clear_error();
		err = cgs_diag_set(d, CGS_E_VERIFY, "pubkey", CGS_DIAG_NO_OFFSET,
				   "EC public key fails the %s public-key check",
				   sev_curve_name(curve));
		goto out;
	}
	*ret = pkey;
	pkey = NULL;
out:
	EVP_PKEY_free(pkey);
	EVP_PKEY_CTX_free(cctx);
	EVP_PKEY_CTX_free(ctx);
	return err;
}

enum cgs_err sev_cert_pkey(const struct sev_cert *c, EVP_PKEY **ret, struct cgs_diag *d)
{
	if (sev_algo_is_rsa(c->algo))
		return rsa_pkey(c->modulus, c->modulus_bits / 8, c->pubexp, c->modulus_bits / 8, ret,
				d);
	return ec_pkey(c->curve, c->qx, c->qy, ret, d);
}

static enum cgs_err digest_verify(EVP_PKEY *key, const char *md, int pss, const uint8_t *data,
				  size_t len, const uint8_t *sig, size_t sig_len, struct cgs_diag *d)
{
	EVP_MD_CTX *mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int rc = -1;

	if (!mctx)
		return cgs_diag_openssl(d, "out of memory");
	if (EVP_DigestVerifyInit_ex(mctx, &pctx, md, NULL, NULL, key, NULL) == 1 &&
	    (!pss || (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		      EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1 &&
		      EVP_PKEY_CTX_set_rsa_mgf1_md_name(pctx, md, NULL) == 1)))
		rc = EVP_DigestVerify(mctx, sig, sig_len, data, len);
	EVP_MD_CTX_free(mctx);
	ERR_clear_error();
	if (rc != 1)
		return cgs_diag_set(d, CGS_E_VERIFY, "signature", CGS_DIAG_NO_OFFSET,
				    "%s signature does not verify", pss ? "RSA-PSS" : "ECDSA");
	return CGS_OK;
}

enum cgs_err sev_verify_rsa_pss(EVP_PKEY *key, const char *md, const uint8_t *data, size_t len,
				const uint8_t *sig_le, size_t sig_len, struct cgs_diag *d)
{
	uint8_t be[MAX_RSA_BYTES];
	int ksize = EVP_PKEY_get_size(key);
	size_t k;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA || ksize <= 0 || ksize > MAX_RSA_BYTES)
		return cgs_diag_set(d, CGS_E_VERIFY, "signature", CGS_DIAG_NO_OFFSET,
				    "the signer's key is not an RSA key");
	k = (size_t)ksize;
	if (sig_len < k)
		return cgs_diag_set(d, CGS_E_VERIFY, "signature", CGS_DIAG_NO_OFFSET,
				    "signature field of %zu bytes for a %zu-bit key", sig_len, k * 8);
	for (size_t i = k; i < sig_len; i++)
		if (sig_le[i])
			return cgs_diag_set(d, CGS_E_VERIFY, "signature", i,
					    "non-zero byte beyond the %zu-byte RSA signature", k);
	reverse_copy(be, sig_le, k);
	return digest_verify(key, md, 1, data, len, be, k, d);
}

enum cgs_err sev_verify_ecdsa(EVP_PKEY *key, const char *md, const uint8_t *data, size_t len,
			      const uint8_t *r_le, const uint8_t *s_le, size_t coord,
			      struct cgs_diag *d)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_lebin2bn(r_le, (int)coord, NULL), *s = BN_lebin2bn(s_le, (int)coord, NULL);
	unsigned char *der = NULL;
	int der_len;
	enum cgs_err err;

	if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) {
		ECDSA_SIG_free(sig);
		BN_free(r);
		BN_free(s);
		return cgs_diag_set(d, CGS_E_VERIFY, "signature", CGS_DIAG_NO_OFFSET,
				    "the signer's key is not an EC key");
	}
	if (!sig || !r || !s || !ECDSA_SIG_set0(sig, r, s)) {
		ECDSA_SIG_free(sig);
		BN_free(r);
		BN_free(s);
		return cgs_diag_openssl(d, "cannot build an ECDSA signature");
	}
	der_len = i2d_ECDSA_SIG(sig, &der);
	ECDSA_SIG_free(sig);
	if (der_len <= 0)
		return cgs_diag_openssl(d, "cannot encode an ECDSA signature");
	err = digest_verify(key, md, 0, data, len, der, (size_t)der_len, d);
	OPENSSL_free(der);
	return err;
}

/* ---- the chain checks ---- */

struct keys {
	EVP_PKEY *ark, *ask, *cek, *oca, *pek;
};

static struct sev_check *add_check(struct sev_chain_result *r, const char *name)
{
	struct sev_check *c = &r->checks[r->n < SEV_CHAIN_MAX_CHECKS ? r->n++ : r->n - 1];

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->result = SEV_CHECK_PASS;
	return c;
}

static void check_fail(struct sev_check *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void check_fail(struct sev_check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->result == SEV_CHECK_FAIL)
		return; /* keep the first reason */
	c->result = SEV_CHECK_FAIL;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
}

static const char *usage_str(uint32_t usage, char *buf, size_t len)
{
	const char *n = sev_usage_name(usage);

	if (n)
		return n;
	snprintf(buf, len, "0x%x", usage);
	return buf;
}

static const char *ca_md(const struct sev_ca_cert *signer)
{
	/* AMD: SHA-256 with the 2048-bit (Naples) keys, SHA-384 with 4096-bit ones */
	return signer->modulus_bits == 2048 ? "SHA256" : "SHA384";
}

static void check_ark_pin(const struct sev_chain *c, struct sev_chain_result *r)
{
	struct sev_check *k = add_check(r, "ark-pinned");
	char hex[65];

	cgs_hex_encode(r->ark_sha256, 32, hex);
	snprintf(k->actual, sizeof(k->actual), "sha256:%s", hex);
	if (c->trusted_ark) {
		uint8_t t[32];

		if (cgs_digest("SHA256", c->trusted_ark, c->trusted_ark_len, t, NULL, NULL)) {
			check_fail(k, "cannot hash the trusted ARK");
			return;
		}
		cgs_hex_encode(t, 32, hex);
		snprintf(k->expected, sizeof(k->expected), "sha256:%s (--trusted-ark)", hex);
		if (c->trusted_ark_len != c->ark.len ||
		    !cgs_ct_equal(c->trusted_ark, c->ark.raw, c->ark.len))
			check_fail(k, "the ARK differs from the trusted ARK");
		else
			r->pin = sev_ark_find(r->ark_sha256); /* names the product, if AMD's */
		return;
	}
	snprintf(k->expected, sizeof(k->expected),
		 "a pinned AMD ARK (Naples, Rome, Milan, Genoa, Turin)");
	r->pin = sev_ark_find(r->ark_sha256);
	if (!r->pin)
		check_fail(k, "the ARK is not one of the pinned AMD ARKs (use --trusted-ark to "
			      "name another root)");
}

static void check_ca(const struct sev_ca_input *cert, const struct sev_ca_input *signer,
		     EVP_PKEY *signer_key, EVP_PKEY **ret_key, uint32_t usage, struct sev_check *k)
{
	struct cgs_diag d;
	char ub[16];

	cgs_diag_clear(&d);
	snprintf(k->expected, sizeof(k->expected), "%s signed by %s (RSA-PSS %s)",
		 sev_usage_name(usage), sev_usage_name(signer->cert.usage), ca_md(&signer->cert));
	if (cert->cert.usage != usage)
		check_fail(k, "key usage is %s, expected %s",
			   usage_str(cert->cert.usage, ub, sizeof(ub)), sev_usage_name(usage));
	if (memcmp(cert->cert.certifying_id, signer->cert.key_id, 16))
		check_fail(k, "certifying id does not name the %s's key id",
			   sev_usage_name(signer->cert.usage));
	if (sev_ca_cert_pkey(&cert->cert, ret_key, &d))
		check_fail(k, "public key unusable: %s", d.text);
	if (!signer_key && !*ret_key) {
		check_fail(k, "signer key unusable");
		return;
	}
	if (!signer_key)
		signer_key = *ret_key; /* self-signed */
	if (sev_verify_rsa_pss(signer_key, ca_md(&signer->cert), cert->raw, cert->cert.signed_len,
			       cert->cert.signature, cert->cert.modulus_bits / 8, &d))
		check_fail(k, "%s", d.text);
}

static const struct sev_cert_sig *find_slot(const struct sev_cert *c, uint32_t usage)
{
	for (int i = 0; i < 2; i++)
		if (c->sigs[i].usage == usage &&
		    (c->sigs[i].algo != SEV_ALGO_NONE || usage == SEV_USAGE_ARK))
			return &c->sigs[i];
	return NULL;
}

struct pf_spec {
	const char *name;
	uint32_t usage;        /* the certificate's own key usage */
	int ecdh;              /* its key is ECDH (PDH) rather than ECDSA */
	uint32_t signer_usage;
	uint32_t signer_algo;  /* the signer's key algorithm; 0 = an AMD RSA key (ASK) */
};

static void check_platform(const struct sev_platform_input *in, const struct pf_spec *s,
			   EVP_PKEY *signer_key, struct sev_check *k)
{
	const struct sev_cert *c = &in->cert;
	const struct sev_cert_sig *slot;
	struct cgs_diag d;
	const char *md;
	char ub[16];
	int algo_ok = s->ecdh ? (c->algo == SEV_ALGO_ECDH_SHA256 || c->algo == SEV_ALGO_ECDH_SHA384) :
				(c->algo == SEV_ALGO_ECDSA_SHA256 ||
				 c->algo == SEV_ALGO_ECDSA_SHA384);

	cgs_diag_clear(&d);
	snprintf(k->expected, sizeof(k->expected), "%s (%s key) signed by %s", s->name,
		 s->ecdh ? "ECDH" : "ECDSA", sev_usage_name(s->signer_usage));
	if (c->usage != s->usage)
		check_fail(k, "key usage is %s, expected %s", usage_str(c->usage, ub, sizeof(ub)),
			   s->name);
	if (!algo_ok)
		check_fail(k, "key algorithm is %s, expected %s", sev_algo_name(c->algo),
			   s->ecdh ? "ECDH" : "ECDSA");
	slot = find_slot(c, s->signer_usage);
	if (!slot) {
		check_fail(k, "no signature by the %s", sev_usage_name(s->signer_usage));
		return;
	}
	md = sev_algo_md(slot->algo);
	if (s->signer_algo ? slot->algo != s->signer_algo : !sev_algo_is_rsa(slot->algo)) {
		check_fail(k, "signature algorithm %s does not match the %s's key",
			   sev_algo_name(slot->algo), sev_usage_name(s->signer_usage));
		return;
	}
	if (!signer_key) {
		check_fail(k, "the %s's key is unusable", sev_usage_name(s->signer_usage));
		return;
	}
	if (sev_algo_is_rsa(slot->algo)) {
		if (sev_verify_rsa_pss(signer_key, md, in->raw, SEV_CERT_SIGNED_LEN, slot->sig,
				       SEV_CERT_SIG_SIZE, &d))
			check_fail(k, "%s", d.text);
	} else if (sev_verify_ecdsa(signer_key, md, in->raw, SEV_CERT_SIGNED_LEN, slot->sig,
				    slot->sig + SEV_CERT_EC_COORD, SEV_CERT_EC_COORD, &d)) {
		check_fail(k, "%s", d.text);
	}
}

static void platform_key(const struct sev_platform_input *in, EVP_PKEY **ret, struct sev_check *k)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (sev_cert_pkey(&in->cert, ret, &d))
		check_fail(k, "public key unusable: %s", d.text);
}

static void check_attestation(const struct sev_chain *c, EVP_PKEY *pek, struct sev_check *k)
{
	struct cgs_diag d;
	char ub[16];

	cgs_diag_clear(&d);
	snprintf(k->expected, sizeof(k->expected), "signed by the PEK (ECDSA)");
	if (c->att.sig_usage != SEV_USAGE_PEK)
		check_fail(k, "signing key usage is %s, expected PEK",
			   usage_str(c->att.sig_usage, ub, sizeof(ub)));
	if (c->att.sig_algo != SEV_ALGO_ECDSA_SHA256 && c->att.sig_algo != SEV_ALGO_ECDSA_SHA384)
		check_fail(k, "signature algorithm %s, expected ECDSA",
			   sev_algo_name(c->att.sig_algo));
	if (!pek) {
		check_fail(k, "the PEK's key is unusable");
		return;
	}
	if (sev_verify_ecdsa(pek, sev_algo_md(c->att.sig_algo) ? sev_algo_md(c->att.sig_algo) :
								  "SHA256",
			     c->att_raw, SEV_ATT_SIGNED_LEN, c->att.r, c->att.s, SEV_ATT_COORD, &d))
		check_fail(k, "%s", d.text);
}

static int stop_now(const struct sev_chain *c, const struct sev_chain_result *r)
{
	return c->fail_fast && r->n && r->checks[r->n - 1].result == SEV_CHECK_FAIL;
}

static void run_checks(const struct sev_chain *c, struct sev_chain_result *ret, struct keys *k)
{
	static const struct pf_spec cek = { "CEK", SEV_USAGE_CEK, 0, SEV_USAGE_ASK, 0 };
	struct pf_spec oca = { "OCA", SEV_USAGE_OCA, 0, SEV_USAGE_OCA, c->oca.cert.algo };
	struct pf_spec pek_cek = { "PEK", SEV_USAGE_PEK, 0, SEV_USAGE_CEK, c->cek.cert.algo };
	struct pf_spec pek_oca = { "PEK", SEV_USAGE_PEK, 0, SEV_USAGE_OCA, c->oca.cert.algo };
	struct pf_spec pdh = { "PDH", SEV_USAGE_PDH, 1, SEV_USAGE_PEK, c->pek.cert.algo };
	struct sev_check *chk;
	EVP_PKEY *pdh_key = NULL;

	check_ark_pin(c, ret);
	if (stop_now(c, ret))
		return;
	check_ca(&c->ark, &c->ark, NULL, &k->ark, SEV_USAGE_ARK, add_check(ret, "ark-signature"));
	if (stop_now(c, ret))
		return;
	check_ca(&c->ask, &c->ark, k->ark, &k->ask, SEV_USAGE_ASK, add_check(ret, "ask-signature"));
	if (stop_now(c, ret))
		return;
	chk = add_check(ret, "cek-signature");
	platform_key(&c->cek, &k->cek, chk);
	check_platform(&c->cek, &cek, k->ask, chk);
	if (stop_now(c, ret))
		return;
	chk = add_check(ret, "oca-signature");
	platform_key(&c->oca, &k->oca, chk);
	check_platform(&c->oca, &oca, k->oca, chk);
	if (stop_now(c, ret))
		return;
	chk = add_check(ret, "pek-signature-cek");
	platform_key(&c->pek, &k->pek, chk);
	check_platform(&c->pek, &pek_cek, k->cek, chk);
	if (stop_now(c, ret))
		return;
	check_platform(&c->pek, &pek_oca, k->oca, add_check(ret, "pek-signature-oca"));
	if (stop_now(c, ret))
		return;
	chk = add_check(ret, "pdh-signature");
	platform_key(&c->pdh, &pdh_key, chk);
	EVP_PKEY_free(pdh_key);
	check_platform(&c->pdh, &pdh, k->pek, chk);
	if (stop_now(c, ret))
		return;
	if (c->att_raw)
		check_attestation(c, k->pek, add_check(ret, "attestation-signature"));
}

enum cgs_err sev_chain_verify(const struct sev_chain *c, struct sev_chain_result *ret,
			      struct cgs_diag *d)
{
	struct keys k = { 0 };
	enum cgs_err err;

	memset(ret, 0, sizeof(*ret));
	err = cgs_digest("SHA256", c->ark.raw, c->ark.len, ret->ark_sha256, NULL, d);
	if (err)
		return err;
	run_checks(c, ret, &k);
	ret->verified = 1;
	for (size_t i = 0; i < ret->n; i++)
		if (ret->checks[i].result != SEV_CHECK_PASS)
			ret->verified = 0;
	EVP_PKEY_free(k.ark);
	EVP_PKEY_free(k.ask);
	EVP_PKEY_free(k.cek);
	EVP_PKEY_free(k.oca);
	EVP_PKEY_free(k.pek);
	return CGS_OK;
}
