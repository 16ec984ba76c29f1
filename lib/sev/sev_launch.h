/* SPDX-License-Identifier: MIT */
/*
 * Legacy SEV / SEV-ES LAUNCH_MEASURE (SEV API, LAUNCH_MEASURE command):
 *   MEASURE = HMAC-SHA-256(TIK, 0x04 || API_MAJOR || API_MINOR || BUILD ||
 *                               POLICY (u32 LE) || LAUNCH_DIGEST (32) || MNONCE (16))
 * The platform hands back the 48-byte blob MEASURE || MNONCE (QEMU shows it base64).
 */
#ifndef CGS_LIB_SEV_SEV_LAUNCH_H
#define CGS_LIB_SEV_SEV_LAUNCH_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SEV_LAUNCH_TIK_LEN 16
#define SEV_LAUNCH_DIGEST_LEN 32
#define SEV_LAUNCH_MEASURE_LEN 32
#define SEV_LAUNCH_MNONCE_LEN 16
#define SEV_LAUNCH_BLOB_LEN (SEV_LAUNCH_MEASURE_LEN + SEV_LAUNCH_MNONCE_LEN)
#define SEV_LAUNCH_INPUT_LEN 56
#define SEV_LAUNCH_CONTEXT 0x04

/* policy bits (SEV API guest policy) */
#define SEV_POLICY_NODBG 0x01u
#define SEV_POLICY_NOKS 0x02u
#define SEV_POLICY_ES 0x04u
#define SEV_POLICY_NOSEND 0x08u
#define SEV_POLICY_DOMAIN 0x10u
#define SEV_POLICY_SEV 0x20u

struct sev_launch_params {
	uint8_t api_major;
	uint8_t api_minor;
	uint8_t build;
	uint32_t policy;
	uint8_t digest[SEV_LAUNCH_DIGEST_LEN]; /* GCTX.LD, the launch digest */
	uint8_t mnonce[SEV_LAUNCH_MNONCE_LEN];
};

struct sev_launch_blob {
	uint8_t measure[SEV_LAUNCH_MEASURE_LEN];
	uint8_t mnonce[SEV_LAUNCH_MNONCE_LEN];
};

/* The 56-byte HMAC input. */
void sev_launch_input(const struct sev_launch_params *p, uint8_t out[SEV_LAUNCH_INPUT_LEN]);

/*
 * MEASURE for these parameters under the TIK (exactly 16 bytes, else
 * CGS_E_MALFORMED naming field 'tik').
 */
enum cgs_err sev_launch_measure(const uint8_t *tik, size_t tik_len,
				const struct sev_launch_params *p,
				uint8_t out[SEV_LAUNCH_MEASURE_LEN], struct cgs_diag *d);

/*
 * Parse a LAUNCH_MEASURE blob: exactly 48 raw bytes, or base64 text (white
 * space around and inside ignored) decoding to 48 bytes. CGS_E_MALFORMED on a
 * wrong size or bad base64, with the reason in the diagnostic.
 */
enum cgs_err sev_launch_blob_parse(const uint8_t *data, size_t len, struct sev_launch_blob *ret,
				   struct cgs_diag *d);

/* Serialise a blob back to its 48 bytes. */
void sev_launch_blob_serialize(const struct sev_launch_blob *b, uint8_t out[SEV_LAUNCH_BLOB_LEN]);

/*
 * Recompute MEASURE with the blob's MNONCE (p->mnonce is ignored and
 * overwritten) and compare it in constant time with the blob's MEASURE.
 * *ret_match gets 1 or 0; ret_expected (may be NULL) the recomputed MEASURE.
 */
enum cgs_err sev_launch_verify(const uint8_t *tik, size_t tik_len, struct sev_launch_params *p,
			       const struct sev_launch_blob *blob, int *ret_match,
			       uint8_t *ret_expected, struct cgs_diag *d);

#endif
