/* SPDX-License-Identifier: MIT */
/*
 * Pinned AMD root keys (ARK) in the legacy SEV certificate format, one per
 * product line. A chain is trusted only if its ARK is byte-identical to one of
 * these (checked by SHA-256 of the whole certificate) or to an ARK the user
 * names explicitly.
 */
#ifndef CGS_KEYS_SEV_ARK_H
#define CGS_KEYS_SEV_ARK_H

#include <stddef.h>
#include <stdint.h>

struct sev_ark_pin {
	const char *product;   /* "Naples", "Rome", ... */
	uint8_t key_id[16];    /* the ARK's key id (header offset 0x04) */
	uint8_t sha256[32];    /* SHA-256 of the whole SEV-format ARK certificate */
	unsigned modulus_bits; /* 2048 (Naples) or 4096 */
};

/* The pinned ARKs; *ret_n gets their number. */
const struct sev_ark_pin *sev_ark_pins(size_t *ret_n);

/* The pin whose fingerprint equals sha256 (32 bytes), or NULL. Constant-time per entry. */
const struct sev_ark_pin *sev_ark_find(const uint8_t *sha256);

/* The pin for a product name (case-insensitive), or NULL. */
const struct sev_ark_pin *sev_ark_by_product(const char *product);

#endif
