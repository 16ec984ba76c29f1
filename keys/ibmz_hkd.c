// SPDX-License-Identifier: MIT
/* IBM Z host-key document verification (spec s390-pv.md section 10). */
#include "keys/ibmz_hkd.h"
#include "lib/core/crypto.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <string.h>
#include <strings.h>

#include "lib/core/io.h"

#define FILE_MAX (8u << 20)
#define IBM_CORP "International Business Machines Corporation"

struct ibmz_hkd_ctx {
	X509 *signer;
	STACK_OF(X509_CRL) * signer_crls;
	time_t now;
};

static enum cgs_err slurp(const char *path, BIO **ret, uint8_t **ret_buf, struct cgs_diag *d)
{
	uint8_t *buf;
	size_t len;
	enum cgs_err err = cgs_read_file(path, FILE_MAX, &buf, &len, d);

	if (err)
		return err;
	*ret = BIO_new_mem_buf(buf, (int)len);
	if (!*ret) {
		free(buf);
		return cgs_diag_openssl(d, "out of memory");
	}
	*ret_buf = buf;
	return CGS_OK;
}

static int is_pem(const uint8_t *buf)
{
	return strstr((const char *)buf, "-----BEGIN") != NULL;
}

/*
 * Load the certificates (certs != NULL) or the CRLs (crls != NULL) of a PEM
 * bundle or a single DER object; *ret_n counts what was found.
 */
static enum cgs_err load_pem_or_der(const char *path, STACK_OF(X509) * certs,
				    STACK_OF(X509_CRL) * crls, int *ret_n, struct cgs_diag *d)
{
	uint8_t *buf = NULL;
	BIO *bio = NULL;
	int n = 0;
	enum cgs_err err = slurp(path, &bio, &buf, d);

	if (err)
		return err;
	if (is_pem(buf)) {
		STACK_OF(X509_INFO) *infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);

		for (int i = 0; infos && i < sk_X509_INFO_num(infos); i++) {
			X509_INFO *xi = sk_X509_INFO_value(infos, i);

			if (certs && xi->x509 && X509_up_ref(xi->x509) && sk_X509_push(certs, xi->x509))
				n++;
			if (crls && xi->crl && X509_CRL_up_ref(xi->crl) && sk_X509_CRL_push(crls, xi->crl))
				n++;
		}
		sk_X509_INFO_pop_free(infos, X509_INFO_free);
	} else if (certs) {
		X509 *x = d2i_X509_bio(bio, NULL);

		if (x && sk_X509_push(certs, x))
			n++;
		else
			X509_free(x);
	} else {
		X509_CRL *crl = d2i_X509_CRL_bio(bio, NULL);

		if (crl && sk_X509_CRL_push(crls, crl))
			n++;
		else
			X509_CRL_free(crl);
	}
	BIO_free(bio);
	free(buf);
	ERR_clear_error();
	*ret_n = n;
	return CGS_OK;
}

enum cgs_err ibmz_load_certs(const char *path, STACK_OF(X509) * out, struct cgs_diag *d)
{
	int n;
	enum cgs_err err = load_pem_or_der(path, out, NULL, &n, d);

	if (!err && !n)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "no X.509 certificate found (PEM or DER expected)");
	return err;
}

enum cgs_err ibmz_load_crls(const char *path, STACK_OF(X509_CRL) * out, int optional,
			    struct cgs_diag *d)
{
	int n;
	enum cgs_err err = load_pem_or_der(path, NULL, out, &n, d);

	if (!err && !n && !optional)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "no certificate revocation list found (PEM or DER expected)");
	return err;
}

/* The value of the only entry with this NID, or NULL (absent or repeated). */
static const char *name_value(const X509_NAME *n, int nid, char *buf, size_t len)
{
	int i = X509_NAME_get_index_by_NID(n, nid, -1);
	const ASN1_STRING *s;

	if (i < 0 || X509_NAME_get_index_by_NID(n, nid, i) >= 0)
		return NULL;
	s = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(n, i));
	if (!s || (size_t)ASN1_STRING_length(s) >= len)
		return NULL;
	memcpy(buf, ASN1_STRING_get0_data(s), (size_t)ASN1_STRING_length(s));
	buf[ASN1_STRING_length(s)] = 0;
	return buf;
}

