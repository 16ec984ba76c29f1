// SPDX-License-Identifier: MIT
#define _GNU_SOURCE /* memmem */
#include "keys/intel_sgx.h"

#include <stdio.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "lib/core/crypto.h"
#include "lib/core/hex.h"

/*
 * The Intel SGX Root CA: CN=Intel SGX Root CA, O=Intel Corporation,
 * L=Santa Clara, ST=CA, C=US; serial 22650cd65a9d3489f383b49552bf501b392706ac;
 * ECDSA P-256; valid 2018-05-21 10:45:10Z .. 2049-12-31 23:59:59Z. Served by
 * Intel at
 * https://certificates.trustedservices.intel.com/Intel_SGX_Provisioning_Certification_RootCA.cer
 * and carried as the third certificate of every production DCAP quote; the
 * same fingerprint is pinned by Intel's QVL deployments, go-tdx-guest,
 * dcap-qvl and automata (specs/tdx-verify.md section 2). Intel's QVL *sample*
 * root has the same subject and another key (bf85a53f...56fc): pinning by
 * name would accept it, so only this fingerprint is trusted.
 */
const uint8_t intel_sgx_root_sha256[32] = {
    0x44, 0xa0, 0x19, 0x6b, 0x2b, 0x99, 0xf8, 0x89, 0xb8, 0xe1, 0x49, 0xe9, 0x5b, 0x80, 0x7a, 0x35,
    0x0e, 0x74, 0x24, 0x96, 0x43, 0x99, 0xe8, 0x85, 0xa7, 0xcb, 0xb8, 0xcc, 0xfa, 0xb6, 0x74, 0xd3,
};

#define SGX_EXT_OID "1.2.840.113741.1.13.1"

/* an input OpenSSL could not decode: malformed input (65), with OpenSSL's reason */
static enum cgs_err undecodable(struct cgs_diag *d, const char *what)
{
	cgs_diag_openssl(d, "%s", what);
	if (d)
		d->err = CGS_E_MALFORMED;
	return CGS_E_MALFORMED;
}

const char *intel_sgx_root_fingerprint_hex(void)
{
	static char hex[65];

	cgs_hex_encode(intel_sgx_root_sha256, 32, hex);
	return hex;
}

enum cgs_err intel_cert_sha256(X509 *x, uint8_t out[32], struct cgs_diag *d)
{
	unsigned int n = 32;

	if (!X509_digest(x, EVP_sha256(), out, &n) || n != 32)
		return cgs_diag_openssl(d, "cannot hash a certificate");
	return CGS_OK;
}

int intel_sgx_root_is_pinned(X509 *x)
{
	uint8_t fp[32];

	return x && !intel_cert_sha256(x, fp, NULL) && !memcmp(fp, intel_sgx_root_sha256, 32);
}

enum cgs_err intel_pem_certs(const uint8_t *buf, size_t len, STACK_OF(X509) * *ret,
			     struct cgs_diag *d)
{
	STACK_OF(X509) * sk;
	BIO *bio;
	X509 *x;

	while (len && buf[len - 1] == '\0')
		len--;
	if (len > INT32_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "pck_chain", CGS_DIAG_NO_OFFSET,
				    "too large");
	sk = sk_X509_new_null();
	bio = BIO_new_mem_buf(buf, (int)len);
	if (!sk || !bio) {
		sk_X509_free(sk);
		BIO_free(bio);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		if (!sk_X509_push(sk, x)) {
			X509_free(x);
			break;
		}
	/* the loop ends on "no start line" after the last block; anything else is bad */
	if (ERR_GET_REASON(ERR_peek_last_error()) == PEM_R_NO_START_LINE && sk_X509_num(sk) > 0)
		ERR_clear_error();
	BIO_free(bio);
	if (ERR_peek_error() || sk_X509_num(sk) == 0) {
		sk_X509_pop_free(sk, X509_free);
		if (!ERR_peek_error())
			return cgs_diag_set(d, CGS_E_MALFORMED, "pck_chain", CGS_DIAG_NO_OFFSET,
					    "no PEM certificate");
		return undecodable(d, "a PEM certificate does not decode");
	}
	*ret = sk;
	return CGS_OK;
}

enum cgs_err intel_cert_load(const uint8_t *buf, size_t len, X509 **ret, struct cgs_diag *d)
{
	const unsigned char *p = buf;
	STACK_OF(X509) * sk;
	X509 *x;

