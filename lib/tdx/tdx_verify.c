// SPDX-License-Identifier: MIT
/*
 * cgs_tdx_verify_quote: the check pipeline of specs/tdx-verify.md section 5.
 * Every check runs (or fails saying what it could not run for) and is
 * recorded in table order; the quote is verified only if none fails. The
 * collateral checks are computed once per verifier, the PCK chain and QE
 * report signature checks once per distinct chain / QE report.
 */
#include <cgs/tdx_verify.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "formats/tdx_collateral.h"
#include "formats/tdx_quote.h"
#include "keys/intel_sgx.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/core/verdict.h"
#include "lib/tdx/tdx_tcb.h"
#include "lib/tdx/tdx_verify_int.h"

#define A CGS_CHECK_AUTHENTICITY
#define P CGS_CHECK_POLICY
static const struct cgs_check_def defs[N_CHECKS] = {
    [C_FORMAT] = {"format", A,
		  "the quote's layout: version 4/5, TD10/TD15, ECDSA P-256, "
		  "certification data 6 -> 5"},
    [C_PCK_CHAIN] = {"pck-chain", A, "PCK <- PCK CA <- the pinned Intel SGX Root CA"},
    [C_PCK_VALIDITY] = {"pck-validity", A, "the root, PCK CA and PCK are valid at --at"},
    [C_ROOT_CRL] = {"root-crl", P,
		    "the root CRL is the root's, current, and does not list "
		    "the PCK CA"},
    [C_PCK_CRL] = {"pck-crl", P,
		   "the PCK CRL is the PCK CA's, current, and does not list "
		   "the PCK"},
    [C_TCB_SIGNING] = {"tcb-signing", A,
		       "the TCB Signing certificate is the root's, valid "
		       "and not revoked"},
    [C_TCB_INFO_SIG] = {"tcb-info-signature", A,
			"TCB Info (TDX, version 3) is signed by the "
			"TCB Signing key"},
    [C_TCB_INFO_VALID] = {"tcb-info-validity", A,
			  "issueDate <= --at <= nextUpdate of TCB "
			  "Info"},
    [C_FMSPC] = {"fmspc", A, "TCB Info is for the PCK's FMSPC and PCE-ID"},
    [C_QEID_SIG] = {"qe-identity-signature", A,
		    "QE Identity (TD_QE, version 2) is signed by "
		    "the TCB Signing key"},
    [C_QEID_VALID] = {"qe-identity-validity", A,
		      "issueDate <= --at <= nextUpdate of QE "
		      "Identity"},
    [C_TDX_MODULE] = {"tdx-module", A,
		      "MRSIGNERSEAM and SEAMATTRIBUTES match the TDX module "
		      "identity"},
    [C_QE_REPORT_SIG] = {"qe-report-signature", A, "the QE report is signed by the PCK key"},
    [C_QE_BINDING] = {"qe-binding", A,
		      "the QE report binds the attestation key "
		      "(SHA-256 of key and auth data)"},
    [C_QE_IDENTITY] = {"qe-identity", A,
		       "the QE report matches QE Identity (MISCSELECT, "
		       "ATTRIBUTES, MRSIGNER, ISVPRODID)"},
    [C_QUOTE_SIG] = {"quote-signature", A, "the quote is signed by the attestation key"},
    [C_TCB_LEVEL] = {"tcb-level", A,
		     "a TCB level matches the platform, TDX module and QE, "
		     "and is not Revoked"},
    [C_TCB_STATUS] = {"tcb-status", P,
		      "the combined TCB status is UpToDate or allowed by "
		      "--allow-tcb-status"},
    [C_DEBUG] = {"debug", P, "TDATTRIBUTES.DEBUG is clear (or --allow-debug)"},
    [C_SEPT_VE] = {"sept-ve", P, "TDATTRIBUTES.SEPT_VE_DISABLE is set (or --allow-sept-ve)"},
    [C_MRTD] = {"mrtd", P, "MRTD equals the expected value"},
    [C_RTMR0] = {"rtmr0", P, "RTMR0 equals the expected value"},
    [C_RTMR1] = {"rtmr1", P, "RTMR1 equals the expected value"},
    [C_RTMR2] = {"rtmr2", P, "RTMR2 equals the expected value"},
    [C_RTMR3] = {"rtmr3", P, "RTMR3 equals the expected value"},
    [C_MRCONFIGID] = {"mrconfigid", P, "MRCONFIGID equals the expected value"},
    [C_MROWNER] = {"mrowner", P, "MROWNER equals the expected value"},
    [C_MROWNERCONFIG] = {"mrownerconfig", P, "MROWNERCONFIG equals the expected value"},
    [C_REPORT_DATA] = {"report-data", P, "REPORTDATA equals the expected value"},
    [C_MRSEAM] = {"mrseam", P, "MRSEAM equals the expected value"},
    [C_XFAM] = {"xfam", P, "XFAM matches the expected value under its mask"},
    [C_TD_ATTRIBUTES] = {"td-attributes", P,
			 "TDATTRIBUTES matches the expected value under "
			 "its mask"},
    [C_MIN_TEE_TCB_SVN] = {"min-tee-tcb-svn", P,
			   "every byte of TEE_TCB_SVN is at least the "
			   "minimum"},
};
#undef A
#undef P

