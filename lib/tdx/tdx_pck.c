// SPDX-License-Identifier: MIT
/*
 * The PCK side of the TDX verifier: the chain carried in the quote (PCK <-
 * PCK Platform/Processor CA <- root), its validity, both CRLs, the SGX
 * extension, and the QE report signature by the PCK key. The outcome for
 * the last chain and the last QE report is cached in the verifier.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/core/hex.h"
#include "lib/core/rfc3339.h"
#include "lib/tdx/tdx_verify_int.h"

void tdx_chain_cache_clear(struct cgs_tdx_verifier *v)
{
	sk_X509_pop_free(v->chain, X509_free);
	free(v->chain_pem);
	v->chain = NULL;
	v->chain_pem = NULL;
	v->chain_len = 0;
	v->leaf = v->inter = NULL;
	v->ext_ok = 0;
	v->qe_cached = 0;
}

static int chain_names_ok(X509 *leaf, X509 *inter, struct tdx_step *s)
{
	char lcn[96], icn[96];

	intel_cert_cn(leaf, lcn, sizeof(lcn));
	intel_cert_cn(inter, icn, sizeof(icn));
	if (!strstr(lcn, "SGX PCK Certificate")) {
		tdx_step_set(s, CGS_CHECK_FAIL, "Intel SGX PCK Certificate", lcn,
			     "the leaf is not a PCK certificate");
		return 0;
	}
	if (!strstr(icn, "SGX PCK Platform CA") && !strstr(icn, "SGX PCK Processor CA")) {
		tdx_step_set(s, CGS_CHECK_FAIL, "Intel SGX PCK Platform CA or Processor CA", icn,
			     "the intermediate is not a PCK CA");
		return 0;
	}
	return 1;
}

static void chain_step(struct cgs_tdx_verifier *v, struct tdx_step *s)
{
	X509 *qroot = sk_X509_value(v->chain, 2);
	const char *anchor = v->trusted_root_given ? "the --trusted-root"
						   : "the pinned Intel "
						     "SGX Root CA";
	char want[120], icn[96];
	struct cgs_diag d;

	snprintf(want, sizeof(want), "PCK <- PCK CA <- %s", anchor);
	if (sk_X509_num(v->chain) != 3) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, NULL,
			     "the quote's PCK chain has %d certificates (3 expected)",
			     sk_X509_num(v->chain));
		return;
	}
	if (!v->root || X509_cmp(qroot, v->root)) {
		uint8_t fp[32];
		char hex[65] = "?";

		if (!intel_cert_sha256(qroot, fp, NULL))
			cgs_hex_encode(fp, 32, hex);
		tdx_step_set(s, CGS_CHECK_FAIL, want, hex, "the quote's root is not %s%s%s", anchor,
			     v->trusted_root_given ? "" : " (SHA-256 ",
			     v->trusted_root_given ? "" : intel_sgx_root_fingerprint_hex());
		if (!v->trusted_root_given)
			strncat(s->reason, ")", sizeof(s->reason) - strlen(s->reason) - 1);
		return;
	}
	if (intel_cert_signed_by(v->root, v->root, "root certificate", &d) ||
	    intel_cert_signed_by(v->inter, v->root, "PCK CA certificate", &d) ||
	    intel_cert_signed_by(v->leaf, v->inter, "PCK certificate", &d)) {
		tdx_step_diag(s, want, &d);
		return;
	}
	if (!chain_names_ok(v->leaf, v->inter, s))
		return;
	intel_cert_cn(v->inter, icn, sizeof(icn));
	tdx_step_set(s, CGS_CHECK_PASS, want, icn, "every signature of the chain verifies");
}

static void validity_step(struct cgs_tdx_verifier *v, struct tdx_step *s)
{
	X509 *c[3] = {v->root, v->inter, v->leaf};
	const char *what[3] = {"root certificate", "PCK CA certificate", "PCK certificate"};
	char at[32];
	struct cgs_diag d;

	cgs_time_str(v->at, at, sizeof(at));
	for (int i = 0; i < 3; i++) {
		if (!c[i]) {
			tdx_step_blocked(s, "the PCK chain is incomplete");
			return;
		}
		if (intel_cert_valid_at(c[i], v->at, what[i], &d)) {
			tdx_step_diag(s, "valid at --at", &d);
			snprintf(s->actual, sizeof(s->actual), "%s", at);
			return;
		}
	}
	tdx_step_set(s, CGS_CHECK_PASS, "valid at --at", at,
		     "the root, PCK CA and PCK certificates are valid at that time");
}

static void crl_step(struct cgs_tdx_verifier *v, X509_CRL *crl, const char *err, X509 *issuer,
		     X509 *subject, const char *what, struct tdx_step *s)
{
	struct cgs_diag d;
	char want[96];
	int revoked;

	snprintf(want, sizeof(want), "current, signed by the %s, not listing the %s",
		 issuer == v->root ? "root" : "PCK CA", issuer == v->root ? "PCK CA" : "PCK");
	if (!crl) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, NULL, "%s: %s", what, err);
		return;
	}
	if (!issuer || !subject) {
		tdx_step_blocked(s, "the PCK chain is incomplete or untrusted");
		return;
	}
	if (intel_crl_check(crl, issuer, v->at, subject, what, &revoked, &d)) {
		tdx_step_diag(s, want, &d);
		snprintf(s->actual, sizeof(s->actual), "%s", revoked ? "revoked" : "");
		return;
	}
	tdx_step_set(s, CGS_CHECK_PASS, want, "not revoked",
		     "the %s is current and does not "
		     "list it",
		     what);
}

static enum cgs_err new_chain(struct cgs_tdx_verifier *v, const struct tdx_quote *q,
			      struct cgs_diag *d)
{
	struct tdx_step *s = v->chain_steps;
	struct cgs_diag pd;
	char buf[400];

	tdx_chain_cache_clear(v);
	v->chain_pem = malloc(q->pck_chain_len ? q->pck_chain_len : 1);
	if (!v->chain_pem)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	memcpy(v->chain_pem, q->pck_chain, q->pck_chain_len);
	v->chain_len = q->pck_chain_len;
	if (intel_pem_certs(q->pck_chain, q->pck_chain_len, &v->chain, &pd)) {
		tdx_step_diag(&s[0], "PCK <- PCK CA <- root", &pd);
		snprintf(v->ext_err, sizeof(v->ext_err), "the PCK chain does not decode");
		for (int i = 1; i < 4; i++)
			tdx_step_blocked(&s[i], v->ext_err);
		return CGS_OK;
	}
	v->leaf = sk_X509_value(v->chain, 0);
	v->inter = sk_X509_num(v->chain) > 1 ? sk_X509_value(v->chain, 1) : NULL;
	if (!v->root && !v->trusted_root_given && sk_X509_num(v->chain) == 3 &&
	    intel_sgx_root_is_pinned(sk_X509_value(v->chain, 2)) &&
	    X509_up_ref(sk_X509_value(v->chain, 2)))
		v->root = sk_X509_value(v->chain, 2);
	if (intel_pck_ext_get(v->leaf, &v->ext, &pd))
		snprintf(v->ext_err, sizeof(v->ext_err), "%s",
			 cgs_diag_format(&pd, buf, sizeof(buf)));
	else
		v->ext_ok = 1;
	chain_step(v, &s[0]);
	validity_step(v, &s[1]);
	crl_step(v, v->root_crl, v->root_crl_err, v->root, v->inter, "root CA CRL", &s[2]);
	crl_step(v, v->pck_crl, v->pck_crl_err, v->inter, v->leaf, "PCK CRL", &s[3]);
	return CGS_OK;
}

enum cgs_err tdx_pck_steps(struct tdx_run *r, struct cgs_diag *d)
{
	struct cgs_tdx_verifier *v = r->v;
	const struct tdx_quote *q = r->q;
	enum cgs_err e = CGS_OK;

	if (!v->chain_pem || v->chain_len != q->pck_chain_len ||
	    memcmp(v->chain_pem, q->pck_chain, v->chain_len))
		e = new_chain(v, q, d);
	if (e)
		return e;
	memcpy(&r->s[C_PCK_CHAIN], v->chain_steps, sizeof(v->chain_steps));
	if (!v->coll_done && v->root)
		e = tdx_collateral_steps(v, d);
	if (e)
		return e;
	for (int c = C_TCB_SIGNING; c <= C_QEID_VALID; c++) {
		if (c == C_FMSPC)
			continue;
		if (v->coll_done)
			r->s[c] = v->coll[c - C_TCB_SIGNING];
		else
			tdx_step_blocked(&r->s[c],
					 "no trusted root: neither the quote nor the "
					 "collateral carries the pinned Intel SGX Root CA");
	}
	return CGS_OK;
}

void tdx_qe_report_sig_step(struct tdx_run *r)
{
	struct cgs_tdx_verifier *v = r->v;
	const struct tdx_quote *q = r->q;
	struct tdx_step *s = &r->s[C_QE_REPORT_SIG];
	uint8_t key[sizeof(v->qe_key)];
	struct cgs_diag d;

	memcpy(key, q->qe_report_raw, TDX_QE_REPORT_SIZE);
	memcpy(key + TDX_QE_REPORT_SIZE, q->qe_report_sig, 64);
	if (v->qe_cached && !memcmp(key, v->qe_key, sizeof(key))) {
		*s = v->qe_sig_step;
		return;
	}
	if (!v->leaf)
		tdx_step_blocked(s, "no PCK certificate");
	else if (intel_ecdsa_verify(X509_get0_pubkey(v->leaf), q->qe_report_raw, TDX_QE_REPORT_SIZE,
				    q->qe_report_sig, "QE report signature", &d))
		tdx_step_diag(s, "signed by the PCK key", &d);
	else
		tdx_step_set(s, CGS_CHECK_PASS, "signed by the PCK key", "verifies",
			     "the QE report signature verifies with the PCK key");
	memcpy(v->qe_key, key, sizeof(key));
	v->qe_sig_step = *s;
	v->qe_cached = 1;
}
