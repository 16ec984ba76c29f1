/* SPDX-License-Identifier: MIT */
/*
 * AMD SEV-SNP trust: loading VCEK/VLEK, ASK/ASVK, ARK certificates and CRLs
 * (PEM, DER, PkiPath, a directory, or an extended-report certificate table),
 * the chain ARK -> ASK (VCEK) or ASVK (VLEK) -> VEK with RSA-PSS/SHA-384, the
 * ARK pin, validity at a time, CRLs, the VEK's AMD extensions and the report
 * signature (ECDSA P-384, SHA-384). Never prints.
 */
#ifndef CGS_KEYS_AMD_CHAIN_H
#define CGS_KEYS_AMD_CHAIN_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include "formats/snp_certtable.h"
#include "lib/core/err.h"

enum amd_role {
	AMD_ROLE_UNKNOWN = 0,
	AMD_ROLE_ARK,
	AMD_ROLE_ASK,
	AMD_ROLE_ASVK,
	AMD_ROLE_VCEK,
	AMD_ROLE_VLEK,
};

const char *amd_role_name(enum amd_role role); /* "ARK", "ASK", ... */

struct amd_cert {
	X509 *x;
	enum amd_role role;
	int forced; /* role given by the caller (--vcek/--vlek), not by the subject CN */
};

struct amd_certs {
	struct amd_cert *certs;
	size_t n, cap;
	X509_CRL **crls;
	size_t n_crls, cap_crls;
	X509 *trusted_ark; /* --trusted-ark */
};

void amd_certs_init(struct amd_certs *c);
void amd_certs_free(struct amd_certs *c);

/*
 * Load certificates (and CRLs) from memory: PEM (any number of CERTIFICATE and
 * X509 CRL blocks), or DER (one certificate, a PkiPath SEQUENCE of
 * certificates, or one CRL). With force != AMD_ROLE_UNKNOWN the first
 * certificate gets that role (it is the --vcek/--vlek leaf); the others are
 * classified by subject CN.
 */
enum cgs_err amd_certs_load_mem(struct amd_certs *c, const uint8_t *buf, size_t len,
				enum amd_role force, struct cgs_diag *d);
enum cgs_err amd_certs_load_file(struct amd_certs *c, const char *path, enum amd_role force,
				 struct cgs_diag *d);
/* Every regular file of a directory (*.pem, *.der, *.crt, *.cer, *.crl, cert_chain...). */
enum cgs_err amd_certs_load_dir(struct amd_certs *c, const char *dir, struct cgs_diag *d);
/* CRLs only (--crl): PEM or DER. */
enum cgs_err amd_certs_load_crl_file(struct amd_certs *c, const char *path, struct cgs_diag *d);
/* The blobs of a parsed certificate table (buf is the whole table buffer). */
enum cgs_err amd_certs_load_table(struct amd_certs *c, const uint8_t *buf, size_t len,
				  const struct snp_certtable *t, struct cgs_diag *d);
/* --trusted-ark FILE: the one certificate of the file becomes the anchor. */
enum cgs_err amd_certs_set_trusted_ark(struct amd_certs *c, const char *path, struct cgs_diag *d);

/* The outcome of one step of the chain. */
enum amd_status { AMD_PASS = 0, AMD_FAIL, AMD_SKIP };

struct amd_step {
	enum amd_status status;
	char expected[160];
	char actual[160];
	char reason[320];
};

struct amd_chain {
	X509 *ark, *ica, *vek; /* borrowed from amd_certs; NULL if not found */
	struct amd_step ark_step, ica_step, vek_step, validity_step, crl_step;
};

/*
 * Build and check the chain for a report of product line `line` ("Milan", ...;
 * NULL if unknown) signed by a VCEK (vlek = 0) or VLEK (vlek = 1), at time at.
 * Check failures are recorded in the steps; the return value is an error only
 * for a runtime failure (OpenSSL, memory).
 */
enum cgs_err amd_chain_check(const struct amd_certs *c, const char *line, int vlek, time_t at,
			     struct amd_chain *ret, struct cgs_diag *d);

/*
 * Whether an ARK-issued CRL can be used at time at: NULL if its signature
 * (RSASSA-PSS) verifies under ark and at lies in [thisUpdate, nextUpdate),
 * else why not. Revocation itself is checked by amd_chain_check.
 */
const char *amd_crl_problem(X509_CRL *crl, X509 *ark, time_t at);

/* The AMD extensions of a VCEK/VLEK (OID arc 1.3.6.1.4.1.3704.1). */
#define AMD_SPL_MAX 10
struct amd_vek_info {
	char cn[64];
	int struct_version;    /* -1 if absent */
	char product_name[64]; /* "" if absent */
	int has_product_name;
	int spl[AMD_SPL_MAX]; /* .3.N (1 bl, 2 tee, 3 snp, 4-7 reserved, 8 ucode, 9 fmc); -1 absent
			       */
	uint8_t hwid[64];
	size_t hwid_len; /* 0 if absent */
	char csp_id[256];
	int has_csp_id;
	int key_ok; /* the public key is ECDSA P-384 */
};

/* Decode the extensions; CGS_E_MALFORMED (field = extension name) on a bad encoding. */
enum cgs_err amd_vek_info_get(X509 *vek, struct amd_vek_info *ret, struct cgs_diag *d);

/* The SPL sub-arc of a TCB component name ("bl" -> 1 ... "fmc" -> 9), 0 if none. */
int amd_spl_index(const char *comp);

/*
 * Verify the report signature: ECDSA P-384 with SHA-384 over data (the first
 * 0x2a0 bytes), r and s 72-byte little-endian. CGS_OK if valid, CGS_E_VERIFY
 * (with the reason in d->text) if not, CGS_E_CRYPTO on an OpenSSL failure.
 */
enum cgs_err amd_report_sig_verify(EVP_PKEY *key, const uint8_t *data, size_t len,
				   const uint8_t *r_le, const uint8_t *s_le, struct cgs_diag *d);

/*
 * The same with a verifier set up once per key (for many reports under one
 * VEK: the OpenSSL context is reused). amd_sig_verifier_new returns NULL on an
 * OpenSSL failure.
 */
struct amd_sig_verifier;
struct amd_sig_verifier *amd_sig_verifier_new(EVP_PKEY *key);
void amd_sig_verifier_free(struct amd_sig_verifier *v);
enum cgs_err amd_sig_verifier_check(struct amd_sig_verifier *v, const uint8_t *data, size_t len,
				    const uint8_t *r_le, const uint8_t *s_le, struct cgs_diag *d);

/* SHA-256 fingerprint of a certificate's DER encoding. */
enum cgs_err amd_cert_sha256(X509 *x, uint8_t out[32], struct cgs_diag *d);

/* The subject CN into buf ("" if none). */
void amd_cert_cn(X509 *x, char *buf, size_t len);

#endif
