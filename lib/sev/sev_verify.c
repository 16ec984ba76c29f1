// SPDX-License-Identifier: MIT
/*
 * The legacy SEV verifiers: LAUNCH_MEASURE against expected launch digests
 * (and the digest of the measured inputs), and the SEV platform chain with
 * its ATTESTATION report. Every check is recorded; the verdict lists them
 * with their classes (cgs(7), CHECK CLASSES).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cgs/sev.h>

#include "keys/sev_chain.h"
#include "lib/core/crypto.h"
#include "lib/core/err.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/verdict.h"
#include "lib/sev/sev_expected.h"
#include "lib/sev/sev_launch.h"
#include "lib/sev/sev_measure.h"
#include "lib/sev/sev_verify.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cgs_check_def sev_checks[] = {
	{ "launch-measure", CGS_CHECK_AUTHENTICITY,
	  "MEASURE is the TIK's HMAC over the expected launch digest" },
	{ "policy-mode", CGS_CHECK_POLICY, "the expected digest's mode agrees with the policy" },
	{ "expected-inputs", CGS_CHECK_POLICY, "the inputs' launch digest is a reference one" },
};

static const struct cgs_check_def chain_checks[] = {
	{ "ark-pinned", CGS_CHECK_AUTHENTICITY, "the ARK is a pinned AMD ARK (or --trusted-ark)" },
	{ "ark-signature", CGS_CHECK_AUTHENTICITY, "the ARK is self-signed" },
	{ "ask-signature", CGS_CHECK_AUTHENTICITY, "the ASK is signed by the ARK" },
	{ "cek-signature", CGS_CHECK_AUTHENTICITY, "the CEK is signed by the ASK" },
	{ "oca-signature", CGS_CHECK_AUTHENTICITY, "the OCA is self-signed" },
	{ "pek-signature-cek", CGS_CHECK_AUTHENTICITY, "the PEK is signed by the CEK" },
	{ "pek-signature-oca", CGS_CHECK_AUTHENTICITY, "the PEK is signed by the OCA" },
	{ "pdh-signature", CGS_CHECK_AUTHENTICITY, "the PDH is signed by the PEK" },
	{ "attestation-signature", CGS_CHECK_AUTHENTICITY, "the report is signed by the PEK" },
	{ "attestation-digest", CGS_CHECK_POLICY, "the report's launch digest is an expected one" },
};

const struct cgs_check_def *cgs_sev_checks(size_t *ret_n)
{
	*ret_n = N(sev_checks);
	return sev_checks;
}

const struct cgs_check_def *cgs_sev_chain_checks(size_t *ret_n)
{
	*ret_n = N(chain_checks);
	return chain_checks;
}

/* the scratch checks into a verdict, each with its class; named policy checks skipped */
static void to_verdict(const struct sev_check *c, size_t n, const struct cgs_check_def *defs,
		       size_t n_defs, const char *const *skip, size_t n_skip, struct cgs_verdict *v)
{
	static const enum cgs_check_result res[] = { CGS_CHECK_PASS, CGS_CHECK_FAIL,
						     CGS_CHECK_SKIP };

	for (size_t i = 0; i < n; i++) {
		const struct cgs_check_def *def = cgs_check_def_find(defs, n_defs, c[i].name);
		enum cgs_check_class cls = def ? def->cls : CGS_CHECK_AUTHENTICITY;
		int skipped = 0;

		for (size_t k = 0; k < n_skip && cls == CGS_CHECK_POLICY; k++)
			skipped |= !strcmp(skip[k], c[i].name);
		if (skipped)
			cgs_verdict_add(v, c[i].name, cls, CGS_CHECK_SKIP, c[i].expected,
					c[i].actual, "skipped by --skip %s (would have been %s%s%s)",
					c[i].name, cgs_check_result_str(res[c[i].result]),
					c[i].reason[0] ? ": " : "", c[i].reason);
		else
			cgs_verdict_add(v, c[i].name, cls, res[c[i].result], c[i].expected,
					c[i].actual, "%s", c[i].reason);
	}
}

