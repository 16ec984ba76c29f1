// SPDX-License-Identifier: MIT
/*
 * The policy checks of the TDX verifier (specs/tdx-verify.md section 6),
 * strict by default: TCB status UpToDate only, DEBUG refused, SEPT_VE_DISABLE
 * required; each expected value compared exactly when given and listed as
 * skip when not.
 */
#include <stdio.h>
#include <string.h>

#include "lib/core/hex.h"
#include "lib/tdx/tdx_verify_int.h"

static void status_step(struct tdx_run *r)
{
	const struct cgs_tdx_policy *p = r->p;
	struct tdx_step *s = &r->s[C_TCB_STATUS];
	const char *st = tdx_tcb_status_name(r->eval.status);
	char want[200] = "UpToDate";
	int ok = r->eval.status == TDX_TCB_UP_TO_DATE;

	for (size_t i = 0; i < p->n_allow_status; i++) {
		size_t n = strlen(want);

		snprintf(want + n, sizeof(want) - n, ",%s", p->allow_status[i]);
		ok |= !strcmp(p->allow_status[i], st);
	}
	if (!r->eval_ok)
		tdx_step_blocked(s, "no TCB level was evaluated");
	else if (r->eval.status == TDX_TCB_REVOKED || r->eval.status == TDX_TCB_NOT_SUPPORTED)
		tdx_step_set(s, CGS_CHECK_FAIL, want, st, "%s is never accepted", st);
	else if (ok)
		tdx_step_set(s, CGS_CHECK_PASS, want, st, "the TCB status is accepted");
	else
		tdx_step_set(s, CGS_CHECK_FAIL, want, st,
			     "the TCB status is %s (accept it with --allow-tcb-status)", st);
}

static void attr_steps(struct tdx_run *r)
{
	uint64_t a = r->q->td_attributes;
	char got[24];

	snprintf(got, sizeof(got), "0x%016llx", (unsigned long long)a);
	if (!(a & TDX_ATTR_DEBUG))
		tdx_step_set(&r->s[C_DEBUG], CGS_CHECK_PASS, "DEBUG clear", got,
			     "the TD is not debuggable");
	else if (r->p->allow_debug)
		tdx_step_set(&r->s[C_DEBUG], CGS_CHECK_PASS, "DEBUG clear", got,
			     "the TD is debuggable, allowed by --allow-debug");
	else
		tdx_step_set(&r->s[C_DEBUG], CGS_CHECK_FAIL, "DEBUG clear", got,
			     "the TD is debuggable: the host can read and change its state");
	if (a & TDX_ATTR_SEPT_VE_DISABLE)
		tdx_step_set(&r->s[C_SEPT_VE], CGS_CHECK_PASS, "SEPT_VE_DISABLE set", got,
			     "EPT violations are not converted to #VE in the TD");
	else if (r->p->allow_sept_ve)
		tdx_step_set(&r->s[C_SEPT_VE], CGS_CHECK_PASS, "SEPT_VE_DISABLE set", got,
			     "SEPT_VE_DISABLE is clear, allowed by --allow-sept-ve");
	else
		tdx_step_set(&r->s[C_SEPT_VE], CGS_CHECK_FAIL, "SEPT_VE_DISABLE set", got,
			     "SEPT_VE_DISABLE is clear (accept it with --allow-sept-ve)");
}

static int all_zero(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (b[i])
			return 0;
	return 1;
}

static void expect_step(struct tdx_run *r, enum tdx_check c, const char *field,
			const struct cgs_tdx_expect *e, const char *note)
{
	/* owner-chosen values: worth a note when set but not checked */
	int notify_nonzero = c == C_MRCONFIGID || c == C_MROWNER || c == C_MROWNERCONFIG;
	const struct tdx_body_field *f = tdx_body_field_find(field);
	const uint8_t *got = tdx_body_field_ptr(&r->q->body, f);
	struct tdx_step *s = &r->s[c];
	char gh[129], wh[129];

	cgs_hex_encode(got, f->size, gh);
	if (e->state == CGS_TDX_EXPECT_NONE) {
		tdx_step_set(s, CGS_CHECK_SKIP, NULL, gh, "%s",
			     !notify_nonzero || all_zero(got, f->size)
				 ? "no expected value given"
				 : "no expected value given; note: the quote's value is not "
				   "zero");
		return;
	}
	if (e->state == CGS_TDX_EXPECT_UNKNOWN) {
		tdx_step_set(s, CGS_CHECK_SKIP, NULL, gh,
			     "--expected does not give it (cgs-measure could not compute it): "
			     "not compared");
		return;
	}
	cgs_hex_encode(e->v, f->size, wh);
	if (memcmp(e->v, got, f->size))
		tdx_step_set(s, CGS_CHECK_FAIL, wh, gh, "%s differs from the expected value%s",
			     field, note);
	else
		tdx_step_set(s, CGS_CHECK_PASS, wh, gh, "%s is the expected value%s", field, note);
}

