/* SPDX-License-Identifier: MIT */
/*
 * libcgs: verification of Intel TDX DCAP quotes (v4 and v5) against the pinned
 * Intel SGX Root CA, Intel's collateral (TCB Info, QE Identity, PCK and root
 * CRLs) and the relying party's policy. Every check of specs/tdx-verify.md
 * runs and is reported, in order, in a struct cgs_verdict.
 *
 * A verifier holds the collateral, parsed and checked once; it then checks
 * any number of quotes (the PCK chain and QE report checks of the last quote
 * are cached, so repeated quotes of one platform cost one ECDSA verification).
 * A verifier's caches change as it checks quotes: do not share one between
 * threads without a lock.
 */
#ifndef CGS_TDX_VERIFY_H
#define CGS_TDX_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/common.h>

#ifdef __cplusplus
extern "C" {
#endif

/* A byte string (borrowed; data may be NULL when absent). */
struct cgs_tdx_blob {
	const uint8_t *data;
	size_t len;
};

/* The collateral, as Intel's PCS serves it, and the trust anchor. */
struct cgs_tdx_collateral {
	struct cgs_tdx_blob tcb_info;	  /* {"tcbInfo":{...},"signature":"..."} */
	struct cgs_tdx_blob qe_identity;  /* {"enclaveIdentity":{...},"signature":"..."} */
	struct cgs_tdx_blob tcb_chain;	  /* PEM: Intel SGX TCB Signing cert [+ root] */
	struct cgs_tdx_blob qe_chain;	  /* PEM, optional: QE Identity issuer chain */
	struct cgs_tdx_blob pck_crl;	  /* DER, PEM or hex; absent: the pck-crl check fails */
	struct cgs_tdx_blob root_crl;	  /* idem, root-crl */
	struct cgs_tdx_blob trusted_root; /* PEM or DER; absent: the pinned Intel SGX Root CA */
	int64_t at;			  /* the instant of every validity check (Unix time) */
};

/* An expected byte value of the TD report. */
enum cgs_tdx_expect_state {
	CGS_TDX_EXPECT_NONE = 0, /* not given: the check is listed as skip */
	CGS_TDX_EXPECT_VALUE,	 /* compare exactly */
	CGS_TDX_EXPECT_UNKNOWN, /* the expected document lacks it (not computed): skip, saying so */
};

struct cgs_tdx_expect {
	enum cgs_tdx_expect_state state;
	uint8_t v[64];
	size_t len; /* the field's size (48, or 64 for report data); shorter is zero-padded */
};

/* One document of --expected (cgs-measure --mode tdx): its MRTD and RTMRs. */
struct cgs_tdx_measurement {
	struct cgs_tdx_expect mrtd, rtmr[4];
};

struct cgs_tdx_policy {
	const char *const *allow_status; /* TCB statuses accepted besides UpToDate */
	size_t n_allow_status;
	int allow_debug;   /* accept TDATTRIBUTES.DEBUG */
	int allow_sept_ve; /* accept SEPT_VE_DISABLE clear */
	/* expected values given one by one; for MRTD and the RTMRs they win over a candidate */
	struct cgs_tdx_expect mrtd, rtmr[4], mrconfigid, mrowner, mrownerconfig, report_data,
	    mrseam;
	/* --expected documents: the quote must match any one of them */
	const struct cgs_tdx_measurement *candidates;
	size_t n_candidates;
	int has_xfam;
	uint64_t xfam, xfam_mask; /* (XFAM & mask) == (xfam & mask); mask 0 means all ones */
	int has_td_attributes;
	uint64_t td_attributes, td_attributes_mask;
	int has_min_tee_tcb_svn;
	uint8_t min_tee_tcb_svn[16]; /* every byte of TEE_TCB_SVN >= this */
	const char *const *skip;     /* policy checks to skip, by name (see cgs_tdx_checks) */
	size_t n_skip;
};

#define CGS_TDX_MAX_ADVISORIES 64

struct cgs_tdx_result {
	struct cgs_verdict verdict;
	/* the TCB evaluation ("" when it could not run); statuses as Intel spells them */
	char tcb_status[48];
	char platform_tcb_status[48];
	char tdx_module_status[48];
	char qe_tcb_status[48];
	char tcb_date[32];
	size_t n_advisories;
	char advisory_ids[CGS_TDX_MAX_ADVISORIES][24];
	char fmspc[13];	 /* of the PCK certificate, lowercase hex */
	char pck_ca[64]; /* CN of the PCK's issuer: "Intel SGX PCK Platform CA" or "... Processor
			    CA" */
	int64_t tcb_eval_num;
	size_t trailing_bytes; /* ignored bytes after the signature data */
};

/* The checks, in order, with their class (authenticity checks cannot be skipped). */
CGS_EXPORT const struct cgs_check_def *cgs_tdx_checks(size_t *ret_n);

struct cgs_tdx_verifier;

/*
 * Parse and check the collateral once (its checks are replayed into every
 * verdict). Fails for a runtime error (memory, OpenSSL) and with
 * CGS_E_MALFORMED for a given document that does not parse (the message names
 * it: "TCB Info: ..."); collateral that is missing, or parses and does not
 * check (signature, validity, issuer), shows as failed checks.
 */
CGS_EXPORT enum cgs_err cgs_tdx_verifier_new(const struct cgs_tdx_collateral *c,
					     struct cgs_tdx_verifier **ret, struct cgs_diag *d);
CGS_EXPORT void cgs_tdx_verifier_free(struct cgs_tdx_verifier *v);

/*
 * Check one quote. CGS_OK when a verdict was produced (verified or not: see
 * cgs_verdict_verified); CGS_E_MALFORMED/UNSUPPORTED when the quote does not
 * parse; CGS_E_USAGE for a --skip of an unknown or authenticity check.
 * Free the result with cgs_tdx_result_free (after CGS_OK only; on an error
 * there is nothing to free).
 */
CGS_EXPORT enum cgs_err cgs_tdx_verify_quote(struct cgs_tdx_verifier *v, const uint8_t *quote,
					     size_t len, const struct cgs_tdx_policy *p,
					     struct cgs_tdx_result *ret, struct cgs_diag *d);
CGS_EXPORT void cgs_tdx_result_free(struct cgs_tdx_result *r);

#ifdef __cplusplus
}
#endif

#endif