/* ---- expected digests ---- */

struct docs {
	struct cgs_expected_set sets[4];
	size_t n;
};

enum cgs_err cgs_sev_expected_add_file(struct cgs_sev_expected_list *l, const char *path,
				       struct cgs_diag *d)
{
	struct docs *docs = l->docs;
	struct cgs_expected_set *set;
	enum cgs_err e;

	if (!docs && !(docs = l->docs = calloc(1, sizeof(*docs))))
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	if (docs->n == N(docs->sets))
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "too many expected-value files (at most %zu)", N(docs->sets));
	set = &docs->sets[docs->n];
	if ((e = cgs_expected_read(path, &sev_expected_schema, set, d)))
		return e;
	docs->n++;
	for (size_t i = 0; i < set->n; i++) {
		struct cgs_sev_expected *c = &l->v[l->n];

		if (l->n >= CGS_SEV_MAX_EXPECTED)
			return cgs_diag_set(d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
					    "too many expected digests (at most %d)",
					    CGS_SEV_MAX_EXPECTED);
		cgs_expected_hex(&set->docs[i], "measurement", c->digest, CGS_SEV_SHA256_LEN);
		c->mode = set->docs[i].mode->mode;
		c->doc = set->docs[i].obj;
		snprintf(c->source, sizeof(c->source), set->many ? "--expected[%zu]" : "--expected",
			 i);
		l->n++;
	}
	return CGS_OK;
}

enum cgs_err cgs_sev_expected_add_digest(struct cgs_sev_expected_list *l,
					 const uint8_t digest[CGS_SEV_SHA256_LEN], const char *source,
					 struct cgs_diag *d)
{
	struct cgs_sev_expected *c = &l->v[l->n];

	if (l->n >= CGS_SEV_MAX_EXPECTED)
		return cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				    "too many expected digests (at most %d)", CGS_SEV_MAX_EXPECTED);
	memcpy(c->digest, digest, CGS_SEV_SHA256_LEN);
	c->mode = NULL;
	c->doc = NULL;
	snprintf(c->source, sizeof(c->source), "%s", source);
	l->n++;
	return CGS_OK;
}

void cgs_sev_expected_free(struct cgs_sev_expected_list *l)
{
	struct docs *docs = l->docs;

	for (size_t i = 0; docs && i < docs->n; i++)
		cgs_expected_free(&docs->sets[i]);
	free(docs);
	memset(l, 0, sizeof(*l));
}

/* ---- comparison with a cgs-measure document ---- */

struct diff_ctx {
	struct cgs_sev_verify_result *out; /* NULL: count only */
	char *names;
	size_t len;
	size_t n;
};

static void add_diff(struct diff_ctx *c, const char *input, const char *expected,
		     const char *actual)
{
	size_t used = strlen(c->names);

	c->n++;
	snprintf(c->names + used, c->len - used, "%s%s", used ? ", " : "", input);
	if (c->out && c->out->n_diffs < sizeof(c->out->diffs) / sizeof(c->out->diffs[0])) {
		struct cgs_sev_diff *f = &c->out->diffs[c->out->n_diffs++];

		snprintf(f->input, sizeof(f->input), "%s", input);
		snprintf(f->expected, sizeof(f->expected), "%s", expected ? expected : "");
		snprintf(f->actual, sizeof(f->actual), "%s", actual ? actual : "");
		f->has_expected = expected != NULL;
		f->has_actual = actual != NULL;
	}
}

/* A string member of obj (or NULL when missing or null). */
static const char *jstr(struct json_object *obj, const char *key)
{
	const char *s = NULL;

	if (obj)
		cgs_json_get_str(obj, key, &s);
	return s;
}

static struct json_object *jobj(struct json_object *obj, const char *key)
{
	struct json_object *v = NULL;

	if (obj && json_object_object_get_ex(obj, key, &v) &&
	    json_object_is_type(v, json_type_object))
		return v;
	return NULL;
}

