// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/ovmf_footer.h"
#include "lib/core/endian.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

static void synthetic(void)
{
	uint8_t img[8192], reset[4], pair[8];
	struct ovmf_footer_item items[2] = { { ovmf_guid_sev_es_reset, reset, 4 },
					     { ovmf_guid_sev_hash_table, pair, 8 } };
	struct ovmf_footer f;
	struct cgs_diag d;
	size_t len;
	uint32_t v;

	memset(img, 0xaa, sizeof(img));
	cgs_put_le32(reset, 0x80b004);
	cgs_put_le32(pair, 0x810c00);
	cgs_put_le32(pair + 4, 0x400);
	ok(ovmf_footer_build(items, 2, img, sizeof(img), &len, NULL) == CGS_OK, "build a footer");
	is_int((long long)len, 32 + 18 + 22 + 26, "footer size: reset area, footer, two entries");
	/* the layout the spec gives: u16 length then the footer GUID 50 bytes from the end */
	is_int(cgs_le16(img + sizeof(img) - 50), 18 + 22 + 26, "table length counts the footer");
	is_mem(img + sizeof(img) - 48, "\xde\x82\xb5\x96\xb2\x1f\xf7\x45\xba\xea\xa3\x66\xc5\x5a\x08\x2d",
	       16, "footer GUID in EFI byte order");
	ok(ovmf_footer_parse(img, sizeof(img), &f, NULL) == CGS_OK, "parse it back");
	is_int((long long)f.count, 2, "two entries");
	ok(ovmf_footer_u32(&f, img, ovmf_guid_sev_es_reset, 0, "r", &v, NULL) == 0 &&
		   v == 0x80b004, "reset block value");
	ok(ovmf_footer_u32(&f, img, ovmf_guid_sev_hash_table, 1, "h", &v, NULL) == 0 && v == 0x400,
	   "second u32 of the hashes entry");
	ok(ovmf_footer_u32(&f, img, ovmf_guid_svsm_info, 0, "SVSM_INFO", &v, &d) ==
		   CGS_E_MALFORMED && !strcmp(d.field, "SVSM_INFO"), "absent entry named");
	/* malformed: entry length below 18 */
	cgs_put_le16(img + sizeof(img) - 50 - 18, 3);
	ok(ovmf_footer_parse(img, sizeof(img), &f, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "entry_length"), "entry length < 18 rejected");
	/* table length larger than the image */
	cgs_put_le16(img + sizeof(img) - 50, 0xffff);
	ok(ovmf_footer_parse(img, sizeof(img), &f, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "table_length"), "oversized table length rejected");
	img[sizeof(img) - 40] ^= 1;
	ok(ovmf_footer_parse(img, sizeof(img), &f, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "footer_guid"), "no footer GUID: no footer table");
	ok(ovmf_footer_parse(img, 40, &f, &d) == CGS_E_MALFORMED, "image too small");
}

static void vectors(void)
{
	size_t len;
	uint8_t *img = sv_slurp("bookworm_OVMF.fd", &len);
	struct ovmf_footer f;
	uint32_t v;

	if (!img) {
		ok(1, "# SKIP ../shared/vectors not present");
		return;
	}
	ok(ovmf_footer_parse(img, len, &f, NULL) == CGS_OK, "bookworm OVMF.fd footer");
	is_int((long long)f.count, 5, "five entries (reset, secret, hashes, metadata, tdx)");
	ok(!ovmf_footer_u32(&f, img, ovmf_guid_sev_es_reset, 0, "r", &v, NULL) && v == 0x80b004,
	   "AP reset EIP 0x80b004");
	ok(!ovmf_footer_u32(&f, img, ovmf_guid_sev_hash_table, 0, "h", &v, NULL) && v == 0,
	   "hashes table GPA 0 (unsupported)");
	free(img);
	img = sv_slurp("sid_OVMF.amdsev.fd", &len);
	ok(img && ovmf_footer_parse(img, len, &f, NULL) == CGS_OK, "sid OVMF.amdsev.fd footer");
	ok(img && !ovmf_footer_u32(&f, img, ovmf_guid_sev_hash_table, 0, "h", &v, NULL) &&
		   v == 0x810c00, "hashes table at 0x810c00");
	free(img);
	img = sv_slurp("svsm.bin", &len);
	ok(img && ovmf_footer_parse(img, len, &f, NULL) == CGS_OK &&
		   ovmf_footer_find(&f, ovmf_guid_svsm_info), "svsm.bin has SVSM_INFO");
	free(img);
}

int main(void)
{
	synthetic();
	vectors();
	return tap_done();
}
