// SPDX-License-Identifier: MIT
/*
 * cgs-verify sev: check a legacy SEV / SEV-ES LAUNCH_MEASURE blob against the
 * launch digest the guest owner expects (HMAC-SHA-256 keyed with the TIK).
 * cgs-verify sev-chain: check a SEV platform certificate chain (ARK, ASK, CEK,
 * OCA, PEK, PDH in AMD's SEV format) and optionally a SEV ATTESTATION report.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd/verify/sev_inputs.h"
#include "cmd/verify/verbs.h"
#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "keys/sev_chain.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"
#include "lib/core/verdict.h"
#include "lib/sev/sev_expected.h"
#include "lib/sev/sev_launch.h"

#define MAX_CANDIDATES 64
#define MAX_SMALL_FILE (64u << 10)

enum {
	KEY_MEASUREMENT = CGS_KEY_FIRST,
	KEY_TIK,
	KEY_API_MAJOR,
	KEY_API_MINOR,
	KEY_BUILD,
	KEY_POLICY,
	KEY_EXPECTED,
	KEY_EXPECTED_DIGEST,
	KEY_ARK,
	KEY_ASK,
	KEY_CEK,
	KEY_OCA,
	KEY_PEK,
	KEY_PDH,
	KEY_ATTESTATION,
	KEY_TRUSTED_ARK,
	KEY_SKIP,
};

/* The checks of cgs-verify sev, once (see cgs(7), CHECK CLASSES). */
static const struct cgs_check_def sev_checks[] = {
	{ "launch-measure", CGS_CHECK_AUTHENTICITY,
	  "MEASURE is the TIK's HMAC over the expected launch digest" },
	{ "policy-mode", CGS_CHECK_POLICY, "the expected digest's mode agrees with the policy" },
	{ "expected-inputs", CGS_CHECK_POLICY, "the inputs' launch digest is a reference one" },
};
#define N_SEV_CHECKS (sizeof(sev_checks) / sizeof(sev_checks[0]))

/* ------------------------------------------------------------------ */
/* output shared by both verbs                                          */

static const char *result_name(enum sev_check_result r)
{
	return r == SEV_CHECK_PASS ? "pass" : r == SEV_CHECK_FAIL ? "fail" : "skip";
}

static const char *sev_hex_tmp(const uint8_t *p, size_t n)
{
	static char buf[2 * 64 + 1];

	cgs_hex_encode(p, n < 64 ? n : 64, buf);
	return buf;
}

static void sev_print_checks(const struct sev_check *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		printf("%-5s %s", result_name(c[i].result), c[i].name);
		if (c[i].reason[0])
			printf(": %s", c[i].reason);
		printf("\n");
	}
}

static struct json_object *sev_verdict_doc(const char *evidence, int verified,
					   const struct sev_check *c, size_t n)
{
	struct json_object *doc = cgs_json_doc("cgs-verify"), *arr = json_object_new_array();

	if (!doc || !arr)
		goto fail;
	if (cgs_json_add_bool(doc, "verified", verified) ||
	    cgs_json_add_str(doc, "evidence", evidence))
		goto fail;
	for (size_t i = 0; i < n; i++) {
		struct json_object *o = json_object_new_object();

		if (!o || json_object_array_add(arr, o)) {
			json_object_put(o);
			goto fail;
		}
		cgs_json_add_str(o, "name", c[i].name);
		cgs_json_add_str(o, "result", result_name(c[i].result));
		cgs_json_add_str(o, "expected", c[i].expected[0] ? c[i].expected : NULL);
		cgs_json_add_str(o, "actual", c[i].actual[0] ? c[i].actual : NULL);
		cgs_json_add_str(o, "reason", c[i].reason[0] ? c[i].reason : NULL);
	}
	if (cgs_json_add(doc, "checks", arr))
		goto fail_doc;
	return doc;
fail:
	json_object_put(arr);
fail_doc:
	json_object_put(doc);
	return NULL;
}

static int sev_print_doc(struct json_object *doc, int verified)
{
	int rc = cgs_json_print(doc, cgs_opts.json);

	json_object_put(doc);
	if (rc) {
		cgs_log_error("cannot write the result to stdout");
		return CGS_EXIT_FAILURE;
	}
	return verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
}

/* ------------------------------------------------------------------ */
/* cgs-verify sev                                                      */