const struct cgs_check_def *cgs_tdx_checks(size_t *ret_n)
{
	*ret_n = N_CHECKS;
	return defs;
}

void tdx_step_set(struct tdx_step *s, enum cgs_check_result r, const char *expected,
		  const char *actual, const char *fmt, ...)
{
	va_list ap;

	s->r = r;
	snprintf(s->expected, sizeof(s->expected), "%s", expected ? expected : "");
	snprintf(s->actual, sizeof(s->actual), "%s", actual ? actual : "");
	va_start(ap, fmt);
	vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
	va_end(ap);
}

void tdx_step_diag(struct tdx_step *s, const char *expected, const struct cgs_diag *d)
{
	char buf[400];

	tdx_step_set(s, CGS_CHECK_FAIL, expected, NULL, "%s", cgs_diag_format(d, buf, sizeof(buf)));
}

/* a check that cannot run because an earlier one failed */
void tdx_step_blocked(struct tdx_step *s, const char *why)
{
	tdx_step_set(s, CGS_CHECK_FAIL, NULL, NULL, "not evaluated: %s", why);
}

/* ---- the verifier ---- */

void cgs_tdx_verifier_free(struct cgs_tdx_verifier *v)
{
	if (!v)
		return;
	X509_free(v->root);
	X509_CRL_free(v->root_crl);
	X509_CRL_free(v->pck_crl);
	free(v->ti);
	free(v->qi);
	free(v->ti_span);
	free(v->qi_span);
	sk_X509_pop_free(v->tcb_chain, X509_free);
	sk_X509_pop_free(v->qe_chain, X509_free);
	tdx_chain_cache_clear(v);
	free(v);
}

static enum cgs_err load_root(struct cgs_tdx_verifier *v, const struct cgs_tdx_blob *b,
			      struct cgs_diag *d)
{
	if (!b->data)
		return CGS_OK; /* the pinned root, once a chain carries it */
	v->trusted_root_given = 1;
	return intel_cert_load(b->data, b->len, &v->root, d);
}

enum cgs_err tdx_collateral_malformed(const struct cgs_tdx_verifier *v, char *err, size_t len,
				      struct cgs_diag *d, const struct cgs_diag *pd,
				      const char *what)
{
	char buf[320];

	cgs_diag_format(pd, buf, sizeof(buf));
	if (pd->err == CGS_E_NOMEM)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (!v->lenient)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "%s: %s", what,
				    buf);
	snprintf(err, len, "the %s does not load: %s", what, buf);
	return CGS_OK;
}

static enum cgs_err load_crl(const struct cgs_tdx_verifier *v, const struct cgs_tdx_blob *b,
			     X509_CRL **ret, char *err, size_t len, const char *what,
			     struct cgs_diag *d)
{
	struct cgs_diag pd;

	if (!b->data) {
		snprintf(err, len, "no CRL given");
		return CGS_OK;
	}
	if (intel_crl_load(b->data, b->len, ret, &pd))
		return tdx_collateral_malformed(v, err, len, d, &pd, what);
	return CGS_OK;
}

static enum cgs_err verifier_new(const struct cgs_tdx_collateral *c, int lenient,
				 struct cgs_tdx_verifier **ret, struct cgs_diag *d)
{
	struct cgs_tdx_verifier *v = calloc(1, sizeof(*v));
	enum cgs_err e;