static void cmp_str(struct diff_ctx *c, const char *input, const char *expected,
		    const char *actual)
{
	if (!expected && !actual)
		return;
	if (!expected || !actual || strcasecmp(expected, actual))
		add_diff(c, input, expected, actual);
}

static void cmp_hex(struct diff_ctx *c, const char *input, const char *expected, int have,
		    const uint8_t *p, size_t len)
{
	char hex[2 * 176 + 1];

	if (have)
		cgs_hex_encode(p, len, hex);
	cmp_str(c, input, expected, have ? hex : NULL);
}

static void cmp_file(struct diff_ctx *c, const char *input, struct json_object *inputs,
		     const struct cgs_sev_measure_file *f)
{
	cmp_hex(c, input, jstr(jobj(inputs, input), "sha256"), f->present, f->sha256,
		sizeof(f->sha256));
}

static void cmp_u64(struct diff_ctx *c, const char *input, struct json_object *obj,
		    const char *key, uint64_t actual)
{
	uint64_t v;
	char e[24], a[24];

	snprintf(a, sizeof(a), "0x%" PRIx64, actual);
	if (!obj || cgs_json_get_u64(obj, key, &v)) {
		add_diff(c, input, NULL, a);
		return;
	}
	snprintf(e, sizeof(e), "0x%" PRIx64, v);
	if (v != actual)
		add_diff(c, input, e, a);
}

static void cmp_vmsas(struct diff_ctx *c, struct json_object *inter,
		      const struct cgs_sev_measure_result *r)
{
	struct json_object *arr = NULL;
	size_t n = 0;

	if (inter && json_object_object_get_ex(inter, "vmsas", &arr) &&
	    json_object_is_type(arr, json_type_array))
		n = json_object_array_length(arr);
	for (size_t i = 0; i < n || i < r->n_vmsas; i++) {
		struct json_object *e = i < n ? json_object_array_get_idx(arr, i) : NULL;
		char name[32];

		snprintf(name, sizeof(name), "vmsa[%zu]", i);
		cmp_hex(c, name, jstr(e, "digest"), i < r->n_vmsas, r->vmsas[i].digest,
			SEV_MEASURE_SHA256_LEN);
	}
}

static size_t inputs_diff(struct json_object *doc, const struct cgs_sev_measure_inputs *in,
			  const struct cgs_sev_measure_result *r, struct cgs_sev_verify_result *out,
			  char *names, size_t len)
{
	struct diff_ctx c = { out, names, len, 0 };
	struct json_object *inputs = jobj(doc, "inputs"), *inter = jobj(doc, "intermediate");
	int es = r->mode == CGS_SEV_MODE_SEV_ES;

	names[0] = '\0';
	cmp_str(&c, "mode", jstr(doc, "mode"), cgs_sev_mode_name(r->mode));
	cmp_file(&c, "ovmf", inputs, &r->ovmf);
	cmp_hex(&c, "kernel", jstr(inter, "kernel_sha256"), r->kernel.present, r->kernel.sha256,
		SEV_MEASURE_SHA256_LEN);
	cmp_hex(&c, "initrd", jstr(inter, "initrd_sha256"), r->has_hashes_table, r->initrd.sha256,
		SEV_MEASURE_SHA256_LEN);
	cmp_hex(&c, "append", jstr(inter, "cmdline_sha256"), r->has_cmdline, r->cmdline_sha256,
		SEV_MEASURE_SHA256_LEN);
	if (es) {
		cmp_u64(&c, "vcpus", inputs, "vcpus", in->vcpus);
		cmp_u64(&c, "vcpu_sig", inputs, "vcpu_sig", in->vcpu_sig);
		cmp_str(&c, "vmm_type", jstr(inputs, "vmm_type"), cgs_sev_vmm_name(in->vmm));
		if (jstr(inputs, "vmsa_fpu"))
			cmp_str(&c, "vmsa_fpu", jstr(inputs, "vmsa_fpu"),
				in->vmsa_legacy_fpu ? "legacy" : "init2");
		cmp_vmsas(&c, inter, r);
	}
	return c.n;
}

