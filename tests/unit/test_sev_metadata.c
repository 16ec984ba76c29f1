// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/ovmf_footer.h"
#include "formats/sev_metadata.h"
#include "lib/core/endian.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

static void synthetic(void)
{
	struct sev_section s[3] = { { 0x811000, 0x1f000, 1 }, { 0x810000, 0x1000, 0x10 },
				    { 0x80e000, 0x1000, 3 } };
	uint8_t img[4096];
	struct sev_metadata m;
	struct cgs_diag d;
	size_t len;

	memset(img, 0, sizeof(img));
	ok(sev_metadata_build(s, 3, img + 1024, sizeof(img) - 1024, &len, NULL) == CGS_OK,
	   "build metadata");
	is_int((long long)len, 16 + 36, "header + 3 descriptors");
	is_mem(img + 1024, "ASEV", 4, "signature");
	ok(sev_metadata_parse(img, sizeof(img), 3072, &m, NULL) == CGS_OK, "parse back");
	ok(m.count == 3 && m.s[0].gpa == 0x811000 && m.s[1].type == 0x10 &&
		   m.s[2].size == 0x1000, "descriptors kept in table order");
	ok(sev_metadata_parse(img, sizeof(img), 5000, &m, &d) == CGS_E_MALFORMED,
	   "offset past the start rejected");
	ok(sev_metadata_parse(img, sizeof(img), 16 + 12, &m, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "signature"), "wrong place: no signature");
	memcpy(img + sizeof(img) - 40, img + 1024, 40);
	ok(sev_metadata_parse(img, sizeof(img), 40, &m, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "descriptors"), "truncated descriptors");
	cgs_put_le32(img + 1024 + 16 + 12 + 8, 7);
	ok(sev_metadata_parse(img, sizeof(img), 3072, &m, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "type") && d.offset == 1024 + 36, "unknown type at its offset");
	cgs_put_le32(img + 1024 + 8, 2);
	ok(sev_metadata_parse(img, sizeof(img), 3072, &m, &d) == CGS_E_UNSUPPORTED &&
		   !strcmp(d.field, "version"), "version 2 unsupported");
	cgs_put_le32(img + 1024 + 8, 1);
	cgs_put_le32(img + 1024 + 12, 100000);
	ok(sev_metadata_parse(img, sizeof(img), 3072, &m, &d) == CGS_E_MALFORMED,
	   "huge count rejected");
	ok(sev_section_type_name(4) && !strcmp(sev_section_type_name(4), "SVSM_CAA"),
	   "type 4 is SVSM_CAA");
	ok(!sev_section_type_name(5), "type 5 unknown");
}

static void vectors(void)
{
	size_t len;
	uint8_t *img = sv_slurp("sid_OVMF.amdsev.fd", &len);
	struct ovmf_footer f;
	struct sev_metadata m;
	uint32_t off;

	if (!img) {
		ok(1, "# SKIP ../shared/vectors not present");
		return;
	}
	ok(!ovmf_footer_parse(img, len, &f, NULL) &&
		   !ovmf_footer_u32(&f, img, ovmf_guid_sev_metadata, 0, "m", &off, NULL),
	   "sid metadata offset");
	ok(sev_metadata_parse(img, len, off, &m, NULL) == CGS_OK, "sid metadata parses");
	ok(m.count == 7 && m.s[5].gpa == 0x811000 && m.s[5].size == 0x1f000 &&
		   m.s[6].gpa == 0x810000 && m.s[6].type == 0x10,
	   "SEC_MEM 0x811000 listed before KERNEL_HASHES 0x810000 (not GPA-sorted)");
	free(img);
}

int main(void)
{
	synthetic();
	vectors();
	return tap_done();
}
