// SPDX-License-Identifier: MIT
#include "formats/tdvf_metadata.h"

#include <string.h>

#include "lib/core/endian.h"

const uint8_t tdvf_guid_offset_entry[16] = {0x35, 0x65, 0x7a, 0xe4, 0x4a, 0x98, 0x98, 0x47,
					    0x86, 0x5e, 0x46, 0x85, 0xa7, 0xbf, 0x8e, 0xc2};
const uint8_t tdvf_guid_descriptor[16] = {0xf3, 0xf9, 0xea, 0xe9, 0x8e, 0x16, 0xd5, 0x44,
					  0xa8, 0xeb, 0x7f, 0x4d, 0x87, 0x38, 0xf6, 0xae};

const char *tdvf_section_type_name(uint32_t type)
{
	static const char *const names[] = {"BFV",	     "CFV",	 "TD_HOB",
					    "TEMP_MEM",	     "PERM_MEM", "PAYLOAD",
					    "PAYLOAD_PARAM", "TD_INFO",	 "TD_PARAMS"};

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

const struct tdvf_section *tdvf_metadata_section(const struct tdvf_metadata *m, uint32_t type)
{
	for (size_t i = 0; i < m->count; i++)
		if (m->s[i].type == type)
			return &m->s[i];
	return NULL;
}

/* One entry on its own: bounds in the image, alignment, sizes, type, attributes. */
static enum cgs_err check_section(const struct tdvf_section *s, uint64_t at, size_t len, unsigned i,
				  struct cgs_diag *d)
{
	uint64_t in_image = s->attributes & TDVF_ATTR_MR_EXTEND ? s->mem_size : s->raw_size;

	if (!tdvf_section_type_name(s->type))
		return cgs_diag_set(d, CGS_E_MALFORMED, "type", at + 24,
				    "unknown TDVF section type %u (section %u)", s->type, i);
	if (s->attributes & ~(TDVF_ATTR_MR_EXTEND | TDVF_ATTR_PAGE_AUG))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "attributes", at + 28,
				    "unknown TDVF section attributes 0x%x (section %u)",
				    s->attributes, i);
	if (s->gpa % TDVF_PAGE || s->mem_size % TDVF_PAGE)
		return cgs_diag_set(
		    d, CGS_E_MALFORMED, s->gpa % TDVF_PAGE ? "memory_address" : "memory_data_size",
		    at + (s->gpa % TDVF_PAGE ? 8 : 16),
		    "TDVF section %u is not 4 KiB aligned (gpa 0x%llx, size 0x%llx)", i,
		    (unsigned long long)s->gpa, (unsigned long long)s->mem_size);
	if (s->mem_size == 0 || s->gpa + s->mem_size < s->gpa)
		return cgs_diag_set(d, CGS_E_MALFORMED, "memory_data_size", at + 16,
				    "TDVF section %u has an empty or wrapping guest range", i);
	if (s->mem_size < s->raw_size)
		return cgs_diag_set(d, CGS_E_MALFORMED, "raw_data_size", at + 4,
				    "TDVF section %u: raw size 0x%x exceeds its memory size 0x%llx",
				    i, s->raw_size, (unsigned long long)s->mem_size);
	if ((uint64_t)s->data_offset + in_image > len)
		return cgs_diag_set(
		    d, CGS_E_MALFORMED, s->data_offset > len ? "data_offset" : "raw_data_size", at,
		    "TDVF section %u (0x%x + 0x%llx) lies outside the %zu-byte image", i,
		    s->data_offset, (unsigned long long)in_image, len);
	return CGS_OK;
}

/* Across entries: no two guest ranges overlap; one BFV; at most one CFV and TD_HOB. */
static enum cgs_err check_set(const struct tdvf_metadata *m, struct cgs_diag *d)
{
	unsigned per_type[3] = {0};
	uint64_t total = 0;

	for (size_t i = 0; i < m->count; i++) {
		const struct tdvf_section *a = &m->s[i];
		uint64_t at = m->offset + TDVF_DESC_SIZE + i * TDVF_SECTION_SIZE;

		total += a->mem_size;
		if (a->mem_size > TDVF_MAX_MEMORY || total > TDVF_MAX_MEMORY)
			return cgs_diag_set(d, CGS_E_MALFORMED, "memory_data_size", at + 16,
					    "TDVF sections cover more than 4 GiB (section %zu)", i);

		for (size_t j = 0; j < i; j++) {
			const struct tdvf_section *b = &m->s[j];

			if (a->gpa < b->gpa + b->mem_size && b->gpa < a->gpa + a->mem_size)
				return cgs_diag_set(
				    d, CGS_E_MALFORMED, "memory_address", at + 8,
				    "TDVF sections %zu and %zu overlap at gpa "
				    "0x%llx",
				    j, i, (unsigned long long)(a->gpa > b->gpa ? a->gpa : b->gpa));
		}
		if (a->type <= TDVF_TD_HOB && ++per_type[a->type] > 1)
			return cgs_diag_set(d, CGS_E_MALFORMED, "type", at + 24,
					    "more than one %s section (section %zu)",
					    tdvf_section_type_name(a->type), i);
	}
	if (!per_type[TDVF_BFV])
		return cgs_diag_set(d, CGS_E_MALFORMED, "type", m->offset + TDVF_DESC_SIZE,
				    "TDVF metadata has no BFV section");
	return CGS_OK;
}

