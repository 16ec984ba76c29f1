/* SPDX-License-Identifier: MIT */
/*
 * QEMU's SEV kernel-hashes table (kernel-hashes=on): a GUID header with a u16
 * length, then the cmdline, initrd and kernel entries (GUID, u16 length 50,
 * SHA-256), 168 bytes padded with zeros to 176.
 */
#ifndef CGS_FORMATS_SEV_HASHES_H
#define CGS_FORMATS_SEV_HASHES_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SEV_HASHES_LEN 168        /* the length field's value */
#define SEV_HASHES_PADDED_LEN 176 /* what is measured */
#define SEV_HASHES_ENTRY_LEN 50

struct sev_hashes {
	uint8_t cmdline[32]; /* SHA-256 of the command line + NUL */
	uint8_t initrd[32];  /* SHA-256 of the initrd (of nothing if none) */
	uint8_t kernel[32];  /* SHA-256 of the kernel */
};

/* Serialise the padded table (176 bytes). */
void sev_hashes_build(const struct sev_hashes *h, uint8_t out[SEV_HASHES_PADDED_LEN]);

/* Parse a table (at least 168 bytes): GUIDs, lengths and order are checked. */
enum cgs_err sev_hashes_parse(const uint8_t *p, size_t len, struct sev_hashes *ret,
			      struct cgs_diag *d);

#endif
