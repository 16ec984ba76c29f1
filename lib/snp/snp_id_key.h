/* SPDX-License-Identifier: MIT */
/*
 * ECDSA P-384 keys for SNP ID blocks (OpenSSL): load a PEM private key, its
 * SNP public-key structure and digest, and SNP-format signatures.
 */
#ifndef CGS_LIB_SNP_SNP_ID_KEY_H
#define CGS_LIB_SNP_SNP_ID_KEY_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "formats/snp_id_block.h"
#include "lib/core/err.h"

struct snp_id_key {
	EVP_PKEY *pkey;
	uint8_t pub[SNP_PUBKEY_LEN]; /* SNP public-key structure */
	uint8_t digest[48];          /* SHA-384 of pub: what the report shows */
};

/*
 * Load an unencrypted PEM (or DER) EC P-384 private key. CGS_E_NOINPUT if the
 * file is unreadable, CGS_E_MALFORMED/UNSUPPORTED for anything else.
 */
enum cgs_err snp_id_key_load(const char *path, struct snp_id_key *ret, struct cgs_diag *d);
void snp_id_key_free(struct snp_id_key *k);

/*
 * The SHA-384 of the SNP public-key structure of the P-384 key in a file: an
 * X.509 certificate, a public key (SubjectPublicKeyInfo) or a private key,
 * PEM or DER; what a report shows as ID_KEY_DIGEST or AUTHOR_KEY_DIGEST.
 */
enum cgs_err snp_id_key_digest_file(const char *path, uint8_t digest[48], struct cgs_diag *d);

/* ECDSA-SHA384 over data, as an SNP signature structure (R, S little-endian). */
enum cgs_err snp_id_key_sign(const struct snp_id_key *k, const uint8_t *data, size_t len,
			     uint8_t sig[SNP_SIG_LEN], struct cgs_diag *d);

#endif
