/* SPDX-License-Identifier: MIT */
/*
 * TCB evaluation of a TDX quote under Intel's TCB Info and QE Identity, as
 * Intel's QVL computes it (specs/tdx-verify.md section 5, step 10): the
 * platform level (SGX components + PCESVN, then TDX components), the TDX
 * module identity level, the QE level, their convergence, and the TD15
 * relaunch rule. Pure logic on parsed documents: no crypto, no I/O.
 */
#ifndef CGS_LIB_TDX_TDX_TCB_H
#define CGS_LIB_TDX_TDX_TCB_H

#include <stdint.h>

#include "formats/tdx_collateral.h"
#include "formats/tdx_quote.h"

struct tdx_tcb_eval {
	enum tdx_tcb_status status;   /* the combined status */
	enum tdx_tcb_status platform; /* tcbStatus of the TDX level */
	enum tdx_tcb_status module;   /* module identity level (UpToDate without one) */
	enum tdx_tcb_status qe;	      /* QE Identity level */
	const struct tdx_tcb_level *sgx_level, *tdx_level; /* NULL when none matched */
	int relaunch_applied;
	char reason[200]; /* why no level matched, "" otherwise */
};

/* The status of the first QE level with isvsvn <= the QE's ISVSVN (TCBNotSupported if none). */
enum tdx_tcb_status tdx_tcb_qe_status(const struct tdx_qe_identity *qi, uint16_t isvsvn);

/* QVL's convergence of a status with a module or QE status. */
enum tdx_tcb_status tdx_tcb_converge(enum tdx_tcb_status base, enum tdx_tcb_status other);

/*
 * Evaluate. Returns 0 when a platform and (if any) module level matched, with
 * ret filled; -1 with ret->reason otherwise (TCB not supported).
 */
int tdx_tcb_evaluate(const struct tdx_tcb_info *ti, const uint8_t sgx_comp[16], uint16_t pcesvn,
		     const struct tdx_quote *q, enum tdx_tcb_status qe_status,
		     struct tdx_tcb_eval *ret);

#endif