	if (len >= 10 && memmem(buf, len, "-----BEGIN", 10)) {
		enum cgs_err e = intel_pem_certs(buf, len, &sk, d);

		if (e)
			return e;
		*ret = sk_X509_shift(sk);
		sk_X509_pop_free(sk, X509_free);
		return CGS_OK;
	}
	x = d2i_X509(NULL, &p, (long)len);
	if (!x)
		return undecodable(d, "not a PEM or DER certificate");
	*ret = x;
	return CGS_OK;
}

static X509_CRL *crl_from_hex(const uint8_t *buf, size_t len)
{
	uint8_t *der;
	const unsigned char *p;
	X509_CRL *crl = NULL;
	char *txt;
	size_t n;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' '))
		len--;
	if (!len || len % 2 || strspn((const char *)buf, "0123456789abcdefABCDEF") < len)
		return NULL;
	txt = strndup((const char *)buf, len);
	der = malloc(len / 2);
	if (txt && der && !cgs_hex_decode(txt, der, len / 2, &n, 1)) {
		p = der;
		crl = d2i_X509_CRL(NULL, &p, (long)n);
	}
	free(txt);
	free(der);
	return crl;
}

enum cgs_err intel_crl_load(const uint8_t *buf, size_t len, X509_CRL **ret, struct cgs_diag *d)
{
	const unsigned char *p = buf;
	X509_CRL *crl = NULL;

	if (len > INT32_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "crl", CGS_DIAG_NO_OFFSET, "too large");
	if (len >= 10 && memmem(buf, len, "-----BEGIN", 10)) {
		BIO *bio = BIO_new_mem_buf(buf, (int)len);

		crl = bio ? PEM_read_bio_X509_CRL(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
	} else if (len && buf[0] == 0x30) {
		crl = d2i_X509_CRL(NULL, &p, (long)len);
	} else {
		crl = crl_from_hex(buf, len);
	}
	if (!crl)
		return undecodable(d, "not a DER, PEM or hex CRL");
	ERR_clear_error();
	*ret = crl;
	return CGS_OK;
}

void intel_cert_cn(X509 *x, char *buf, size_t len)
{
	buf[0] = '\0';
	if (X509_NAME_get_text_by_NID(X509_get_subject_name(x), NID_commonName, buf, (int)len) < 0)
		buf[0] = '\0';
}

void intel_asn1_time_str(const ASN1_TIME *t, char *buf, size_t len)
{
	struct tm tm;

	if (!t || !ASN1_TIME_to_tm(t, &tm) || !strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(buf, len, "?");
}

enum cgs_err intel_cert_signed_by(X509 *child, X509 *issuer, const char *what, struct cgs_diag *d)
{
	EVP_PKEY *k = X509_get0_pubkey(issuer);
	int r = k ? X509_verify(child, k) : -1;

	ERR_clear_error();
	if (r != 1)
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the signature of the %s does not verify", what);
	if (X509_NAME_cmp(X509_get_issuer_name(child), X509_get_subject_name(issuer)))
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the issuer name of the %s is not its signer's subject", what);
	return CGS_OK;
}

enum cgs_err intel_cert_valid_at(X509 *x, time_t at, const char *what, struct cgs_diag *d)
{
	char nb[32], na[32];
	time_t t = at;

	if (X509_cmp_time(X509_get0_notBefore(x), &t) < 0 &&
	    X509_cmp_time(X509_get0_notAfter(x), &t) > 0)
		return CGS_OK;
	intel_asn1_time_str(X509_get0_notBefore(x), nb, sizeof(nb));
	intel_asn1_time_str(X509_get0_notAfter(x), na, sizeof(na));
	return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
			    "the %s is not valid at that time (valid %s .. %s)", what, nb, na);
}

enum cgs_err intel_crl_check(X509_CRL *crl, X509 *issuer, time_t at, X509 *serial_of,
			     const char *what, int *revoked, struct cgs_diag *d)
{
	const ASN1_TIME *lu = X509_CRL_get0_lastUpdate(crl), *nu = X509_CRL_get0_nextUpdate(crl);
	X509_REVOKED *rev = NULL;
	EVP_PKEY *k = X509_get0_pubkey(issuer);
	char a[32], b[32];
	time_t t = at;

	*revoked = 0;
	if (X509_NAME_cmp(X509_CRL_get_issuer(crl), X509_get_subject_name(issuer)))
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the %s is not issued by the expected CA", what);
	if (!k || X509_CRL_verify(crl, k) != 1) {
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the signature of the %s does not verify", what);
	}
	if (!nu)
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the %s has no nextUpdate", what);
	if (X509_cmp_time(lu, &t) > 0 || X509_cmp_time(nu, &t) < 0) {
		intel_asn1_time_str(lu, a, sizeof(a));
		intel_asn1_time_str(nu, b, sizeof(b));
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the %s is not valid at that time (%s .. %s)", what, a, b);
	}
	if (serial_of &&
	    X509_CRL_get0_by_serial(crl, &rev, X509_get0_serialNumber(serial_of)) == 1) {
		char cn[96];

		intel_cert_cn(serial_of, cn, sizeof(cn));
		*revoked = 1;
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "'%s' is revoked by the %s", cn, what);
	}
	return CGS_OK;
}