/* ---- cgs-verify sev: LAUNCH_MEASURE ---- */

struct sev_run {
	const struct cgs_sev_verify_in *in;
	struct cgs_sev_verify_result *out;
	const struct cgs_sev_expected *cands[CGS_SEV_MAX_EXPECTED + 1];
	int reference[CGS_SEV_MAX_EXPECTED + 1]; /* compared with the inputs' digest */
	size_t n_cands;
	const struct cgs_sev_expected *match, *ref_match;
	struct sev_check checks[4];
	size_t n;
};

static struct sev_check *new_check(struct sev_run *run, const char *name)
{
	struct sev_check *k = &run->checks[run->n++];

	memset(k, 0, sizeof(*k));
	k->name = name;
	return k;
}

static void check_policy_mode(struct sev_run *run)
{
	struct sev_check *k = new_check(run, "policy-mode");
	uint32_t policy = run->in->policy;
	int es = !!(policy & SEV_POLICY_ES), known = 0, consistent = 0;
	const char *mode = NULL;

	for (size_t i = 0; i < run->n_cands; i++) {
		if (!run->cands[i]->mode || run->reference[i])
			continue;
		known++;
		mode = run->cands[i]->mode;
		consistent += (strcmp(mode, "seves") == 0) == es;
	}
	snprintf(k->actual, sizeof(k->actual), "policy 0x%x (ES bit %s)", (unsigned)policy,
		 es ? "set" : "clear");
	if (!known) {
		k->result = SEV_CHECK_SKIP;
		snprintf(k->reason, sizeof(k->reason),
			 "the expected digest has no mode (--expected-digest)");
		return;
	}
	snprintf(k->expected, sizeof(k->expected), "%s", es ? "mode seves" : "mode sev");
	k->result = consistent ? SEV_CHECK_PASS : SEV_CHECK_FAIL;
	if (!consistent)
		snprintf(k->reason, sizeof(k->reason),
			 "the expected digest%s %s for %s but the policy's ES bit is %s",
			 known > 1 ? "s are" : " is", known > 1 ? "all" : "measured",
			 mode && !strcmp(mode, "seves") ? "SEV-ES" : "SEV", es ? "set" : "clear");
}

static void measure_fail_reason(const struct sev_run *run, size_t n_primary, struct sev_check *k)
{
	const char *what = run->out->has_inputs ? "the launch digest of the given inputs"
						: "the expected launch digest";
	size_t len;

	if (n_primary == 1)
		snprintf(k->reason, sizeof(k->reason),
			 "MEASURE does not match %s under this TIK, API version, build and policy",
			 what);
	else
		snprintf(k->reason, sizeof(k->reason),
			 "MEASURE matches none of the %zu expected launch digests", n_primary);
	len = strlen(k->reason);
	if (run->ref_match)
		snprintf(k->reason + len, sizeof(k->reason) - len, " (it matches %s instead)",
			 run->ref_match->source);
}

static enum cgs_err check_measure(struct sev_run *run, struct cgs_diag *d)
{
	const struct cgs_sev_verify_in *in = run->in;
	struct sev_check *k = new_check(run, "launch-measure");
	struct sev_launch_params p;
	struct sev_launch_blob blob;
	uint8_t mac[SEV_LAUNCH_MEASURE_LEN], first[SEV_LAUNCH_MEASURE_LEN];
	size_t n_primary = 0;
	int match = 0;

