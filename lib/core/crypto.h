/* SPDX-License-Identifier: MIT */
/*
 * Thin OpenSSL 3 EVP wrappers used across the suite: one-shot and streamed
 * digests, HMAC, constant-time compare, randomness. Failures fill a diagnostic
 * with the top OpenSSL error.
 */
#ifndef CGS_LIB_CORE_CRYPTO_H
#define CGS_LIB_CORE_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "lib/core/err.h"

#define CGS_MAX_MD 64

/* One-shot digest: name is an OpenSSL digest name ("SHA256", "SHA384", ...). */
enum cgs_err cgs_digest(const char *name, const void *data, size_t len, uint8_t *out,
			size_t *ret_len, struct cgs_diag *d);

/* Digest a file, streamed in 1 MiB chunks (memory stays flat); "-" = stdin. */
enum cgs_err cgs_digest_file(const char *name, const char *path, uint8_t *out, size_t *ret_len,
			     uint64_t *ret_size, struct cgs_diag *d);

/*
 * Digest several files with several algorithms in one read of each file:
 * used where a file's SHA-256 and SHA-384 are both needed.
 */
enum cgs_err cgs_digest_file_multi(const char *path, const char *const *names, size_t n,
				   uint8_t (*outs)[CGS_MAX_MD], uint64_t *ret_size,
				   struct cgs_diag *d);

/* HMAC with an OpenSSL digest name. */
enum cgs_err cgs_hmac(const char *md, const void *key, size_t keylen, const void *data,
		      size_t len, uint8_t *out, size_t *ret_len, struct cgs_diag *d);

/* Constant-time equality of two equal-length buffers: 1 if equal. */
int cgs_ct_equal(const void *a, const void *b, size_t len);

/* Random bytes from OpenSSL's DRBG. */
enum cgs_err cgs_random(void *out, size_t len, struct cgs_diag *d);

/* Wipe memory (OPENSSL_cleanse). */
void cgs_wipe(void *p, size_t len);

/*
 * Check that key is an EC key on the named curve (e.g. "secp521r1"):
 * CGS_E_UNSUPPORTED with a message naming the curve otherwise.
 */
enum cgs_err cgs_ec_check_curve(EVP_PKEY *key, const char *curve, struct cgs_diag *d);

#endif
