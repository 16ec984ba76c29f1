// SPDX-License-Identifier: MIT
#define _GNU_SOURCE
#include "keys/cert_load.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "lib/core/io.h"

/* what one call found, appended to the caller's stacks only on success */
struct found {
	STACK_OF(X509) * certs;
	STACK_OF(X509_CRL) * crls;
};

static enum cgs_err nomem(struct cgs_diag *d)
{
	return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
}

static enum cgs_err keep_cert(struct found *f, X509 *x, struct cgs_diag *d)
{
	if (!sk_X509_push(f->certs, x)) {
		X509_free(x);
		return nomem(d);
	}
	return CGS_OK;
}

static enum cgs_err keep_crl(struct found *f, X509_CRL *crl, struct cgs_diag *d)
{
	if (!sk_X509_CRL_push(f->crls, crl)) {
		X509_CRL_free(crl);
		return nomem(d);
	}
	return CGS_OK;
}

static int looks_pem(const uint8_t *buf, size_t len)
{
	return len >= 11 && memmem(buf, len, "-----BEGIN ", 11) != NULL;
}

static enum cgs_err load_pem(struct found *f, const uint8_t *buf, size_t len, int want_certs,
			     struct cgs_diag *d)
{
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	STACK_OF(X509_INFO) * infos;
	enum cgs_err e = CGS_OK;
	int count = 0;

	if (!bio)
		return cgs_diag_openssl(d, "cannot read PEM");
	infos = PEM_X509_INFO_read_bio(bio, NULL, NULL, NULL);
	BIO_free(bio);
	if (!infos)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				    "not a PEM certificate or CRL");
	for (int i = 0; i < sk_X509_INFO_num(infos) && !e; i++) {
		X509_INFO *in = sk_X509_INFO_value(infos, i);

		if (in->x509 && want_certs) {
			e = keep_cert(f, in->x509, d);
			in->x509 = NULL;
			count++;
		}
		if (in->crl && f->crls && !e) {
			e = keep_crl(f, in->crl, d);
			in->crl = NULL;
			count++;
		}
	}
	sk_X509_INFO_pop_free(infos, X509_INFO_free);
	ERR_clear_error();
	if (!e && count == 0)
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				 want_certs ? "no certificate in the PEM file"
					    : "no CRL in the PEM file");
	return e;
}

/* PkiPath: SEQUENCE OF Certificate, read with ASN1_get_object and d2i_X509 */
static enum cgs_err load_pkipath(struct found *f, const uint8_t *buf, size_t len,
				 struct cgs_diag *d)
{
	const unsigned char *p = buf, *end;
	long body;
	int tag, cls, count = 0;
	enum cgs_err e;

	if ((ASN1_get_object(&p, &body, &tag, &cls, (long)len) & 0x80) ||
	    tag != V_ASN1_SEQUENCE || cls != V_ASN1_UNIVERSAL || p + body != buf + len) {
		ERR_clear_error();
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0,
				    "not a certificate, CRL or PkiPath (DER or PEM)");
	}
	for (end = p + body; p < end; count++) {
		X509 *x = d2i_X509(NULL, &p, end - p);

		if (!x) {
			ERR_clear_error();
			return cgs_diag_set(d, CGS_E_MALFORMED, NULL, (uint64_t)(p - buf),
					    "bad certificate in PkiPath");
		}
		if ((e = keep_cert(f, x, d)))
			return e;
	}
	return count ? CGS_OK : cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0, "empty PkiPath");
}

static enum cgs_err load_der(struct found *f, const uint8_t *buf, size_t len, int want_certs,
			     struct cgs_diag *d)
{
	const unsigned char *p = buf;
	X509 *x = NULL;
	X509_CRL *crl;

	if (want_certs) {
		x = d2i_X509(NULL, &p, (long)len);
		if (x && p == buf + len)
			return keep_cert(f, x, d);
		X509_free(x);
	}
	p = buf;
	crl = f->crls ? d2i_X509_CRL(NULL, &p, (long)len) : NULL;
	if (crl && p == buf + len)
		return keep_crl(f, crl, d);
	X509_CRL_free(crl);
	ERR_clear_error();
	if (!want_certs)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0, "not a CRL (DER or PEM)");
	return load_pkipath(f, buf, len, d);
}

static enum cgs_err move_all(struct found *f, STACK_OF(X509) * certs, STACK_OF(X509_CRL) * crls,
			     struct cgs_diag *d)
{
	int nc = certs ? sk_X509_num(certs) : 0, nl = crls ? sk_X509_CRL_num(crls) : 0;

	for (int i = 0; i < sk_X509_num(f->certs); i++)
		if (!sk_X509_push(certs, sk_X509_value(f->certs, i)))
			goto fail;
	for (int i = 0; i < sk_X509_CRL_num(f->crls); i++)
		if (!sk_X509_CRL_push(crls, sk_X509_CRL_value(f->crls, i)))
			goto fail;
	sk_X509_free(f->certs);
	sk_X509_CRL_free(f->crls);
	return CGS_OK;
fail: /* give the caller's stacks back their old length; f still owns everything */
	while (certs && sk_X509_num(certs) > nc)
		sk_X509_pop(certs);
	while (crls && sk_X509_CRL_num(crls) > nl)
		sk_X509_CRL_pop(crls);
	sk_X509_pop_free(f->certs, X509_free);
	sk_X509_CRL_pop_free(f->crls, X509_CRL_free);
	return nomem(d);
}

enum cgs_err cgs_certs_load_mem(const uint8_t *buf, size_t len, STACK_OF(X509) * certs,
				STACK_OF(X509_CRL) * crls, struct cgs_diag *d)
{
	struct found f = { sk_X509_new_null(), crls ? sk_X509_CRL_new_null() : NULL };
	enum cgs_err e;

	if (!f.certs || (crls && !f.crls))
		e = nomem(d);
	else if (len == 0)
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0, "empty file");
	else if (len > INT32_MAX)
		e = cgs_diag_set(d, CGS_E_MALFORMED, NULL, 0, "too large");
	else if (looks_pem(buf, len))
		e = load_pem(&f, buf, len, certs != NULL, d);
	else
		e = load_der(&f, buf, len, certs != NULL, d);
	if (!e)
		return move_all(&f, certs, crls, d);
	sk_X509_pop_free(f.certs, X509_free);
	sk_X509_CRL_pop_free(f.crls, X509_CRL_free);
	return e;
}

enum cgs_err cgs_certs_load_file(const char *path, STACK_OF(X509) * certs,
				 STACK_OF(X509_CRL) * crls, struct cgs_diag *d)
{
	uint8_t *buf;
	size_t len;
	enum cgs_err e = cgs_read_file(path, CGS_CERT_FILE_MAX, &buf, &len, d);

	if (e)
		return e;
	e = cgs_certs_load_mem(buf, len, certs, crls, d);
	free(buf);
	return e;
}