/* Step 1: the subject rule of the IBM Z signing key. */
static int is_signing_key(X509 *x)
{
	const X509_NAME *n = X509_get_subject_name(x);
	char v[256];
	const char *ou;
	const char *suffix = "Key Signing Service";
	size_t l;

	if (X509_NAME_entry_count(n) != 6)
		return 0;
	if (!name_value(n, NID_countryName, v, sizeof(v)) || strcmp(v, "US"))
		return 0;
	if (!name_value(n, NID_stateOrProvinceName, v, sizeof(v)) || strcmp(v, "New York"))
		return 0;
	if (!name_value(n, NID_localityName, v, sizeof(v)) ||
	    (strcmp(v, "Poughkeepsie") && strcmp(v, "Armonk")))
		return 0;
	if (!name_value(n, NID_organizationName, v, sizeof(v)) || strcmp(v, IBM_CORP))
		return 0;
	if (!name_value(n, NID_commonName, v, sizeof(v)) || strcmp(v, IBM_CORP))
		return 0;
	ou = name_value(n, NID_organizationalUnitName, v, sizeof(v));
	if (!ou || (l = strlen(ou)) < strlen(suffix) || strcmp(ou + l - strlen(suffix), suffix))
		return 0;
	return 1;
}

/*
 * Name comparison with upstream's quirks: equal, or the same attributes in
 * another order, with locality Armonk and Poughkeepsie treated as equal (real
 * IBM certificates and CRLs differ in both ways).
 */
static int name_match(const X509_NAME *a, const X509_NAME *b)
{
	int n = X509_NAME_entry_count(a);

	if (!X509_NAME_cmp(a, b))
		return 1;
	if (n != X509_NAME_entry_count(b))
		return 0;
	for (int i = 0; i < n; i++) {
		const X509_NAME_ENTRY *e = X509_NAME_get_entry(a, i);
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
		char va[256], vb[256];

		if (!name_value(a, nid, va, sizeof(va)) || !name_value(b, nid, vb, sizeof(vb)))
			return 0;
		if (!strcmp(va, vb))
			continue;
		if (nid == NID_localityName &&
		    (!strcmp(va, "Armonk") || !strcmp(va, "Poughkeepsie")) &&
		    (!strcmp(vb, "Armonk") || !strcmp(vb, "Poughkeepsie")))
			continue;
		return 0;
	}
	return 1;
}

static int akid_matches(const AUTHORITY_KEYID *akid, X509 *issuer)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(issuer);

	if (!akid || !akid->keyid)
		return 1;
	return skid && !ASN1_OCTET_STRING_cmp(akid->keyid, skid);
}

static enum cgs_err load_all(const struct ibmz_hkd_opts *o, STACK_OF(X509) * certs,
			     STACK_OF(X509) * roots, STACK_OF(X509_CRL) * crls, struct cgs_diag *d)
{
	enum cgs_err err = CGS_OK;
	char what[300];

	for (size_t i = 0; i < o->n_certs && !err; i++) {
		snprintf(what, sizeof(what), "%s", o->certs[i]);
		err = ibmz_load_certs(o->certs[i], certs, d);
		if (!err && (o->flags & IBMZ_HKD_CRLS_FROM_CERTS))
			err = ibmz_load_crls(o->certs[i], crls, 1, d);
	}
	for (size_t i = 0; i < o->n_crls && !err; i++) {
		snprintf(what, sizeof(what), "%s", o->crls[i]);
		err = ibmz_load_crls(o->crls[i], crls, 0, d);
	}
	if (!err && o->root_ca) {
		snprintf(what, sizeof(what), "%s", o->root_ca);
		err = ibmz_load_certs(o->root_ca, roots, d);
		if (!err && (o->flags & IBMZ_HKD_CRLS_FROM_ROOT))
			err = ibmz_load_crls(o->root_ca, crls, 1, d);
	}
	if (err && d) {
		char text[sizeof(d->text) + sizeof(what) + 8];
		size_t n;

		snprintf(text, sizeof(text), "'%s': %s", what, d->text);
		n = strlen(text);
		if (n >= sizeof(d->text))
			n = sizeof(d->text) - 1;
		memcpy(d->text, text, n);
		d->text[n] = 0;
	}
	return err;
}

/* Step 1: exactly one signing key among the untrusted certificates. */
static enum cgs_err pick_signer(STACK_OF(X509) * certs, X509 **ret, struct cgs_diag *d)
{
	int found = -1;

	for (int i = 0; i < sk_X509_num(certs); i++) {
		if (!is_signing_key(sk_X509_value(certs, i)))
			continue;
		if (found >= 0)
			return cgs_diag_set(d, CGS_E_VERIFY, "signing_key", CGS_DIAG_NO_OFFSET,
					    "please specify only one IBM Z signing key");
		found = i;
	}
	if (found < 0)
		return cgs_diag_set(d, CGS_E_VERIFY, "signing_key", CGS_DIAG_NO_OFFSET,
				    "please specify at least one IBM Z signing key");
	*ret = sk_X509_delete(certs, found);
	return CGS_OK;
}

