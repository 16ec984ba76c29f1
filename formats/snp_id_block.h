/* SPDX-License-Identifier: MIT */
/*
 * SNP ID block (96 bytes) and ID authentication information (4096 bytes) given
 * to SNP_LAUNCH_FINISH, with the ECDSA P-384 public-key (1028 bytes) and
 * signature (512 bytes) structures of the SNP ABI (little-endian coordinates).
 */
#ifndef CGS_FORMATS_SNP_ID_BLOCK_H
#define CGS_FORMATS_SNP_ID_BLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SNP_ID_BLOCK_LEN 96
#define SNP_ID_AUTH_LEN 4096
#define SNP_PUBKEY_LEN 1028
#define SNP_SIG_LEN 512
#define SNP_ECC_COORD_LEN 72 /* P-384 coordinates and R, S, zero-extended */
#define SNP_ALGO_ECDSA_P384_SHA384 1
#define SNP_CURVE_P384 2
#define SNP_ID_BLOCK_DEFAULT_POLICY 0x30000ull /* SMT allowed + reserved bit 17 */

/* offsets in the ID auth structure */
#define SNP_ID_AUTH_ID_BLOCK_SIG 0x040
#define SNP_ID_AUTH_ID_KEY 0x240
#define SNP_ID_AUTH_ID_KEY_SIG 0x680
#define SNP_ID_AUTH_AUTHOR_KEY 0x880

struct snp_id_block {
	uint8_t ld[48];
	uint8_t family_id[16];
	uint8_t image_id[16];
	uint32_t version; /* 1 */
	uint32_t guest_svn;
	uint64_t policy;
};

void snp_id_block_serialize(const struct snp_id_block *b, uint8_t out[SNP_ID_BLOCK_LEN]);
enum cgs_err snp_id_block_parse(const uint8_t *p, size_t len, struct snp_id_block *ret,
				struct cgs_diag *d);

/* Public key structure from big-endian coordinates (at most 72 bytes each). */
enum cgs_err snp_pubkey_build(const uint8_t *x_be, size_t xlen, const uint8_t *y_be,
			      size_t ylen, uint8_t out[SNP_PUBKEY_LEN], struct cgs_diag *d);
/* Signature structure from big-endian R and S (at most 72 bytes each). */
enum cgs_err snp_sig_build(const uint8_t *r_be, size_t rlen, const uint8_t *s_be, size_t slen,
			   uint8_t out[SNP_SIG_LEN], struct cgs_diag *d);

/*
 * Assemble the ID auth structure; author_key and id_key_sig may be NULL (no
 * author key: AUTH_KEY_ALGO 0, fields zero).
 */
void snp_id_auth_build(const uint8_t id_block_sig[SNP_SIG_LEN],
		       const uint8_t id_key[SNP_PUBKEY_LEN], const uint8_t *id_key_sig,
		       const uint8_t *author_key, uint8_t out[SNP_ID_AUTH_LEN]);

/* Check an ID auth structure's algorithms and curves; pointers into p on success. */
struct snp_id_auth_view {
	uint32_t id_key_algo, auth_key_algo;
	const uint8_t *id_block_sig, *id_key, *id_key_sig, *author_key;
};
enum cgs_err snp_id_auth_parse(const uint8_t *p, size_t len, struct snp_id_auth_view *ret,
			       struct cgs_diag *d);

#endif
