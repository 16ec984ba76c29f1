/* SPDX-License-Identifier: MIT */
/*
 * Azure's HCL attestation report: a wrapper around an SEV-SNP report that the
 * Azure paravisor returns to CVM guests. Layout (specs/snp-verify.md section 8):
 * 32-byte header ("HCLA", u32 version 1, u32 size, u32 request type, reserved),
 * the 1184-byte SNP report at 0x20, then the runtime-claims header at 0x4c0
 * (u32 data size, u32 version, u32 report type 2 = SNP, u32 hash type, u32
 * variable-data size) and the variable data (JSON) at 0x4d4. REPORT_DATA
 * carries the hash of the variable data.
 */
#ifndef CGS_FORMATS_AZURE_HCL_H
#define CGS_FORMATS_AZURE_HCL_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define AZURE_HCL_REPORT_OFFSET 0x20
#define AZURE_HCL_CLAIMS_OFFSET 0x4c0
#define AZURE_HCL_VAR_OFFSET 0x4d4

enum azure_hcl_hash { AZURE_HCL_SHA256 = 1, AZURE_HCL_SHA384 = 2, AZURE_HCL_SHA512 = 3 };

struct azure_hcl {
	uint32_t version;
	uint32_t size;
	uint32_t request_type;
	uint32_t report_type;   /* 2 = SEV-SNP */
	uint32_t hash_type;     /* enum azure_hcl_hash */
	const uint8_t *report;  /* SNP report (1184 bytes) inside the buffer */
	const uint8_t *var_data; /* the runtime claims (JSON) inside the buffer */
	uint32_t var_len;
};

/* 1 if buf starts like an HCL report ("HCLA"). */
int azure_hcl_detect(const uint8_t *buf, size_t len);

/* Parse the wrapper; pointers refer into buf. CGS_E_MALFORMED/UNSUPPORTED otherwise. */
enum cgs_err azure_hcl_parse(const uint8_t *buf, size_t len, struct azure_hcl *ret,
			     struct cgs_diag *d);

#endif
