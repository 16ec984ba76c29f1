// SPDX-License-Identifier: MIT
/*
 * The legacy SEV verifiers called directly: cgs_sev_verify() on a blob made
 * here with the HMAC of lib/sev/sev_launch (any TIK, digest and policy), the
 * skip rules and the verdict object; cgs_sev_chain_verify() on the Naples
 * chain of ../shared/vectors (skipped visibly without them); and
 * cgs_sev_measure() with its intermediate values on a synthetic firmware.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/sev.h>

#include "lib/sev/sev_launch.h"
#include "tests/unit/tap.h"

static const struct cgs_check *find(const struct cgs_verdict *v, const char *name,
				    enum cgs_check_result r, enum cgs_check_class cls)
{
	const struct cgs_check *c = cgs_verdict_find(v, name);

	return c && c->result == r && c->cls == cls ? c : NULL;
}

static void mkblob(struct cgs_sev_verify_in *in, const uint8_t digest[32])
{
	struct sev_launch_params p = { 0 };

	p.api_major = in->api_major, p.api_minor = in->api_minor, p.build = in->build;
	p.policy = in->policy;
	memcpy(p.digest, digest, 32);
	memcpy(p.mnonce, in->mnonce, 16);
	sev_launch_measure(in->tik, 16, &p, in->measure, NULL);
}

static void test_launch(void)
{
	static const char *const skip_mode[] = { "policy-mode" }, *const skip_auth[] = { "launch-measure" };
	struct cgs_sev_expected_list l = { 0 };
	struct cgs_sev_verify_in in = { 0 };
	struct cgs_sev_verify_result r;
	struct cgs_diag d = { 0 };
	uint8_t dig[32];

	for (int i = 0; i < 32; i++)
		dig[i] = (uint8_t)(3 * i + 1), in.tik[i % 16] = (uint8_t)(i + 7);
	memset(in.mnonce, 0x5a, 16);
	in.api_major = 1, in.api_minor = 55, in.build = 21, in.policy = 1;
	mkblob(&in, dig);
	in.expected = &l;
	is_int(cgs_sev_verify(&in, &r, &d), CGS_E_USAGE, "no expected digest: usage");
	is_int(cgs_sev_expected_add_digest(&l, dig, "--expected-digest", &d), CGS_OK, "add digest");
	is_int(cgs_sev_verify(&in, &r, &d), CGS_OK, "verify: the checks ran");
	ok(r.verified && r.match == &l.v[0], "verified, matching the digest given");
	ok(find(&r.verdict, "launch-measure", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY) &&
	       find(&r.verdict, "policy-mode", CGS_CHECK_SKIP, CGS_CHECK_POLICY),
	   "launch-measure pass (authenticity), policy-mode skip (no mode)");
	cgs_sev_verify_result_free(&r);
	l.v[0].mode = "seves"; /* as if from a seves document: the policy's ES bit is clear */
	is_int(cgs_sev_verify(&in, &r, &d), CGS_OK, "verify against a seves expectation");
	ok(!r.verified && find(&r.verdict, "policy-mode", CGS_CHECK_FAIL, CGS_CHECK_POLICY),
	   "policy-mode fails");
	cgs_sev_verify_result_free(&r);
	in.skip = skip_mode, in.n_skip = 1;
	is_int(cgs_sev_verify(&in, &r, &d), CGS_OK, "verify with --skip policy-mode");
	ok(r.verified && find(&r.verdict, "policy-mode", CGS_CHECK_SKIP, CGS_CHECK_POLICY),
	   "a skipped policy check: verified, listed as skip");
	cgs_sev_verify_result_free(&r);
	in.skip = skip_auth;
	is_int(cgs_sev_verify(&in, &r, &d), CGS_E_USAGE, "skipping launch-measure is refused");
	in.n_skip = 0;
	in.tik[15] ^= 1; /* last byte of the TIK */
	is_int(cgs_sev_verify(&in, &r, &d), CGS_OK, "verify under another TIK");
	ok(!r.verified && find(&r.verdict, "launch-measure", CGS_CHECK_FAIL, CGS_CHECK_AUTHENTICITY),
	   "another TIK fails launch-measure");
	cgs_sev_verify_result_free(&r);
	cgs_sev_expected_free(&l);
}

