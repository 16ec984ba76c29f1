/* SPDX-License-Identifier: MIT */
/*
 * The SEV-SNP report verifier behind cgs_snp_verify() (include/cgs/snp.h),
 * and what a result holds beyond its verdict, for the tools' JSON output.
 */
#ifndef CGS_LIB_SNP_SNP_VERIFY_H
#define CGS_LIB_SNP_SNP_VERIFY_H

#include <json-c/json.h>
#include <openssl/x509.h>

#include <cgs/snp.h>

#include "formats/snp_certtable.h"
#include "formats/snp_report.h"
#include "keys/amd_chain.h"
#include "lib/snp/snp_decode.h"

struct cgs_snp_detail {
	struct snp_report report;
	struct snp_wrapper wrap;
	const struct snp_product *product; /* NULL if unknown */
	struct amd_vek_info vek;
	int have_vek;
	X509 *vek_cert; /* the chain's VEK (a reference), NULL if none */
};

/* The VEK's AMD extensions as JSON (NULL without a VEK). */
struct json_object *snp_vek_json(const struct cgs_snp_detail *det);

/*
 * For `make bench` (--x-repeat): parse and signature-check the result's
 * report n more times under its VEK with one verifier; returns how many
 * verified, *ret_cpu the process CPU seconds spent.
 */
uint64_t snp_bench_repeat(const struct cgs_snp_detail *det, uint64_t allow_versions, uint64_t n,
			  double *ret_cpu);

#endif
