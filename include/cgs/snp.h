/* SPDX-License-Identifier: MIT */
/*
 * libcgs: AMD SEV-SNP.
 *
 * Verifying a report: fill a struct cgs_snp_inputs (the report and the
 * certificates that come with it) and a struct cgs_snp_policy (what the owner
 * expects; zero means "no constraint"), call cgs_snp_verify() and read the
 * verdict: every check of specs/snp-verify.md section 12 in order, each with
 * its class (cgs_snp_checks()), result, expected and actual values and reason.
 *
 * Expected values: cgs_snp_expected_read() reads an --expected document (what
 * cgs-measure --json or cgs-measure id-block --json wrote; one document or a
 * JSON array meaning "any of these"), validated as cgs(7) says.
 */
#ifndef CGS_SNP_H
#define CGS_SNP_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* One accepted launch: its measurement and, from an ID block, the values it fixes. */
struct cgs_snp_expected {
	uint8_t measurement[48];
	int has_id_key_digest, has_author_key_digest, has_family_id, has_image_id;
	int has_guest_svn, has_policy;
	uint8_t id_key_digest[48], author_key_digest[48];
	uint8_t family_id[16], image_id[16];
	uint64_t guest_svn, policy;
};

/*
 * Read and validate an expected-values file ("-" is standard input). On
 * success *ret (free with free()) holds *ret_n >= 1 candidates. Errors:
 * CGS_E_NOINPUT (missing), CGS_E_MALFORMED / CGS_E_UNSUPPORTED (the
 * diagnostic names the field).
 */
CGS_EXPORT enum cgs_err cgs_snp_expected_read(const char *path, struct cgs_snp_expected **ret,
					      size_t *ret_n, struct cgs_diag *d);

/* The checks cgs_snp_verify() runs, in order, with their classes. */
CGS_EXPORT const struct cgs_check_def *cgs_snp_checks(size_t *ret_n);

/*
 * Validate a minimum TCB: a hex TCB_VERSION ("0x..." or bare) or
 * name=value pairs ("bl=4,snp=22"; names fmc, bl/boot_loader, tee, snp,
 * ucode/microcode; values 0-255). CGS_OK or CGS_E_USAGE.
 */
CGS_EXPORT enum cgs_err cgs_snp_tcb_spec_check(const char *spec, struct cgs_diag *d);

/* The evidence. File lists name files; every one is read. */
struct cgs_snp_inputs {
	const uint8_t *report; /* a report (1184 bytes) or an Azure HCL report wrapping one */
	size_t report_len;
	const char *const *vcek; /* VCEK files (PEM or DER; more PEM certificates may follow) */
	size_t n_vcek;
	const char *const *vlek; /* VLEK files */
	size_t n_vlek;
	const char *const *cert_chain; /* ASK/ASVK + ARK bundles (PEM, DER or PkiPath) */
	size_t n_cert_chain;
	const char *const *cert_dirs; /* directories of certificates and CRLs */
	size_t n_cert_dirs;
	const char *const *crl; /* CRL files (PEM or DER) */
	size_t n_crl;
	const char *trusted_ark; /* trust this ARK instead of AMD's pinned ones (NULL: pinned) */
	const char *cert_table;  /* an extended-report certificate table file, or NULL */
};

/* An exact value to compare a report field with (set = 0: not checked). */
struct cgs_snp_bytes {
	int set;
	uint8_t v[64]; /* zero-padded to the field's size */
};

/* What the owner expects. A zeroed struct checks authenticity only. */
struct cgs_snp_policy {
	const char *product;     /* "milan", ... (needed for v2 reports without a VEK), or NULL */
	int64_t at;              /* validity time, seconds since the epoch */
	uint64_t allow_versions; /* bit N: accept report version N besides 2, 3 and 5 */
	const struct cgs_snp_expected *expected; /* accepted launches (any of them) */
	size_t n_expected;
	struct cgs_snp_bytes report_data, host_data, family_id, image_id;
	struct cgs_snp_bytes id_key_digest, author_key_digest;
	const char *min_tcb, *min_launch_tcb; /* see cgs_snp_tcb_spec_check(), or NULL */
	int has_min_firmware;
	unsigned min_firmware[3]; /* major, minor, build */
	int has_min_guest_svn, has_vmpl, has_policy_max, has_policy_require, has_min_mit_vector;
	uint64_t min_guest_svn, vmpl, policy_max, policy_require, min_mit_vector;
	uint64_t platform_require, platform_forbid; /* PLATFORM_INFO bits */
	int allow_debug;       /* accept POLICY.DEBUG */
	int require_committed; /* committed TCB and firmware must equal the current ones */
	const char *const *skip; /* policy checks to report as skip (authenticity: CGS_E_USAGE) */
	size_t n_skip;
};

/*
 * Set one policy value from its cgs-verify snp option name (without "--")
 * and text: product, at (RFC 3339), report-data, host-data, family-id,
 * image-id, id-key-digest, author-key-digest (hex), min-tcb, min-launch-tcb,
 * min-firmware (MAJ.MIN[.BUILD]), min-guest-svn, vmpl, policy-max,
 * policy-require, platform-require, platform-forbid, min-mit-vector,
 * allow-version (integers), allow-debug, require-committed (value NULL).
 * Strings are borrowed: they must outlive the policy. CGS_E_USAGE with the
 * reason for a bad value or an unknown name.
 */
CGS_EXPORT enum cgs_err cgs_snp_policy_set(struct cgs_snp_policy *p, const char *name,
					   const char *value, struct cgs_diag *d);

struct cgs_snp_detail; /* the decoded report, product and VEK (libcgs-internal) */

struct cgs_snp_result {
	struct cgs_verdict verdict;
	int verified; /* cgs_verdict_verified(&verdict) */
	struct cgs_snp_detail *detail;
	/* on error: what failed ("read", "parse", "load", "check") on which input path */
	const char *err_action;
	const char *err_path; /* one of the caller's strings, or NULL for the report bytes */
};

/*
 * Verify a report. CGS_OK when the checks ran (the verdict says whether the
 * report is verified; free the result with cgs_snp_result_free()); otherwise
 * an error: CGS_E_MALFORMED for a report or certificate that does not parse,
 * CGS_E_NOINPUT for a file that cannot be read, CGS_E_USAGE for a bad policy
 * (a --skip of an authenticity check), CGS_E_CRYPTO / CGS_E_NOMEM at runtime;
 * ret->err_action and ret->err_path say where.
 */
CGS_EXPORT enum cgs_err cgs_snp_verify(const struct cgs_snp_inputs *in,
				       const struct cgs_snp_policy *policy,
				       struct cgs_snp_result *ret, struct cgs_diag *d);

/* Free what a result owns (safe on a zeroed result). */
CGS_EXPORT void cgs_snp_result_free(struct cgs_snp_result *r);

#ifdef __cplusplus
}
#endif

#endif
