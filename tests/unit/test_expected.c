// SPDX-License-Identifier: MIT
/*
 * The one --expected reader (lib/core/expected): the SNP and SEV schemas, and
 * a TDX-shaped schema declared here to show a new mode needs only a table.
 */
#include <string.h>

#include "lib/core/expected.h"
#include "lib/sev/sev_expected.h"
#include "lib/snp/snp_expected.h"
#include "tests/unit/tap.h"

#define H48 "\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f\""
#define HDR "\"schema_version\": 1, \"tool\": \"cgs-measure\", "

static const struct cgs_expected_field tdx_fields[] = {
	{ "mrtd", CGS_XT_HEX, 1, 48, 0, NULL, NULL },
	{ "rtmr0", CGS_XT_HEX, 0, 48, 0, NULL, NULL },
	{ "rtmr1", CGS_XT_HEX, 0, 48, 0, NULL, NULL },
	{ "rtmr2", CGS_XT_HEX, 0, 48, 0, NULL, NULL },
	{ "rtmr3", CGS_XT_HEX, 0, 48, 0, NULL, NULL },
};
static const struct cgs_expected_mode tdx_modes[] = { { "tdx", tdx_fields, 5 } };
static const struct cgs_expected_schema tdx_schema = { "cgs-measure", "a TDX measurement",
						       tdx_modes, 1, NULL, 0 };

/* parse text against a schema: the error code, and the diagnostic's field */
static enum cgs_err try(const struct cgs_expected_schema *s, const char *text, const char *field)
{
	struct cgs_expected_set set;
	struct cgs_diag d;
	enum cgs_err e;

	memset(&d, 0, sizeof(d));
	e = cgs_expected_parse(text, strlen(text), s, &set, &d);
	if (!e)
		cgs_expected_free(&set);
	else if (field && strcmp(d.field, field))
		ok(0, "field '%s' named, got '%s' (%s)", field, d.field, d.text);
	return e;
}

static void test_snp(void)
{
	const struct cgs_expected_schema *s = &snp_expected_schema;
	struct cgs_expected_set set;
	struct cgs_snp_expected e;
	struct cgs_diag d;
	const char *good = "{" HDR "\"mode\": \"snp\", \"digest_alg\": \"sha384\", \"measurement\": " H48
			   ", \"guest_svn\": 7, \"policy\": \"0x30000\", \"future\": [null]}";

	is_int(cgs_expected_parse(good, strlen(good), s, &set, &d), CGS_OK, "snp: valid document");
	is_int((long long)set.n, 1, "snp: one document");
	snp_expected_from_doc(&set.docs[0], &e);
	ok(e.measurement[47] == 0x2f && e.has_guest_svn && e.guest_svn == 7 && e.has_policy &&
	       e.policy == 0x30000 && !e.has_family_id && !e.has_id_key_digest,
	   "snp: values decoded, absent ones absent");
	cgs_expected_free(&set);
	is_int(try(s, "{" HDR "\"mode\": \"snp:svsm\", \"digest_alg\": \"sha384\", \"measurement\": " H48 "}", NULL),
	       CGS_OK, "snp: mode snp:svsm");
	is_int(try(s, "{" HDR "\"mode\": \"snp:\", \"digest_alg\": \"sha384\", \"measurement\": " H48 "}", "mode"),
	       CGS_E_MALFORMED, "snp: no prefix match of the mode");
	is_int(try(s, "{" HDR "\"measurement\": " H48 ", \"id_block\": \"AA==\", \"id_auth\": \"AA==\", "
		      "\"id_key_digest\": " H48 "}", NULL),
	       CGS_OK, "snp: an id-block document (no mode)");
	is_int(try(s, "{" HDR "\"measurement\": " H48 ", \"id_block\": \"AA==\", \"id_key_digest\": " H48 "}",
		   "id_auth"),
	       CGS_E_MALFORMED, "snp: id-block document without id_auth");
	is_int(try(s, "{" HDR "\"mode\": \"snp\", \"digest_alg\": \"sha384\", \"measurement\": " H48
		      ", \"author_key_digest\": null}", "author_key_digest"),
	       CGS_E_MALFORMED, "snp: null is not a value");
	is_int(try(s, "{\"schema_version\": 2, \"tool\": \"cgs-measure\"}", "schema_version"),
	       CGS_E_UNSUPPORTED, "snp: schema_version 2 is unsupported");
	is_int(try(s, "{\"schema_version\": 1, \"tool\": \"cgs-verify\", \"verified\": true}", "tool"),
	       CGS_E_MALFORMED, "snp: a verdict is refused");
	is_int(try(s, "[]", NULL), CGS_E_MALFORMED, "snp: an empty array");
	is_int(try(s, "[" "{" HDR "\"mode\": \"snp\", \"digest_alg\": \"sha384\", \"measurement\": " H48 "}, 5]",
		   NULL),
	       CGS_E_MALFORMED, "snp: an array with a non-object");
}

static void test_sev_tdx(void)
{
	const char *tdx = "{" HDR "\"mode\": \"tdx\", \"mrtd\": " H48 ", \"rtmr0\": " H48 "}";
	struct cgs_expected_set set;
	struct cgs_diag d;
	uint8_t v[48];

	is_int(try(&sev_expected_schema,
		   "{" HDR "\"mode\": \"seves\", \"digest_alg\": \"sha256\", \"measurement\": "
		   "\"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f\"}", NULL),
	       CGS_OK, "sev: a seves document");
	is_int(try(&sev_expected_schema,
		   "{" HDR "\"mode\": \"snp\", \"digest_alg\": \"sha384\", \"measurement\": " H48 "}", "mode"),
	       CGS_E_MALFORMED, "sev: an SNP document is refused");
	is_int(try(&tdx_schema, tdx, NULL), CGS_OK, "tdx: a table is all a new mode needs");
	is_int(cgs_expected_parse(tdx, strlen(tdx), &tdx_schema, &set, &d), CGS_OK, "tdx: parse");
	ok(cgs_expected_hex(&set.docs[0], "rtmr0", v, 48) && v[1] == 1 &&
	       !cgs_expected_hex(&set.docs[0], "rtmr1", v, 48),
	   "tdx: getters see present and absent keys");
	cgs_expected_free(&set);
	is_int(try(&tdx_schema, "{" HDR "\"mode\": \"tdx\", \"mrtd\": " H48 ", \"rtmr3\": {}}", "rtmr3"),
	       CGS_E_MALFORMED, "tdx: rtmr3 of the wrong type");
	is_int(try(&tdx_schema, "{" HDR "\"mode\": \"tdx\"}", "mrtd"), CGS_E_MALFORMED,
	       "tdx: mrtd required");
}

int main(void)
{
	test_snp();
	test_sev_tdx();
	return tap_done();
}