/* ---- the SGX extension: SEQUENCE OF SEQUENCE { OID, value } ---- */

static STACK_OF(ASN1_TYPE) * seq_items(const ASN1_STRING *s)
{
	const unsigned char *p = ASN1_STRING_get0_data(s);

	return d2i_ASN1_SEQUENCE_ANY(NULL, &p, ASN1_STRING_length(s));
}

/* element i of seq as {oid arc after prefix, value}; -1 if not such a pair */
static long pair_arc(STACK_OF(ASN1_TYPE) * pair, const char *prefix, ASN1_TYPE **ret_val)
{
	char oid[96];
	size_t n = strlen(prefix);
	ASN1_TYPE *o;
	char *end;
	long arc;

	if (sk_ASN1_TYPE_num(pair) != 2)
		return -1;
	o = sk_ASN1_TYPE_value(pair, 0);
	if (ASN1_TYPE_get(o) != V_ASN1_OBJECT ||
	    OBJ_obj2txt(oid, sizeof(oid), o->value.object, 1) <= 0 || strncmp(oid, prefix, n) ||
	    oid[n] != '.')
		return -1;
	arc = strtol(oid + n + 1, &end, 10);
	if (*end || arc < 0)
		return -1;
	*ret_val = sk_ASN1_TYPE_value(pair, 1);
	return arc;
}

static int octets(ASN1_TYPE *v, uint8_t *out, int n)
{
	if (ASN1_TYPE_get(v) != V_ASN1_OCTET_STRING ||
	    ASN1_STRING_length(v->value.octet_string) != n)
		return -1;
	memcpy(out, ASN1_STRING_get0_data(v->value.octet_string), (size_t)n);
	return 0;
}

static int small_int(ASN1_TYPE *v, int type, int64_t max, int64_t *ret)
{
	const ASN1_INTEGER *i = type == V_ASN1_ENUMERATED
				    ? (const ASN1_INTEGER *)v->value.enumerated
				    : v->value.integer;

	if (ASN1_TYPE_get(v) != type)
		return -1;
	if (type == V_ASN1_ENUMERATED ? !ASN1_ENUMERATED_get_int64(ret, i)
				      : !ASN1_INTEGER_get_int64(ret, i))
		return -1;
	return *ret < 0 || *ret > max ? -1 : 0;
}

static int pck_tcb(ASN1_TYPE *v, struct intel_pck_ext *e)
{
	STACK_OF(ASN1_TYPE) * items, *pair;
	unsigned seen = 0;
	int bad = 0;

	if (ASN1_TYPE_get(v) != V_ASN1_SEQUENCE || !(items = seq_items(v->value.sequence)))
		return -1;
	for (int i = 0; i < sk_ASN1_TYPE_num(items) && !bad; i++) {
		ASN1_TYPE *it = sk_ASN1_TYPE_value(items, i), *val;
		long arc;
		int64_t x;

		pair = ASN1_TYPE_get(it) == V_ASN1_SEQUENCE ? seq_items(it->value.sequence) : NULL;
		arc = pair ? pair_arc(pair, SGX_EXT_OID ".2", &val) : -1;
		if (arc >= 1 && arc <= 16 && !small_int(val, V_ASN1_INTEGER, 255, &x))
			e->sgx_comp[arc - 1] = (uint8_t)x;
		else if (arc == 17 && !small_int(val, V_ASN1_INTEGER, 65535, &x))
			e->pcesvn = (uint16_t)x;
		else if (arc != 18 || octets(val, e->cpusvn, 16))
			bad = 1;
		if (arc >= 1 && arc <= 18)
			seen |= 1u << arc;
		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
	}
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	return bad || seen != 0x7fffeu ? -1 : 0;
}

static int pck_item(long arc, ASN1_TYPE *val, struct intel_pck_ext *e)
{
	int64_t x;

	switch (arc) {
	case 1:
		return octets(val, e->ppid, 16);
	case 2:
		return pck_tcb(val, e);
	case 3:
		return octets(val, e->pce_id, 2);
	case 4:
		return octets(val, e->fmspc, 6);
	case 5:
		if (small_int(val, V_ASN1_ENUMERATED, 2, &x))
			return -1;
		e->sgx_type = (int)x;
		return 0;
	case 6:
		e->has_platform_instance_id = 1;
		return octets(val, e->platform_instance_id, 16);
	default: /* .7 configuration and later additions: not used */
		return 0;
	}
}

