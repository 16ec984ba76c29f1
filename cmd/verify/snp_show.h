/* SPDX-License-Identifier: MIT */
/* Shared by the `cgs-verify snp` verbs: report loading, decoding to JSON/text. */
#ifndef CGS_CMD_VERIFY_SNP_SHOW_H
#define CGS_CMD_VERIFY_SNP_SHOW_H

#include <stdint.h>

#include <json-c/json.h>

#include "formats/snp_report.h"

/* What wrapped the report (an Azure HCL report carries a hash of its runtime claims). */
struct snp_wrapper {
	int is_hcl;
	uint32_t hash_type;
	uint8_t claims_digest[64];
	size_t claims_digest_len; /* 0 if the hash type is unknown */
};

/*
 * Read and parse a report file: a bare report, or an Azure HCL report wrapping
 * one (wrap may be NULL). Returns 0 or an exit code (message logged).
 */
int snp_load_report(const char *path, uint64_t allow_versions, struct snp_report *ret,
		    struct snp_wrapper *wrap);

/* Parse "--allow-version N" values into a bitmask; 0 or an exit code. */
int snp_parse_allow_version(const char *arg, uint64_t *mask);

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

int verb_snp_show(int argc, char **argv);
int verb_snp_kds_url(int argc, char **argv);

#endif
