/* SPDX-License-Identifier: MIT */
/*
 * Pinned AMD SEV-SNP root keys (ARKs), one per KDS product line, by the
 * SHA-256 of the certificate's DER encoding. A supplied ARK is trusted only if
 * it is byte-identical to a pinned one (or given with --trusted-ark).
 */
#ifndef CGS_KEYS_AMD_ARK_H
#define CGS_KEYS_AMD_ARK_H

#include <stdint.h>

struct amd_ark_pin {
	const char *line;   /* KDS product line: "Milan", "Genoa", "Turin" */
	const char *cn;	    /* subject CN: "ARK-Milan" */
	uint8_t sha256[32]; /* SHA-256 of the DER certificate */
};

/* The pin of a certificate fingerprint, or NULL. */
const struct amd_ark_pin *amd_ark_pin_find(const uint8_t sha256[32]);
/* The pin for a product line, or NULL. */
const struct amd_ark_pin *amd_ark_pin_for_line(const char *line);

#endif