enum cgs_err intel_pck_ext_get(X509 *pck, struct intel_pck_ext *ret, struct cgs_diag *d)
{
	static const char *const part[] = {
	    "", "ppid", "tcb", "pce_id", "fmspc", "sgx_type", "platform_instance_id"};
	ASN1_OBJECT *oid = OBJ_txt2obj(SGX_EXT_OID, 1);
	int idx = oid ? X509_get_ext_by_OBJ(pck, oid, -1) : -1;
	STACK_OF(ASN1_TYPE) *items = NULL, *pair;
	struct intel_pck_ext e;
	unsigned seen = 0;
	long arc = 0;

	ASN1_OBJECT_free(oid);
	memset(&e, 0, sizeof(e));
	e.sgx_type = -1;
	if (idx < 0 || !(items = seq_items(X509_EXTENSION_get_data(X509_get_ext(pck, idx))))) {
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, "sgx_extension", CGS_DIAG_NO_OFFSET,
				    "the PCK certificate has no decodable Intel SGX extension");
	}
	for (int i = 0; i < sk_ASN1_TYPE_num(items); i++) {
		ASN1_TYPE *it = sk_ASN1_TYPE_value(items, i), *val = NULL;

		pair = ASN1_TYPE_get(it) == V_ASN1_SEQUENCE ? seq_items(it->value.sequence) : NULL;
		arc = pair ? pair_arc(pair, SGX_EXT_OID, &val) : -1;
		if (arc < 0 || pck_item(arc, val, &e))
			arc = arc < 0 ? 0 : arc;
		else if (arc < 32)
			seen |= 1u << arc, arc = -1;
		sk_ASN1_TYPE_pop_free(pair, ASN1_TYPE_free);
		if (arc >= 0)
			break;
	}
	sk_ASN1_TYPE_pop_free(items, ASN1_TYPE_free);
	ERR_clear_error();
	if (arc >= 0 || (seen & 0x1e) != 0x1e)
		return cgs_diag_set(d, CGS_E_MALFORMED, "sgx_extension", CGS_DIAG_NO_OFFSET,
				    "the Intel SGX extension of the PCK certificate is bad or "
				    "incomplete (%s)",
				    arc > 0 && arc < 7 ? part[arc]
						       : "tcb, pce_id and fmspc needed");
	*ret = e;
	return CGS_OK;
}

/* ---- raw ECDSA P-256 ---- */

enum cgs_err intel_p256_key(const uint8_t xy[64], EVP_PKEY **ret, struct cgs_diag *d)
{
	static char group[] = "prime256v1";
	uint8_t pt[65];
	OSSL_PARAM params[3];
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *k = NULL;

	pt[0] = 0x04;
	memcpy(pt + 1, xy, 64);
	params[0] = OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0);
	params[1] = OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof(pt));
	params[2] = OSSL_PARAM_construct_end();
	if (!ctx || EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &k, EVP_PKEY_PUBLIC_KEY, params) <= 0) {
		EVP_PKEY_CTX_free(ctx);
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the attestation key is not a P-256 point");
	}
	EVP_PKEY_CTX_free(ctx);
	*ret = k;
	return CGS_OK;
}

enum cgs_err intel_ecdsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
				const uint8_t sig[64], const char *what, struct cgs_diag *d)
{
	ECDSA_SIG *s = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *ss = BN_bin2bn(sig + 32, 32, NULL);
	unsigned char der[80], *p = der;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int n = -1, ok = -1;

	if (s && r && ss && ECDSA_SIG_set0(s, r, ss)) {
		r = ss = NULL;
		n = i2d_ECDSA_SIG(s, &p);
	}
	if (n > 0 && md && EVP_DigestVerifyInit(md, NULL, EVP_sha256(), NULL, key) == 1)
		ok = EVP_DigestVerify(md, der, (size_t)n, data, len);
	BN_free(r);
	BN_free(ss);
	ECDSA_SIG_free(s);
	EVP_MD_CTX_free(md);
	ERR_clear_error();
	if (n <= 0 || ok < 0)
		return cgs_diag_set(d, ok < 0 && n > 0 ? CGS_E_VERIFY : CGS_E_CRYPTO, NULL,
				    CGS_DIAG_NO_OFFSET, "cannot check the %s", what);
	if (ok != 1)
		return cgs_diag_set(d, CGS_E_VERIFY, NULL, CGS_DIAG_NO_OFFSET,
				    "the %s does not verify", what);
	return CGS_OK;
}
