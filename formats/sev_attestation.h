/* SPDX-License-Identifier: MIT */
/*
 * The legacy SEV ATTESTATION report (SEV API >= 0.23), 0xD0 bytes, little-endian:
 *   0x00 MNONCE (16)   0x10 LAUNCH_DIGEST (32)   0x30 u32 POLICY
 *   0x34 u32 SIG_USAGE (PEK 0x1002)   0x38 u32 SIG_ALGO (ECDSA-SHA256 0x2)
 *   0x3c u32 reserved   0x40 signature: r (72 LE), s (72 LE)
 * The signature covers bytes 0x00..0x33 (SHA-256, ECDSA P-384 with the PEK).
 */
#ifndef CGS_FORMATS_SEV_ATTESTATION_H
#define CGS_FORMATS_SEV_ATTESTATION_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SEV_ATT_SIZE 0xd0
#define SEV_ATT_SIGNED_LEN 0x34
#define SEV_ATT_COORD 72

struct sev_attestation {
	uint8_t mnonce[16];
	uint8_t launch_digest[32];
	uint32_t policy;
	uint32_t sig_usage;
	uint32_t sig_algo;
	uint8_t r[SEV_ATT_COORD];
	uint8_t s[SEV_ATT_COORD];
};

/*
 * Parse and validate: exactly 0xD0 bytes, reserved word zero, signature usage
 * and algorithm known SEV values (sev_cert.h). The verifier checks that they
 * are PEK and ECDSA.
 */
enum cgs_err sev_attestation_parse(const uint8_t *data, size_t len, struct sev_attestation *ret,
				   struct cgs_diag *d);
/* Write the 0xD0 bytes (out must hold SEV_ATT_SIZE). */
void sev_attestation_serialize(const struct sev_attestation *r, uint8_t *out);

#endif
