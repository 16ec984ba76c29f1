/* SPDX-License-Identifier: MIT */
/*
 * IBM Z Secure Execution attestation and add-secret requests (pvattest,
 * pvsecret): build and encrypt requests for a set of host keys with injected
 * randomness, open a request with its protection key, compute and check the
 * HMAC-SHA512 measurement of a response, derive extension secrets and encode
 * retrievable secrets. Uses lib/s390_pv_crypto for ECDH, key slots and GCM.
 * Never prints.
 */
#ifndef CGS_LIB_S390_S390_ATTEST_H
#define CGS_LIB_S390_S390_ATTEST_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "formats/s390_arcb.h"
#include "formats/s390_asrcb.h"
#include "formats/s390_exchange.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/err.h"

#define S390_ATTEST_PROT_KEY_SIZE 32u
#define S390_ATTEST_TAGS_SIZE 208u /* PLD || ALD || TLD || header GCM tag */

/* Every random value of an attestation request. */
struct s390_attest_secrets {
	uint8_t arpk[S390_ATTEST_PROT_KEY_SIZE];
	uint8_t iv[S390_UVREQ_IV_SIZE];
	uint8_t meas_key[S390_ARCB_MEAS_KEY_SIZE];
	uint8_t nonce[S390_ARCB_NONCE_SIZE];
};

/*
 * Build and encrypt an ARCB v1 for n host public keys with the customer key
 * pair cust (its public coordinates go into the request). The nonce is used
 * if paf has S390_PAF_NONCE. *ret is malloc'd.
 */
enum cgs_err s390_attest_build_arcb(EVP_PKEY *cust, EVP_PKEY *const *hosts, size_t n,
				    uint64_t paf, const struct s390_attest_secrets *s,
				    uint8_t **ret, size_t *ret_len, struct cgs_diag *d);

/*
 * Wrap an ARCB into a pvattest exchange-format request (expected measurement
 * size 64 and the additional-data size its flags ask for). *ret is malloc'd.
 */
enum cgs_err s390_attest_request_file(const uint8_t *arcb, size_t len, uint8_t **ret,
				      size_t *ret_len, struct cgs_diag *d);

/* The confidential part of an ARCB. */
struct s390_arcb_plain {
	uint8_t meas_key[S390_ARCB_MEAS_KEY_SIZE];
	uint8_t nonce[S390_ARCB_NONCE_SIZE];
	int has_nonce;
};

/*
 * Parse an ARCB and decrypt it with the ARPK. CGS_E_VERIFY (field
 * "arpk") if authentication fails: a wrong ARPK or a modified request.
 */
enum cgs_err s390_attest_open_arcb(const uint8_t *buf, size_t len, const uint8_t arpk[32],
				   struct s390_arcb *ret_a, struct s390_arcb_plain *ret_p,
				   struct cgs_diag *d);

/*
 * measurement = HMAC-SHA512(key, tags || cuid || be16(user_len) || 00 00 ||
 * be32(add_len) || user || nonce (if not NULL) || additional).
 */
enum cgs_err s390_attest_measurement(const uint8_t key[64], const uint8_t tags[208],
				     const uint8_t cuid[16], const uint8_t *user, size_t user_len,
				     const uint8_t *nonce, const uint8_t *add, size_t add_len,
				     uint8_t out[64], struct cgs_diag *d);

enum s390_check { S390_CHECK_SKIP = 0, S390_CHECK_PASS, S390_CHECK_FAIL };

/* The outcome of checking a response. */
struct s390_attest_verdict {
	struct s390_arcb arcb;
	struct s390_arcb_plain plain;
	enum s390_check decrypt;    /* the ARCB opens with the ARPK */
	enum s390_check add_size;   /* additional data has the size the flags ask for */
	enum s390_check measurement;
	uint8_t computed[64];
	const uint8_t *measured, *cuid, *user, *add; /* into the response */
	size_t user_len, add_len;
};

/*
 * Check a parsed response against the SE header tags and the ARPK. Returns
 * CGS_OK if every check passed, CGS_E_VERIFY if one failed (v says which, d
 * why), CGS_E_MALFORMED if the response lacks the ARCB, measurement or CUID.
 * The measurement comparison is constant-time.
 */
enum cgs_err s390_attest_verify(const struct s390_exchange *resp, const uint8_t tags[208],
				const uint8_t arpk[32], struct s390_attest_verdict *v,
				struct cgs_diag *d);

/*
 * The secret-store hash the Ultravisor reports as additional data:
 * SHA-512(GCM tags of the n add-secret requests, in the order they were added
 * || one byte: 1 if the store is locked, else 0).
 */
enum cgs_err s390_attest_secret_store_hash(const uint8_t (*tags)[16], size_t n, int locked,
					   uint8_t out[64], struct cgs_diag *d);

/* ---- add-secret requests ---- */

/*
 * Extension secret derived from the CCK: HKDF-SHA512(ikm = CCK, salt = the SE
 * header GCM tag, info = "IBM Z Ultravisor Add-Secret", 32 bytes).
 */
enum cgs_err s390_attest_ext_secret(const uint8_t cck[32], const uint8_t hdr_tag[16],
					  uint8_t out[32], struct cgs_diag *d);

/*
 * Encode a secret value for its type as pvsecret does: plaintext becomes
 * be16(len) || data, zero-padded to a multiple of 16; the other types are
 * taken as they are after a size check. *ret is malloc'd (wipe it).
 */
enum cgs_err s390_attest_encode_secret(uint16_t type, const uint8_t *in, size_t len,
				      uint8_t **ret, size_t *ret_len, struct cgs_diag *d);

/*
 * Build and encrypt an add-secret request. a describes everything
 * authenticated (hdr.iv, hdr.nks = n, user type and data, flags, tags, CUID,
 * secret type, length and ID; slots and cust_pub are filled here); secret has
 * a->secret_len bytes. *ret is malloc'd.
 */
enum cgs_err s390_attest_secret_build(struct s390_asrcb *a, EVP_PKEY *cust, EVP_PKEY *const *hosts,
			      size_t n, const uint8_t prot_key[32], const uint8_t *secret,
			      const uint8_t ext_secret[32], uint8_t **ret, size_t *ret_len,
			      struct cgs_diag *d);

/*
 * Decrypt an add-secret request with its protection key (the Ultravisor's
 * view, for tests and inspection): *ret gets secret || extension secret.
 */
enum cgs_err s390_attest_secret_open(const uint8_t *buf, size_t len, const uint8_t prot_key[32],
			     struct s390_asrcb *ret_a, uint8_t **ret, size_t *ret_len,
			     struct cgs_diag *d);

/* ---- the SE header a request binds to (read it with lib/s390_pv_image.h) ---- */

/* Is phkh the PHKH of one of the header's key slots? */
int s390_attest_hdr_has_phkh(const struct s390_pv_hdr *h, const uint8_t phkh[32]);
#endif
