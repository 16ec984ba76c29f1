// SPDX-License-Identifier: MIT
/*
 * The collateral checks of the TDX verifier: the TCB Signing certificate,
 * TCB Info and QE Identity (signature over the exact signed bytes, id,
 * version, validity window), computed once per verifier; and the FMSPC /
 * PCE-ID match, per PCK.
 */
#include <stdlib.h>
#include <string.h>

#include "lib/core/hex.h"
#include "lib/core/rfc3339.h"
#include "lib/tdx/tdx_verify_int.h"

static void *dup_span(const uint8_t *buf, const struct tdx_signed_doc *s, size_t *ret_len)
{
	uint8_t *p = malloc(s->body_len ? s->body_len : 1);

	if (p) {
		memcpy(p, buf + s->body_off, s->body_len);
		*ret_len = s->body_len;
	}
	return p;
}

static enum cgs_err load_tcb_info(struct cgs_tdx_verifier *v, const struct cgs_tdx_blob *b,
				  struct cgs_diag *d)
{
	struct cgs_diag pd = {0};

	v->ti = calloc(1, sizeof(*v->ti));
	if (!v->ti)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (!b->data || tdx_tcb_info_parse(b->data, b->len, v->ti, &pd)) {
		free(v->ti);
		v->ti = NULL;
		if (b->data)
			return tdx_collateral_malformed(v, v->ti_err, sizeof(v->ti_err), d, &pd,
							"TCB Info");
		snprintf(v->ti_err, sizeof(v->ti_err), "TCB Info not given");
		return CGS_OK;
	}
	v->ti_span = dup_span(b->data, &v->ti->sig, &v->ti_span_len);
	return v->ti_span ? CGS_OK
			  : cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
}

static enum cgs_err load_qe_identity(struct cgs_tdx_verifier *v, const struct cgs_tdx_blob *b,
				     struct cgs_diag *d)
{
	struct cgs_diag pd = {0};

	v->qi = calloc(1, sizeof(*v->qi));
	if (!v->qi)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (!b->data || tdx_qe_identity_parse(b->data, b->len, v->qi, &pd)) {
		free(v->qi);
		v->qi = NULL;
		if (b->data)
			return tdx_collateral_malformed(v, v->qi_err, sizeof(v->qi_err), d, &pd,
							"QE Identity");
		snprintf(v->qi_err, sizeof(v->qi_err), "QE Identity not given");
		return CGS_OK;
	}
	v->qi_span = dup_span(b->data, &v->qi->sig, &v->qi_span_len);
	return v->qi_span ? CGS_OK
			  : cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
}

/* a chain into *ret; err (or, when NULL, the TCB Signing chain's) gets why it is missing */
static enum cgs_err load_chain(struct cgs_tdx_verifier *v, const struct cgs_tdx_blob *b,
			       STACK_OF(X509) * *ret, char *err, const char *what,
			       struct cgs_diag *d)
{
	struct cgs_diag pd;

	if (!b->data) {
		if (err)
			snprintf(err, sizeof(v->tcb_chain_err), "no %s given", what);
		return CGS_OK;
	}
	if (intel_pem_certs(b->data, b->len, ret, &pd))
		return tdx_collateral_malformed(v, v->tcb_chain_err, sizeof(v->tcb_chain_err), d,
						&pd, what);
	return CGS_OK;
}

/* the pinned root, when one of the collateral chains carries it */
static void find_root(struct cgs_tdx_verifier *v, STACK_OF(X509) * sk)
{
	for (int i = 0; sk && !v->root && i < sk_X509_num(sk); i++)
		if (intel_sgx_root_is_pinned(sk_X509_value(sk, i)) &&
		    X509_up_ref(sk_X509_value(sk, i)))
			v->root = sk_X509_value(sk, i);
}

enum cgs_err tdx_collateral_load(struct cgs_tdx_verifier *v, const struct cgs_tdx_collateral *c,
				 struct cgs_diag *d)
{
	enum cgs_err e = load_tcb_info(v, &c->tcb_info, d);