	memset(&p, 0, sizeof(p));
	memcpy(blob.measure, in->measure, sizeof(blob.measure));
	memcpy(blob.mnonce, in->mnonce, sizeof(blob.mnonce));
	p.api_major = in->api_major;
	p.api_minor = in->api_minor;
	p.build = in->build;
	p.policy = in->policy;
	for (size_t i = 0; i < run->n_cands; i++) {
		const struct cgs_sev_expected *c = run->cands[i];

		memcpy(p.digest, c->digest, SEV_LAUNCH_DIGEST_LEN);
		if (sev_launch_verify(in->tik, SEV_LAUNCH_TIK_LEN, &p, &blob, &match, mac, d))
			return d->err;
		if (!run->reference[i] && n_primary++ == 0)
			memcpy(first, mac, sizeof(mac));
		if (match && run->reference[i] && !run->ref_match)
			run->ref_match = c;
		if (match && !run->reference[i] && !run->match)
			run->match = c;
	}
	cgs_hex_encode(blob.measure, SEV_LAUNCH_MEASURE_LEN, k->actual);
	if (run->match) {
		k->result = SEV_CHECK_PASS;
		cgs_hex_encode(blob.measure, SEV_LAUNCH_MEASURE_LEN, k->expected);
		return CGS_OK;
	}
	k->result = SEV_CHECK_FAIL;
	if (n_primary == 1)
		cgs_hex_encode(first, SEV_LAUNCH_MEASURE_LEN, k->expected);
	else
		snprintf(k->expected, sizeof(k->expected), "HMAC of one of %zu expected digests",
			 n_primary);
	measure_fail_reason(run, n_primary, k);
	return CGS_OK;
}

/* With measured inputs and reference values: is the inputs' digest one of them? */
static void check_inputs(struct sev_run *run)
{
	struct sev_check *k = new_check(run, "expected-inputs");
	const struct cgs_sev_measure_result *res = run->out->measured;
	const struct cgs_sev_expected *best = NULL;
	size_t best_n = SIZE_MAX, n_refs = 0;
	char names[160] = "";

	cgs_hex_encode(res->digest, SEV_LAUNCH_DIGEST_LEN, k->actual);
	for (size_t i = 0; i < run->n_cands; i++) {
		const struct cgs_sev_expected *c = run->cands[i];
		size_t n;

		if (!run->reference[i])
			continue;
		n_refs++;
		if (cgs_ct_equal(c->digest, res->digest, SEV_LAUNCH_DIGEST_LEN)) {
			k->result = SEV_CHECK_PASS;
			cgs_hex_encode(c->digest, SEV_LAUNCH_DIGEST_LEN, k->expected);
			return;
		}
		n = c->doc ? inputs_diff(c->doc, run->in->inputs, res, NULL,
					 names, sizeof(names))
			   : SIZE_MAX - 1;
		if (!best || n < best_n)
			best = c, best_n = n;
	}
	if (!best) {
		k->result = SEV_CHECK_SKIP;
		snprintf(k->reason, sizeof(k->reason), "no reference digest to compare with");
		return;
	}
	k->result = SEV_CHECK_FAIL;
	cgs_hex_encode(best->digest, SEV_LAUNCH_DIGEST_LEN, k->expected);
	if (best->doc) {
		inputs_diff(best->doc, run->in->inputs, res, run->out, names,
			    sizeof(names));
		snprintf(k->reason, sizeof(k->reason),
			 "the inputs' launch digest differs from %s; differing inputs: %s",
			 best->source, names[0] ? names : "none found (other engine options?)");
	} else {
		snprintf(k->reason, sizeof(k->reason),
			 "the inputs' launch digest is none of the %zu given with "
			 "--expected/--expected-digest",
			 n_refs);
	}
}

/* The expected digest from the measured inputs; the other expectations become references. */
static enum cgs_err measure_inputs(struct sev_run *run, struct cgs_diag *d)
{
	struct cgs_sev_verify_result *out = run->out;
	struct cgs_sev_measure_inputs *in = run->in->inputs;
	struct cgs_sev_expected *c = &out->inputs_cand;
	enum cgs_err e;

