// SPDX-License-Identifier: MIT
#include "formats/ovmf_footer.h"

#include <string.h>

#include "lib/core/endian.h"

const uint8_t ovmf_guid_footer[16] = { 0xde, 0x82, 0xb5, 0x96, 0xb2, 0x1f, 0xf7, 0x45,
				       0xba, 0xea, 0xa3, 0x66, 0xc5, 0x5a, 0x08, 0x2d };
const uint8_t ovmf_guid_sev_es_reset[16] = { 0xde, 0x71, 0xf7, 0x00, 0x7e, 0x1a, 0xcb, 0x4f,
					     0x89, 0x0e, 0x68, 0xc7, 0x7e, 0x2f, 0xb4, 0x4e };
const uint8_t ovmf_guid_sev_metadata[16] = { 0x66, 0x65, 0x88, 0xdc, 0x4a, 0x98, 0x98, 0x47,
					     0xa7, 0x5e, 0x55, 0x85, 0xa7, 0xbf, 0x67, 0xcc };
const uint8_t ovmf_guid_sev_hash_table[16] = { 0x1f, 0x37, 0x55, 0x72, 0x3b, 0x3a, 0x04, 0x4b,
					       0x92, 0x7b, 0x1d, 0xa6, 0xef, 0xa8, 0xd4, 0x54 };
const uint8_t ovmf_guid_sev_secret[16] = { 0x61, 0xb3, 0x2e, 0x4c, 0x9b, 0x7d, 0xc3, 0x4c,
					   0x80, 0x81, 0x12, 0x7c, 0x90, 0xd3, 0xd2, 0x94 };
const uint8_t ovmf_guid_svsm_info[16] = { 0x12, 0xa6, 0x89, 0xa7, 0x97, 0x05, 0x4b, 0x4c,
					  0xa4, 0x9f, 0xcb, 0xb1, 0xfe, 0x9d, 0x1d, 0xdd };

enum cgs_err ovmf_footer_parse(const uint8_t *img, size_t len, struct ovmf_footer *ret,
			       struct cgs_diag *d)
{
	uint64_t foot, start, end;
	uint32_t tlen;

	if (len < OVMF_FOOTER_RESET_AREA + OVMF_FOOTER_ENTRY_HDR)
		return cgs_diag_set(d, CGS_E_MALFORMED, "footer", 0,
				    "image of %zu bytes is too small for a footer table", len);
	foot = len - OVMF_FOOTER_RESET_AREA - OVMF_FOOTER_ENTRY_HDR;
	if (memcmp(img + foot + 2, ovmf_guid_footer, 16) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "footer_guid", foot + 2,
				    "no GUIDed footer table (footer GUID "
				    "96b582de-1fb2-45f7-baea-a366c55a082d not found): "
				    "not an OVMF image");
	tlen = cgs_le16(img + foot);
	if (tlen < OVMF_FOOTER_ENTRY_HDR || tlen - OVMF_FOOTER_ENTRY_HDR > foot)
		return cgs_diag_set(d, CGS_E_MALFORMED, "table_length", foot,
				    "footer table length %u out of range", tlen);
	memset(ret, 0, sizeof(*ret));
	ret->table_len = tlen;
	start = foot - (tlen - OVMF_FOOTER_ENTRY_HDR);
	ret->table_offset = start;
	for (end = foot; end - start >= OVMF_FOOTER_ENTRY_HDR;) {
		uint32_t elen = cgs_le16(img + end - OVMF_FOOTER_ENTRY_HDR);
		struct ovmf_footer_entry *e;

		if (elen < OVMF_FOOTER_ENTRY_HDR || elen > end - start)
			return cgs_diag_set(d, CGS_E_MALFORMED, "entry_length",
					    end - OVMF_FOOTER_ENTRY_HDR,
					    "footer table entry length %u out of range", elen);
		if (ret->count == OVMF_FOOTER_MAX)
			return cgs_diag_set(d, CGS_E_MALFORMED, "footer", end,
					    "more than %d footer table entries", OVMF_FOOTER_MAX);
		e = &ret->e[ret->count++];
		memcpy(e->guid, img + end - 16, 16);
		e->offset = end - elen;
		e->len = elen - OVMF_FOOTER_ENTRY_HDR;
		end -= elen;
	}
	return CGS_OK;
}

const struct ovmf_footer_entry *ovmf_footer_find(const struct ovmf_footer *f,
						 const uint8_t guid[16])
{
	for (size_t i = 0; i < f->count; i++)
		if (!memcmp(f->e[i].guid, guid, 16))
			return &f->e[i];
	return NULL;
}

enum cgs_err ovmf_footer_u32(const struct ovmf_footer *f, const uint8_t *img,
			     const uint8_t guid[16], unsigned index, const char *name,
			     uint32_t *ret, struct cgs_diag *d)
{
	const struct ovmf_footer_entry *e = ovmf_footer_find(f, guid);

	if (!e)
		return cgs_diag_set(d, CGS_E_MALFORMED, name, CGS_DIAG_NO_OFFSET,
				    "no %s entry in the footer table", name);
	if (e->len < 4 * (index + 1))
		return cgs_diag_set(d, CGS_E_MALFORMED, name, e->offset,
				    "%s entry too short (%u bytes)", name, e->len);
	*ret = cgs_le32(img + e->offset + 4 * index);
	return CGS_OK;
}

enum cgs_err ovmf_footer_build(const struct ovmf_footer_item *items, size_t n, uint8_t *out,
			       size_t size, size_t *ret_len, struct cgs_diag *d)
{
	size_t total = OVMF_FOOTER_RESET_AREA + OVMF_FOOTER_ENTRY_HDR, pos;

	for (size_t i = 0; i < n; i++)
		total += items[i].len + OVMF_FOOTER_ENTRY_HDR;
	if (total > size || total - OVMF_FOOTER_RESET_AREA > 0xffff)
		return cgs_diag_set(d, CGS_E_MALFORMED, "footer", CGS_DIAG_NO_OFFSET,
				    "footer table of %zu bytes does not fit", total);
	pos = size - OVMF_FOOTER_RESET_AREA;
	memset(out + pos, 0, OVMF_FOOTER_RESET_AREA);
	pos -= OVMF_FOOTER_ENTRY_HDR;
	cgs_put_le16(out + pos, (uint16_t)(total - OVMF_FOOTER_RESET_AREA));
	memcpy(out + pos + 2, ovmf_guid_footer, 16);
	for (size_t i = 0; i < n; i++) {
		size_t elen = items[i].len + OVMF_FOOTER_ENTRY_HDR;

		pos -= elen;
		if (items[i].len)
			memcpy(out + pos, items[i].payload, items[i].len);
		cgs_put_le16(out + pos + items[i].len, (uint16_t)elen);
		memcpy(out + pos + items[i].len + 2, items[i].guid, 16);
	}
	*ret_len = total;
	return CGS_OK;
}
