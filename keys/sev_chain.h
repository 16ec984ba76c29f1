/* SPDX-License-Identifier: MIT */
/*
 * Legacy SEV platform chain: ARK (pinned, self-signed) -> ASK -> CEK -> PEK
 * (also signed by the owner's OCA, which is self-signed) -> PDH, and the SEV
 * ATTESTATION report signed by the PEK. Keys and signatures in the SEV
 * little-endian encodings are turned into OpenSSL objects; OpenSSL does all
 * the cryptography (RSA-PSS with salt = hash length for the AMD keys, ECDSA
 * for the platform keys).
 */
#ifndef CGS_KEYS_SEV_CHAIN_H
#define CGS_KEYS_SEV_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "keys/sev_ark.h"
#include "lib/core/err.h"

/* one parsed certificate with its raw bytes (for the signed region) */
struct sev_ca_input {
	const uint8_t *raw;
	size_t len;
	struct sev_ca_cert cert;
};

struct sev_platform_input {
	const uint8_t *raw;
	size_t len;
	struct sev_cert cert;
};

struct sev_chain {
	struct sev_ca_input ark, ask;
	struct sev_platform_input cek, oca, pek, pdh;
	const uint8_t *trusted_ark; /* NULL: the ARK must match a pinned one */
	size_t trusted_ark_len;
	const uint8_t *att_raw;     /* NULL: no attestation report */
	struct sev_attestation att;
	int fail_fast;              /* stop at the first failed check */
};

enum sev_check_result { SEV_CHECK_PASS, SEV_CHECK_FAIL, SEV_CHECK_SKIP };

struct sev_check {
	const char *name;
	enum sev_check_result result;
	char expected[160]; /* "" = none */
	char actual[160];
	char reason[256];
};

#define SEV_CHAIN_MAX_CHECKS 12

struct sev_chain_result {
	struct sev_check checks[SEV_CHAIN_MAX_CHECKS];
	size_t n;
	int verified;                   /* every check passed */
	const struct sev_ark_pin *pin;  /* the matching pinned ARK, or NULL */
	uint8_t ark_sha256[32];
};

/* Public keys as OpenSSL objects (free with EVP_PKEY_free). */
enum cgs_err sev_ca_cert_pkey(const struct sev_ca_cert *c, EVP_PKEY **ret, struct cgs_diag *d);
enum cgs_err sev_cert_pkey(const struct sev_cert *c, EVP_PKEY **ret, struct cgs_diag *d);

/*
 * Verify an RSA-PSS signature stored little-endian (sig_len bytes; bytes past
 * the key size must be zero) over data with the named digest. CGS_OK,
 * CGS_E_VERIFY with a reason, or another error for an OpenSSL failure.
 */
enum cgs_err sev_verify_rsa_pss(EVP_PKEY *key, const char *md, const uint8_t *data, size_t len,
				const uint8_t *sig_le, size_t sig_len, struct cgs_diag *d);
/* Verify an ECDSA signature given as little-endian r and s of coord bytes each. */
enum cgs_err sev_verify_ecdsa(EVP_PKEY *key, const char *md, const uint8_t *data, size_t len,
			      const uint8_t *r_le, const uint8_t *s_le, size_t coord,
			      struct cgs_diag *d);

/* Digest name ("SHA256"/"SHA384") for a SEV signature algorithm, or NULL. */
const char *sev_algo_md(uint32_t algo);

/*
 * Run every check of the chain (and the report, when att_raw is set) in order;
 * the verdict is in ret->verified. Returns CGS_OK when the checks ran; a
 * failed check is a result, not an error. With fail_fast, the checks after
 * the first failure are not run (nor listed).
 */
enum cgs_err sev_chain_verify(const struct sev_chain *c, struct sev_chain_result *ret,
			      struct cgs_diag *d);

#endif