/* the expectations of --expected document i, with the values given one by one winning */
static void effective(const struct cgs_tdx_policy *p, size_t i, struct cgs_tdx_expect out[5])
{
	const struct cgs_tdx_expect *given[5] = {&p->mrtd, &p->rtmr[0], &p->rtmr[1], &p->rtmr[2],
						 &p->rtmr[3]};
	const struct cgs_tdx_measurement *m = p->n_candidates ? &p->candidates[i] : NULL;

	for (int k = 0; k < 5; k++) {
		if (given[k]->state != CGS_TDX_EXPECT_NONE || !m)
			out[k] = *given[k];
		else
			out[k] = k ? m->rtmr[k - 1] : m->mrtd;
	}
}

static int mismatches(const struct tdx_run *r, const struct cgs_tdx_expect e[5])
{
	const uint8_t *v[5] = {r->q->body.mrtd, r->q->body.rtmr[0], r->q->body.rtmr[1],
			       r->q->body.rtmr[2], r->q->body.rtmr[3]};
	int n = 0;

	for (int k = 0; k < 5; k++)
		n += e[k].state == CGS_TDX_EXPECT_VALUE && memcmp(e[k].v, v[k], 48);
	return n;
}

/* MRTD and RTMRs: the first --expected document that matches, else the closest */
static void measurement_steps(struct tdx_run *r)
{
	const struct cgs_tdx_policy *p = r->p;
	static const char *const names[5] = {"mrtd", "rtmr0", "rtmr1", "rtmr2", "rtmr3"};
	struct cgs_tdx_expect e[5];
	size_t best = 0, n = p->n_candidates ? p->n_candidates : 1;
	int best_miss = 6;
	char note[96] = "";

	for (size_t i = 0; i < n && best_miss; i++) {
		int miss;

		effective(p, i, e);
		miss = mismatches(r, e);
		if (miss < best_miss)
			best = i, best_miss = miss;
	}
	effective(p, best, e);
	if (p->n_candidates > 1)
		snprintf(note, sizeof(note), " (--expected document %zu of %zu%s)", best + 1,
			 p->n_candidates, best_miss ? ", the closest: none matches" : "");
	for (int k = 0; k < 5; k++)
		expect_step(r, (enum tdx_check)(C_MRTD + k), names[k], &e[k], note);
}

static void mask_step(struct tdx_step *s, const char *what, int has, uint64_t got, uint64_t want,
		      uint64_t mask)
{
	char g[24], w[48];

	if (!mask)
		mask = ~0ull;
	snprintf(g, sizeof(g), "0x%016llx", (unsigned long long)got);
	snprintf(w, sizeof(w), "0x%016llx/0x%016llx", (unsigned long long)(want & mask),
		 (unsigned long long)mask);
	if (!has)
		tdx_step_set(s, CGS_CHECK_SKIP, NULL, g, "no expected value given");
	else if ((got & mask) != (want & mask))
		tdx_step_set(s, CGS_CHECK_FAIL, w, g,
			     "%s differs from the expected value under "
			     "the mask",
			     what);
	else
		tdx_step_set(s, CGS_CHECK_PASS, w, g, "%s is the expected value under the mask",
			     what);
}

static void min_svn_step(struct tdx_run *r)
{
	struct tdx_step *s = &r->s[C_MIN_TEE_TCB_SVN];
	const uint8_t *svn = r->q->body.tee_tcb_svn;
	char g[33], w[33];

	cgs_hex_encode(svn, 16, g);
	if (!r->p->has_min_tee_tcb_svn) {
		tdx_step_set(s, CGS_CHECK_SKIP, NULL, g, "no minimum given");
		return;
	}
	cgs_hex_encode(r->p->min_tee_tcb_svn, 16, w);
	for (int i = 0; i < 16; i++)
		if (svn[i] < r->p->min_tee_tcb_svn[i]) {
			tdx_step_set(s, CGS_CHECK_FAIL, w, g, "TEE_TCB_SVN[%d] = %u is below %u", i,
				     svn[i], r->p->min_tee_tcb_svn[i]);
			return;
		}
	tdx_step_set(s, CGS_CHECK_PASS, w, g, "every component is at least the minimum");
}

void tdx_policy_steps(struct tdx_run *r)
{
	const struct cgs_tdx_policy *p = r->p;

	status_step(r);
	attr_steps(r);
	measurement_steps(r);
	expect_step(r, C_MRCONFIGID, "mrconfigid", &p->mrconfigid, "");
	expect_step(r, C_MROWNER, "mrowner", &p->mrowner, "");
	expect_step(r, C_MROWNERCONFIG, "mrownerconfig", &p->mrownerconfig, "");
	expect_step(r, C_REPORT_DATA, "report_data", &p->report_data, "");
	expect_step(r, C_MRSEAM, "mrseam", &p->mrseam, "");
	mask_step(&r->s[C_XFAM], "XFAM", p->has_xfam, r->q->xfam, p->xfam, p->xfam_mask);
	mask_step(&r->s[C_TD_ATTRIBUTES], "TDATTRIBUTES", p->has_td_attributes, r->q->td_attributes,
		  p->td_attributes, p->td_attributes_mask);
	min_svn_step(r);
}
