/* SPDX-License-Identifier: MIT */
/*
 * IBM Z Secure Execution attestation request control block (ARCB) version 1.
 * Layout (big-endian), after the generic request header (formats/s390_uvreq.h,
 * magic = 8 zero bytes):
 *
 *   48   8  PAF, plaintext attestation flags (MSB0 bits, see below)
 *   56   4  measurement algorithm id (1 = HMAC-SHA512)
 *   60   4  reserved
 *   64 160  customer public key coordinates (fresh per request)
 *  224  80n key slots, each wrapping the request protection key (ARPK)
 *   ..  64  encrypted: measurement key || nonce (16, if PAF bit 1)
 *   ..  16  GCM tag
 */
#ifndef CGS_FORMATS_S390_ARCB_H
#define CGS_FORMATS_S390_ARCB_H

#include <stddef.h>
#include <stdint.h>

#include "formats/s390_uvreq.h"
#include "lib/core/err.h"

#define S390_ARCB_FIXED 224u /* bytes before the key slots */
#define S390_ARCB_MAI_HMAC_SHA512 1u
#define S390_ARCB_MEAS_KEY_SIZE 64u
#define S390_ARCB_NONCE_SIZE 16u
#define S390_ARCB_MEAS_SIZE 64u /* HMAC-SHA512 */

/* PAF bits (MSB0: bit n = 1 << (63 - n)) */
#define S390_PAF_NONCE (1ull << 62)             /* bit 1: a nonce is in the request */
#define S390_PAF_PHKH_IMG (1ull << 61)          /* bit 2: image PHKH, 32 bytes */
#define S390_PAF_PHKH_ATT (1ull << 60)          /* bit 3: attestation PHKH, 32 bytes */
#define S390_PAF_SECRET_STORE_HASH (1ull << 59) /* bit 4: secret-store hash, 64 bytes */
#define S390_PAF_FIRMWARE_STATE (1ull << 58)    /* bit 5: firmware state, 320 bytes */
#define S390_PAF_BACKUP_KEY (1ull << 1)         /* bit 62: temporary backup key allowed */
#define S390_PAF_GLOBAL_KEY (1ull << 0)         /* bit 63: non-host-specific key allowed */
#define S390_PAF_KNOWN                                                                       \
	(S390_PAF_NONCE | S390_PAF_PHKH_IMG | S390_PAF_PHKH_ATT | S390_PAF_SECRET_STORE_HASH | \
	 S390_PAF_FIRMWARE_STATE | S390_PAF_BACKUP_KEY | S390_PAF_GLOBAL_KEY)

struct s390_arcb {
	struct s390_uvreq_hdr hdr;
	uint64_t paf;
	uint32_t mai;
	uint8_t cust_pub[S390_UVREQ_COORD_SIZE];
	const uint8_t *slots; /* hdr.nks * 80 bytes (into the parsed buffer) */
};

/* One part of the additional data a response carries, in response order. */
struct s390_arcb_add_part {
	uint64_t flag;    /* S390_PAF_... */
	const char *name; /* "image_phkh", ... (also the JSON key) */
	size_t size;
};

/* The additional-data parts in order; *ret_n gets their number. */
const struct s390_arcb_add_part *s390_arcb_add_parts(size_t *ret_n);

/* Total additional-data size the flags ask for. */
size_t s390_arcb_additional_size(uint64_t paf);

/* Size of the encrypted plaintext: 64, plus 16 with a nonce. */
size_t s390_arcb_plain_size(uint64_t paf);

/* Total ARCB length for nks slots and these flags. */
size_t s390_arcb_len(size_t nks, uint64_t paf);

/*
 * Parse and validate an ARCB that occupies exactly len bytes: magic zero,
 * version 0x100, the length, key slots, encrypted size matching the nonce
 * flag, measurement algorithm HMAC-SHA512 and no unknown PAF bit.
 */
enum cgs_err s390_arcb_parse(const uint8_t *buf, size_t len, struct s390_arcb *ret,
			     struct cgs_diag *d);

/*
 * Write the authenticated part (header, PAF, MAI, public key, slots) into out
 * (cap >= 224 + 80 * nks). Version and IV come from a->hdr, nks from
 * a->hdr.nks, and the lengths are computed. *ret_len = bytes written.
 */
enum cgs_err s390_arcb_serialize_aad(const struct s390_arcb *a, uint8_t *out, size_t cap,
				     size_t *ret_len, struct cgs_diag *d);

#endif
