// SPDX-License-Identifier: MIT
/*
 * Verify an SEV-SNP attestation report against AMD's chain (pinned ARK ->
 * ASK/ASVK -> VCEK/VLEK) and the owner's expected values: the driver. It loads
 * the certificates, runs the pipeline of specs/snp-verify.md section 12 (the
 * checks themselves are in snp_auth_checks.c and snp_policy_checks.c), and
 * turns the recorded checks into the verdict: verified only if none failed
 * and every authenticity check passed.
 */
#include "lib/snp/snp_verify_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/core/cli.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/verdict.h"
#include "lib/snp/snp_fetch.h"

/*
 * Every check of the pipeline, once: authenticity checks establish that the
 * report is genuine and can never be skipped; policy checks compare it with
 * what the owner wants and can be skipped by name (--skip).
 */
static const struct cgs_check_def snp_checks[] = {
    {"signing-key", CGS_CHECK_AUTHENTICITY, "KEY_INFO names a VCEK or VLEK signer"},
    {"product", CGS_CHECK_AUTHENTICITY, "the product line is known and consistent"},
    {"ark", CGS_CHECK_AUTHENTICITY, "the ARK is pinned (or --trusted-ark) and self-signed"},
    {"ask", CGS_CHECK_AUTHENTICITY, "the ASK/ASVK is signed by the ARK"},
    {"vek", CGS_CHECK_AUTHENTICITY, "the VCEK/VLEK is signed by the ASK/ASVK"},
    {"validity", CGS_CHECK_AUTHENTICITY, "every certificate is valid at --at"},
    {"vek-extensions", CGS_CHECK_AUTHENTICITY, "the VEK's AMD extensions decode"},
    {"vek-product", CGS_CHECK_AUTHENTICITY, "the VEK productName matches the report"},
    {"vek-tcb", CGS_CHECK_AUTHENTICITY, "the VEK SPLs equal REPORTED_TCB"},
    {"chip-id", CGS_CHECK_AUTHENTICITY, "CHIP_ID equals the VCEK hwID"},
    {"signature", CGS_CHECK_AUTHENTICITY, "the report signature verifies under the VEK"},
    {"hcl-report-data", CGS_CHECK_AUTHENTICITY, "REPORT_DATA binds the HCL runtime claims"},
    {"crl", CGS_CHECK_POLICY, "no certificate of the chain is revoked"},
    {"tcb-order", CGS_CHECK_POLICY, "reported <= committed/current TCB as required"},
    {"debug", CGS_CHECK_POLICY, "POLICY.DEBUG is clear (or --allow-debug)"},
    {"vmpl", CGS_CHECK_POLICY, "VMPL as required"},
    {"measurement", CGS_CHECK_POLICY, "MEASUREMENT is an expected one"},
    {"policy", CGS_CHECK_POLICY, "the guest policy is within the constraints"},
    {"guest-svn", CGS_CHECK_POLICY, "GUEST_SVN as expected or above the minimum"},
    {"report-data", CGS_CHECK_POLICY, "REPORT_DATA as expected"},
    {"host-data", CGS_CHECK_POLICY, "HOST_DATA as expected"},
    {"family-id", CGS_CHECK_POLICY, "FAMILY_ID as expected"},
    {"image-id", CGS_CHECK_POLICY, "IMAGE_ID as expected"},
    {"id-key-digest", CGS_CHECK_POLICY, "ID_KEY_DIGEST as expected"},
    {"author-key-digest", CGS_CHECK_POLICY, "AUTHOR_KEY_DIGEST as expected"},
    {"expected-chip-id", CGS_CHECK_POLICY, "CHIP_ID as expected (--chip-id)"},
    {"report-id", CGS_CHECK_POLICY, "REPORT_ID as expected"},
    {"report-id-ma", CGS_CHECK_POLICY, "REPORT_ID_MA as expected"},
    {"id-key", CGS_CHECK_POLICY, "the ID key, or the author key that signed it, is trusted"},
    {"author-key", CGS_CHECK_POLICY, "AUTHOR_KEY_EN is set and the author key is trusted"},
    {"min-tcb", CGS_CHECK_POLICY, "REPORTED_TCB meets the minimum"},
    {"min-launch-tcb", CGS_CHECK_POLICY, "LAUNCH_TCB meets the minimum"},
    {"min-firmware", CGS_CHECK_POLICY, "committed firmware meets the minimum"},
    {"mit-vector", CGS_CHECK_POLICY, "both mitigation vectors contain the bits"},
    {"platform-info", CGS_CHECK_POLICY, "PLATFORM_INFO bits as required"},
};
#define N_SNP_CHECKS (sizeof(snp_checks) / sizeof(snp_checks[0]))

