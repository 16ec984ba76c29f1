/* SPDX-License-Identifier: MIT */
/*
 * Decoding an SEV-SNP report for the verifier and `show`: a bare report or
 * an Azure HCL report wrapping one, its product line, the TCB as text and the
 * whole report as JSON. Never prints.
 */
#ifndef CGS_LIB_SNP_SNP_DECODE_H
#define CGS_LIB_SNP_SNP_DECODE_H

#include <stddef.h>
#include <stdint.h>

#include <json-c/json.h>

#include "formats/snp_report.h"
#include "lib/core/err.h"

/* What wrapped the report (an Azure HCL report carries a hash of its runtime claims). */
struct snp_wrapper {
	int is_hcl;
	uint32_t hash_type;
	uint8_t claims_digest[64];
	size_t claims_digest_len; /* 0 if the hash type is unknown */
};

/*
 * Parse a report: a bare report, or an Azure HCL report wrapping one (wrap
 * may be NULL). Offsets in the diagnostic are those of buf.
 */
enum cgs_err snp_report_decode(const uint8_t *buf, size_t len, uint64_t allow_versions,
			       struct snp_report *ret, struct snp_wrapper *wrap, struct cgs_diag *d);

/*
 * The product of a report: CPUID for v3+ (a forced --product must agree), or
 * the forced one. NULL if unknown; *ret_why says how it was found or why not.
 */
const struct snp_product *snp_report_product(const struct snp_report *r, const char *forced,
					     const char **ret_why, int *ret_conflict);

/* The decoded report as a JSON object (NULL on out of memory). */
struct json_object *snp_report_json(const struct snp_report *r, const struct snp_product *p);

/* The TCB_VERSION as "bl=3,tee=0,snp=8,ucode=115" (or "0x..." if the layout is unknown). */
void snp_tcb_str(uint64_t tcb, const struct snp_product *p, char *out, size_t len);

#endif