static const struct cgs_option sev_options[] = {
	{ "measurement", KEY_MEASUREMENT, CGS_REQ_ARG, "BLOB|BASE64",
	  "LAUNCH_MEASURE blob (MEASURE||MNONCE): a file (raw or base64) or base64 text", 0 },
	{ "tik", KEY_TIK, CGS_REQ_ARG, "FILE", "the 16-byte transport integrity key (raw, hex or base64)",
	  0 },
	{ "api-major", KEY_API_MAJOR, CGS_REQ_ARG, "N", "platform firmware API major version", 0 },
	{ "api-minor", KEY_API_MINOR, CGS_REQ_ARG, "N", "platform firmware API minor version", 0 },
	{ "build", KEY_BUILD, CGS_REQ_ARG, "N", "platform firmware build id", 0 },
	{ "build-id", KEY_BUILD, CGS_REQ_ARG, "N", "alias of --build (sevctl)", CGS_OPT_ALIAS },
	{ "policy", KEY_POLICY, CGS_REQ_ARG, "POLICY",
	  "guest policy given to LAUNCH_START (decimal or 0x-hex)", 0 },
	{ "expected", KEY_EXPECTED, CGS_REQ_ARG, "FILE",
	  "expected launch digest: cgs-measure --json output (or an array of them)", 0 },
	{ "expected-digest", KEY_EXPECTED_DIGEST, CGS_REQ_ARG, "HEX",
	  "expected launch digest, 64 hex digits (repeatable: any of them)", 0 },
	{ "mode", SEV_IN_KEY_MODE, CGS_REQ_ARG, "MODE",
	  "measured inputs: sev or seves (default: from the policy's ES bit)", 0 },
	{ "ovmf", SEV_IN_KEY_OVMF, CGS_REQ_ARG, "PATH",
	  "measured inputs: the OVMF firmware (compute the expected digest)", 0 },
	{ "kernel", SEV_IN_KEY_KERNEL, CGS_REQ_ARG, "PATH", "measured inputs: the kernel", 0 },
	{ "initrd", SEV_IN_KEY_INITRD, CGS_REQ_ARG, "PATH", "measured inputs: the initrd", 0 },
	{ "append", SEV_IN_KEY_APPEND, CGS_REQ_ARG, "CMDLINE",
	  "measured inputs: the kernel command line", 0 },
	{ "vcpus", SEV_IN_KEY_VCPUS, CGS_REQ_ARG, "N", "measured inputs: vCPUs (SEV-ES)", 0 },
	{ "vcpu-type", SEV_IN_KEY_VCPU_TYPE, CGS_REQ_ARG, "CPUTYPE",
	  "measured inputs: QEMU vCPU type (SEV-ES)", 0 },
	{ "vcpu-sig", SEV_IN_KEY_VCPU_SIG, CGS_REQ_ARG, "VALUE",
	  "measured inputs: vCPU signature, CPUID 1 EAX (SEV-ES)", 0 },
	{ "vcpu-family", SEV_IN_KEY_VCPU_FAMILY, CGS_REQ_ARG, "FAMILY", "measured inputs: vCPU family",
	  0 },
	{ "vcpu-model", SEV_IN_KEY_VCPU_MODEL, CGS_REQ_ARG, "MODEL", "measured inputs: vCPU model", 0 },
	{ "vcpu-stepping", SEV_IN_KEY_VCPU_STEPPING, CGS_REQ_ARG, "STEPPING",
	  "measured inputs: vCPU stepping", 0 },
	{ "vmm-type", SEV_IN_KEY_VMM_TYPE, CGS_REQ_ARG, "VMMTYPE",
	  "measured inputs: QEMU (default), ec2 or gce", 0 },
	{ "vmsa-fpu", SEV_IN_KEY_VMSA_FPU, CGS_REQ_ARG, "init2|legacy",
	  "measured inputs: VMSA x87/SSE state (as cgs-measure)", 0 },
	{ "vmsa-cpu0", SEV_IN_KEY_VMSA_CPU0, CGS_REQ_ARG, "FILE",
	  "measured inputs: the BSP VMSA page from a file (sevctl)", 0 },
	{ "vmsa-cpu1", SEV_IN_KEY_VMSA_CPU1, CGS_REQ_ARG, "FILE",
	  "measured inputs: the AP VMSA page from a file (sevctl)", 0 },
	{ "skip", KEY_SKIP, CGS_REQ_ARG, "CHECK[,CHECK]",
	  "skip policy checks by name (policy-mode, expected-inputs)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

struct candidate {
	uint8_t digest[SEV_LAUNCH_DIGEST_LEN];
	const char *mode; /* "sev", "seves", or NULL when unknown */
	char source[64];
	struct json_object *doc; /* its cgs-measure document, if any */
	int reference;           /* compared with the inputs' digest, not with the blob */
};

struct sev_opts {
	const char *measurement, *tik, *expected;
	uint64_t api_major, api_minor, build, policy;
	int have_major, have_minor, have_build, have_policy;
	struct candidate cands[MAX_CANDIDATES];
	size_t n_cands;
	struct sev_inputs_opts m;
	struct cgs_sev_measure_result *res; /* with measured inputs */
	char skip[128];                 /* ",name,name," */
};

/* --skip a,b: policy checks of sev_checks only */
static int add_skips(char *skip, size_t cap, const char *arg)
{
	char names[128], *save = NULL;

	if (strlen(arg) >= sizeof(names))
		return cgs_log_usage("--skip: too many names");
	strcpy(names, arg);
	for (char *n = strtok_r(names, ",", &save); n; n = strtok_r(NULL, ",", &save)) {
		struct cgs_diag d;

		cgs_diag_clear(&d);
		if (cgs_skip_validate(sev_checks, N_SEV_CHECKS, n, &d))
			return cgs_log_usage("--skip: %s", d.text);
		if (strlen(skip) + strlen(n) + 3 > cap)
			return cgs_log_usage("--skip: too many names");
		strcat(skip, ",");
		strcat(skip, n);
		strcat(skip, ",");
	}
	return 0;
}

static int add_expected_digest(struct candidate *cands, size_t *n_cands, const char *arg)
{
	struct candidate *c = &cands[*n_cands];

	if (*n_cands >= MAX_CANDIDATES)
		return cgs_log_usage("too many expected digests (at most %d)", MAX_CANDIDATES);
	if (cgs_arg_hex("expected-digest", arg, c->digest, SEV_LAUNCH_DIGEST_LEN))
		return CGS_EXIT_USAGE;
	c->mode = NULL;
	c->doc = NULL;
	c->reference = 0;
	snprintf(c->source, sizeof(c->source), "--expected-digest");
	(*n_cands)++;
	return 0;
}

static int sev_on_option(void *ctx, int key, const char *arg)
{
	struct sev_opts *o = ctx;
	int rc = sev_inputs_on_option(&o->m, key, arg);

	if (rc >= 0)
		return rc;

	switch (key) {
	case KEY_MEASUREMENT:
		o->measurement = arg;
		return 0;
	case KEY_TIK:
		o->tik = arg;
		return 0;
	case KEY_API_MAJOR:
		o->have_major = 1;
		return cgs_arg_u64("api-major", arg, 255, &o->api_major);
	case KEY_API_MINOR:
		o->have_minor = 1;
		return cgs_arg_u64("api-minor", arg, 255, &o->api_minor);
	case KEY_BUILD:
		o->have_build = 1;
		return cgs_arg_u64("build", arg, 255, &o->build);
	case KEY_POLICY:
		o->have_policy = 1;
		return cgs_arg_u64("policy", arg, UINT32_MAX, &o->policy);
	case KEY_EXPECTED:
		if (o->expected)
			return cgs_log_usage("'--expected' given twice");
		o->expected = arg;
		return 0;
	case KEY_EXPECTED_DIGEST:
		return add_expected_digest(o->cands, &o->n_cands, arg);
	case KEY_SKIP:
		return add_skips(o->skip, sizeof(o->skip), arg);
	default:
		return 0;
	}
}

/* Read the TIK: 16 raw bytes, or text holding 32 hex digits or base64 of 16 bytes. */
static int read_tik(const char *path, uint8_t tik[SEV_LAUNCH_TIK_LEN])
{
	struct cgs_diag d;
	uint8_t *data = NULL, *dec = NULL;
	size_t len = 0, n = 0, b = 0, e;
	int rc = 0;

	cgs_diag_clear(&d);
	if (cgs_read_file(path, 4096, &data, &len, &d))
		return cgs_log_diag(&d, "read TIK", path);
	if (len == SEV_LAUNCH_TIK_LEN) {
		memcpy(tik, data, SEV_LAUNCH_TIK_LEN);
		goto out;
	}
	for (e = len; e > 0 && isspace(data[e - 1]); e--)
		;
	while (b < e && isspace(data[b]))
		b++;
	data[e] = '\0';
	if (e - b == 2 * SEV_LAUNCH_TIK_LEN &&
	    cgs_hex_decode((char *)data + b, tik, SEV_LAUNCH_TIK_LEN, NULL, 1) == CGS_OK)
		goto out;
	if (cgs_base64_decode((char *)data + b, e - b, &dec, &n) == CGS_OK &&
	    n == SEV_LAUNCH_TIK_LEN) {
		memcpy(tik, dec, SEV_LAUNCH_TIK_LEN);
		goto out;
	}
	cgs_diag_set(&d, CGS_E_MALFORMED, "tik", CGS_DIAG_NO_OFFSET,
		     "wrong TIK length: %zu bytes, expected %d raw bytes (or 32 hex digits or "
		     "base64 of 16 bytes)", len, SEV_LAUNCH_TIK_LEN);
	rc = cgs_log_diag(&d, "read TIK", path);
out:
	if (dec)
		cgs_free_secret(dec, n);
	cgs_free_secret(data, len);
	return rc;
}

/* --measurement: a file (raw 48 bytes or base64 text) or base64 text. */
static int read_blob(const char *arg, struct sev_launch_blob *blob)
{
	struct cgs_diag d;
	uint8_t *data = NULL;
	size_t len = 0;
	int rc, is_path;

	cgs_diag_clear(&d);
	/* inline is base64 only: 48 raw bytes come from a file */
	if (strlen(arg) == SEV_LAUNCH_BLOB_LEN)
		cgs_diag_set(&d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET, "48 characters");
	else
		sev_launch_blob_parse((const uint8_t *)arg, strlen(arg), blob, &d);
	rc = cgs_arg_source("measurement", arg, "base64 measurement", d.err ? d.text : NULL,
			    &is_path);
	if (rc || !is_path)
		return rc;
	if (cgs_read_file(arg, MAX_SMALL_FILE, &data, &len, &d))
		return cgs_log_diag(&d, "read", arg);
	if (sev_launch_blob_parse(data, len, blob, &d))
		rc = cgs_log_diag(&d, "parse", arg);
	free(data);
	return rc;
}

/* --expected: every validated document (lib/core/expected) becomes a candidate. */
static int read_expected(struct candidate *cands, size_t *n_cands, const char *path,
			 struct cgs_expected_set *set)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (cgs_expected_read(path, &sev_expected_schema, set, &d))
		return cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read" : "read expected values from",
				    path);
	for (size_t i = 0; i < set->n; i++) {
		struct candidate *c = &cands[*n_cands];

		if (*n_cands >= MAX_CANDIDATES) {
			cgs_diag_set(&d, CGS_E_MALFORMED, NULL, CGS_DIAG_NO_OFFSET,
				     "too many expected digests (at most %d)", MAX_CANDIDATES);
			return cgs_log_diag(&d, "read expected values from", path);
		}
		cgs_expected_hex(&set->docs[i], "measurement", c->digest, SEV_LAUNCH_DIGEST_LEN);
		c->mode = set->docs[i].mode->mode;
		c->doc = set->docs[i].obj;
		c->reference = 0;
		snprintf(c->source, sizeof(c->source), set->many ? "--expected[%zu]" : "--expected", i);
		(*n_cands)++;
	}
	return 0;
}