	if (!run->in->mode_given)
		in->mode = (run->in->policy & SEV_POLICY_ES) ? CGS_SEV_MODE_SEV_ES : CGS_SEV_MODE_SEV;
	out->measured = calloc(1, sizeof(*out->measured));
	if (!out->measured)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	out->has_inputs = 1;
	if ((e = cgs_sev_measure(in, out->measured, d))) {
		out->err_file = out->measured->err_file;
		return e;
	}
	for (size_t i = 0; i < run->n_cands; i++)
		run->reference[i] = 1;
	memcpy(c->digest, out->measured->digest, SEV_LAUNCH_DIGEST_LEN);
	c->mode = cgs_sev_mode_name(out->measured->mode);
	snprintf(c->source, sizeof(c->source), "inputs");
	run->cands[run->n_cands++] = c;
	return CGS_OK;
}

enum cgs_err cgs_sev_verify(const struct cgs_sev_verify_in *in, struct cgs_sev_verify_result *ret,
			    struct cgs_diag *d)
{
	struct sev_run run;
	enum cgs_err e = CGS_OK;

	memset(ret, 0, sizeof(*ret));
	memset(&run, 0, sizeof(run));
	run.in = in;
	run.out = ret;
	for (size_t i = 0; i < in->n_skip && !e; i++)
		e = cgs_skip_validate(sev_checks, N(sev_checks), in->skip[i], d);
	for (size_t i = 0; in->expected && i < in->expected->n; i++)
		run.cands[run.n_cands++] = &in->expected->v[i];
	if (!e && !run.n_cands && !in->inputs)
		e = cgs_diag_set(d, CGS_E_USAGE, NULL, CGS_DIAG_NO_OFFSET,
				 "no expected launch digest");
	if (!e && in->inputs)
		e = measure_inputs(&run, d);
	if (!e)
		e = check_measure(&run, d);
	if (!e) {
		check_policy_mode(&run);
		if (in->inputs && run.n_cands > 1)
			check_inputs(&run);
		to_verdict(run.checks, run.n, sev_checks, N(sev_checks), in->skip, in->n_skip,
			   &ret->verdict);
		if (ret->verdict.oom)
			e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		ret->verified = cgs_verdict_verified(&ret->verdict);
		ret->match = run.match;
	}
	if (e) {
		const char *f = ret->err_file;

		cgs_sev_verify_result_free(ret);
		ret->err_file = f;
	}
	return e;
}

void cgs_sev_verify_result_free(struct cgs_sev_verify_result *r)
{
	cgs_verdict_free(&r->verdict);
	free(r->measured);
	memset(r, 0, sizeof(*r));
}

/* ---- cgs-verify sev-chain ---- */

struct cgs_sev_chain_detail {
	struct sev_chain chain;
	struct sev_chain_result res;
};

static enum cgs_err parse_chain(const struct cgs_sev_chain_in *in, struct sev_chain *c,
				int *ret_input, struct cgs_diag *d)
{
	struct sev_ca_input *ca[2] = { &c->ark, &c->ask };
	struct sev_platform_input *pl[4] = { &c->cek, &c->oca, &c->pek, &c->pdh };
	struct sev_ca_cert t;
	enum cgs_err e = CGS_OK;
	int i;

	for (i = 0; i < CGS_SEV_N_CERTS && !e; i++) {
		if (i < 2) {
			ca[i]->raw = in->cert[i], ca[i]->len = in->cert_len[i];
			e = sev_ca_cert_parse(in->cert[i], in->cert_len[i], &ca[i]->cert, d);
		} else {
			pl[i - 2]->raw = in->cert[i], pl[i - 2]->len = in->cert_len[i];
			e = sev_cert_parse(in->cert[i], in->cert_len[i], &pl[i - 2]->cert, d);
		}
	}
	if (!e && in->trusted_ark) {
		i++;
		e = sev_ca_cert_parse(in->trusted_ark, in->trusted_ark_len, &t, d);
		c->trusted_ark = in->trusted_ark;
		c->trusted_ark_len = in->trusted_ark_len;
	}
	if (!e && in->attestation) {
		i = CGS_SEV_N_CERTS + 2;
		e = sev_attestation_parse(in->attestation, in->attestation_len, &c->att, d);
		c->att_raw = in->attestation;
	}
	*ret_input = i - 1;
	return e;
}