static enum cgs_err verify_signer(X509 *signer, STACK_OF(X509) * untrusted, STACK_OF(X509) * roots,
				  STACK_OF(X509_CRL) * crls, const struct ibmz_hkd_opts *o,
				  struct cgs_diag *d)
{
	X509_STORE *store = X509_STORE_new();
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	X509_VERIFY_PARAM *p;
	enum cgs_err err = CGS_OK;
	int ok = store && ctx;

	for (int i = 0; ok && i < sk_X509_num(roots); i++)
		ok = X509_STORE_add_cert(store, sk_X509_value(roots, i));
	if (ok && !o->root_ca)
		ok = X509_STORE_set_default_paths(store);
	for (int i = 0; ok && i < sk_X509_CRL_num(crls); i++)
		ok = X509_STORE_add_crl(store, sk_X509_CRL_value(crls, i));
	ok = ok && X509_STORE_CTX_init(ctx, store, signer, untrusted);
	if (!ok) {
		err = cgs_diag_openssl(d, "cannot set up certificate verification");
		goto out;
	}
	p = X509_STORE_CTX_get0_param(ctx);
	X509_VERIFY_PARAM_set_depth(p, 2);
	X509_VERIFY_PARAM_set_auth_level(p, 2);
	X509_VERIFY_PARAM_set_purpose(p, X509_PURPOSE_ANY);
	X509_VERIFY_PARAM_set_flags(p, X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL |
					   X509_V_FLAG_TRUSTED_FIRST |
					   X509_V_FLAG_CHECK_SS_SIGNATURE |
					   X509_V_FLAG_X509_STRICT | X509_V_FLAG_POLICY_CHECK);
	if (o->now)
		X509_VERIFY_PARAM_set_time(p, o->now);
	if (X509_verify_cert(ctx) != 1 || sk_X509_num(X509_STORE_CTX_get0_chain(ctx)) < 2) {
		X509 *cur = X509_STORE_CTX_get_current_cert(ctx);
		int e = X509_STORE_CTX_get_error(ctx);
		char subj[512] = "?";

		X509_NAME_oneline(X509_get_subject_name(cur ? cur : signer), subj, sizeof(subj));
		err = cgs_diag_set(d, CGS_E_VERIFY, "signing_key", CGS_DIAG_NO_OFFSET,
				   "failed to verify certificate '%s': %s", subj,
				   e ? X509_verify_cert_error_string(e) : "chain too short");
	}
out:
	ERR_clear_error();
	X509_STORE_CTX_free(ctx);
	X509_STORE_free(store);
	return err;
}

static int crl_time_ok(X509_CRL *crl, time_t now)
{
	const ASN1_TIME *last = X509_CRL_get0_lastUpdate(crl);
	const ASN1_TIME *next = X509_CRL_get0_nextUpdate(crl);

	return last && next && X509_cmp_time(last, &now) <= 0 && X509_cmp_time(next, &now) > 0;
}

/* Step 4: the CRLs issued by the signing key. */
static enum cgs_err signer_crls(struct ibmz_hkd_ctx *c, STACK_OF(X509_CRL) * crls,
				struct cgs_diag *d)
{
	EVP_PKEY *pub = X509_get0_pubkey(c->signer);
	int named = 0;

	for (int i = 0; i < sk_X509_CRL_num(crls); i++) {
		X509_CRL *crl = sk_X509_CRL_value(crls, i);
		AUTHORITY_KEYID *akid;
		int good;

		if (!name_match(X509_CRL_get_issuer(crl), X509_get_subject_name(c->signer)))
			continue;
		named++;
		akid = X509_CRL_get_ext_d2i(crl, NID_authority_key_identifier, NULL, NULL);
		good = crl_time_ok(crl, c->now) && akid_matches(akid, c->signer) && pub &&
		       X509_CRL_verify(crl, pub) == 1;
		AUTHORITY_KEYID_free(akid);
		if (good && X509_CRL_up_ref(crl) && !sk_X509_CRL_push(c->signer_crls, crl))
			X509_CRL_free(crl);
	}
	ERR_clear_error();
	if (!named)
		return cgs_diag_set(d, CGS_E_VERIFY, "crl", CGS_DIAG_NO_OFFSET,
				    "IBM Z signing key: no CRL found");
	if (!sk_X509_CRL_num(c->signer_crls))
		return cgs_diag_set(d, CGS_E_VERIFY, "crl", CGS_DIAG_NO_OFFSET,
				    "IBM Z signing key: no valid CRL found");
	return CGS_OK;
}

enum cgs_err ibmz_hkd_ctx_new(const struct ibmz_hkd_opts *o, struct ibmz_hkd_ctx **ret,
			      struct cgs_diag *d)
{
	STACK_OF(X509) *certs = sk_X509_new_null(), *roots = sk_X509_new_null();
	STACK_OF(X509_CRL) *crls = sk_X509_CRL_new_null();
	struct ibmz_hkd_ctx *c = calloc(1, sizeof(*c));
	enum cgs_err err;