static void read_section(const uint8_t *p, struct tdvf_section *s)
{
	s->data_offset = cgs_le32(p);
	s->raw_size = cgs_le32(p + 4);
	s->gpa = cgs_le64(p + 8);
	s->mem_size = cgs_le64(p + 16);
	s->type = cgs_le32(p + 24);
	s->attributes = cgs_le32(p + 28);
}

static enum cgs_err parse_header(const uint8_t *img, size_t len, uint32_t end_offset,
				 struct tdvf_metadata *m, uint32_t *ret_count, struct cgs_diag *d)
{
	uint64_t base;

	if (end_offset > len || end_offset < TDVF_DESC_SIZE || len - end_offset < 16)
		return cgs_diag_set(d, CGS_E_MALFORMED, "tdx_metadata_offset", CGS_DIAG_NO_OFFSET,
				    "TDVF metadata offset 0x%x outside the %zu-byte image",
				    end_offset, len);
	base = len - end_offset;
	if (memcmp(img + base - 16, tdvf_guid_descriptor, 16) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "tdvf_guid", base - 16,
				    "TDVF metadata GUID e9eaf9f3-168e-44d5-a8eb-7f4d8738f6ae "
				    "not found before the descriptor");
	if (memcmp(img + base, "TDVF", 4) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "signature", base,
				    "TDVF metadata signature is not 'TDVF'");
	memset(m, 0, sizeof(*m));
	m->offset = base;
	m->length = cgs_le32(img + base + 4);
	m->version = cgs_le32(img + base + 8);
	*ret_count = cgs_le32(img + base + 12);
	if (m->version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", base + 8,
				    "unsupported TDVF metadata version %u", m->version);
	if (*ret_count == 0 || *ret_count > TDVF_MAX_SECTIONS)
		return cgs_diag_set(d, CGS_E_MALFORMED, "number_of_section_entry", base + 12,
				    "%u TDVF sections (1 to %d allowed)", *ret_count,
				    TDVF_MAX_SECTIONS);
	if ((uint64_t)TDVF_DESC_SIZE + (uint64_t)*ret_count * TDVF_SECTION_SIZE > end_offset)
		return cgs_diag_set(d, CGS_E_MALFORMED, "number_of_section_entry", base + 12,
				    "TDVF metadata truncated: %u sections do not fit before the "
				    "end of the image",
				    *ret_count);
	if (m->length < TDVF_DESC_SIZE + *ret_count * TDVF_SECTION_SIZE || m->length > end_offset)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", base + 4,
				    "TDVF metadata length %u does not hold %u sections", m->length,
				    *ret_count);
	return CGS_OK;
}

enum cgs_err tdvf_metadata_parse(const uint8_t *img, size_t len, uint32_t end_offset,
				 struct tdvf_metadata *ret, struct cgs_diag *d)
{
	struct tdvf_metadata m;
	uint32_t count = 0;
	enum cgs_err err = parse_header(img, len, end_offset, &m, &count, d);

	if (err)
		return err;
	for (uint32_t i = 0; i < count; i++) {
		uint64_t at = m.offset + TDVF_DESC_SIZE + (uint64_t)i * TDVF_SECTION_SIZE;

		read_section(img + at, &m.s[i]);
		err = check_section(&m.s[i], at, len, i, d);
		if (err)
			return err;
	}
	m.count = count;
	err = check_set(&m, d);
	if (err)
		return err;
	*ret = m;
	return CGS_OK;
}

enum cgs_err tdvf_metadata_find(const uint8_t *img, size_t len, const struct ovmf_footer *f,
				struct tdvf_metadata *ret, struct cgs_diag *d)
{
	const struct ovmf_footer_entry *e = ovmf_footer_find(f, tdvf_guid_offset_entry);

	if (!e)
		return cgs_diag_set(d, CGS_E_MALFORMED, "tdx_metadata_offset", CGS_DIAG_NO_OFFSET,
				    "no TDVF metadata (footer entry "
				    "e47a6535-984a-4798-865e-4685a7bf8ec2 absent): this firmware "
				    "cannot boot a TD");
	if (e->len < 4)
		return cgs_diag_set(d, CGS_E_MALFORMED, "tdx_metadata_offset", e->offset,
				    "TDX metadata offset entry too short (%u bytes)", e->len);
	return tdvf_metadata_parse(img, len, cgs_le32(img + e->offset + e->len - 4), ret, d);
}

enum cgs_err tdvf_metadata_build(const struct tdvf_section *s, size_t n, uint8_t *out, size_t cap,
				 size_t *ret_len, struct cgs_diag *d)
{
	size_t len = 16 + TDVF_DESC_SIZE + n * TDVF_SECTION_SIZE;
	uint8_t *p = out + 16;

	if (len > cap)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", CGS_DIAG_NO_OFFSET,
				    "TDVF metadata of %zu bytes does not fit", len);
	memcpy(out, tdvf_guid_descriptor, 16);
	memcpy(p, "TDVF", 4);
	cgs_put_le32(p + 4, (uint32_t)(len - 16));
	cgs_put_le32(p + 8, 1);
	cgs_put_le32(p + 12, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		uint8_t *e = p + TDVF_DESC_SIZE + i * TDVF_SECTION_SIZE;

		cgs_put_le32(e, s[i].data_offset);
		cgs_put_le32(e + 4, s[i].raw_size);
		cgs_put_le64(e + 8, s[i].gpa);
		cgs_put_le64(e + 16, s[i].mem_size);
		cgs_put_le32(e + 24, s[i].type);
		cgs_put_le32(e + 28, s[i].attributes);
	}
	*ret_len = len;
	return CGS_OK;
}