const struct cgs_check_def *cgs_snp_checks(size_t *ret_n)
{
	*ret_n = N_SNP_CHECKS;
	return snp_checks;
}
/* ---- certificates ---- */

static enum cgs_err load_list(struct amd_certs *c, const char *const *v, size_t n,
			      enum amd_role role, int kind, const char **where, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < n && !e; i++) {
		*where = v[i];
		e = kind == 1	? amd_certs_load_dir(c, v[i], d)
		    : kind == 2 ? amd_certs_load_crl_file(c, v[i], d)
				: amd_certs_load_file(c, v[i], role, d);
	}
	return e;
}

static enum cgs_err load_table(struct amd_certs *c, const char *path, struct cgs_diag *d)
{
	struct snp_certtable t;
	uint8_t *buf;
	size_t len;
	enum cgs_err e = cgs_read_file(path, 16u << 20, &buf, &len, d);

	if (e)
		return e;
	e = snp_certtable_parse(buf, len, &t, d);
	if (!e)
		e = amd_certs_load_table(c, buf, len, &t, d);
	free(buf);
	return e;
}

static enum cgs_err load_certs(const struct cgs_snp_inputs *in, struct amd_certs *c,
			       struct cgs_snp_result *res, struct cgs_diag *d)
{
	const char *where = NULL;
	enum cgs_err e;

	e = load_list(c, in->vcek, in->n_vcek, AMD_ROLE_VCEK, 0, &where, d);
	if (!e)
		e = load_list(c, in->vlek, in->n_vlek, AMD_ROLE_VLEK, 0, &where, d);
	if (!e)
		e = load_list(c, in->cert_chain, in->n_cert_chain, AMD_ROLE_UNKNOWN, 0, &where, d);
	if (!e)
		e = load_list(c, in->cert_dirs, in->n_cert_dirs, AMD_ROLE_UNKNOWN, 1, &where, d);
	if (!e)
		e = load_list(c, in->crl, in->n_crl, AMD_ROLE_UNKNOWN, 2, &where, d);
	if (!e && in->trusted_ark)
		e = amd_certs_set_trusted_ark(c, where = in->trusted_ark, d);
	if (!e && in->cert_table)
		e = load_table(c, where = in->cert_table, d);
	if (e) {
		res->err_action = e == CGS_E_NOINPUT ? "read" : "load";
		res->err_path = where;
	}
	return e;
}
/* ---- recording checks ---- */

enum cgs_err snp_fail_at(struct snp_run *run, enum cgs_err e, const char *action, const char *path)
{
	run->err_action = action;
	run->err_path = path;
	return e;
}

struct snp_check *snp_add(struct snp_run *run, const char *name, enum result res, const char *fmt,
			  ...)
{
	static struct snp_check spare;
	struct snp_check *c = run->n < MAX_CHECKS ? &run->checks[run->n++] : &spare;
	va_list ap;

	memset(c, 0, sizeof(*c));
	c->name = name;
	c->result = res;
	va_start(ap, fmt);
	vsnprintf(c->reason, sizeof(c->reason), fmt, ap);
	va_end(ap);
	return c;
}