	if (!certs || !roots || !crls || !c || !(c->signer_crls = sk_X509_CRL_new_null())) {
		err = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		goto out;
	}
	c->now = o->now ? o->now : time(NULL);
	if (!o->n_certs) {
		err = cgs_diag_set(d, CGS_E_USAGE, "cert", CGS_DIAG_NO_OFFSET,
				   "no IBM Z signing key given: use --cert with the signing-key "
				   "and intermediate CA certificates (or --no-verify)");
		goto out;
	}
	err = load_all(o, certs, roots, crls, d);
	if (!err)
		err = pick_signer(certs, &c->signer, d);
	if (!err)
		err = verify_signer(c->signer, certs, roots, crls, o, d);
	if (!err)
		err = signer_crls(c, crls, d);
out:
	sk_X509_pop_free(certs, X509_free);
	sk_X509_pop_free(roots, X509_free);
	sk_X509_CRL_pop_free(crls, X509_CRL_free);
	if (err) {
		ibmz_hkd_ctx_free(c);
		return err;
	}
	*ret = c;
	return CGS_OK;
}

void ibmz_hkd_ctx_free(struct ibmz_hkd_ctx *c)
{
	if (!c)
		return;
	X509_free(c->signer);
	sk_X509_CRL_pop_free(c->signer_crls, X509_CRL_free);
	free(c);
}

X509 *ibmz_hkd_signing_cert(const struct ibmz_hkd_ctx *c)
{
	return c->signer;
}

enum cgs_err ibmz_hkd_verify(struct ibmz_hkd_ctx *c, X509 *hkd, struct cgs_diag *d)
{
	EVP_PKEY *key = X509_get0_pubkey(hkd);
	AUTHORITY_KEYID *akid = X509_get_ext_d2i(hkd, NID_authority_key_identifier, NULL, NULL);
	int issued = name_match(X509_get_issuer_name(hkd), X509_get_subject_name(c->signer)) &&
		     akid_matches(akid, c->signer) &&
		     X509_verify(hkd, X509_get0_pubkey(c->signer)) == 1;
	X509_REVOKED *rev = NULL;

	AUTHORITY_KEYID_free(akid);
	ERR_clear_error();
	if (!issued)
		return cgs_diag_set(
		    d, CGS_E_VERIFY, "issuer", CGS_DIAG_NO_OFFSET,
		    "no IBM Z signing key that issued this host-key document found");
	if (!key || EVP_PKEY_get_security_bits(key) < 112)
		return cgs_diag_set(d, CGS_E_VERIFY, "key", CGS_DIAG_NO_OFFSET,
				    "host key too weak (less than 112 security bits)");
	if (X509_cmp_time(X509_get0_notBefore(hkd), &c->now) > 0 ||
	    X509_cmp_time(X509_get0_notAfter(hkd), &c->now) < 0)
		return cgs_diag_set(d, CGS_E_VERIFY, "validity", CGS_DIAG_NO_OFFSET,
				    "validity period is not valid");
	for (int i = 0; i < sk_X509_CRL_num(c->signer_crls); i++)
		if (X509_CRL_get0_by_cert(sk_X509_CRL_value(c->signer_crls, i), &rev, hkd) == 1)
			return cgs_diag_set(d, CGS_E_VERIFY, "serial", CGS_DIAG_NO_OFFSET,
					    "certificate revoked");
	return CGS_OK;
}

enum cgs_err ibmz_hkd_load(const char *path, X509 **ret_cert, EVP_PKEY **ret_key,
			   struct cgs_diag *d)
{
	STACK_OF(X509) *sk = sk_X509_new_null();
	enum cgs_err err;
	EVP_PKEY *key;
	X509 *x;

	if (!sk)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	err = ibmz_load_certs(path, sk, d);
	if (err) {
		sk_X509_pop_free(sk, X509_free);
		return err;
	}
	x = sk_X509_shift(sk);
	sk_X509_pop_free(sk, X509_free);
	key = X509_get_pubkey(x);
	if (!key) {
		X509_free(x);
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, "public_key", CGS_DIAG_NO_OFFSET,
				    "unreadable public key");
	}
	err = cgs_ec_check_curve(key, "secp521r1", d);
	if (err) {
		snprintf(d->text, sizeof(d->text), "host key: %s",
			 EVP_PKEY_get_base_id(key) == EVP_PKEY_EC
			     ? "not on curve secp521r1 "
			       "(a host-key document carries an ECDH secp521r1 key)"
			     : "not an EC key (a host-key document carries an ECDH secp521r1 key)");
		EVP_PKEY_free(key);
		X509_free(x);
		return err;
	}
	*ret_cert = x;
	*ret_key = key;
	return CGS_OK;
}