	if (!v)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	v->lenient = lenient;
	v->at = (time_t)c->at;
	e = load_root(v, &c->trusted_root, d);
	if (e) {
		cgs_tdx_verifier_free(v);
		return e;
	}
	e = load_crl(v, &c->root_crl, &v->root_crl, v->root_crl_err, sizeof(v->root_crl_err),
		     "root CA CRL", d);
	if (!e)
		e = load_crl(v, &c->pck_crl, &v->pck_crl, v->pck_crl_err, sizeof(v->pck_crl_err),
			     "PCK CRL", d);
	if (!e)
		e = tdx_collateral_load(v, c, d);
	if (!e && v->root)
		e = tdx_collateral_steps(v, d);
	if (e) {
		cgs_tdx_verifier_free(v);
		return e;
	}
	*ret = v;
	return CGS_OK;
}

enum cgs_err cgs_tdx_verifier_new(const struct cgs_tdx_collateral *c, struct cgs_tdx_verifier **ret,
				  struct cgs_diag *d)
{
	return verifier_new(c, 0, ret, d);
}

enum cgs_err tdx_verifier_new_lenient(const struct cgs_tdx_collateral *c,
				      struct cgs_tdx_verifier **ret, struct cgs_diag *d)
{
	return verifier_new(c, 1, ret, d);
}

/* ---- the per-quote checks ---- */

static void module_step(struct tdx_run *r)
{
	const struct tdx_td_body *b = &r->q->body;
	const struct tdx_module_identity *m;
	struct tdx_step *s = &r->s[C_TDX_MODULE];
	char want[140], got[140], mr[97];
	int masked_ok = 1, zero = 1;

	if (!r->v->ti) {
		tdx_step_blocked(s, r->v->ti_err);
		return;
	}
	m = b->tee_tcb_svn[1] > 0 ? tdx_tcb_info_module(r->v->ti, b->tee_tcb_svn[1])
				  : &r->v->ti->module;
	if (!m) {
		tdx_step_set(s, CGS_CHECK_FAIL, NULL, NULL,
			     "TCB Info has no TDX module identity TDX_%02X (TEE_TCB_SVN[1])",
			     b->tee_tcb_svn[1]);
		return;
	}
	for (int i = 0; i < 8; i++) {
		masked_ok &= (b->seam_attributes[i] & m->attributes_mask[i]) == m->attributes[i];
		zero &= b->seam_attributes[i] == 0;
	}
	cgs_hex_encode(m->mrsigner, 48, mr);
	snprintf(want, sizeof(want), "%s mrsigner %.16s...", *m->id ? m->id : "tdxModule", mr);
	cgs_hex_encode(b->mrsignerseam, 48, mr);
	snprintf(got, sizeof(got), "mrsignerseam %.16s...", mr);
	if (memcmp(b->mrsignerseam, m->mrsigner, 48))
		tdx_step_set(s, CGS_CHECK_FAIL, want, got,
			     "MRSIGNERSEAM is not the TDX module identity's mrsigner");
	else if (!zero || !masked_ok)
		tdx_step_set(s, CGS_CHECK_FAIL, want, got,
			     "SEAMATTRIBUTES are not zero or do not match the module's attributes");
	else
		tdx_step_set(s, CGS_CHECK_PASS, want, got,
			     "MRSIGNERSEAM and SEAMATTRIBUTES match the TDX module identity");
}

static void binding_step(struct tdx_run *r)
{
	const struct tdx_quote *q = r->q;
	struct tdx_step *s = &r->s[C_QE_BINDING];
	uint8_t h[32], zero[32] = {0};
	unsigned int n = 0;
	char want[65], got[65];
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
		 EVP_DigestUpdate(md, q->attest_key, 64) == 1 &&
		 EVP_DigestUpdate(md, q->qe_auth, q->qe_auth_len) == 1 &&
		 EVP_DigestFinal_ex(md, h, &n) == 1 && n == 32;

	EVP_MD_CTX_free(md);
	if (!ok) {
		tdx_step_set(s, CGS_CHECK_FAIL, NULL, NULL, "SHA-256 failed (OpenSSL)");
		return;
	}
	cgs_hex_encode(h, 32, want);
	cgs_hex_encode(q->qe.report_data, 32, got);
	if (memcmp(h, q->qe.report_data, 32))
		tdx_step_set(s, CGS_CHECK_FAIL, want, got,
			     "QE REPORTDATA is not SHA-256(attestation key || QE auth data)");
	else if (memcmp(q->qe.report_data + 32, zero, 32))
		tdx_step_set(s, CGS_CHECK_FAIL, want, got, "QE REPORTDATA[32:64] is not zero");
	else
		tdx_step_set(s, CGS_CHECK_PASS, want, got,
			     "the QE report binds the attestation key");
}

