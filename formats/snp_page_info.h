/* SPDX-License-Identifier: MIT */
/*
 * SNP_LAUNCH_UPDATE's PAGE_INFO (0x70 bytes): the running launch digest is
 * LD' = SHA-384(PAGE_INFO{LD, contents, length, type, ..., gpa}).
 */
#ifndef CGS_FORMATS_SNP_PAGE_INFO_H
#define CGS_FORMATS_SNP_PAGE_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define SNP_PAGE_INFO_LEN 0x70
#define SNP_DIGEST_LEN 48

enum snp_page_type {
	SNP_PAGE_NORMAL = 1,
	SNP_PAGE_VMSA = 2,
	SNP_PAGE_ZERO = 3,
	SNP_PAGE_UNMEASURED = 4,
	SNP_PAGE_SECRETS = 5,
	SNP_PAGE_CPUID = 6,
};

struct snp_page_info {
	uint8_t digest_cur[SNP_DIGEST_LEN];
	uint8_t contents[SNP_DIGEST_LEN];
	uint16_t length;
	uint8_t page_type;
	uint8_t imi_page;
	uint8_t vmpl3_perms;
	uint8_t vmpl2_perms;
	uint8_t vmpl1_perms;
	uint64_t gpa;
};

void snp_page_info_serialize(const struct snp_page_info *pi, uint8_t out[SNP_PAGE_INFO_LEN]);

/*
 * Fill the fixed part of a PAGE_INFO buffer (length, type, perms, gpa) so that a
 * chain only rewrites the two digests: bytes 0x00-0x5f are left untouched.
 */
void snp_page_info_set_tail(uint8_t out[SNP_PAGE_INFO_LEN], uint8_t page_type, uint64_t gpa);

/* Parse: CGS_E_MALFORMED for a short buffer, a length other than 0x70, or a bad type. */
enum cgs_err snp_page_info_parse(const uint8_t *p, size_t len, struct snp_page_info *ret,
				 struct cgs_diag *d);

/* "NORMAL", "VMSA", ... or NULL. */
const char *snp_page_type_name(uint8_t type);

#endif
