/* SPDX-License-Identifier: MIT */
/*
 * Inside the SEV-SNP verifier: the state of one run of the check pipeline
 * and the helpers that record a check, shared by the driver (snp_verify.c),
 * the authenticity checks (snp_auth_checks.c) and the policy checks
 * (snp_policy_checks.c).
 */
#ifndef CGS_LIB_SNP_SNP_VERIFY_INT_H
#define CGS_LIB_SNP_SNP_VERIFY_INT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/snp/snp_verify.h"

#define MAX_CHECKS 48

enum result { R_PASS, R_FAIL, R_SKIP };

struct snp_check {
	const char *name;
	enum result result;
	char expected[200];
	char actual[320];
	char reason[400];
};

struct snp_run {
	const struct cgs_snp_policy *o;
	const struct snp_report *r;
	const struct snp_product *p;
	struct amd_chain chain;
	struct amd_vek_info vek;
	int have_vek;
	const struct cgs_snp_expected *match;
	struct snp_wrapper wrap;
	struct snp_check checks[MAX_CHECKS];
	size_t n;
	struct cgs_diag *d;
	const char *err_action, *err_path;
};

/* Stop the run with e; the tool reports "failed to ACTION 'PATH'". */
enum cgs_err snp_fail_at(struct snp_run *run, enum cgs_err e, const char *action, const char *path);

/* Record the next check (its expected and actual values empty). */
struct snp_check *snp_add(struct snp_run *run, const char *name, enum result res, const char *fmt,
			  ...) __attribute__((format(printf, 4, 5)));
void snp_set_ea(struct snp_check *c, const char *expected, const char *actual);

/* An exact match of a report field against an expected value (skip when none is given). */
void snp_check_bytes(struct snp_run *run, const char *name, const uint8_t *want, size_t n,
		     const uint8_t *have, const char *src);

static inline int snp_is_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/*
 * snp_auth_checks.c, in pipeline order: signing-key and product (before the
 * chain is checked); the VEK against the report (vek-product, vek-tcb,
 * chip-id); the signature and, when it verifies, hcl-report-data.
 */
void snp_checks_identity(struct snp_run *run, const struct amd_certs *certs);
void snp_checks_vek(struct snp_run *run, int vlek);
enum cgs_err snp_checks_signature(struct snp_run *run);

/* snp_policy_checks.c: tcb-order (before the signature), then every other policy check */
void snp_check_tcb_order(struct snp_run *run);
void snp_checks_policy(struct snp_run *run);

#endif
