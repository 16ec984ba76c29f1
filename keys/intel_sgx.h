/* SPDX-License-Identifier: MIT */
/*
 * Intel SGX/TDX DCAP trust: the Intel SGX Root CA pinned by the SHA-256 of its
 * DER, the PCK chain carried in a quote (PCK leaf <- Platform or Processor CA
 * <- root), the TCB Signing certificate, PCK and root CRLs, the Intel SGX
 * extension of a PCK certificate (OID 1.2.840.113741.1.13.1, decoded with
 * OpenSSL's ASN.1 API), and ECDSA P-256 signatures in the quote's raw r||s
 * form. Never prints; every failure is a struct cgs_diag.
 */
#ifndef CGS_KEYS_INTEL_SGX_H
#define CGS_KEYS_INTEL_SGX_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "lib/core/err.h"

/* SHA-256 of the DER of the Intel SGX Root CA (see intel_sgx.c for provenance). */
extern const uint8_t intel_sgx_root_sha256[32];

/* The pinned root's fingerprint as lowercase hex. */
const char *intel_sgx_root_fingerprint_hex(void);

/* SHA-256 of a certificate's DER. */
enum cgs_err intel_cert_sha256(X509 *x, uint8_t out[32], struct cgs_diag *d);

/* 1 if x is the pinned Intel SGX Root CA (by fingerprint, never by name). */
int intel_sgx_root_is_pinned(X509 *x);

/*
 * Every certificate of a PEM text (trailing NULs allowed), in order.
 * CGS_E_MALFORMED if a block does not decode or there is none.
 */
enum cgs_err intel_pem_certs(const uint8_t *buf, size_t len, STACK_OF(X509) * *ret,
			     struct cgs_diag *d);

/* One certificate, PEM or DER (the first of a PEM file). */
enum cgs_err intel_cert_load(const uint8_t *buf, size_t len, X509 **ret, struct cgs_diag *d);

/* One CRL: DER, PEM or hex text of the DER (as some PCS versions serve it). */
enum cgs_err intel_crl_load(const uint8_t *buf, size_t len, X509_CRL **ret, struct cgs_diag *d);

/* The subject CN into buf ("" if none). */
void intel_cert_cn(X509 *x, char *buf, size_t len);

/* "YYYY-MM-DDTHH:MM:SSZ" of an ASN1_TIME into buf (size >= 21); "?" if it cannot. */
void intel_asn1_time_str(const ASN1_TIME *t, char *buf, size_t len);

/*
 * Checks below return CGS_OK when the check passes, CGS_E_VERIFY with the
 * reason in d->text when it fails, other codes for runtime failures.
 */

/* child's signature verifies with issuer's public key. */
enum cgs_err intel_cert_signed_by(X509 *child, X509 *issuer, const char *what, struct cgs_diag *d);

/* notBefore <= at <= notAfter. */
enum cgs_err intel_cert_valid_at(X509 *x, time_t at, const char *what, struct cgs_diag *d);

/*
 * A CRL issued and signed by issuer, with thisUpdate <= at <= nextUpdate;
 * then that serial_of (if not NULL) is not listed. revoked is set to 1 when
 * the only failure is that the certificate is listed.
 */
enum cgs_err intel_crl_check(X509_CRL *crl, X509 *issuer, time_t at, X509 *serial_of,
			     const char *what, int *revoked, struct cgs_diag *d);

/* The Intel SGX extension of a PCK certificate. */
struct intel_pck_ext {
	uint8_t ppid[16];
	uint8_t sgx_comp[16]; /* TCB .2.1 - .2.16 */
	uint16_t pcesvn;      /* .2.17 */
	uint8_t cpusvn[16];   /* .2.18 */
	uint8_t pce_id[2];
	uint8_t fmspc[6];
	int sgx_type; /* 0 Standard, 1 Scalable, 2 ScalableWithIntegrity; -1 absent */
	int has_platform_instance_id;
	uint8_t platform_instance_id[16];
};

/* Decode it; CGS_E_MALFORMED (field = the part) if absent or badly encoded. */
enum cgs_err intel_pck_ext_get(X509 *pck, struct intel_pck_ext *ret, struct cgs_diag *d);

/* A P-256 public key from 64 bytes x || y (CGS_E_VERIFY if not on the curve). */
enum cgs_err intel_p256_key(const uint8_t xy[64], EVP_PKEY **ret, struct cgs_diag *d);

/* ECDSA-SHA256 signature r || s (32 bytes each, big-endian) over data by key. */
enum cgs_err intel_ecdsa_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
				const uint8_t sig[64], const char *what, struct cgs_diag *d);

#endif