	if (!e)
		e = load_qe_identity(v, &c->qe_identity, d);
	if (!e)
		e = load_chain(v, &c->tcb_chain, &v->tcb_chain, v->tcb_chain_err,
			       "TCB Signing chain", d);
	if (!e)
		e = load_chain(v, &c->qe_chain, &v->qe_chain, NULL, "QE Identity issuer chain", d);
	if (e)
		return e;
	if (!v->trusted_root_given) {
		find_root(v, v->tcb_chain);
		find_root(v, v->qe_chain);
	}
	return CGS_OK;
}

/* one signing chain: its first certificate, issued by the root, valid, not revoked */
static int signer_ok(struct cgs_tdx_verifier *v, STACK_OF(X509) * sk, struct tdx_step *s)
{
	X509 *signer = sk_X509_value(sk, 0), *last = sk_X509_value(sk, sk_X509_num(sk) - 1);
	struct cgs_diag d;
	int revoked = 0;

	if (sk_X509_num(sk) > 1 && X509_cmp(last, v->root)) {
		tdx_step_set(s, CGS_CHECK_FAIL, "the trusted root", "another root",
			     "the signing chain ends in a root other than the trusted one");
		return 0;
	}
	if (intel_cert_signed_by(signer, v->root, "TCB Signing certificate", &d) ||
	    intel_cert_valid_at(signer, v->at, "TCB Signing certificate", &d)) {
		tdx_step_diag(s, "signed by the root, valid", &d);
		return 0;
	}
	if (v->root_crl) {
		X509_REVOKED *rev;

		revoked =
		    X509_CRL_get0_by_serial(v->root_crl, &rev, X509_get0_serialNumber(signer)) == 1;
	}
	if (revoked) {
		tdx_step_set(s, CGS_CHECK_FAIL, "not revoked", "revoked",
			     "the TCB Signing certificate is listed in the root CRL");
		return 0;
	}
	return 1;
}

static void signing_step(struct cgs_tdx_verifier *v)
{
	struct tdx_step *s = &v->coll[C_TCB_SIGNING - C_TCB_SIGNING];
	char cn[96], nb[32], na[32];
	X509 *signer;

	if (!v->tcb_chain || *v->tcb_chain_err) {
		tdx_step_set(s, CGS_CHECK_FAIL, "a TCB Signing chain", NULL, "%s",
			     *v->tcb_chain_err ? v->tcb_chain_err : "no TCB Signing chain given");
		return;
	}
	if (!signer_ok(v, v->tcb_chain, s) || (v->qe_chain && !signer_ok(v, v->qe_chain, s)))
		return;
	signer = sk_X509_value(v->tcb_chain, 0);
	intel_cert_cn(signer, cn, sizeof(cn));
	intel_asn1_time_str(X509_get0_notBefore(signer), nb, sizeof(nb));
	intel_asn1_time_str(X509_get0_notAfter(signer), na, sizeof(na));
	tdx_step_set(s, CGS_CHECK_PASS, "signed by the root, valid, not revoked", cn,
		     "valid %s .. %s%s", nb, na,
		     v->root_crl ? "" : "; revocation not checked (no usable root CRL)");
}

struct doc_view {
	const char *what; /* "TCB Info" */
	const char *want_id;
	int want_version;
	int parsed;
	const char *err;
	const uint8_t *span;
	size_t span_len;
	const uint8_t *sig;
	const char *id;
	int version;
	time_t issue, next;
	const char *issue_s, *next_s;
	STACK_OF(X509) * chain; /* the chain that signs it */
};

static int doc_sig_step(struct cgs_tdx_verifier *v, const struct doc_view *dv, struct tdx_step *s)
{
	struct cgs_diag d;
	char want[64], got[64];

	snprintf(want, sizeof(want), "%s version %d, signed", dv->want_id, dv->want_version);
	if (!dv->parsed) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, NULL, "%s", dv->err);
		return 0;
	}
	if (v->coll[0].r != CGS_CHECK_PASS) {
		tdx_step_blocked(s, "the TCB Signing certificate is not trusted");
		return 0;
	}
	if (intel_ecdsa_verify(X509_get0_pubkey(sk_X509_value(dv->chain, 0)), dv->span,
			       dv->span_len, dv->sig, "signature", &d)) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, "signature does not verify",
			     "the %s signature does not verify with the TCB Signing key", dv->what);
		return 0;
	}
	snprintf(got, sizeof(got), "%s version %d, signed", dv->id, dv->version);
	if (strcmp(dv->id, dv->want_id) || dv->version != dv->want_version) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, got, "%s is not a %s version %d document",
			     dv->what, dv->want_id, dv->want_version);
		return 0;
	}
	tdx_step_set(s, CGS_CHECK_PASS, want, got,
		     "the signature verifies over the %zu signed bytes", dv->span_len);
	return 1;
}