static int masked_eq(const uint8_t *a, const uint8_t *mask, const uint8_t *want, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((a[i] & mask[i]) != want[i])
			return 0;
	return 1;
}

static void qe_identity_step(struct tdx_run *r)
{
	const struct tdx_qe_report *qe = &r->q->qe;
	const struct tdx_qe_identity *qi = r->v->qi;
	struct tdx_step *s = &r->s[C_QE_IDENTITY];
	const char *bad = NULL;
	char want[120], got[120], ms[65];

	r->qe_status = TDX_TCB_NOT_SUPPORTED;
	if (!qi) {
		tdx_step_blocked(s, r->v->qi_err);
		return;
	}
	cgs_hex_encode(qi->mrsigner, 32, ms);
	snprintf(want, sizeof(want), "mrsigner %.16s... isvprodid %u", ms, qi->isvprodid);
	cgs_hex_encode(qe->mrsigner, 32, ms);
	snprintf(got, sizeof(got), "mrsigner %.16s... isvprodid %u isvsvn %u", ms, qe->isvprodid,
		 qe->isvsvn);
	if ((qe->miscselect & qi->miscselect_mask) != qi->miscselect)
		bad = "MISCSELECT";
	else if (!masked_eq(qe->attributes, qi->attributes_mask, qi->attributes, 16))
		bad = "ATTRIBUTES";
	else if (memcmp(qe->mrsigner, qi->mrsigner, 32))
		bad = "MRSIGNER";
	else if (qe->isvprodid != qi->isvprodid)
		bad = "ISVPRODID";
	if (bad) {
		tdx_step_set(s, CGS_CHECK_FAIL, want, got,
			     "the QE report's %s does not match QE "
			     "Identity",
			     bad);
		return;
	}
	r->qe_status = tdx_tcb_qe_status(qi, qe->isvsvn);
	tdx_step_set(s, CGS_CHECK_PASS, want, got, "the QE is Intel's TD QE (QE TCB %s)",
		     tdx_tcb_status_name(r->qe_status));
}

static void quote_sig_step(struct tdx_run *r)
{
	const struct tdx_quote *q = r->q;
	struct tdx_step *s = &r->s[C_QUOTE_SIG];
	EVP_PKEY *k = NULL;
	struct cgs_diag d;

	if (intel_p256_key(q->attest_key, &k, &d) ||
	    intel_ecdsa_verify(k, q->signed_data, q->signed_len, q->quote_sig, "quote signature",
			       &d))
		tdx_step_diag(s, "signed by the attestation key", &d);
	else
		tdx_step_set(s, CGS_CHECK_PASS, "signed by the attestation key", "verifies",
			     "the quote signature verifies over the %zu signed bytes",
			     q->signed_len);
	EVP_PKEY_free(k);
}

static void tcb_level_step(struct tdx_run *r)
{
	struct cgs_tdx_verifier *v = r->v;
	struct tdx_step *s = &r->s[C_TCB_LEVEL];
	struct tdx_tcb_eval *ev = &r->eval;
	char got[200];

	if (!v->ti || !v->qi || !v->ext_ok) {
		tdx_step_blocked(s, !v->ti ? v->ti_err : !v->qi ? v->qi_err : v->ext_err);
		return;
	}
	if (tdx_tcb_evaluate(v->ti, v->ext.sgx_comp, v->ext.pcesvn, r->q, r->qe_status, ev)) {
		tdx_step_set(s, CGS_CHECK_FAIL, "a matching TCB level", "TCBNotSupported", "%s",
			     ev->reason);
		return;
	}
	r->eval_ok = 1;
	snprintf(got, sizeof(got), "%s (platform %s, module %s, QE %s)",
		 tdx_tcb_status_name(ev->status), tdx_tcb_status_name(ev->platform),
		 tdx_tcb_status_name(ev->module), tdx_tcb_status_name(ev->qe));
	if (ev->status == TDX_TCB_REVOKED || ev->status == TDX_TCB_NOT_SUPPORTED)
		tdx_step_set(s, CGS_CHECK_FAIL, "not Revoked, supported", got, "the TCB is %s",
			     tdx_tcb_status_name(ev->status));
	else
		tdx_step_set(s, CGS_CHECK_PASS, "not Revoked, supported", got, "TCB level of %s",
			     ev->tdx_level->st.date);
}

