// SPDX-License-Identifier: MIT
#include <string.h>

#include "formats/snp_page_info.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "tests/unit/sev_vectors.h"
#include "tests/unit/tap.h"

int main(void)
{
	struct snp_page_info pi, back;
	uint8_t buf[SNP_PAGE_INFO_LEN], buf2[SNP_PAGE_INFO_LEN], ld[48], want[48], *page;
	struct cgs_diag d;
	size_t len;

	memset(&pi, 0, sizeof(pi));
	memset(pi.digest_cur, 0x11, 48);
	memset(pi.contents, 0x22, 48);
	pi.length = SNP_PAGE_INFO_LEN;
	pi.page_type = SNP_PAGE_VMSA;
	pi.gpa = 0xfffffffff000ull;
	snp_page_info_serialize(&pi, buf);
	is_int(cgs_le16(buf + 0x60), 0x70, "LENGTH at 0x60");
	is_int(buf[0x62], 2, "PAGE_TYPE at 0x62");
	is_mem(buf + 0x63, "\0\0\0\0\0", 5, "IMI, VMPL perms, reserved zero");
	is_int((long long)cgs_le64(buf + 0x68), 0xfffffffff000ll, "GPA at 0x68");
	memcpy(buf2, buf, sizeof(buf));
	memset(buf2 + 0x60, 0xee, 16);
	snp_page_info_set_tail(buf2, SNP_PAGE_VMSA, 0xfffffffff000ull);
	is_mem(buf2, buf, sizeof(buf), "set_tail gives the same bytes");
	ok(snp_page_info_parse(buf, sizeof(buf), &back, NULL) == CGS_OK && back.gpa == pi.gpa &&
		   back.page_type == 2, "parse back");
	buf[0x62] = 9;
	ok(snp_page_info_parse(buf, sizeof(buf), &back, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "page_type"), "unknown page type");
	buf[0x62] = 1;
	buf[0x68] = 1;
	ok(snp_page_info_parse(buf, sizeof(buf), &back, &d) == CGS_E_MALFORMED, "unaligned GPA");
	ok(snp_page_info_parse(buf, 10, &back, &d) == CGS_E_MALFORMED, "truncated");

	/* vector fixture-snp_ovmf-hash-005: one NORMAL page at 0xfffff000 from zero */
	page = sv_slurp("ovmf_AmdSev_suffix.bin", &len);
	if (!page) {
		ok(1, "# SKIP ../shared/vectors not present");
		return tap_done();
	}
	memset(&pi, 0, sizeof(pi));
	cgs_digest("SHA384", page, 4096, pi.contents, NULL, NULL);
	pi.length = SNP_PAGE_INFO_LEN;
	pi.page_type = SNP_PAGE_NORMAL;
	pi.gpa = 0xfffff000;
	snp_page_info_serialize(&pi, buf);
	cgs_digest("SHA384", buf, sizeof(buf), ld, NULL, NULL);
	ok(sv_hex("fixture-snp_ovmf-hash-005", "digest", want, 48) == 0, "vector present");
	is_mem(ld, want, 48, "one PAGE_INFO step gives sev-snp-measure's OVMF hash");
	free(page);
	return tap_done();
}