static void doc_window_step(struct cgs_tdx_verifier *v, const struct doc_view *dv,
			    struct tdx_step *s)
{
	char at[32], win[80];

	if (!dv->parsed) {
		tdx_step_blocked(s, dv->err);
		return;
	}
	cgs_time_str(v->at, at, sizeof(at));
	snprintf(win, sizeof(win), "%s .. %s", dv->issue_s, dv->next_s);
	if (dv->issue <= v->at && v->at <= dv->next)
		tdx_step_set(s, CGS_CHECK_PASS, win, at, "%s is current", dv->what);
	else
		tdx_step_set(s, CGS_CHECK_FAIL, win, at, "%s is not valid at %s (%s)", dv->what, at,
			     v->at < dv->issue ? "not yet issued" : "past its nextUpdate");
}

enum cgs_err tdx_collateral_steps(struct cgs_tdx_verifier *v, struct cgs_diag *d)
{
	const struct tdx_tcb_info *ti = v->ti;
	const struct tdx_qe_identity *qi = v->qi;
	struct doc_view t = {"TCB Info",
			     "TDX",
			     3,
			     !!ti,
			     v->ti_err,
			     v->ti_span,
			     v->ti_span_len,
			     ti ? ti->sig.signature : NULL,
			     ti ? ti->id : "",
			     ti ? ti->version : 0,
			     ti ? ti->issue : 0,
			     ti ? ti->next : 0,
			     ti ? ti->issue_date : "",
			     ti ? ti->next_update : "",
			     v->tcb_chain};
	struct doc_view q = {"QE Identity",
			     "TD_QE",
			     2,
			     !!qi,
			     v->qi_err,
			     v->qi_span,
			     v->qi_span_len,
			     qi ? qi->sig.signature : NULL,
			     qi ? qi->id : "",
			     qi ? qi->version : 0,
			     qi ? qi->issue : 0,
			     qi ? qi->next : 0,
			     qi ? qi->issue_date : "",
			     qi ? qi->next_update : "",
			     v->qe_chain ? v->qe_chain : v->tcb_chain};

	(void)d;
	signing_step(v);
	v->ti_trusted = doc_sig_step(v, &t, &v->coll[C_TCB_INFO_SIG - C_TCB_SIGNING]);
	doc_window_step(v, &t, &v->coll[C_TCB_INFO_VALID - C_TCB_SIGNING]);
	v->qi_trusted = doc_sig_step(v, &q, &v->coll[C_QEID_SIG - C_TCB_SIGNING]);
	doc_window_step(v, &q, &v->coll[C_QEID_VALID - C_TCB_SIGNING]);
	v->coll_done = 1;
	return CGS_OK;
}

void tdx_fmspc_step(struct tdx_run *r)
{
	struct cgs_tdx_verifier *v = r->v;
	struct tdx_step *s = &r->s[C_FMSPC];
	char want[40], got[40], a[13], b[13], c[5], e[5];

	if (!v->ti) {
		tdx_step_blocked(s, v->ti_err);
		return;
	}
	if (!v->ext_ok) {
		tdx_step_blocked(s, v->ext_err);
		return;
	}
	cgs_hex_encode(v->ext.fmspc, 6, a);
	cgs_hex_encode(v->ext.pce_id, 2, c);
	cgs_hex_encode(v->ti->fmspc, 6, b);
	cgs_hex_encode(v->ti->pce_id, 2, e);
	snprintf(want, sizeof(want), "fmspc %s pce-id %s", a, c);
	snprintf(got, sizeof(got), "fmspc %s pce-id %s", b, e);
	if (memcmp(v->ext.fmspc, v->ti->fmspc, 6) || memcmp(v->ext.pce_id, v->ti->pce_id, 2))
		tdx_step_set(s, CGS_CHECK_FAIL, want, got,
			     "TCB Info is for another platform than the PCK certificate");
	else
		tdx_step_set(s, CGS_CHECK_PASS, want, got, "TCB Info is for the PCK's platform");
}