static void format_step(struct tdx_run *r)
{
	const struct tdx_quote *q = r->q;
	char got[96];

	snprintf(got, sizeof(got), "version %u, %s body, ECDSA P-256", q->version,
		 tdx_body_type_name(q->body_type));
	if (q->trailing)
		tdx_step_set(&r->s[C_FORMAT], CGS_CHECK_PASS, "version 4 or 5, TD10 or TD15", got,
			     "%zu bytes after the signature data are outside every signature "
			     "and ignored",
			     q->trailing);
	else
		tdx_step_set(&r->s[C_FORMAT], CGS_CHECK_PASS, "version 4 or 5, TD10 or TD15", got,
			     "the quote parses");
}

static void fill_result(const struct tdx_run *r, struct cgs_tdx_result *res)
{
	const struct tdx_tcb_eval *ev = &r->eval;

	res->trailing_bytes = r->q->trailing;
	if (r->v->ext_ok)
		cgs_hex_encode(r->v->ext.fmspc, 6, res->fmspc);
	if (r->v->inter)
		intel_cert_cn(r->v->inter, res->pck_ca, sizeof(res->pck_ca));
	if (r->v->ti)
		res->tcb_eval_num = r->v->ti->eval_num;
	if (!r->eval_ok)
		return;
	snprintf(res->tcb_status, sizeof(res->tcb_status), "%s", tdx_tcb_status_name(ev->status));
	snprintf(res->platform_tcb_status, sizeof(res->platform_tcb_status), "%s",
		 tdx_tcb_status_name(ev->platform));
	snprintf(res->tdx_module_status, sizeof(res->tdx_module_status), "%s",
		 tdx_tcb_status_name(ev->module));
	snprintf(res->qe_tcb_status, sizeof(res->qe_tcb_status), "%s", tdx_tcb_status_name(ev->qe));
	snprintf(res->tcb_date, sizeof(res->tcb_date), "%s", ev->tdx_level->st.date);
	for (size_t i = 0; i < ev->tdx_level->st.n_advisories && i < CGS_TDX_MAX_ADVISORIES; i++)
		snprintf(res->advisory_ids[res->n_advisories++], sizeof(res->advisory_ids[0]), "%s",
			 ev->tdx_level->st.advisories[i]);
}

static int skipped(const struct cgs_tdx_policy *p, const char *name)
{
	for (size_t i = 0; i < p->n_skip; i++)
		if (!strcmp(p->skip[i], name))
			return 1;
	return 0;
}

static void emit(const struct tdx_run *r, struct cgs_verdict *v)
{
	for (int c = 0; c < N_CHECKS; c++) {
		const struct tdx_step *s = &r->s[c];

		if (defs[c].cls == CGS_CHECK_POLICY && skipped(r->p, defs[c].name))
			cgs_verdict_add(v, defs[c].name, defs[c].cls, CGS_CHECK_SKIP, s->expected,
					s->actual, "skipped by --skip (%s)", s->reason);
		else
			cgs_verdict_add(v, defs[c].name, defs[c].cls, s->r, s->expected, s->actual,
					"%s", s->reason);
	}
}

void cgs_tdx_result_free(struct cgs_tdx_result *r)
{
	cgs_verdict_free(&r->verdict);
	memset(r, 0, sizeof(*r));
}

enum cgs_err cgs_tdx_verify_quote(struct cgs_tdx_verifier *v, const uint8_t *quote, size_t len,
				  const struct cgs_tdx_policy *p, struct cgs_tdx_result *ret,
				  struct cgs_diag *d)
{
	struct tdx_run *r;
	struct tdx_quote q;
	enum cgs_err e;

	for (size_t i = 0; i < p->n_skip; i++)
		if ((e = cgs_skip_validate(defs, N_CHECKS, p->skip[i], d)))
			return e;
	e = tdx_quote_parse(quote, len, &q, d);
	if (e)
		return e;
	r = calloc(1, sizeof(*r));
	if (!r)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	r->v = v;
	r->q = &q;
	r->p = p;
	format_step(r);
	e = tdx_pck_steps(r, d);
	if (!e) {
		tdx_fmspc_step(r);
		module_step(r);
		tdx_qe_report_sig_step(r);
		binding_step(r);
		qe_identity_step(r);
		quote_sig_step(r);
		tcb_level_step(r);
		tdx_policy_steps(r);
		memset(ret, 0, sizeof(*ret));
		cgs_verdict_init(&ret->verdict);
		emit(r, &ret->verdict);
		fill_result(r, ret);
		if (ret->verdict.oom) {
			cgs_tdx_result_free(ret);
			e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		}
	}
	free(r);
	return e;
}
