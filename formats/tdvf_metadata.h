/* SPDX-License-Identifier: MIT */
/*
 * The TDVF metadata of an OVMF image built for Intel TDX: the descriptor
 * ("TDVF", length, version 1, section count) and its 32-byte section entries
 * (data offset and size in the image, guest-physical address and size, type,
 * attributes), together at most 4 GiB of guest memory. It is found through the footer-table entry
 * e47a6535-984a-4798-865e-4685a7bf8ec2, whose payload ends with a u32 giving
 * the descriptor's offset from the END of the image; the descriptor is
 * preceded by the GUID e9eaf9f3-168e-44d5-a8eb-7f4d8738f6ae.
 */
#ifndef CGS_FORMATS_TDVF_METADATA_H
#define CGS_FORMATS_TDVF_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "formats/ovmf_footer.h"
#include "lib/core/err.h"

#define TDVF_DESC_SIZE 16
#define TDVF_SECTION_SIZE 32
#define TDVF_MAX_SECTIONS 32
#define TDVF_PAGE 4096u
#define TDVF_MAX_MEMORY (4ull << 30) /* all sections together: bounds MRTD's work */

enum tdvf_section_type {
	TDVF_BFV = 0,
	TDVF_CFV = 1,
	TDVF_TD_HOB = 2,
	TDVF_TEMP_MEM = 3,
	TDVF_PERM_MEM = 4,
	TDVF_PAYLOAD = 5,
	TDVF_PAYLOAD_PARAM = 6,
	TDVF_TD_INFO = 7,
	TDVF_TD_PARAMS = 8,
};

#define TDVF_ATTR_MR_EXTEND 0x1u /* measure the contents (TDH.MR.EXTEND) */
#define TDVF_ATTR_PAGE_AUG 0x2u	 /* added after build (TDH.MEM.PAGE.AUG), not PAGE.ADDed */

extern const uint8_t tdvf_guid_offset_entry[16]; /* e47a6535-984a-4798-865e-4685a7bf8ec2 */
extern const uint8_t tdvf_guid_descriptor[16];	 /* e9eaf9f3-168e-44d5-a8eb-7f4d8738f6ae */

struct tdvf_section {
	uint32_t data_offset; /* in the image */
	uint32_t raw_size;
	uint64_t gpa;
	uint64_t mem_size;
	uint32_t type;
	uint32_t attributes;
};

struct tdvf_metadata {
	uint64_t offset; /* of the descriptor in the image */
	uint32_t length; /* descriptor field: header + entries */
	uint32_t version;
	size_t count;
	struct tdvf_section s[TDVF_MAX_SECTIONS]; /* in descriptor order */
};

/*
 * Parse and validate the descriptor at end_offset bytes before the end of the
 * image. CGS_E_MALFORMED naming the field for: an offset outside the image, a
 * wrong descriptor GUID or signature, a length or section count that does not
 * fit, a section outside the image, unaligned or overlapping guest ranges,
 * mem_size below raw_size, an unknown type, a repeated BFV/CFV/TD_HOB or a
 * missing BFV; CGS_E_UNSUPPORTED for a version other than 1 or unknown
 * attribute bits.
 */
enum cgs_err tdvf_metadata_parse(const uint8_t *img, size_t len, uint32_t end_offset,
				 struct tdvf_metadata *ret, struct cgs_diag *d);

/*
 * Find the descriptor through a parsed footer table and parse it.
 * CGS_E_MALFORMED "no TDVF metadata" (field 'tdx_metadata_offset') when the
 * footer has no TDX entry: the image cannot boot a TD.
 */
enum cgs_err tdvf_metadata_find(const uint8_t *img, size_t len, const struct ovmf_footer *f,
				struct tdvf_metadata *ret, struct cgs_diag *d);

/* "BFV", "CFV", "TD_HOB", ... or NULL for an unknown type. */
const char *tdvf_section_type_name(uint32_t type);

/* The first section of a type, or NULL. */
const struct tdvf_section *tdvf_metadata_section(const struct tdvf_metadata *m, uint32_t type);

/*
 * Serialise the GUID, a descriptor and n entries into out (cap bytes): the
 * descriptor starts 16 bytes into out; *ret_len = 16 + 16 + 32 n. For tests
 * and fuzz seeds.
 */
enum cgs_err tdvf_metadata_build(const struct tdvf_section *s, size_t n, uint8_t *out, size_t cap,
				 size_t *ret_len, struct cgs_diag *d);

#endif
