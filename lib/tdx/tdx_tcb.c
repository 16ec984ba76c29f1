// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_tcb.h"

#include <stdio.h>
#include <string.h>

enum tdx_tcb_status tdx_tcb_qe_status(const struct tdx_qe_identity *qi, uint16_t isvsvn)
{
	for (size_t i = 0; i < qi->n_levels; i++)
		if (qi->levels[i].isvsvn <= isvsvn)
			return qi->levels[i].st.status;
	return TDX_TCB_NOT_SUPPORTED;
}

enum tdx_tcb_status tdx_tcb_converge(enum tdx_tcb_status base, enum tdx_tcb_status other)
{
	switch (other) {
	case TDX_TCB_OUT_OF_DATE:
		if (base == TDX_TCB_UP_TO_DATE || base == TDX_TCB_SW_HARDENING_NEEDED)
			return TDX_TCB_OUT_OF_DATE;
		if (base == TDX_TCB_CONFIGURATION_NEEDED ||
		    base == TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED)
			return TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
		return base;
	case TDX_TCB_REVOKED:
	case TDX_TCB_NOT_SUPPORTED:
		return other;
	default:
		return base;
	}
}

static int level_matches_platform(const struct tdx_tcb_level *l, const uint8_t sgx[16],
				  uint16_t pcesvn)
{
	for (int i = 0; i < 16; i++)
		if (sgx[i] < l->sgx[i])
			return 0;
	return pcesvn >= l->pcesvn;
}

/* TEE_TCB_SVN against tdxtcbcomponents; bytes 0-1 are the module's when major > 0 */
static int level_matches_tdx(const struct tdx_tcb_level *l, const uint8_t svn[16])
{
	for (int i = svn[1] > 0 ? 2 : 0; i < 16; i++)
		if (svn[i] < l->tdx[i])
			return 0;
	return 1;
}

static int find_levels(const struct tdx_tcb_info *ti, const uint8_t sgx[16], uint16_t pcesvn,
		       const uint8_t svn[16], struct tdx_tcb_eval *r)
{
	for (size_t i = 0; i < ti->n_levels; i++) {
		const struct tdx_tcb_level *l = &ti->levels[i];

		if (!level_matches_platform(l, sgx, pcesvn))
			continue;
		if (!r->sgx_level)
			r->sgx_level = l;
		if (level_matches_tdx(l, svn)) {
			r->tdx_level = l;
			return 0;
		}
	}
	snprintf(r->reason, sizeof(r->reason), "%s",
		 r->sgx_level ? "no TCB level matches the TEE_TCB_SVN of the quote"
			      : "no TCB level matches the PCK's SGX components and PCESVN");
	return -1;
}

static int module_status(const struct tdx_tcb_info *ti, const uint8_t svn[16],
			 enum tdx_tcb_status *ret, char *why, size_t len)
{
	const struct tdx_module_identity *m;

	*ret = TDX_TCB_UP_TO_DATE;
	if (svn[1] == 0)
		return 0;
	m = tdx_tcb_info_module(ti, svn[1]);
	if (!m) {
		snprintf(why, len, "no TDX module identity TDX_%02X", svn[1]);
		return -1;
	}
	for (size_t i = 0; i < m->n_levels; i++)
		if (svn[0] >= m->levels[i].isvsvn) {
			*ret = m->levels[i].st.status;
			return 0;
		}
	snprintf(why, len, "no level of TDX module identity %s matches TEE_TCB_SVN[0] = %u", m->id,
		 svn[0]);
	return -1;
}

static int has_config(enum tdx_tcb_status s)
{
	return s == TDX_TCB_CONFIGURATION_NEEDED ||
	       s == TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED ||
	       s == TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED;
}

/* QVL's TD relaunch check for TD15 bodies (spec step 10e) */
static int relaunch(const struct tdx_tcb_info *ti, const struct tdx_quote *q,
		    struct tdx_tcb_eval *r)
{
	const uint8_t *svn2 = q->body.tee_tcb_svn2;
	const struct tdx_tcb_level *latest = &ti->levels[0];
	enum tdx_tcb_status sgx = r->sgx_level->st.status;
	int ok;

	if (r->qe == TDX_TCB_OUT_OF_DATE || r->qe == TDX_TCB_REVOKED ||
	    r->qe == TDX_TCB_NOT_SUPPORTED)
		return 0;
	if (sgx != TDX_TCB_UP_TO_DATE && sgx != TDX_TCB_SW_HARDENING_NEEDED &&
	    sgx != TDX_TCB_CONFIGURATION_NEEDED &&
	    sgx != TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED)
		return 0;
	if ((r->status != TDX_TCB_OUT_OF_DATE &&
	     r->status != TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED) ||
	    r->module != TDX_TCB_OUT_OF_DATE)
		return 0;
	if (svn2[1] == 0) {
		ok = svn2[0] >= latest->tdx[0] && svn2[2] >= latest->tdx[2];
	} else {
		const struct tdx_module_identity *m = tdx_tcb_info_module(ti, svn2[1]);

		if (!m || m->n_levels == 0) {
			snprintf(r->reason, sizeof(r->reason),
				 "no TDX module identity TDX_%02X for TEE_TCB_SVN2", svn2[1]);
			return -1;
		}
		ok = svn2[0] >= m->levels[0].isvsvn && svn2[2] >= latest->tdx[2];
	}
	if (ok) {
		r->status = has_config(sgx) || has_config(r->status)
				? TDX_TCB_RELAUNCH_ADVISED_CONFIGURATION_NEEDED
				: TDX_TCB_RELAUNCH_ADVISED;
		r->relaunch_applied = 1;
	}
	return 0;
}

int tdx_tcb_evaluate(const struct tdx_tcb_info *ti, const uint8_t sgx_comp[16], uint16_t pcesvn,
		     const struct tdx_quote *q, enum tdx_tcb_status qe_status,
		     struct tdx_tcb_eval *ret)
{
	struct tdx_tcb_eval r;
	const uint8_t *svn = q->body.tee_tcb_svn;

	memset(&r, 0, sizeof(r));
	r.qe = qe_status;
	r.status = r.platform = r.module = TDX_TCB_NOT_SUPPORTED;
	if (find_levels(ti, sgx_comp, pcesvn, svn, &r) ||
	    module_status(ti, svn, &r.module, r.reason, sizeof(r.reason))) {
		*ret = r;
		return -1;
	}
	r.platform = r.tdx_level->st.status;
	r.status = tdx_tcb_converge(r.platform, r.module);
	if (q->body_type == TDX_BODY_TD15 && r.status != TDX_TCB_REVOKED && relaunch(ti, q, &r)) {
		*ret = r;
		return -1;
	}
	r.status = tdx_tcb_converge(r.status, r.qe);
	*ret = r;
	return 0;
}
