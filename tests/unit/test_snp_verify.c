// SPDX-License-Identifier: MIT
/*
 * cgs_snp_verify() called directly: policy errors without any evidence, then
 * (with ../shared/vectors) a real Genoa v5 report and its VCEK chain: the
 * verdict object (names, classes, results), expected values, a flipped
 * byte, a missing file, and what a result holds besides the verdict.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cgs/snp.h>

#include "lib/snp/snp_verify.h"
#include "tests/unit/tap.h"

static int result_is(const struct cgs_verdict *v, const char *name, enum cgs_check_result r,
		     enum cgs_check_class cls)
{
	const struct cgs_check *c = cgs_verdict_find(v, name);

	return c && c->result == r && c->cls == cls;
}

static void test_no_evidence(void)
{
	static const char *const bad_skip[] = { "crl", "signature" };
	static const uint8_t junk[10] = { 0 };
	struct cgs_snp_inputs in = { junk, sizeof(junk) };
	struct cgs_snp_policy pol = { 0 };
	struct cgs_snp_result res;
	struct cgs_diag d = { 0 };
	size_t n, n_auth = 0;
	const struct cgs_check_def *defs = cgs_snp_checks(&n);

	for (size_t i = 0; i < n; i++)
		n_auth += defs[i].cls == CGS_CHECK_AUTHENTICITY;
	ok(n >= 30 && n_auth == 12, "the table: %zu checks, %zu of them authenticity", n, n_auth);
	pol.skip = bad_skip;
	pol.n_skip = 2;
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_E_USAGE, "skipping 'signature' is refused");
	ok(strstr(d.text, "cannot be skipped") != NULL, "and says why: %s", d.text);
	pol.n_skip = 1;
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_E_MALFORMED, "10 bytes are no report");
	is_str(res.err_action, "parse", "the error is a parse error of the report");
	ok(res.err_path == NULL && res.verdict.n == 0 && !res.verified, "and the result is empty");
	is_int(cgs_snp_policy_set(&pol, "min-tcb", "bl=300", &d), CGS_E_USAGE, "min-tcb bl=300");
	is_int(cgs_snp_policy_set(&pol, "min-firmware", "1.55.3", &d), CGS_OK, "min-firmware");
	ok(pol.has_min_firmware && pol.min_firmware[1] == 55, "min-firmware set");
	is_int(cgs_snp_policy_set(&pol, "at", "2024-01-01T00:00:00+01:00", &d), CGS_OK, "at");
	is_int((long long)pol.at, 1704063600LL, "at is UTC");
	is_int(cgs_snp_policy_set(&pol, "host-data", "abcd", &d), CGS_E_USAGE, "host-data short");
	is_int(cgs_snp_policy_set(&pol, "nosuch", "1", &d), CGS_E_USAGE, "unknown key");
}

static void test_vectors(const char *vec)
{
	static const char *const skip[] = { "crl" };
	char rep[512], chain[512], none[512];
	const char *vcek[1] = { chain }, *missing[1] = { none };
	struct cgs_snp_expected exp = { { 0 } };
	struct cgs_snp_inputs in = { 0 };
	struct cgs_snp_policy pol = { 0 };
	struct cgs_snp_result res;
	struct cgs_diag d = { 0 };
	uint8_t *buf;
	size_t len = 0;

	snprintf(rep, sizeof(rep), "%s/snp/routex-client-lua/genoa_v5_attestation_spec.bin", vec);
	snprintf(chain, sizeof(chain), "%s/snp/routex-client-lua/vcek-chain-genoa-v5.pem", vec);
	snprintf(none, sizeof(none), "%s/snp/no-such.pem", vec);
	buf = tap_slurp(rep, &len);
	if (!ok(buf && len == 1184, "read the Genoa v5 report"))
		return;
	in.report = buf, in.report_len = len, in.vcek = vcek, in.n_vcek = 1;
	pol.at = time(NULL), pol.skip = skip, pol.n_skip = 1;
	memcpy(exp.measurement, buf + 0x90, 48);
	pol.expected = &exp, pol.n_expected = 1;
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_OK, "verify: the checks ran");
	ok(res.verified && cgs_verdict_verified(&res.verdict), "the real report is verified");
	ok(result_is(&res.verdict, "signature", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY) &&
	       result_is(&res.verdict, "ark", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY) &&
	       result_is(&res.verdict, "chip-id", CGS_CHECK_PASS, CGS_CHECK_AUTHENTICITY),
	   "signature, ark, chip-id: pass, authenticity");
	ok(result_is(&res.verdict, "measurement", CGS_CHECK_PASS, CGS_CHECK_POLICY),
	   "measurement: pass, policy");
	ok(result_is(&res.verdict, "crl", CGS_CHECK_SKIP, CGS_CHECK_POLICY) &&
	       strstr(cgs_verdict_find(&res.verdict, "crl")->reason, "skipped by --skip crl"),
	   "crl: skipped by name");
	ok(!strcmp(res.verdict.checks[0].name, "signing-key"), "the first check is signing-key");
	ok(res.detail->product && res.detail->have_vek && res.detail->report.version == 5,
	   "the result holds the decoded report, product and VEK");
	cgs_snp_result_free(&res);

	exp.measurement[47] ^= 1; /* the last byte */
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_OK, "verify with another measurement");
	ok(!res.verified && result_is(&res.verdict, "measurement", CGS_CHECK_FAIL, CGS_CHECK_POLICY),
	   "a last-byte difference fails 'measurement'");
	cgs_snp_result_free(&res);
	exp.measurement[47] ^= 1;

	buf[0x50] ^= 0x80; /* REPORT_DATA: signed, free-form */
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_OK, "verify a flipped byte");
	ok(!res.verified && result_is(&res.verdict, "signature", CGS_CHECK_FAIL,
				      CGS_CHECK_AUTHENTICITY),
	   "a flipped byte fails 'signature'");
	cgs_snp_result_free(&res);
	buf[0x50] ^= 0x80;

	in.vcek = missing;
	is_int(cgs_snp_verify(&in, &pol, &res, &d), CGS_E_NOINPUT, "a missing VCEK file");
	ok(res.err_path == none && !strcmp(res.err_action, "read"), "names the file and 'read'");
	free(buf);
}

int main(void)
{
	const char *vec = tap_vectors();

	test_no_evidence();
	if (vec)
		test_vectors(vec);
	else
		ok(1, "# SKIP ../shared/vectors absent: the Genoa report tests did not run");
	return tap_done();
}