/* --expected/--expected-digest with an attestation report: its launch digest. */
static void check_att_digest(const struct cgs_sev_expected_list *l, const struct sev_chain *c,
			     struct sev_chain_result *r)
{
	struct sev_check *k;
	const struct cgs_sev_expected *match = NULL;
	int es = !!(c->att.policy & SEV_POLICY_ES);

	if (r->n >= SEV_CHAIN_MAX_CHECKS)
		return;
	k = &r->checks[r->n++];
	memset(k, 0, sizeof(*k));
	k->name = "attestation-digest";
	cgs_hex_encode(c->att.launch_digest, SEV_LAUNCH_DIGEST_LEN, k->actual);
	for (size_t i = 0; i < l->n; i++)
		if (cgs_ct_equal(l->v[i].digest, c->att.launch_digest, SEV_LAUNCH_DIGEST_LEN) &&
		    !match)
			match = &l->v[i];
	if (l->n == 1 || match)
		cgs_hex_encode((match ? match : &l->v[0])->digest, SEV_LAUNCH_DIGEST_LEN,
			       k->expected);
	else
		snprintf(k->expected, sizeof(k->expected), "one of %zu expected digests", l->n);
	k->result = SEV_CHECK_PASS;
	if (!match) {
		k->result = SEV_CHECK_FAIL;
		snprintf(k->reason, sizeof(k->reason),
			 "the report's launch digest is not the expected one");
	} else if (match->mode && (strcmp(match->mode, "seves") == 0) != es) {
		k->result = SEV_CHECK_FAIL;
		snprintf(k->reason, sizeof(k->reason),
			 "the expected digest is mode %s but the report's policy 0x%x has the ES "
			 "bit %s",
			 match->mode, c->att.policy, es ? "set" : "clear");
	}
}

enum cgs_err cgs_sev_chain_verify(const struct cgs_sev_chain_in *in,
				  struct cgs_sev_chain_result *ret, struct cgs_diag *d)
{
	struct cgs_sev_chain_detail *det;
	enum cgs_err e;

	memset(ret, 0, sizeof(*ret));
	det = ret->detail = calloc(1, sizeof(*det));
	if (!det)
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	e = parse_chain(in, &det->chain, &ret->err_input, d);
	if (!e)
		e = sev_chain_verify(&det->chain, &det->res, d);
	if (!e && in->expected && in->expected->n && in->attestation)
		check_att_digest(in->expected, &det->chain, &det->res);
	if (!e) {
		to_verdict(det->res.checks, det->res.n, chain_checks, N(chain_checks), NULL, 0,
			   &ret->verdict);
		if (ret->verdict.oom)
			e = cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
		ret->verified = cgs_verdict_verified(&ret->verdict);
		ret->product = det->res.pin ? det->res.pin->product : NULL;
		memcpy(ret->ark_sha256, det->res.ark_sha256, 32);
	}
	if (e) {
		int input = ret->err_input;

		cgs_sev_chain_result_free(ret);
		ret->err_input = input;
	}
	return e;
}

void cgs_sev_chain_result_free(struct cgs_sev_chain_result *r)
{
	cgs_verdict_free(&r->verdict);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

/* ---- JSON of the decoded evidence ---- */

struct json_object *sev_policy_json(uint32_t policy)
{
	struct json_object *p = json_object_new_object();

	if (!p)
		return NULL;
	cgs_json_add_bool(p, "nodbg", policy & SEV_POLICY_NODBG);
	cgs_json_add_bool(p, "noks", policy & SEV_POLICY_NOKS);
	cgs_json_add_bool(p, "es", policy & SEV_POLICY_ES);
	cgs_json_add_bool(p, "nosend", policy & SEV_POLICY_NOSEND);
	cgs_json_add_bool(p, "domain", policy & SEV_POLICY_DOMAIN);
	cgs_json_add_bool(p, "sev", policy & SEV_POLICY_SEV);
	cgs_json_add_int(p, "api_major_min", (policy >> 16) & 0xff);
	cgs_json_add_int(p, "api_minor_min", (policy >> 24) & 0xff);
	return p;
}

static struct json_object *ca_json(const struct sev_ca_cert *c)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_str(o, "usage", sev_usage_name(c->usage));
	cgs_json_add_hex(o, "key_id", c->key_id, 16);
	cgs_json_add_hex(o, "certifying_id", c->certifying_id, 16);
	cgs_json_add_int(o, "modulus_bits", c->modulus_bits);
	return o;
}

