// SPDX-License-Identifier: MIT
/* The shared verdict object: ordering, the verified rule, and --skip classes. */
#include <string.h>

#include "lib/core/verdict.h"
#include "tests/unit/tap.h"

static const struct cgs_check_def defs[] = {
	{ "signature", CGS_CHECK_AUTHENTICITY, "report signed by the VEK" },
	{ "measurement", CGS_CHECK_POLICY, "launch digest as expected" },
	{ "crl", CGS_CHECK_POLICY, "certificates not revoked" },
};
#define NDEFS (sizeof(defs) / sizeof(defs[0]))

int main(void)
{
	struct cgs_verdict v;
	struct cgs_diag d;
	struct json_object *a;

	cgs_verdict_init(&v);
	ok(!cgs_verdict_verified(&v), "an empty verdict is not verified");
	ok(cgs_verdict_add(&v, "signature", CGS_CHECK_AUTHENTICITY, CGS_CHECK_PASS, NULL, NULL,
			   NULL) != NULL,
	   "add a passing authenticity check");
	ok(cgs_verdict_add(&v, "measurement", CGS_CHECK_POLICY, CGS_CHECK_SKIP, "", "", "%s",
			   "skipped by --skip measurement") != NULL,
	   "add a skipped policy check");
	ok(cgs_verdict_verified(&v), "pass + skipped policy check is verified");
	is_str(cgs_verdict_find(&v, "measurement")->reason, "skipped by --skip measurement",
	       "reason is formatted");
	cgs_verdict_add(&v, "crl", CGS_CHECK_POLICY, CGS_CHECK_FAIL, "not revoked", "revoked",
			"serial %d", 7);
	ok(!cgs_verdict_verified(&v), "a failed policy check is not verified");
	cgs_verdict_free(&v);

	cgs_verdict_add(&v, "signature", CGS_CHECK_AUTHENTICITY, CGS_CHECK_SKIP, NULL, NULL, NULL);
	ok(!cgs_verdict_verified(&v), "a skipped authenticity check is never verified");
	cgs_verdict_free(&v);

	for (int i = 0; i < 40; i++)
		cgs_verdict_add(&v, "x", CGS_CHECK_POLICY, CGS_CHECK_PASS, NULL, NULL, "%d", i);
	is_int((long long)v.n, 40, "the list grows past its first allocation");
	is_str(v.checks[39].reason, "39", "the 40th check kept its reason");
	a = cgs_verdict_json_checks(&v);
	is_int((long long)json_object_array_length(a), 40, "JSON lists every check");
	is_str(json_object_get_string(json_object_object_get(json_object_array_get_idx(a, 0),
							     "result")),
	       "pass", "JSON result string");
	json_object_put(a);
	cgs_verdict_free(&v);

	is_int(cgs_skip_validate(defs, NDEFS, "crl", &d), CGS_OK, "a policy check may be skipped");
	is_int(cgs_skip_validate(defs, NDEFS, "signature", &d), CGS_E_USAGE,
	       "an authenticity check may not be skipped");
	ok(strstr(d.text, "cannot be skipped") != NULL, "and the message says why: %s", d.text);
	is_int(cgs_skip_validate(defs, NDEFS, "sig", &d), CGS_E_USAGE, "unknown names are refused");
	ok(strstr(d.text, "measurement, crl") != NULL, "and the skippable names are listed: %s",
	   d.text);
	is_int(cgs_err_exit(CGS_E_NETWORK), 1, "a network failure is a runtime failure (1)");
	return tap_done();
}
