/* SPDX-License-Identifier: MIT */
/*
 * IBM Z Secure Execution header version 1 ("IBMSecEx"): parse, serialise and
 * validate on byte arrays, plus the small blocks around it in a boot image
 * (short PSW, the pvimg image metadata block at 0xc000) and the lookup of the
 * header inside an image. All integers big-endian. No crypto here: the
 * encrypted part is carried as 128 opaque bytes (see lib/s390_pv_crypto.h).
 */
#ifndef CGS_FORMATS_S390_PV_HDR_H
#define CGS_FORMATS_S390_PV_HDR_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define S390_PV_PAGE 4096u
#define S390_PV_HDR_MAGIC "IBMSecEx"
#define S390_PV_HDR_VERSION 0x100u
#define S390_PV_HDR_FIXED 416u /* bytes before the key slots */
#define S390_PV_KEYSLOT_SIZE 80u
#define S390_PV_HDR_SEA 128u /* size of the encrypted part in v1 */
#define S390_PV_TAG_SIZE 16u
#define S390_PV_IV_SIZE 12u
#define S390_PV_HDR_MAX_SIZE 8192u
#define S390_PV_HDR_MAX_SLOTS 95u
#define S390_PV_COORD_SIZE 160u /* X || Y, 80 bytes each */
#define S390_PV_PHKH_SIZE 32u
#define S390_PV_DIGEST_SIZE 64u	   /* PLD, ALD, TLD: SHA-512 */
#define S390_PV_HDR_TAGS_SIZE 208u /* PLD || ALD || TLD || GCM tag ("BootHdrTags") */

/* PCF bits (MSB0 numbering: bit n = 1 << (63 - n)) */
#define S390_PV_PCF_DUMP 0x20000000ull	     /* bit 34: guest dump allowed */
#define S390_PV_PCF_NO_DECRYPT 0x10000000ull /* bit 35: components in clear */
#define S390_PV_PCF_PCKMO_DEA 0x80ull	     /* bit 56 */
#define S390_PV_PCF_PCKMO_AES 0x40ull	     /* bit 57 */
#define S390_PV_PCF_PCKMO_ECC 0x20ull	     /* bit 58 */
#define S390_PV_PCF_PCKMO 0xe0ull	     /* bits 56-58 together */
#define S390_PV_PCF_PCKMO_HMAC 0x10ull	     /* bit 59 */
#define S390_PV_PCF_BACKUP_KEYS 0x2ull	     /* bit 62 */
#define S390_PV_PCF_DEFAULT 0xe0ull
/* SCF bits */
#define S390_PV_SCF_CCK_EXT_SECRET 0x4000000000000000ull /* bit 1 */
#define S390_PV_SCF_CCK_UPDATE 0x2000000000000000ull	 /* bit 2 */

#define S390_PV_PSW_MASK_64 0x0000000180000000ull /* EA|BA: 64-bit mode */

struct s390_pv_keyslot {
	uint8_t phkh[S390_PV_PHKH_SIZE]; /* SHA-256 of the host key coordinates */
	uint8_t wrapped[32];		 /* protection key, AES-256-GCM encrypted */
	uint8_t tag[S390_PV_TAG_SIZE];
};

/* The whole header; enc holds the 128-byte encrypted part as stored. */
struct s390_pv_hdr {
	uint32_t version;
	uint32_t size; /* total size: 560 + 80 * nks */
	uint8_t iv[S390_PV_IV_SIZE];
	uint64_t nks;
	uint64_t sea;
	uint64_t nep;
	uint64_t pcf;
	uint8_t cust_pub[S390_PV_COORD_SIZE];
	uint8_t pld[S390_PV_DIGEST_SIZE];
	uint8_t ald[S390_PV_DIGEST_SIZE];
	uint8_t tld[S390_PV_DIGEST_SIZE];
	struct s390_pv_keyslot slots[S390_PV_HDR_MAX_SLOTS];
	uint8_t enc[S390_PV_HDR_SEA];
	uint8_t tag[S390_PV_TAG_SIZE];
};

