/* SPDX-License-Identifier: MIT */
/*
 * Internals of the TDX verifier shared by its modules: the check indices (the
 * table order of cgs_tdx_checks), one recorded step per check, the verifier
 * with its caches, and the stages of the pipeline.
 */
#ifndef CGS_LIB_TDX_TDX_VERIFY_INT_H
#define CGS_LIB_TDX_TDX_VERIFY_INT_H

#include <stdint.h>
#include <time.h>

#include <openssl/x509.h>

#include <cgs/tdx_verify.h>

#include "formats/tdx_collateral.h"
#include "formats/tdx_quote.h"
#include "keys/intel_sgx.h"
#include "lib/tdx/tdx_tcb.h"

enum tdx_check {
	C_FORMAT,
	C_PCK_CHAIN,
	C_PCK_VALIDITY,
	C_ROOT_CRL,
	C_PCK_CRL,
	C_TCB_SIGNING,
	C_TCB_INFO_SIG,
	C_TCB_INFO_VALID,
	C_FMSPC,
	C_QEID_SIG,
	C_QEID_VALID,
	C_TDX_MODULE,
	C_QE_REPORT_SIG,
	C_QE_BINDING,
	C_QE_IDENTITY,
	C_QUOTE_SIG,
	C_TCB_LEVEL,
	C_TCB_STATUS,
	C_DEBUG,
	C_SEPT_VE,
	C_MRTD,
	C_RTMR0,
	C_RTMR1,
	C_RTMR2,
	C_RTMR3,
	C_MRCONFIGID,
	C_MROWNER,
	C_MROWNERCONFIG,
	C_REPORT_DATA,
	C_MRSEAM,
	C_XFAM,
	C_TD_ATTRIBUTES,
	C_MIN_TEE_TCB_SVN,
	N_CHECKS
};

struct tdx_step {
	enum cgs_check_result r;
	char expected[200];
	char actual[200];
	char reason[400];
};

struct cgs_tdx_verifier {
	time_t at;
	X509 *root; /* the trust anchor: --trusted-root, or the pinned root once seen */
	int trusted_root_given;
	int lenient; /* tdx fetch: a document that does not parse fails its checks (not 65) */
	X509_CRL *root_crl, *pck_crl;
	char root_crl_err[400], pck_crl_err[400];
	/* collateral, parsed at creation; NULL when it did not parse */
	struct tdx_tcb_info *ti;
	struct tdx_qe_identity *qi;
	char ti_err[400], qi_err[400];
	uint8_t *ti_span, *qi_span; /* copies of the signed bytes */
	size_t ti_span_len, qi_span_len;
	STACK_OF(X509) * tcb_chain, *qe_chain; /* NULL when absent or bad */
	char tcb_chain_err[400];
	int coll_done;		    /* the collateral steps are computed (needs the root) */
	int ti_trusted, qi_trusted; /* signature verified */
	struct tdx_step
	    coll[C_QEID_VALID - C_TCB_SIGNING + 1]; /* [c - C_TCB_SIGNING]; C_FMSPC unused */
	/* cache: the last quote's PCK chain and its checks */
	uint8_t *chain_pem;
	size_t chain_len;
	STACK_OF(X509) * chain;
	X509 *leaf, *inter; /* borrowed from chain; NULL if absent */
	struct intel_pck_ext ext;
	int ext_ok;
	char ext_err[400];
	struct tdx_step chain_steps[4]; /* C_PCK_CHAIN .. C_PCK_CRL */
	/* cache: the last QE report signature check */
	int qe_cached;
	uint8_t qe_key[TDX_QE_REPORT_SIZE + 64];
	struct tdx_step qe_sig_step;
};

/* what the per-quote stages share */
struct tdx_run {
	struct cgs_tdx_verifier *v;
	const struct tdx_quote *q;
	const struct cgs_tdx_policy *p;
	struct tdx_step s[N_CHECKS];
	struct tdx_tcb_eval eval;
	int eval_ok;
	enum tdx_tcb_status qe_status;
};

void tdx_step_set(struct tdx_step *s, enum cgs_check_result r, const char *expected,
		  const char *actual, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void tdx_step_diag(struct tdx_step *s, const char *expected, const struct cgs_diag *d);
void tdx_step_blocked(struct tdx_step *s, const char *why);

/*
 * tdx_verify.c: a given collateral document that does not load: 65 naming it;
 * for a lenient verifier the reason goes to err instead and the checks that
 * need the document fail (CGS_OK).
 */
enum cgs_err tdx_collateral_malformed(const struct cgs_tdx_verifier *v, char *err, size_t len,
				      struct cgs_diag *d, const struct cgs_diag *pd,
				      const char *what);

/*
 * tdx_verify.c: cgs_tdx_verifier_new for tdx fetch, which validates each
 * download through the verdict: a document that does not parse fails the
 * checks that need it, so that it is refused (or fetched again) on its own.
 */
enum cgs_err tdx_verifier_new_lenient(const struct cgs_tdx_collateral *c,
				      struct cgs_tdx_verifier **ret, struct cgs_diag *d);

/* tdx_collateral_check.c: parse at creation, check once the root is known */
enum cgs_err tdx_collateral_load(struct cgs_tdx_verifier *v, const struct cgs_tdx_collateral *c,
				 struct cgs_diag *d);
enum cgs_err tdx_collateral_steps(struct cgs_tdx_verifier *v, struct cgs_diag *d);
void tdx_fmspc_step(struct tdx_run *r);

/* tdx_pck.c: the PCK chain, the CRLs and the QE report signature, cached */
enum cgs_err tdx_pck_steps(struct tdx_run *r, struct cgs_diag *d);
void tdx_qe_report_sig_step(struct tdx_run *r);
void tdx_chain_cache_clear(struct cgs_tdx_verifier *v);

/* tdx_policy.c: the policy checks on the body */
void tdx_policy_steps(struct tdx_run *r);

#endif
