// SPDX-License-Identifier: MIT
/*
 * The TDX verification calls of include/cgs/tdx_verify.h as a library user
 * makes them: the check table and its classes, one verifier for many quotes
 * (the cached chain gives the same verdict; a flipped quote byte fails only
 * quote-signature), skips of policy and authenticity checks, and a malformed
 * quote. The evidence is dcap-qvl's real quote of ../shared/vectors/tdx-quote
 * (skipped visibly without it).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/tdx_verify.h>

#include "tests/unit/tap.h"

static uint8_t *slurp(const char *vec, const char *name, size_t *len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/tdx-quote/%s", vec, name);
	return tap_slurp(p, len);
}

static void test_table(void)
{
	size_t n, auth = 0;
	const struct cgs_check_def *t = cgs_tdx_checks(&n);

	ok(n > 20 && !strcmp(t[0].name, "format"), "the table starts with format");
	for (size_t i = 0; i < n; i++)
		auth += t[i].cls == CGS_CHECK_AUTHENTICITY;
	ok(auth >= 14, "%zu authenticity checks", auth);
}

static int failed_only(const struct cgs_verdict *v, const char *name)
{
	const struct cgs_check *c = cgs_verdict_find(v, name);
	size_t fails = 0;

	for (size_t i = 0; i < v->n; i++)
		fails += v->checks[i].result == CGS_CHECK_FAIL;
	return c && c->result == CGS_CHECK_FAIL && fails == 1;
}

static void test_quotes(struct cgs_tdx_verifier *v, uint8_t *q, size_t qlen)
{
	struct cgs_tdx_policy p;
	struct cgs_tdx_result r;
	struct cgs_diag d;
	const char *skip_auth[] = {"quote-signature"}, *skip_pol[] = {"tcb-status"};

	memset(&p, 0, sizeof(p));
	for (int i = 0; i < 3; i++) {
		ok(cgs_tdx_verify_quote(v, q, qlen, &p, &r, &d) == CGS_OK &&
			   cgs_verdict_verified(&r.verdict) && !strcmp(r.tcb_status, "UpToDate"),
		   "run %d: verified, UpToDate (cached chain from the second on)", i + 1);
		cgs_tdx_result_free(&r);
	}
	q[200] ^= 1;
	ok(cgs_tdx_verify_quote(v, q, qlen, &p, &r, &d) == CGS_OK &&
		   failed_only(&r.verdict, "quote-signature"),
	   "a flipped MRTD byte fails quote-signature only");
	cgs_tdx_result_free(&r);
	q[200] ^= 1;
	p.skip = skip_pol;
	p.n_skip = 1;
	ok(cgs_tdx_verify_quote(v, q, qlen, &p, &r, &d) == CGS_OK &&
		   cgs_verdict_find(&r.verdict, "tcb-status")->result == CGS_CHECK_SKIP,
	   "a policy check is skipped by name and listed");
	cgs_tdx_result_free(&r);
	p.skip = skip_auth;
	is_int(cgs_tdx_verify_quote(v, q, qlen, &p, &r, &d), CGS_E_USAGE,
	       "an authenticity check cannot be skipped");
	p.n_skip = 0;
	is_int(cgs_tdx_verify_quote(v, q, 600, &p, &r, &d), CGS_E_MALFORMED,
	       "a truncated quote is malformed");
}

int main(void)
{
	const char *vec = tap_vectors();
	struct cgs_tdx_collateral c;
	struct cgs_tdx_verifier *v = NULL;
	struct cgs_diag d;
	uint8_t *b[5];
	size_t n[5], qlen;
	uint8_t *q;

	test_table();
	if (!vec) {
		ok(1, "# SKIP ../shared/vectors not present: no real quote");
		return tap_done();
	}
	q = slurp(vec, "dcap-qvl/tdx_quote", &qlen);
	b[0] = slurp(vec, "dcap-qvl/collateral-2025-06/tcb_info.json", &n[0]);
	b[1] = slurp(vec, "dcap-qvl/collateral-2025-06/qe_identity.json", &n[1]);
	b[2] = slurp(vec, "dcap-qvl/collateral-2025-06/tcb_info_issuer_chain.pem", &n[2]);
	b[3] = slurp(vec, "dcap-qvl/collateral-2025-06/pck_crl.der", &n[3]);
	b[4] = slurp(vec, "dcap-qvl/collateral-2025-06/root_ca_crl.der", &n[4]);
	memset(&c, 0, sizeof(c));
	c.tcb_info = (struct cgs_tdx_blob){b[0], n[0]};
	c.qe_identity = (struct cgs_tdx_blob){b[1], n[1]};
	c.tcb_chain = (struct cgs_tdx_blob){b[2], n[2]};
	c.pck_crl = (struct cgs_tdx_blob){b[3], n[3]};
	c.root_crl = (struct cgs_tdx_blob){b[4], n[4]};
	c.at = 1750377600; /* 2025-06-20T00:00:00Z */
	ok(q && cgs_tdx_verifier_new(&c, &v, &d) == CGS_OK, "a verifier from Intel's collateral");
	if (q)
		test_quotes(v, q, qlen);
	cgs_tdx_verifier_free(v);
	for (int i = 0; i < 5; i++)
		free(b[i]);
	free(q);
	return tap_done();
}