/* The encrypted part in clear. */
struct s390_pv_hdr_secret {
	uint8_t cck[32];
	uint8_t xts_key[64];
	uint64_t psw_mask;
	uint64_t psw_addr;
	uint64_t scf;
	uint32_t noi; /* number of optional items, 0 in v1 */
};

/* Header size for nks key slots (0 if nks is 0 or above the maximum). */
size_t s390_pv_hdr_size(uint64_t nks);
/* Length of the authenticated (AAD) part: 416 + 80 * nks. */
size_t s390_pv_hdr_aad_len(uint64_t nks);

/*
 * Initialise a header for nks slots: magic/version/size/sea set, everything
 * else zero. CGS_E_UNSUPPORTED if nks is 0 or > 95.
 */
enum cgs_err s390_pv_hdr_init(struct s390_pv_hdr *h, uint64_t nks, struct cgs_diag *d);

/*
 * Parse and validate a header at the start of buf (len may exceed the header).
 * Checks magic, version 0x100, size = 560 + 80*nks <= 8192, sea = 128.
 */
enum cgs_err s390_pv_hdr_parse(const uint8_t *buf, size_t len, struct s390_pv_hdr *ret,
			       struct cgs_diag *d);

/* Serialise into out (cap >= h->size); *ret_len = h->size. */
enum cgs_err s390_pv_hdr_serialize(const struct s390_pv_hdr *h, uint8_t *out, size_t cap,
				   size_t *ret_len, struct cgs_diag *d);

/* The 208-byte tags PLD || ALD || TLD || tag, which attestation binds to. */
void s390_pv_hdr_tags(const struct s390_pv_hdr *h, uint8_t out[S390_PV_HDR_TAGS_SIZE]);

/* Encrypted part <-> struct (plaintext layout of the 128 bytes). */
void s390_pv_hdr_secret_encode(const struct s390_pv_hdr_secret *s, uint8_t out[S390_PV_HDR_SEA]);
void s390_pv_hdr_secret_decode(const uint8_t in[S390_PV_HDR_SEA], struct s390_pv_hdr_secret *s);

/* ---- the image around the header ---- */

#define S390_PV_META_OFFSET 0xc000u
#define S390_PV_META_MAGIC "SeImgLnx"
#define S390_PV_META_SIZE 28u
#define S390_PV_STAGE3A_ADDR 0x10000u
#define S390_PV_STAGE3A_ENTRY 0x11000u
#define S390_PV_HDR_SCAN_START 0x14000u /* pvextract-hdr starts here */

/* The pvimg image metadata block: magic, header offset, version 1, IPIB offset. */
struct s390_pv_meta {
	uint64_t hdr_off;
	uint32_t version;
	uint64_t ipib_off;
};
void s390_pv_meta_serialize(const struct s390_pv_meta *m, uint8_t out[S390_PV_META_SIZE]);
/* CGS_E_MALFORMED if the magic is absent. */
enum cgs_err s390_pv_meta_parse(const uint8_t *buf, size_t len, struct s390_pv_meta *ret,
				struct cgs_diag *d);

/*
 * Fold a 64-bit PSW (mask, address) into the 8-byte short (ESA) form:
 * mask | bit 12 | address. CGS_E_UNSUPPORTED if the mask has bit 12 or any of
 * its low 31 bits set, or the address needs more than 31 bits.
 */
enum cgs_err s390_pv_short_psw(uint64_t mask, uint64_t addr, uint64_t *ret, struct cgs_diag *d);

/*
 * Find the SE header in the first len bytes of an image (or an extracted
 * header). Order: the metadata block at 0xc000 (one try: the header must be
 * at its offset); else every page start from 0 for 0x18 pages (this covers
 * extracted headers at 0, the C layout at 0x14000 and pvextract-hdr's four
 * pages from 0x14000). Sets the header offset and size (validated by
 * s390_pv_hdr_parse, which needs the whole header inside len).
 */
enum cgs_err s390_pv_hdr_find(const uint8_t *img, size_t len, uint64_t *ret_off, size_t *ret_size,
			      struct cgs_diag *d);

/* How many leading bytes of an image s390_pv_hdr_find may need. */
#define S390_PV_HDR_FIND_WINDOW (0x18000u + S390_PV_HDR_MAX_SIZE)

#endif
