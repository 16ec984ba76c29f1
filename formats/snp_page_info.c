// SPDX-License-Identifier: MIT
#include "formats/snp_page_info.h"

#include <string.h>

#include "lib/core/endian.h"

void snp_page_info_set_tail(uint8_t out[SNP_PAGE_INFO_LEN], uint8_t page_type, uint64_t gpa)
{
	cgs_put_le16(out + 0x60, SNP_PAGE_INFO_LEN);
	out[0x62] = page_type;
	memset(out + 0x63, 0, 5); /* IMI page, VMPL3/2/1 perms, reserved */
	cgs_put_le64(out + 0x68, gpa);
}

void snp_page_info_serialize(const struct snp_page_info *pi, uint8_t out[SNP_PAGE_INFO_LEN])
{
	memcpy(out, pi->digest_cur, SNP_DIGEST_LEN);
	memcpy(out + 0x30, pi->contents, SNP_DIGEST_LEN);
	cgs_put_le16(out + 0x60, pi->length);
	out[0x62] = pi->page_type;
	out[0x63] = pi->imi_page;
	out[0x64] = pi->vmpl3_perms;
	out[0x65] = pi->vmpl2_perms;
	out[0x66] = pi->vmpl1_perms;
	out[0x67] = 0;
	cgs_put_le64(out + 0x68, pi->gpa);
}

const char *snp_page_type_name(uint8_t type)
{
	static const char *const names[] = { NULL,	 "NORMAL",  "VMSA", "ZERO",
					     "UNMEASURED", "SECRETS", "CPUID" };

	return type < sizeof(names) / sizeof(names[0]) ? names[type] : NULL;
}

enum cgs_err snp_page_info_parse(const uint8_t *p, size_t len, struct snp_page_info *ret,
				 struct cgs_diag *d)
{
	struct snp_page_info pi;

	if (len < SNP_PAGE_INFO_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "page_info", len,
				    "PAGE_INFO truncated (%zu of %d bytes)", len, SNP_PAGE_INFO_LEN);
	memcpy(pi.digest_cur, p, SNP_DIGEST_LEN);
	memcpy(pi.contents, p + 0x30, SNP_DIGEST_LEN);
	pi.length = cgs_le16(p + 0x60);
	pi.page_type = p[0x62];
	pi.imi_page = p[0x63];
	pi.vmpl3_perms = p[0x64];
	pi.vmpl2_perms = p[0x65];
	pi.vmpl1_perms = p[0x66];
	pi.gpa = cgs_le64(p + 0x68);
	if (pi.length != SNP_PAGE_INFO_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", 0x60, "PAGE_INFO length 0x%x",
				    pi.length);
	if (!snp_page_type_name(pi.page_type))
		return cgs_diag_set(d, CGS_E_MALFORMED, "page_type", 0x62, "unknown page type %u",
				    pi.page_type);
	if (pi.gpa & 0xfff)
		return cgs_diag_set(d, CGS_E_MALFORMED, "gpa", 0x68, "GPA not page aligned");
	*ret = pi;
	return CGS_OK;
}