static void test_measure(const char *vec)
{
	char path[512];
	struct cgs_sev_measure_inputs in;
	struct cgs_sev_measure_result *r = calloc(1, sizeof(*r));
	struct cgs_diag d = { 0 };

	snprintf(path, sizeof(path), "%s/sev/inputs/bookworm_OVMF.fd", vec);
	cgs_sev_measure_inputs_init(&in);
	in.mode = CGS_SEV_MODE_SEV;
	in.ovmf = path;
	is_int(cgs_sev_measure(&in, r, &d), CGS_OK, "cgs_sev_measure, mode sev");
	ok(r->digest_len == 32 && r->ovmf.present && r->ovmf.size > 0 &&
	       !memcmp(r->digest, r->ovmf.sha256, 32),
	   "sev without kernel: the digest is the firmware's SHA-256 (an intermediate)");
	in.ovmf = "/nonexistent/ovmf.fd";
	is_int(cgs_sev_measure(&in, r, &d), CGS_E_NOINPUT, "a missing firmware");
	is_str(r->err_file, "/nonexistent/ovmf.fd", "err_file names it");
	free(r);
}

static uint8_t *slurp(const char *vec, const char *name, size_t *len)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/snp/legacy-sev/%s", vec, name);
	return tap_slurp(p, len);
}

static void test_chain(const char *vec)
{
	static const char *const names[CGS_SEV_N_CERTS] = {
		"naples_ark.cert",	"naples_ask.cert",	"naples_test_cek.cert",
		"naples_test_oca.cert", "naples_test_pek.cert", "naples_test_pdh.cert" };
	struct cgs_sev_chain_in in = { 0 };
	struct cgs_sev_chain_result r;
	struct cgs_diag d = { 0 };
	uint8_t *buf[CGS_SEV_N_CERTS];
	int all = 1;

	for (int i = 0; i < CGS_SEV_N_CERTS; i++) {
		buf[i] = slurp(vec, names[i], &in.cert_len[i]);
		in.cert[i] = buf[i];
		all &= buf[i] != NULL;
	}
	if (ok(all, "read the Naples chain")) {
		is_int(cgs_sev_chain_verify(&in, &r, &d), CGS_OK, "chain: the checks ran");
		ok(r.verified && r.product && !strcmp(r.product, "Naples"), "verified, pinned Naples ARK");
		ok(find(&r.verdict, "ark-pinned", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY) &&
		       find(&r.verdict, "pdh-signature", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY),
		   "ark-pinned and pdh-signature: pass, authenticity");
		cgs_sev_chain_result_free(&r);
		buf[CGS_SEV_PEK][0x40] ^= 1; /* in the PEK's public key */
		is_int(cgs_sev_chain_verify(&in, &r, &d), CGS_OK, "chain with a flipped PEK byte");
		ok(!r.verified, "is not verified");
		cgs_sev_chain_result_free(&r);
		in.cert_len[CGS_SEV_ASK] = 10;
		is_int(cgs_sev_chain_verify(&in, &r, &d), CGS_E_MALFORMED, "a truncated ASK");
		is_int(r.err_input, CGS_SEV_ASK, "err_input names the ASK");
	}
	for (int i = 0; i < CGS_SEV_N_CERTS; i++)
		free(buf[i]);
}

int main(void)
{
	const char *vec = tap_vectors();

	test_launch();
	if (vec) {
		test_measure(vec);
		test_chain(vec);
	} else {
		ok(1, "# SKIP ../shared/vectors absent: the measure and Naples chain tests did not run");
	}
	return tap_done();
}
