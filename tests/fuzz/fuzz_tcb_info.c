// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: formats/tdx_collateral, the TCB Info and QE Identity
 * readers (the signed span lies inside the buffer, counts within bounds),
 * then lib/tdx/tdx_tcb's evaluation of a fixed quote under what was read.
 */
#include <stdlib.h>
#include <string.h>

#include "formats/tdx_collateral.h"
#include "lib/tdx/tdx_tcb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tdx_tcb_info t;
	static struct tdx_qe_identity qi;
	static const uint8_t sgx[16] = {5, 5, 2, 2, 3, 1, 0, 3};
	struct tdx_tcb_eval ev;
	struct tdx_quote q;
	struct cgs_diag d;

	if (tdx_qe_identity_parse(data, size, &qi, &d) == CGS_OK) {
		if (qi.sig.body_off + qi.sig.body_len > size || qi.n_levels > TDX_MAX_LEVELS / 4)
			abort();
		(void)tdx_tcb_qe_status(&qi, 4);
	}
	if (tdx_tcb_info_parse(data, size, &t, &d) != CGS_OK)
		return 0;
	if (t.sig.body_off + t.sig.body_len > size || t.n_levels > TDX_MAX_LEVELS ||
	    t.n_modules > TDX_MAX_MODULES)
		abort();
	memset(&q, 0, sizeof(q));
	q.body_type = TDX_BODY_TD15;
	q.body.tee_tcb_svn[0] = 4;
	q.body.tee_tcb_svn[1] = (uint8_t)(size & 1);
	q.body.tee_tcb_svn[2] = 5;
	q.body.tee_tcb_svn2[0] = 6;
	q.body.tee_tcb_svn2[1] = 1;
	if (!tdx_tcb_evaluate(&t, sgx, 11, &q, TDX_TCB_UP_TO_DATE, &ev) &&
	    (!ev.tdx_level || !ev.sgx_level || (unsigned)ev.status >= TDX_TCB_N_STATUS))
		abort();
	return 0;
}