static struct json_object *platform_json(const struct sev_cert *c)
{
	struct json_object *o = json_object_new_object(), *sigs = json_object_new_array();

	if (!o || !sigs) {
		json_object_put(o);
		json_object_put(sigs);
		return NULL;
	}
	cgs_json_add_str(o, "usage", sev_usage_name(c->usage));
	cgs_json_add_str(o, "algorithm", sev_algo_name(c->algo));
	cgs_json_add_int(o, "api_major", c->api_major);
	cgs_json_add_int(o, "api_minor", c->api_minor);
	if (sev_algo_is_ec(c->algo)) {
		size_t n = sev_curve_bytes(c->curve);
		uint8_t be[48];

		cgs_json_add_str(o, "curve", sev_curve_name(c->curve));
		for (size_t i = 0; i < n; i++)
			be[i] = c->qx[n - 1 - i];
		cgs_json_add_hex(o, "qx", be, n);
		for (size_t i = 0; i < n; i++)
			be[i] = c->qy[n - 1 - i];
		cgs_json_add_hex(o, "qy", be, n);
	} else {
		cgs_json_add_int(o, "modulus_bits", c->modulus_bits);
	}
	for (int i = 0; i < 2; i++) {
		const struct sev_cert_sig *s = &c->sigs[i];

		if (s->usage == SEV_USAGE_NONE || (s->usage == 0 && s->algo == 0))
			continue;
		struct json_object *j = json_object_new_object();

		if (!j || json_object_array_add(sigs, j)) {
			json_object_put(j);
			continue;
		}
		cgs_json_add_str(j, "signer", sev_usage_name(s->usage));
		cgs_json_add_str(j, "algorithm", sev_algo_name(s->algo));
	}
	cgs_json_add(o, "signatures", sigs);
	return o;
}

static struct json_object *attestation_json(const struct sev_attestation *a)
{
	struct json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	cgs_json_add_hex(o, "mnonce", a->mnonce, 16);
	cgs_json_add_hex(o, "launch_digest", a->launch_digest, 32);
	cgs_json_add_u64hex(o, "policy", a->policy);
	cgs_json_add(o, "policy_flags", sev_policy_json(a->policy));
	cgs_json_add_str(o, "signer", sev_usage_name(a->sig_usage));
	cgs_json_add_str(o, "algorithm", sev_algo_name(a->sig_algo));
	return o;
}

struct json_object *sev_chain_certs_json(const struct cgs_sev_chain_result *r)
{
	const struct sev_chain *c = &r->detail->chain;
	struct json_object *certs = json_object_new_object();

	if (!certs)
		return NULL;
	cgs_json_add(certs, "ark", ca_json(&c->ark.cert));
	cgs_json_add(certs, "ask", ca_json(&c->ask.cert));
	cgs_json_add(certs, "cek", platform_json(&c->cek.cert));
	cgs_json_add(certs, "oca", platform_json(&c->oca.cert));
	cgs_json_add(certs, "pek", platform_json(&c->pek.cert));
	cgs_json_add(certs, "pdh", platform_json(&c->pdh.cert));
	return certs;
}

struct json_object *sev_chain_attestation_json(const struct cgs_sev_chain_result *r)
{
	return r->detail->chain.att_raw ? attestation_json(&r->detail->chain.att) : NULL;
}
