/* SPDX-License-Identifier: MIT */
/*
 * IBM Z host-key documents (HKDs): loading and verification as genprotimg and
 * pvattest do it (spec s390-pv.md section 10): find the IBM Z signing key among
 * the untrusted certificates by its subject, verify it to a root (--root-ca or
 * the system trust store) with CRLs required for every level, collect the CRLs
 * the signing key issued, then check each HKD by hand (issuer, key identifier,
 * signature, validity, revocation, key strength). No pinned roots: upstream
 * dropped its pinned DigiCert root in s390-tools 2.21 and uses the trust store.
 */
#ifndef CGS_KEYS_IBMZ_HKD_H
#define CGS_KEYS_IBMZ_HKD_H

#include <stddef.h>
#include <time.h>

#include <openssl/x509.h>

#include "lib/core/err.h"

/* flags */
#define IBMZ_HKD_CRLS_FROM_ROOT 0x1u  /* also read CRLs from the --root-ca file (C libpv) */
#define IBMZ_HKD_CRLS_FROM_CERTS 0x2u /* also read CRLs from the -C files (Rust tools) */

struct ibmz_hkd_opts {
	const char *const *certs; /* -C/--cert files: signing key and intermediates */
	size_t n_certs;
	const char *const *crls; /* --crl files (PEM with one or more CRLs, or DER) */
	size_t n_crls;
	const char *root_ca; /* trusted root file, or NULL for the system trust store */
	unsigned flags;
	time_t now; /* verification time; 0 = now */
};

struct ibmz_hkd_ctx;

/*
 * Load the certificates and CRLs, select and verify the IBM Z signing key and
 * collect its CRLs. Errors: CGS_E_NOINPUT (unreadable file), CGS_E_MALFORMED
 * (no certificate/CRL in a file), CGS_E_USAGE (no -C given), CGS_E_VERIFY with
 * the reason, e.g. "failed to verify certificate '/C=US/...': certificate revoked".
 */
enum cgs_err ibmz_hkd_ctx_new(const struct ibmz_hkd_opts *opts, struct ibmz_hkd_ctx **ret,
			      struct cgs_diag *d);
void ibmz_hkd_ctx_free(struct ibmz_hkd_ctx *c);

/* The selected signing key (owned by the context). */
X509 *ibmz_hkd_signing_cert(const struct ibmz_hkd_ctx *c);

/*
 * Verify one host-key document against the signing key. CGS_E_VERIFY with
 * "no IBM Z signing key that issued this host-key document found",
 * "validity period is not valid", "certificate revoked" or "key too weak".
 */
enum cgs_err ibmz_hkd_verify(struct ibmz_hkd_ctx *c, X509 *hkd, struct cgs_diag *d);

/*
 * Load a host-key document (PEM or DER, the first certificate) and its public
 * key, which must be EC secp521r1 (CGS_E_UNSUPPORTED otherwise).
 */
enum cgs_err ibmz_hkd_load(const char *path, X509 **ret_cert, EVP_PKEY **ret_key,
			   struct cgs_diag *d);

/* Load every certificate of a PEM file (or one DER certificate). */
enum cgs_err ibmz_load_certs(const char *path, STACK_OF(X509) * out, struct cgs_diag *d);
/* Load every CRL of a PEM file (or one DER CRL); with optional != 0, none is fine. */
enum cgs_err ibmz_load_crls(const char *path, STACK_OF(X509_CRL) * out, int optional,
			    struct cgs_diag *d);

#endif