static struct json_object *policy_json(uint32_t policy)
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

struct sev_outcome {
	struct sev_check checks[4];
	size_t n;
	const struct candidate *match;      /* the expected digest the blob matches */
	const struct candidate *ref_match;  /* a reference digest it matches instead */
	struct json_object *diffs;          /* input differences (measured inputs) */
};

static struct sev_check *new_check(struct sev_outcome *out, const char *name)
{
	struct sev_check *k = &out->checks[out->n++];

	memset(k, 0, sizeof(*k));
	k->name = name;
	return k;
}

static void check_policy_mode(const struct sev_opts *o, struct sev_outcome *out)
{
	struct sev_check *k = new_check(out, "policy-mode");
	int es = !!(o->policy & SEV_POLICY_ES), known = 0, consistent = 0;
	const char *mode = NULL;

	for (size_t i = 0; i < o->n_cands; i++) {
		if (!o->cands[i].mode || o->cands[i].reference)
			continue;
		known++;
		mode = o->cands[i].mode;
		consistent += (strcmp(mode, "seves") == 0) == es;
	}
	snprintf(k->actual, sizeof(k->actual), "policy 0x%x (ES bit %s)", (unsigned)o->policy,
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

static void measure_fail_reason(const struct sev_opts *o, size_t n_primary,
				const struct sev_outcome *out, struct sev_check *k)
{
	const char *what = o->res ? "the launch digest of the given inputs" :
				    "the expected launch digest";
	size_t len;

	if (n_primary == 1)
		snprintf(k->reason, sizeof(k->reason),
			 "MEASURE does not match %s under this TIK, API version, build and policy",
			 what);
	else
		snprintf(k->reason, sizeof(k->reason),
			 "MEASURE matches none of the %zu expected launch digests", n_primary);
	len = strlen(k->reason);
	if (out->ref_match)
		snprintf(k->reason + len, sizeof(k->reason) - len, " (it matches %s instead)",
			 out->ref_match->source);
}

static int check_measure(const struct sev_opts *o, const uint8_t *tik,
			 const struct sev_launch_blob *blob, struct sev_outcome *out)
{
	struct sev_check *k = new_check(out, "launch-measure");
	struct sev_launch_params p;
	struct cgs_diag d;
	uint8_t mac[SEV_LAUNCH_MEASURE_LEN], first[SEV_LAUNCH_MEASURE_LEN];
	size_t n_primary = 0;
	int match = 0;

	cgs_diag_clear(&d);
	memset(&p, 0, sizeof(p));
	p.api_major = (uint8_t)o->api_major;
	p.api_minor = (uint8_t)o->api_minor;
	p.build = (uint8_t)o->build;
	p.policy = (uint32_t)o->policy;
	for (size_t i = 0; i < o->n_cands; i++) {
		const struct candidate *c = &o->cands[i];

		memcpy(p.digest, c->digest, SEV_LAUNCH_DIGEST_LEN);
		if (sev_launch_verify(tik, SEV_LAUNCH_TIK_LEN, &p, blob, &match, mac, &d))
			return cgs_log_diag(&d, "compute LAUNCH_MEASURE", NULL);
		if (!c->reference && n_primary++ == 0)
			memcpy(first, mac, sizeof(mac));
		if (match && c->reference && !out->ref_match)
			out->ref_match = c;
		if (match && !c->reference && !out->match)
			out->match = c;
	}
	cgs_hex_encode(blob->measure, SEV_LAUNCH_MEASURE_LEN, k->actual);
	if (out->match) {
		k->result = SEV_CHECK_PASS;
		cgs_hex_encode(blob->measure, SEV_LAUNCH_MEASURE_LEN, k->expected);
		return 0;
	}
	k->result = SEV_CHECK_FAIL;
	if (n_primary == 1)
		cgs_hex_encode(first, SEV_LAUNCH_MEASURE_LEN, k->expected);
	else
		snprintf(k->expected, sizeof(k->expected), "HMAC of one of %zu expected digests",
			 n_primary);
	measure_fail_reason(o, n_primary, out, k);
	return 0;
}

/* With measured inputs and reference values: is the inputs' digest one of them? */
static void check_inputs(const struct sev_opts *o, struct sev_outcome *out)
{
	struct sev_check *k = new_check(out, "expected-inputs");
	const struct candidate *best = NULL;
	size_t best_n = SIZE_MAX, n_refs = 0;
	char names[160] = "";

	cgs_hex_encode(o->res->digest, SEV_LAUNCH_DIGEST_LEN, k->actual);
	for (size_t i = 0; i < o->n_cands; i++) {
		const struct candidate *c = &o->cands[i];
		size_t n;

		if (!c->reference)
			continue;
		n_refs++;
		if (cgs_ct_equal(c->digest, o->res->digest, SEV_LAUNCH_DIGEST_LEN)) {
			k->result = SEV_CHECK_PASS;
			cgs_hex_encode(c->digest, SEV_LAUNCH_DIGEST_LEN, k->expected);
			return;
		}
		n = c->doc ? sev_inputs_diff(c->doc, &o->m, o->res, NULL, names, sizeof(names)) :
			     SIZE_MAX - 1;
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
		out->diffs = json_object_new_array();
		sev_inputs_diff(best->doc, &o->m, o->res, out->diffs, names, sizeof(names));
		snprintf(k->reason, sizeof(k->reason),
			 "the inputs' launch digest differs from %s; differing inputs: %s",
			 best->source, names[0] ? names : "none found (other engine options?)");
	} else {
		snprintf(k->reason, sizeof(k->reason),
			 "the inputs' launch digest is none of the %zu given with "
			 "--expected/--expected-digest", n_refs);
	}
}

static int sev_report(const struct sev_opts *o, const struct sev_launch_blob *blob,
		      struct sev_outcome *out)
{
	int verified = 1;
	struct json_object *doc, *ev;

	for (size_t i = 0; i < out->n; i++)
		if (out->checks[i].result == SEV_CHECK_FAIL)
			verified = 0;
	if (!cgs_opts.json) {
		sev_print_checks(out->checks, out->n);
		if (verified)
			printf("VERIFIED: launch digest %s%s%s\n",
			       sev_hex_tmp(out->match->digest, SEV_LAUNCH_DIGEST_LEN),
			       out->match->mode ? " mode " : "",
			       out->match->mode ? out->match->mode : "");
		else
			printf("NOT VERIFIED\n");
		return verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	}
	doc = sev_verdict_doc("sev", verified, out->checks, out->n);
	ev = json_object_new_object();
	if (!doc || !ev) {
		json_object_put(doc);
		json_object_put(ev);
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_json_add_hex(ev, "measure", blob->measure, SEV_LAUNCH_MEASURE_LEN);
	cgs_json_add_hex(ev, "mnonce", blob->mnonce, SEV_LAUNCH_MNONCE_LEN);
	cgs_json_add_int(ev, "api_major", (int64_t)o->api_major);
	cgs_json_add_int(ev, "api_minor", (int64_t)o->api_minor);
	cgs_json_add_int(ev, "build", (int64_t)o->build);
	cgs_json_add_u64hex(ev, "policy", o->policy);
	cgs_json_add(ev, "policy_flags", policy_json((uint32_t)o->policy));
	if (out->match) {
		cgs_json_add_hex(ev, "launch_digest", out->match->digest, SEV_LAUNCH_DIGEST_LEN);
		cgs_json_add_str(ev, "mode", out->match->mode);
		cgs_json_add_str(ev, "matched", out->match->source);
	} else {
		cgs_json_add_str(ev, "launch_digest", NULL);
		cgs_json_add_str(ev, "mode", NULL);
		cgs_json_add_str(ev, "matched", NULL);
	}
	cgs_json_add(doc, "launch_measure", ev);
	if (o->res) {
		cgs_json_add_hex(doc, "inputs_digest", o->res->digest, SEV_LAUNCH_DIGEST_LEN);
		cgs_json_add(doc, "input_differences", out->diffs);
		out->diffs = NULL;
	}
	return sev_print_doc(doc, verified);
}

/* The expected digest from the measured inputs; the other expectations become references. */
static int measure_inputs(struct sev_opts *o)
{
	struct candidate *c;
	int rc;

	o->res = malloc(sizeof(*o->res));
	if (!o->res) {
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	rc = sev_inputs_measure(&o->m, (uint32_t)o->policy, o->res);
	if (rc)
		return rc;
	if (o->n_cands >= MAX_CANDIDATES)
		return cgs_log_usage("too many expected digests (at most %d)", MAX_CANDIDATES - 1);
	for (size_t i = 0; i < o->n_cands; i++)
		o->cands[i].reference = 1;
	c = &o->cands[o->n_cands++];
	memcpy(c->digest, o->res->digest, SEV_LAUNCH_DIGEST_LEN);
	c->mode = cgs_sev_mode_name(o->res->mode);
	c->doc = NULL;
	c->reference = 0;
	snprintf(c->source, sizeof(c->source), "inputs");
	return 0;
}

static int run_sev(struct sev_opts *o, const struct sev_launch_blob *blob, const uint8_t *tik)
{
	struct sev_outcome out;
	int rc;

	memset(&out, 0, sizeof(out));
	rc = check_measure(o, tik, blob, &out);
	if (rc)
		return rc;
	check_policy_mode(o, &out);
	if (o->res && o->n_cands > 1)
		check_inputs(o, &out);
	for (size_t i = 0; i < out.n; i++) {
		struct sev_check *k = &out.checks[i];
		char pat[40], why[sizeof(k->reason)];

		snprintf(pat, sizeof(pat), ",%s,", k->name);
		if (!strstr(o->skip, pat))
			continue;
		snprintf(why, sizeof(why), "skipped by --skip %s (would have been %s%s%s)",
			 k->name, result_name(k->result), k->reason[0] ? ": " : "", k->reason);
		memcpy(k->reason, why, sizeof(why));
		k->result = SEV_CHECK_SKIP;
	}
	rc = sev_report(o, blob, &out);
	json_object_put(out.diffs);
	return rc;
}

int verb_sev(int argc, char **argv)
{
	static struct sev_opts o;
	struct cgs_command cmd = {
		"cgs-verify sev",
		"--measurement BLOB|BASE64 --tik FILE --api-major N --api-minor N --build N "
		"--policy POLICY (--expected FILE | --expected-digest HEX | --ovmf PATH ...)",
		"Verify a legacy SEV/SEV-ES LAUNCH_MEASURE against the expected launch digest.",
		sev_options,
		CGS_COMMON_JSON,
		"The MEASURE is HMAC-SHA256(TIK, 0x04 || api major || api minor || build ||\n"
		"policy || launch digest || MNONCE); it is compared in constant time. With the\n"
		"measured inputs (--ovmf ...), the expected digest is computed as cgs-measure\n"
		"does and --expected/--expected-digest are compared with it input by input.",
		sev_on_option,
		&o,
	};
	struct cgs_expected_set expected_set = { 0 };
	struct sev_launch_blob blob;
	uint8_t tik[SEV_LAUNCH_TIK_LEN];
	int optind_, rc;

	memset(&o, 0, sizeof(o));
	sev_inputs_init(&o.m);
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!o.measurement || !o.tik || !o.have_major || !o.have_minor || !o.have_build ||
	    !o.have_policy)
		return cgs_log_usage("--measurement, --tik, --api-major, --api-minor, --build "
				     "and --policy are required");
	if (!o.n_cands && !o.expected && !o.m.used)
		return cgs_log_usage("no expected launch digest: give --expected FILE, "
				     "--expected-digest HEX or the measured inputs (--ovmf ...)");
	rc = o.expected ? read_expected(o.cands, &o.n_cands, o.expected, &expected_set) : 0;
	if (!rc && o.m.used)
		rc = measure_inputs(&o);
	if (!rc)
		rc = read_blob(o.measurement, &blob);
	if (!rc)
		rc = read_tik(o.tik, tik);
	if (!rc) {
		rc = run_sev(&o, &blob, tik);
		cgs_wipe(tik, sizeof(tik));
	}
	cgs_expected_free(&expected_set);
	free(o.res);
	return rc;
}

/* ------------------------------------------------------------------ */
/* cgs-verify sev-chain                                                */

static const struct cgs_option chain_options[] = {
	{ "ark", KEY_ARK, CGS_REQ_ARG, "FILE", "AMD root key (SEV CA format; must be pinned)", 0 },
	{ "ask", KEY_ASK, CGS_REQ_ARG, "FILE", "AMD SEV signing key (SEV CA format)", 0 },
	{ "cek", KEY_CEK, CGS_REQ_ARG, "FILE", "chip endorsement key certificate", 0 },
	{ "oca", KEY_OCA, CGS_REQ_ARG, "FILE", "owner certificate authority certificate", 0 },
	{ "pek", KEY_PEK, CGS_REQ_ARG, "FILE", "platform endorsement key certificate", 0 },
	{ "pdh", KEY_PDH, CGS_REQ_ARG, "FILE", "platform Diffie-Hellman key certificate", 0 },
	{ "attestation", KEY_ATTESTATION, CGS_REQ_ARG, "FILE",
	  "SEV ATTESTATION report (0xD0 bytes) to verify with the PEK", 0 },
	{ "trusted-ark", KEY_TRUSTED_ARK, CGS_REQ_ARG, "FILE",
	  "trust this ARK instead of the pinned AMD ARKs (the --ark must equal it)", 0 },
	{ "expected", KEY_EXPECTED, CGS_REQ_ARG, "FILE",
	  "expected launch digest of the attestation report (cgs-measure --json)", 0 },
	{ "expected-digest", KEY_EXPECTED_DIGEST, CGS_REQ_ARG, "HEX",
	  "expected launch digest of the attestation report (repeatable)", 0 },
	{ NULL, 0, 0, NULL, NULL, 0 },
};

enum { F_ARK, F_ASK, F_CEK, F_OCA, F_PEK, F_PDH, F_ATT, F_TRUSTED, F_COUNT };

static const char *const file_opt[F_COUNT] = { "ark", "ask", "cek", "oca",
					       "pek", "pdh", "attestation", "trusted-ark" };

struct chain_opts {
	const char *path[F_COUNT];
	uint8_t *data[F_COUNT];
	size_t len[F_COUNT];
	const char *expected;
	struct candidate cands[MAX_CANDIDATES];
	size_t n_cands;
};

static int chain_on_option(void *ctx, int key, const char *arg)
{
	struct chain_opts *o = ctx;
	int i = key - KEY_ARK;

	if (key == KEY_EXPECTED) {
		o->expected = arg;
		return 0;
	}
	if (key == KEY_EXPECTED_DIGEST)
		return add_expected_digest(o->cands, &o->n_cands, arg);
	if (i < 0 || i >= F_COUNT)
		return 0;
	o->path[i] = arg;
	return 0;
}

static int parse_ca(const struct chain_opts *o, int i, struct sev_ca_input *in)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	in->raw = o->data[i];
	in->len = o->len[i];
	if (sev_ca_cert_parse(in->raw, in->len, &in->cert, &d))
		return cgs_log_diag(&d, "parse", o->path[i]);
	return 0;
}

static int parse_platform(const struct chain_opts *o, int i, struct sev_platform_input *in)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	in->raw = o->data[i];
	in->len = o->len[i];
	if (sev_cert_parse(in->raw, in->len, &in->cert, &d))
		return cgs_log_diag(&d, "parse", o->path[i]);
	return 0;
}

static int load_chain(struct chain_opts *o, struct sev_chain *c)
{
	struct cgs_diag d;
	int rc = 0;

	for (int i = 0; i < F_COUNT && !rc; i++) {
		cgs_diag_clear(&d);
		if (o->path[i] && cgs_read_file(o->path[i], MAX_SMALL_FILE, &o->data[i], &o->len[i], &d))
			rc = cgs_log_diag(&d, "read", o->path[i]);
	}
	if (!rc)
		rc = parse_ca(o, F_ARK, &c->ark);
	if (!rc)
		rc = parse_ca(o, F_ASK, &c->ask);
	if (!rc)
		rc = parse_platform(o, F_CEK, &c->cek);
	if (!rc)
		rc = parse_platform(o, F_OCA, &c->oca);
	if (!rc)
		rc = parse_platform(o, F_PEK, &c->pek);
	if (!rc)
		rc = parse_platform(o, F_PDH, &c->pdh);
	if (!rc && o->path[F_TRUSTED]) {
		struct sev_ca_cert t;

		cgs_diag_clear(&d);
		if (sev_ca_cert_parse(o->data[F_TRUSTED], o->len[F_TRUSTED], &t, &d))
			rc = cgs_log_diag(&d, "parse", o->path[F_TRUSTED]);
		c->trusted_ark = o->data[F_TRUSTED];
		c->trusted_ark_len = o->len[F_TRUSTED];
	}
	if (!rc && o->path[F_ATT]) {
		cgs_diag_clear(&d);
		if (sev_attestation_parse(o->data[F_ATT], o->len[F_ATT], &c->att, &d))
			rc = cgs_log_diag(&d, "parse", o->path[F_ATT]);
		c->att_raw = o->data[F_ATT];
	}
	return rc;
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
	cgs_json_add(o, "policy_flags", policy_json(a->policy));
	cgs_json_add_str(o, "signer", sev_usage_name(a->sig_usage));
	cgs_json_add_str(o, "algorithm", sev_algo_name(a->sig_algo));
	return o;
}

static int chain_report(const struct sev_chain *c, const struct sev_chain_result *r)
{
	struct json_object *doc, *certs;

	if (!cgs_opts.json) {
		sev_print_checks(r->checks, r->n);
		if (r->verified)
			printf("VERIFIED: SEV platform chain%s%s%s\n", r->pin ? " of AMD " : "",
			       r->pin ? r->pin->product : " (trusted ARK)",
			       c->att_raw ? " and attestation report" : "");
		else
			printf("NOT VERIFIED\n");
		return r->verified ? CGS_EXIT_OK : CGS_EXIT_NOT_VERIFIED;
	}
	doc = sev_verdict_doc("sev-chain", r->verified, r->checks, r->n);
	certs = json_object_new_object();
	if (!doc || !certs) {
		json_object_put(doc);
		json_object_put(certs);
		cgs_log_error("out of memory");
		return CGS_EXIT_FAILURE;
	}
	cgs_json_add_str(doc, "product", r->pin ? r->pin->product : NULL);
	cgs_json_add_hex(doc, "ark_sha256", r->ark_sha256, 32);
	cgs_json_add(certs, "ark", ca_json(&c->ark.cert));
	cgs_json_add(certs, "ask", ca_json(&c->ask.cert));
	cgs_json_add(certs, "cek", platform_json(&c->cek.cert));
	cgs_json_add(certs, "oca", platform_json(&c->oca.cert));
	cgs_json_add(certs, "pek", platform_json(&c->pek.cert));
	cgs_json_add(certs, "pdh", platform_json(&c->pdh.cert));
	cgs_json_add(doc, "certificates", certs);
	if (c->att_raw)
		cgs_json_add(doc, "attestation", attestation_json(&c->att));
	return sev_print_doc(doc, r->verified);
}

/* --expected/--expected-digest with --attestation: the report's launch digest. */
static void check_att_digest(const struct chain_opts *o, const struct sev_chain *c,
			     struct sev_chain_result *r)
{
	struct sev_check *k;
	const struct candidate *match = NULL;
	int es = !!(c->att.policy & SEV_POLICY_ES);

	if (r->n >= SEV_CHAIN_MAX_CHECKS)
		return;
	k = &r->checks[r->n++];
	memset(k, 0, sizeof(*k));
	k->name = "attestation-digest";
	cgs_hex_encode(c->att.launch_digest, SEV_LAUNCH_DIGEST_LEN, k->actual);
	for (size_t i = 0; i < o->n_cands; i++)
		if (cgs_ct_equal(o->cands[i].digest, c->att.launch_digest, SEV_LAUNCH_DIGEST_LEN) &&
		    !match)
			match = &o->cands[i];
	if (o->n_cands == 1 || match)
		cgs_hex_encode((match ? match : &o->cands[0])->digest, SEV_LAUNCH_DIGEST_LEN,
			       k->expected);
	else
		snprintf(k->expected, sizeof(k->expected), "one of %zu expected digests",
			 o->n_cands);
	k->result = SEV_CHECK_PASS;
	if (!match) {
		k->result = SEV_CHECK_FAIL;
		snprintf(k->reason, sizeof(k->reason),
			 "the report's launch digest is not the expected one");
	} else if (match->mode && (strcmp(match->mode, "seves") == 0) != es) {
		k->result = SEV_CHECK_FAIL;
		snprintf(k->reason, sizeof(k->reason),
			 "the expected digest is mode %s but the report's policy 0x%x has the ES "
			 "bit %s", match->mode, c->att.policy, es ? "set" : "clear");
	}
	if (k->result != SEV_CHECK_PASS)
		r->verified = 0;
}

int verb_sev_chain(int argc, char **argv)
{
	static struct chain_opts o;
	static struct sev_chain chain;
	static struct sev_chain_result res;
	struct cgs_expected_set expected_set = { 0 };
	struct cgs_command cmd = {
		"cgs-verify sev-chain",
		"--ark FILE --ask FILE --cek FILE --oca FILE --pek FILE --pdh FILE "
		"[--attestation FILE [--expected FILE]] [--trusted-ark FILE]",
		"Verify a legacy SEV platform certificate chain (and a SEV ATTESTATION report).",
		chain_options,
		CGS_COMMON_JSON,
		"Chain: ARK (pinned, self-signed) -> ASK -> CEK -> PEK <- OCA (self-signed);\n"
		"PEK -> PDH. Without --ark, the --trusted-ark is used as the ARK.",
		chain_on_option,
		&o,
	};
	struct cgs_diag d;
	int optind_, rc;

	memset(&o, 0, sizeof(o));
	memset(&chain, 0, sizeof(chain));
	rc = cgs_cli_parse(&cmd, argc, argv, &optind_);
	if (rc >= 0)
		return rc;
	if (optind_ < argc)
		return cgs_log_usage("unexpected argument '%s'", argv[optind_]);
	if (!o.path[F_ARK])
		o.path[F_ARK] = o.path[F_TRUSTED];
	for (int i = F_ARK; i <= F_PDH; i++)
		if (!o.path[i])
			return cgs_log_usage("missing '--%s FILE' (the chain needs --ark, --ask, "
					     "--cek, --oca, --pek and --pdh)", file_opt[i]);
	if ((o.expected || o.n_cands) && !o.path[F_ATT])
		return cgs_log_usage("'--expected' and '--expected-digest' need '--attestation FILE'");
	rc = o.expected ? read_expected(o.cands, &o.n_cands, o.expected, &expected_set) : 0;
	if (rc) {
		cgs_expected_free(&expected_set);
		return rc;
	}
	rc = load_chain(&o, &chain);
	if (!rc) {
		cgs_diag_clear(&d);
		if (sev_chain_verify(&chain, &res, &d))
			rc = cgs_log_diag(&d, "verify the chain", NULL);
		else
			rc = -1;
		if (rc < 0 && o.n_cands)
			check_att_digest(&o, &chain, &res);
		if (rc < 0)
			rc = chain_report(&chain, &res);
	}
	for (int i = 0; i < F_COUNT; i++)
		free(o.data[i]);
	cgs_expected_free(&expected_set);
	return rc;
}