static void copy_str(char *dst, size_t cap, const char *src)
{
	size_t n = src ? strlen(src) : 0;

	if (n >= cap)
		n = cap - 1;

	if (n)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

void snp_set_ea(struct snp_check *c, const char *expected, const char *actual)
{
	copy_str(c->expected, sizeof(c->expected), expected);
	copy_str(c->actual, sizeof(c->actual), actual);
}

static void add_step(struct snp_run *run, const char *name, const struct amd_step *s)
{
	enum result r = s->status == AMD_PASS ? R_PASS : s->status == AMD_SKIP ? R_SKIP : R_FAIL;
	struct snp_check *c = snp_add(run, name, r, "%s", s->reason);

	snp_set_ea(c, s->expected, s->actual);
}

/* exact match of a report field against an expected value (skip when none given) */
void snp_check_bytes(struct snp_run *run, const char *name, const uint8_t *want, size_t n,
		     const uint8_t *have, const char *src)
{
	char e[129], a[129];
	struct snp_check *c;

	cgs_hex_encode(have, n, a);
	if (!want) {
		c = snp_add(run, name, R_SKIP, "no expected value given");
		snp_set_ea(c, NULL, a);
		return;
	}
	cgs_hex_encode(want, n, e);
	c = memcmp(want, have, n) ? snp_add(run, name, R_FAIL, "differs from %s", src)
				  : snp_add(run, name, R_PASS, "matches %s", src);
	snp_set_ea(c, e, a);
}
/* ---- the pipeline ---- */

static enum cgs_err run_checks(struct snp_run *run, const struct amd_certs *certs)
{
	int vlek = snp_report_signing_key(run->r) == SNP_SIGNER_VLEK;
	struct cgs_diag *d = run->d;
	enum cgs_err e;

	snp_checks_identity(run, certs);
	e = amd_chain_check(certs, run->p ? run->p->kds_name : NULL, vlek, (time_t)run->o->at,
			    &run->chain, d);
	if (e)
		return snp_fail_at(run, e, "check", "the certificate chain");
	add_step(run, "ark", &run->chain.ark_step);
	add_step(run, "ask", &run->chain.ica_step);
	add_step(run, "vek", &run->chain.vek_step);
	add_step(run, "validity", &run->chain.validity_step);
	add_step(run, "crl", &run->chain.crl_step);
	if (run->chain.vek) {
		e = amd_vek_info_get(run->chain.vek, &run->vek, d);
		if (e == CGS_E_MALFORMED)
			snp_add(run, "vek-extensions", R_FAIL, "bad AMD extension %s: %s", d->field,
				d->text);
		else if (e)
			return snp_fail_at(run, e, "read", "the VEK");
		run->have_vek = !e;
	}
	snp_checks_vek(run, vlek);
	snp_check_tcb_order(run);
	if ((e = snp_checks_signature(run)))
		return e;
	snp_checks_policy(run);
	return CGS_OK;
}

/* ---- the verdict ---- */

static const char *res_name(enum result r)
{
	return r == R_PASS ? "pass" : r == R_FAIL ? "fail" : "skip";
}

static int is_skipped(const struct cgs_snp_policy *o, const char *name)
{
	for (size_t i = 0; i < o->n_skip; i++)
		if (!strcmp(o->skip[i], name))
			return 1;
	return 0;
}

/* the scratch checks into the verdict, each with its class; skips applied */
static void to_verdict(const struct snp_run *run, struct cgs_verdict *v)
{
	for (size_t i = 0; i < run->n; i++) {
		const struct snp_check *c = &run->checks[i];
		const struct cgs_check_def *def =
		    cgs_check_def_find(snp_checks, N_SNP_CHECKS, c->name);
		enum cgs_check_class cls = def ? def->cls : CGS_CHECK_AUTHENTICITY;
		enum cgs_check_result r = c->result == R_PASS	? CGS_CHECK_PASS
					  : c->result == R_FAIL ? CGS_CHECK_FAIL
								: CGS_CHECK_SKIP;

		if (cls == CGS_CHECK_POLICY && is_skipped(run->o, c->name))
			cgs_verdict_add(v, c->name, cls, CGS_CHECK_SKIP, c->expected, c->actual,
					"skipped by --skip %s (would have been %s: %s)", c->name,
					res_name(c->result), c->reason);
		else
			cgs_verdict_add(v, c->name, cls, r, c->expected, c->actual, "%s",
					c->reason);
	}
}

static enum cgs_err check_skips(const struct cgs_snp_policy *o, struct cgs_diag *d)
{
	enum cgs_err e = CGS_OK;

	for (size_t i = 0; i < o->n_skip && !e; i++)
		e = cgs_skip_validate(snp_checks, N_SNP_CHECKS, o->skip[i], d);
	if (!e && o->require_author_key && !o->n_trusted_author_keys)
		e = cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				 "--require-author-key needs --trusted-author-key");
	if (!e && o->require_id_block && !o->n_trusted_id_keys && !o->n_trusted_author_keys)
		e = cgs_diag_set(
		    d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
		    "--require-id-block needs --trusted-id-key or --trusted-author-key");
	for (size_t i = 0; i < 2 && !e; i++) {
		const char *spec = i ? o->min_launch_tcb : o->min_tcb;

		if (spec)
			e = cgs_snp_tcb_spec_check(spec, d);
	}
	return e;
}

/* --cache / --fetch: the report's collateral from the cache (lib/snp/snp_fetch) */
static enum cgs_err load_cached(const struct cgs_snp_inputs *in, struct snp_run *run,
				struct amd_certs *c, struct cgs_snp_result *ret)
{
	struct snp_collateral_opts co = {in->cache, in->fetch, in->kds, in->trusted_ark, NULL};
	const struct snp_product *p;
	const char *why, *where = NULL;
	int conflict;
	enum cgs_err e;

	if (!in->cache && !in->fetch)
		return CGS_OK;
	p = snp_report_product(run->r, run->o->product, &why, &conflict);
	e = snp_collateral_load(&co, run->r, conflict ? NULL : p, c, &where, run->d);
	if (e) {
		ret->err_action = in->fetch ? "fetch the collateral into" : "read the cache";
		ret->err_path = in->cache ? in->cache : "the default cache";
	}
	return e;
}

