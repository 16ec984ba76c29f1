/* SPDX-License-Identifier: MIT */
/*
 * OVMF's SEV metadata ("ASEV" header + section descriptors), located through
 * the footer entry dc886566-... whose u32 payload is the header's offset from
 * the END of the image. Descriptors: u32 gpa, u32 size, u32 type.
 */
#ifndef CGS_FORMATS_SEV_METADATA_H
#define CGS_FORMATS_SEV_METADATA_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SEV_METADATA_HDR_SIZE 16
#define SEV_METADATA_DESC_SIZE 12
#define SEV_METADATA_MAX 64

enum sev_section_type {
	SEV_SECTION_SNP_SEC_MEM = 1,
	SEV_SECTION_SNP_SECRETS = 2,
	SEV_SECTION_CPUID = 3,
	SEV_SECTION_SVSM_CAA = 4,
	SEV_SECTION_SNP_KERNEL_HASHES = 0x10,
};

struct sev_section {
	uint32_t gpa;
	uint32_t size;
	uint32_t type;
};

struct sev_metadata {
	uint64_t offset; /* of the header in the image */
	uint32_t size;   /* header field: header + descriptors */
	uint32_t version;
	size_t count;
	struct sev_section s[SEV_METADATA_MAX]; /* in table order */
};

/*
 * Parse the metadata whose header is end_offset bytes before the end of the
 * image. CGS_E_MALFORMED naming the field for a bad offset, signature, version,
 * truncated descriptors, or a section of unknown type.
 */
enum cgs_err sev_metadata_parse(const uint8_t *img, size_t len, uint32_t end_offset,
				struct sev_metadata *ret, struct cgs_diag *d);

/* "SNP_SEC_MEM", ... or NULL for an unknown type. */
const char *sev_section_type_name(uint32_t type);

/*
 * Serialise a header with n descriptors into out (cap bytes);
 * *ret_len = 16 + 12 n.
 */
enum cgs_err sev_metadata_build(const struct sev_section *s, size_t n, uint8_t *out, size_t cap,
				size_t *ret_len, struct cgs_diag *d);

#endif
