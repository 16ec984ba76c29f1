/* SPDX-License-Identifier: MIT */
/*
 * The GUIDed footer table at the end of an OVMF image (and of a COCONUT-SVSM
 * binary). The last 32 bytes are the reset-vector area; before them sits the
 * footer entry (u16 table length, footer GUID); the entries, each laid out as
 * [payload][u16 length][GUID], run backwards from there. GUIDs are kept in
 * their stored (EFI mixed-endian) byte order.
 */
#ifndef CGS_FORMATS_OVMF_FOOTER_H
#define CGS_FORMATS_OVMF_FOOTER_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define OVMF_FOOTER_RESET_AREA 32 /* bytes after the footer entry */
#define OVMF_FOOTER_ENTRY_HDR 18  /* u16 length + GUID */
#define OVMF_FOOTER_MAX 64

/* Stored (EFI byte order) GUIDs of the entries the measurement code uses. */
extern const uint8_t ovmf_guid_footer[16];       /* 96b582de-1fb2-45f7-baea-a366c55a082d */
extern const uint8_t ovmf_guid_sev_es_reset[16]; /* 00f771de-1a7e-4fcb-890e-68c77e2fb44e */
extern const uint8_t ovmf_guid_sev_metadata[16]; /* dc886566-984a-4798-a75e-5585a7bf67cc */
extern const uint8_t ovmf_guid_sev_hash_table[16]; /* 7255371f-3a3b-4b04-927b-1da6efa8d454 */
extern const uint8_t ovmf_guid_sev_secret[16];   /* 4c2eb361-7d9b-4cc3-8081-127c90d3d294 */
extern const uint8_t ovmf_guid_svsm_info[16];    /* a789a612-0597-4c4b-a49f-cbb1fe9d1ddd */

struct ovmf_footer_entry {
	uint8_t guid[16];
	uint64_t offset; /* payload offset in the image */
	uint32_t len;    /* payload length */
};

struct ovmf_footer {
	uint64_t table_offset; /* first byte of the table (start of the oldest entry) */
	uint32_t table_len;    /* including the footer entry */
	size_t count;
	struct ovmf_footer_entry e[OVMF_FOOTER_MAX]; /* in table order (walked backwards) */
};

/*
 * Parse the footer table of an image. CGS_E_MALFORMED (field and offset set) if
 * the image is too small, the footer GUID is absent ("no footer table"), or a
 * length is out of range.
 */
enum cgs_err ovmf_footer_parse(const uint8_t *img, size_t len, struct ovmf_footer *ret,
			       struct cgs_diag *d);

/* The entry with this stored GUID, or NULL. */
const struct ovmf_footer_entry *ovmf_footer_find(const struct ovmf_footer *f,
						 const uint8_t guid[16]);

/*
 * The first u32 (little-endian) of an entry's payload: CGS_E_MALFORMED naming
 * the entry if it is absent or shorter than 4 + 4*index bytes.
 */
enum cgs_err ovmf_footer_u32(const struct ovmf_footer *f, const uint8_t *img,
			     const uint8_t guid[16], unsigned index, const char *name,
			     uint32_t *ret, struct cgs_diag *d);

/* One entry for ovmf_footer_build. */
struct ovmf_footer_item {
	const uint8_t *guid;
	const uint8_t *payload;
	size_t len;
};

/*
 * Serialise a footer table: writes the entries (items[0] nearest the footer),
 * the footer entry and a 32-byte zero reset area ending at out + size, i.e. the
 * table occupies the last *ret_len bytes of out. CGS_E_MALFORMED if it does not fit.
 */
enum cgs_err ovmf_footer_build(const struct ovmf_footer_item *items, size_t n, uint8_t *out,
			       size_t size, size_t *ret_len, struct cgs_diag *d);

#endif