static enum cgs_err verify_run(struct snp_run *run, const struct cgs_snp_inputs *in,
			       struct cgs_snp_result *ret)
{
	struct cgs_snp_detail *det = ret->detail;
	struct amd_certs certs;
	enum cgs_err e;

	amd_certs_init(&certs);
	e = load_certs(in, &certs, ret, run->d);
	if (!e)
		e = load_cached(in, run, &certs, ret);
	if (!e)
		e = run_checks(run, &certs);
	if (e && !ret->err_action) {
		ret->err_action = run->err_action;
		ret->err_path = run->err_path;
	}
	if (!e && run->chain.vek && X509_up_ref(run->chain.vek))
		det->vek_cert = run->chain.vek;
	det->product = run->p;
	det->vek = run->vek;
	det->have_vek = run->have_vek;
	amd_certs_free(&certs);
	return e;
}

enum cgs_err cgs_snp_verify(const struct cgs_snp_inputs *in, const struct cgs_snp_policy *policy,
			    struct cgs_snp_result *ret, struct cgs_diag *d)
{
	struct snp_run *run;
	enum cgs_err e;

	memset(ret, 0, sizeof(*ret));
	cgs_verdict_init(&ret->verdict);
	if ((e = check_skips(policy, d)))
		return e;
	ret->detail = calloc(1, sizeof(*ret->detail));
	run = calloc(1, sizeof(*run));
	if (!ret->detail || !run) {
		free(run);
		cgs_snp_result_free(ret);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	e = snp_report_decode(in->report, in->report_len, policy->allow_versions,
			      &ret->detail->report, &ret->detail->wrap, d);
	if (e) {
		ret->err_action = "parse";
	} else {
		run->o = policy;
		run->r = &ret->detail->report;
		run->wrap = ret->detail->wrap;
		run->d = d;
		e = verify_run(run, in, ret);
	}
	if (!e) {
		to_verdict(run, &ret->verdict);
		if (ret->verdict.oom)
			e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		ret->verified = cgs_verdict_verified(&ret->verdict);
	}
	free(run);
	if (e) {
		const char *action = ret->err_action, *path = ret->err_path;

		cgs_snp_result_free(ret);
		ret->err_action = action;
		ret->err_path = path;
	}
	return e;
}

void cgs_snp_result_free(struct cgs_snp_result *r)
{
	cgs_verdict_free(&r->verdict);
	if (r->detail)
		X509_free(r->detail->vek_cert);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

struct json_object *snp_vek_json(const struct cgs_snp_detail *run)
{
	struct json_object *o, *spl;
	static const char *const names[AMD_SPL_MAX] = {NULL,	"bl",	 "tee",	  "snp",   "spl_4",
						       "spl_5", "spl_6", "spl_7", "ucode", "fmc"};

	if (!run->have_vek)
		return NULL;
	if (!(o = json_object_new_object()))
		return NULL;
	cgs_json_add_str(o, "subject_cn", run->vek.cn);
	cgs_json_add_int(o, "struct_version", run->vek.struct_version);
	cgs_json_add_str(o, "product_name",
			 run->vek.has_product_name ? run->vek.product_name : NULL);
	if ((spl = json_object_new_object())) {
		for (int i = 1; i < AMD_SPL_MAX; i++)
			if (run->vek.spl[i] >= 0)
				cgs_json_add_int(spl, names[i], run->vek.spl[i]);
		cgs_json_add(o, "spl", spl);
	}
	if (run->vek.hwid_len)
		cgs_json_add_hex(o, "hwid", run->vek.hwid, run->vek.hwid_len);
	else
		cgs_json_add(o, "hwid", NULL);
	cgs_json_add_str(o, "csp_id", run->vek.has_csp_id ? run->vek.csp_id : NULL);
	return o;
}

uint64_t snp_bench_repeat(const struct cgs_snp_detail *det, uint64_t allow_versions, uint64_t n,
			  double *ret_cpu)
{
	struct snp_report r;
	struct cgs_diag d;
	EVP_PKEY *key = det->vek_cert ? X509_get0_pubkey(det->vek_cert) : NULL;
	struct amd_sig_verifier *v = key ? amd_sig_verifier_new(key) : NULL;
	struct timespec t0, t1;
	uint64_t ok = 0;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
	for (uint64_t i = 0; i < n && v; i++) {
		if (snp_report_parse(det->report.raw, SNP_REPORT_SIZE, allow_versions, &r, &d))
			break;
		ok += amd_sig_verifier_check(v, r.raw, SNP_REPORT_SIGNED_LEN, r.sig_r, r.sig_s,
					     &d) == CGS_OK;
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
	amd_sig_verifier_free(v);
	*ret_cpu = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	return ok;
}
