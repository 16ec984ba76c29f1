/* SPDX-License-Identifier: MIT */
/*
 * The generic Ultravisor request header shared by IBM Z Secure Execution
 * attestation requests (ARCB) and add-secret requests (ASRCB), and the 80-byte
 * key slot they carry. Layout (big-endian):
 *
 *   0  8  magic (8 zero bytes: attestation; "asrcbM" + u16 user-data type: add-secret)
 *   8  4  request version (0x100)
 *  12  4  total request length
 *  16 12  AES-256-GCM IV
 *  28 11  reserved
 *  39  1  number of key slots
 *  40  4  reserved
 *  44  4  size of the encrypted area
 *  48 ..  request-specific authenticated data, encrypted area, 16-byte GCM tag
 *
 * The authenticated data (AAD) is everything before the encrypted area.
 */
#ifndef CGS_FORMATS_S390_UVREQ_H
#define CGS_FORMATS_S390_UVREQ_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define S390_UVREQ_HDR_SIZE 48u
#define S390_UVREQ_VERSION_1 0x100u
#define S390_UVREQ_IV_SIZE 12u
#define S390_UVREQ_TAG_SIZE 16u
#define S390_UVREQ_KEYSLOT_SIZE 80u
#define S390_UVREQ_COORD_SIZE 160u /* customer public key: X || Y, 80 bytes each */
#define S390_UVREQ_PHKH_SIZE 32u
#define S390_UVREQ_MAX_SLOTS 255u
#define S390_UVREQ_MAX_LEN (1u << 20) /* the Linux uvdevice limit for a request */

struct s390_uvreq_hdr {
	uint8_t magic[8];
	uint32_t version;
	uint32_t len; /* total request length, including the tag */
	uint8_t iv[S390_UVREQ_IV_SIZE];
	uint8_t nks;  /* number of key slots */
	uint32_t sea; /* size of the encrypted area */
};

/* A key slot: PHKH (32) || wrapped protection key (32) || GCM tag (16). */
struct s390_uvreq_keyslot {
	uint8_t phkh[S390_UVREQ_PHKH_SIZE];
	uint8_t wrapped[32];
	uint8_t tag[S390_UVREQ_TAG_SIZE];
};

/*
 * Parse the generic header at the start of buf (len = bytes available).
 * Checks only what is common to every request: the header fits, the declared
 * length covers header + encrypted area + tag and does not exceed len, at least
 * one key slot. The caller checks magic and version (its own error wording).
 */
enum cgs_err s390_uvreq_hdr_parse(const uint8_t *buf, size_t len, struct s390_uvreq_hdr *ret,
				  struct cgs_diag *d);

/* Write the 48-byte header. */
void s390_uvreq_hdr_serialize(const struct s390_uvreq_hdr *h, uint8_t out[S390_UVREQ_HDR_SIZE]);

/* Length of the authenticated part: len - sea - 16 (valid after a successful parse). */
size_t s390_uvreq_aad_len(const struct s390_uvreq_hdr *h);

/* Key slot <-> 80 bytes. */
void s390_uvreq_keyslot_parse(const uint8_t in[S390_UVREQ_KEYSLOT_SIZE],
			      struct s390_uvreq_keyslot *ret);
void s390_uvreq_keyslot_serialize(const struct s390_uvreq_keyslot *k,
				  uint8_t out[S390_UVREQ_KEYSLOT_SIZE]);

/* Index of the first slot whose PHKH equals phkh in a run of nks slots, or -1. */
int s390_uvreq_find_slot(const uint8_t *slots, size_t nks, const uint8_t phkh[32]);

#endif
