// SPDX-License-Identifier: MIT
#include "formats/sev_metadata.h"

#include <string.h>

#include "lib/core/endian.h"

const char *sev_section_type_name(uint32_t type)
{
	switch (type) {
	case SEV_SECTION_SNP_SEC_MEM:
		return "SNP_SEC_MEM";
	case SEV_SECTION_SNP_SECRETS:
		return "SNP_SECRETS";
	case SEV_SECTION_CPUID:
		return "CPUID";
	case SEV_SECTION_SVSM_CAA:
		return "SVSM_CAA";
	case SEV_SECTION_SNP_KERNEL_HASHES:
		return "SNP_KERNEL_HASHES";
	default:
		return NULL;
	}
}

enum cgs_err sev_metadata_parse(const uint8_t *img, size_t len, uint32_t end_offset,
				struct sev_metadata *ret, struct cgs_diag *d)
{
	uint64_t base;
	uint32_t count;

	if (end_offset > len || end_offset < SEV_METADATA_HDR_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "sev_metadata_offset", CGS_DIAG_NO_OFFSET,
				    "SEV metadata offset 0x%x outside the %zu-byte image",
				    end_offset, len);
	base = len - end_offset;
	if (memcmp(img + base, "ASEV", 4) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "signature", base,
				    "SEV metadata signature is not 'ASEV'");
	memset(ret, 0, sizeof(*ret));
	ret->offset = base;
	ret->size = cgs_le32(img + base + 4);
	ret->version = cgs_le32(img + base + 8);
	count = cgs_le32(img + base + 12);
	if (ret->version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", base + 8,
				    "unsupported SEV metadata version %u", ret->version);
	if (count > SEV_METADATA_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "num_desc", base + 12,
				    "%u SEV metadata sections (at most %d)", count,
				    SEV_METADATA_MAX);
	if ((uint64_t)SEV_METADATA_HDR_SIZE + (uint64_t)count * SEV_METADATA_DESC_SIZE >
	    end_offset)
		return cgs_diag_set(d, CGS_E_MALFORMED, "descriptors", base + 16,
				    "SEV metadata truncated: %u sections do not fit", count);
	for (uint32_t i = 0; i < count; i++) {
		const uint8_t *p = img + base + SEV_METADATA_HDR_SIZE + i * SEV_METADATA_DESC_SIZE;
		struct sev_section *s = &ret->s[i];

		s->gpa = cgs_le32(p);
		s->size = cgs_le32(p + 4);
		s->type = cgs_le32(p + 8);
		if (!sev_section_type_name(s->type))
			return cgs_diag_set(d, CGS_E_MALFORMED, "type", (uint64_t)(p + 8 - img),
					    "unknown SEV metadata section type 0x%x (section %u)",
					    s->type, i);
	}
	ret->count = count;
	return CGS_OK;
}

enum cgs_err sev_metadata_build(const struct sev_section *s, size_t n, uint8_t *out, size_t cap,
				size_t *ret_len, struct cgs_diag *d)
{
	size_t len = SEV_METADATA_HDR_SIZE + n * SEV_METADATA_DESC_SIZE;

	if (len > cap)
		return cgs_diag_set(d, CGS_E_MALFORMED, "descriptors", CGS_DIAG_NO_OFFSET,
				    "SEV metadata of %zu bytes does not fit", len);
	memcpy(out, "ASEV", 4);
	cgs_put_le32(out + 4, (uint32_t)len);
	cgs_put_le32(out + 8, 1);
	cgs_put_le32(out + 12, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = out + SEV_METADATA_HDR_SIZE + i * SEV_METADATA_DESC_SIZE;

		cgs_put_le32(p, s[i].gpa);
		cgs_put_le32(p + 4, s[i].size);
		cgs_put_le32(p + 8, s[i].type);
	}
	*ret_len = len;
	return CGS_OK;
}
