// SPDX-License-Identifier: MIT
/*
 * formats/tdx_quote and formats/tdx_collateral on synthetic bytes (every size
 * rule and refusal, the signed-span finder), lib/tdx/tdx_tcb (QVL's level
 * matching, convergence and relaunch rule), and the real quotes of
 * ../shared/vectors/tdx-quote when present.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/tdx_collateral.h"
#include "formats/tdx_quote.h"
#include "lib/core/endian.h"
#include "lib/tdx/tdx_tcb.h"
#include "tap.h"

#define CHAIN "-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n"

/* a synthetic quote (unsigned): version, body type (v5), auth data size, trailing bytes */
static size_t mk(uint8_t *q, int version, int td15, size_t trailing)
{
	size_t hdr = version == 5 ? 54 : 48, blen = td15 ? 648 : 584, s, c, n = strlen(CHAIN);

	memset(q, 0, 4096);
	cgs_put_le16(q, (uint16_t)version);
	cgs_put_le16(q + 2, 2);
	cgs_put_le32(q + 4, 0x81);
	memcpy(q + 12, tdx_intel_qe_vendor_id, 16);
	if (version == 5) {
		cgs_put_le16(q + 48, td15 ? 3 : 2);
		cgs_put_le32(q + 50, (uint32_t)blen);
	}
	q[hdr + 136] = 0x5a; /* MRTD[0] */
	cgs_put_le64(q + hdr + 120, 0x10000001);
	s = hdr + blen + 4;
	cgs_put_le16(q + s + 128, 6);
	c = s + 134;
	cgs_put_le16(q + c + 258, 7); /* QE ISVSVN */
	cgs_put_le16(q + c + 448, 32);
	cgs_put_le16(q + c + 482, 5);
	cgs_put_le32(q + c + 484, (uint32_t)n);
	memcpy(q + c + 488, CHAIN, n);
	cgs_put_le32(q + s + 130, (uint32_t)(488 + n));
	cgs_put_le32(q + s - 4, (uint32_t)(134 + 488 + n));
	return c + 488 + n + trailing;
}

static void test_parse(void)
{
	static uint8_t q[4096];
	struct tdx_quote t;
	struct cgs_diag d;
	size_t len = mk(q, 4, 0, 0);

	is_int(tdx_quote_parse(q, len, &t, &d), CGS_OK, "v4 TD10 parses");
	is_int(t.signed_len, 632, "v4 signs header + body (632 bytes)");
	is_int(t.body.mrtd[0], 0x5a, "MRTD at body offset 136");
	is_int((long long)t.td_attributes, 0x10000001, "TDATTRIBUTES as a u64");
	is_int(t.qe.isvsvn, 7, "QE ISVSVN");
	is_int(t.pck_chain_off, 632 + 4 + 134 + 488, "PCK chain offset");
	is_int(t.trailing, 0, "no trailing bytes");
	len = mk(q, 5, 1, 39);
	is_int(tdx_quote_parse(q, len, &t, &d), CGS_OK, "v5 TD15 parses with 39 trailing bytes");
	is_int(t.body_type, TDX_BODY_TD15, "TD15");
	is_int(t.signed_len, 54 + 648, "v5 signs header + descriptor + body");
	is_int(t.body.mrtd[0], 0x5a, "v5 MRTD at 54 + 136");
	is_int(t.trailing, 39, "trailing bytes counted");
	len = mk(q, 5, 0, 0);
	is_int(tdx_quote_parse(q, len, &t, &d), CGS_OK, "v5 TD10 parses");
	is_str(tdx_body_type_name(t.body_type), "TD10", "TD10");
}

static void expect_err(uint8_t *q, size_t len, enum cgs_err want, const char *field,
		       const char *name)
{
	struct tdx_quote t;
	struct cgs_diag d;

	memset(&d, 0, sizeof(d));
	is_int(tdx_quote_parse(q, len, &t, &d), want, name);
	is_str(d.field, field, name);
}

static void test_refusals(void)
{
	static uint8_t q[4096];
	size_t len = mk(q, 4, 0, 0);

	for (size_t cut = 0; cut < len; cut += 97)
		expect_err(q, cut, CGS_E_MALFORMED,
			   cut < 48    ? "header"
			   : cut < 632 ? "body"
				       : "sig_data_len",
			   "a truncated quote is refused");
	q[0] = 3;
	expect_err(q, len, CGS_E_UNSUPPORTED, "version", "version 3 (SGX) refused");
	len = mk(q, 4, 0, 0);
	q[2] = 3;
	expect_err(q, len, CGS_E_UNSUPPORTED, "att_key_type", "P-384 key type refused");
	len = mk(q, 4, 0, 0);
	q[4] = 0;
	expect_err(q, len, CGS_E_UNSUPPORTED, "tee_type", "SGX TEE type refused");
	len = mk(q, 4, 0, 0);
	q[12] ^= 1;
	expect_err(q, len, CGS_E_UNSUPPORTED, "qe_vendor_id", "another QE vendor refused");
	len = mk(q, 5, 1, 0);
	q[50] ^= 1;
	expect_err(q, len, CGS_E_MALFORMED, "body_size", "v5 type/size disagree");
	len = mk(q, 5, 1, 0);
	q[48] = 1;
	expect_err(q, len, CGS_E_UNSUPPORTED, "body_type", "an SGX body in a TDX quote");
	len = mk(q, 4, 0, 0);
	cgs_put_le16(q + 636 + 128, 5);
	expect_err(q, len, CGS_E_UNSUPPORTED, "cert_type", "outer certification type 5 refused");
	len = mk(q, 4, 0, 0);
	cgs_put_le32(q + 636 + 130, cgs_le32(q + 636 + 130) - 1);
	expect_err(q, len, CGS_E_MALFORMED, "cert_size", "cert data not ending the sig data");
	len = mk(q, 4, 0, 0);
	cgs_put_le16(q + 770 + 482, 4);
	expect_err(q, len, CGS_E_UNSUPPORTED, "pck_cert_type", "inner type 4 refused");
	len = mk(q, 4, 0, 0);
	cgs_put_le32(q + 632, 0xffffffffu);
	expect_err(q, len, CGS_E_MALFORMED, "sig_data_len", "a huge signature data length");
	len = mk(q, 4, 0, 0);
	cgs_put_le16(q + 770 + 448, 0xffff);
	expect_err(q, len, CGS_E_MALFORMED, "qe_auth_data", "a huge QE auth data size");
	len = mk(q, 4, 0, 0);
	cgs_put_le32(q + 770 + 484, 1000);
	expect_err(q, len, CGS_E_MALFORMED, "pck_cert_size", "a PCK chain size overrun");
}

static void test_fields(void)
{
	struct tdx_td_body b;
	const struct tdx_body_field *f = tdx_body_field_find("rtmr2");

	memset(&b, 0, sizeof(b));
	b.rtmr[2][0] = 0x77;
	ok(f && f->off == 424 && f->size == 48, "rtmr2 at body offset 424");
	ok(f && tdx_body_field_ptr(&b, f)[0] == 0x77, "the field table points into the struct");
	f = tdx_body_field_find("mrservicetd");
	ok(f && f->off == 600 && f->td15, "mrservicetd is TD15 at 600");
	ok(!tdx_body_field_find("nosuch"), "unknown field");
}

#define SIG                                                                                        \
	"\"signature\":\""                                                                         \
	"0101010101010101010101010101010101010101010101010101010101010101"                         \
	"0202020202020202020202020202020202020202020202020202020202020202\""

static void test_span(void)
{
	static const char *doc =
	    "{ \"x\": \"\\\"tcbInfo\\\": {\", \"tcbInfo\" :\n {\"a\":\"}\",\"b\":[{}]} ," SIG "}";
	struct tdx_signed_doc s;
	struct cgs_diag d;

	is_int(tdx_signed_doc_parse((const uint8_t *)doc, strlen(doc), "tcbInfo", &s, &d), CGS_OK,
	       "the signed span is found past a decoy in a string");
	ok(s.body_len == strlen("{\"a\":\"}\",\"b\":[{}]}") &&
	       !memcmp(doc + s.body_off, "{\"a\":\"}\",\"b\":[{}]}", s.body_len),
	   "the span is the exact bytes of the object");
	is_int(s.signature[32], 2, "the signature is decoded");
	doc = "{\"tcbInfo\":{},\"tcbInfo\":{}," SIG "}";
	is_int(tdx_signed_doc_parse((const uint8_t *)doc, strlen(doc), "tcbInfo", &s, &d),
	       CGS_E_MALFORMED, "a duplicate member is refused");
	doc = "{\"tcbInfo\":[]," SIG "}";
	is_int(tdx_signed_doc_parse((const uint8_t *)doc, strlen(doc), "tcbInfo", &s, &d),
	       CGS_E_MALFORMED, "a member that is not an object is refused");
	doc = "{\"tcbInfo\":{},\"signature\":\"00\"}";
	is_int(tdx_signed_doc_parse((const uint8_t *)doc, strlen(doc), "tcbInfo", &s, &d),
	       CGS_E_MALFORMED, "a short signature is refused");
	doc = "{\"tcbInfo\":{}," SIG;
	is_int(tdx_signed_doc_parse((const uint8_t *)doc, strlen(doc), "tcbInfo", &s, &d),
	       CGS_E_MALFORMED, "truncated JSON is refused");
}

static const char *const comps =
    "[{\"svn\":5},{\"svn\":5},{\"svn\":2},{\"svn\":2},{\"svn\":3},{\"svn\":1},{\"svn\":0},"
    "{\"svn\":3},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},{\"svn\":0},"
    "{\"svn\":0},{\"svn\":0}]";

static size_t tcbinfo(char *buf, size_t size, const char *status, const char *extra)
{
	return (size_t)snprintf(
	    buf, size,
	    "{\"tcbInfo\":{\"id\":\"TDX\",\"version\":3,\"issueDate\":\"2025-06-19T10:32:27Z\","
	    "\"nextUpdate\":\"2025-07-19T10:32:27Z\",\"fmspc\":\"B0C06F000000\",\"pceId\":\"0000\","
	    "\"tcbType\":0,\"tcbEvaluationDataNumber\":17,\"tdxModule\":{\"mrsigner\":\"%096d\","
	    "\"attributes\":\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\"},"
	    "\"tdxModuleIdentities\":[{\"id\":\"TDX_01\",\"mrsigner\":\"%096d\",\"attributes\":"
	    "\"0000000000000000\",\"attributesMask\":\"FFFFFFFFFFFFFFFF\",\"tcbLevels\":[{\"tcb\":"
	    "{\"isvsvn\":4},\"tcbDate\":\"x\",\"tcbStatus\":\"UpToDate\"},{\"tcb\":{\"isvsvn\":2},"
	    "\"tcbDate\":\"x\",\"tcbStatus\":\"OutOfDate\"}]}],"
	    "\"tcbLevels\":[{\"tcb\":{\"sgxtcbcomponents\":%s,\"pcesvn\":11,\"tdxtcbcomponents\":%"
	    "s},"
	    "\"tcbDate\":\"2024-03-13T00:00:00Z\",\"tcbStatus\":\"%s\",\"advisoryIDs\":"
	    "[\"INTEL-SA-00960\"]%s}]}," SIG "}",
	    0, 0, comps, comps, status, extra);
}

static void test_tcb_info(void)
{
	static struct tdx_tcb_info t;
	static char buf[8192];
	struct cgs_diag d;
	size_t n = tcbinfo(buf, sizeof(buf), "ConfigurationNeeded", "");

	is_int(tdx_tcb_info_parse((const uint8_t *)buf, n, &t, &d), CGS_OK, "TCB Info v3 reads");
	ok(!strcmp(t.id, "TDX") && t.version == 3 && t.eval_num == 17, "id, version, number");
	is_int(t.fmspc[0], 0xb0, "FMSPC from upper-case hex");
	is_int((long long)t.issue, 1750329147, "issueDate as a time");
	is_int(t.n_levels, 1, "one level");
	is_int(t.levels[0].st.status, TDX_TCB_CONFIGURATION_NEEDED, "status");
	is_str(t.levels[0].st.advisories[0], "INTEL-SA-00960", "advisory");
	is_int(t.levels[0].pcesvn, 11, "pcesvn");
	ok(tdx_tcb_info_module(&t, 1) && !tdx_tcb_info_module(&t, 3), "module identity TDX_01");
	n = tcbinfo(buf, sizeof(buf), "Fine", "");
	is_int(tdx_tcb_info_parse((const uint8_t *)buf, n, &t, &d), CGS_E_MALFORMED,
	       "an unknown status is refused");
	ok(strstr(d.text, "tcbLevels[0]") != NULL, "the message names the level");
	n = tcbinfo(buf, sizeof(buf), "TDRelaunchAdvised", "");
	is_int(tdx_tcb_info_parse((const uint8_t *)buf, n, &t, &d), CGS_E_MALFORMED,
	       "a derived status is not a level's");
}

static void test_qe_identity(void)
{
	static struct tdx_qe_identity q;
	const char *doc =
	    "{\"enclaveIdentity\":{\"id\":\"TD_QE\",\"version\":2,\"issueDate\":"
	    "\"2025-06-19T10:32:27Z\",\"nextUpdate\":\"2025-07-19T10:32:27+02:00\","
	    "\"tcbEvaluationDataNumber\":17,\"miscselect\":\"00000001\",\"miscselectMask\":"
	    "\"FFFFFFFF\",\"attributes\":\"11000000000000000000000000000000\",\"attributesMask\":"
	    "\"FBFFFFFFFFFFFFFF0000000000000000\",\"mrsigner\":"
	    "\"DC9E2A7C6F948F17474E34A7FC43ED030F7C1563F1BABDDF6340C82E0E54A8C5\","
	    "\"isvprodid\":2,\"tcbLevels\":[{\"tcb\":{\"isvsvn\":4},\"tcbDate\":\"x\","
	    "\"tcbStatus\":"
	    "\"UpToDate\"},{\"tcb\":{\"isvsvn\":2},\"tcbDate\":\"x\",\"tcbStatus\":\"OutOfDate\"}]}"
	    "," SIG "}";
	struct cgs_diag d;

	is_int(tdx_qe_identity_parse((const uint8_t *)doc, strlen(doc), &q, &d), CGS_OK,
	       "QE Identity v2 reads");
	is_int(q.miscselect, 1, "miscselect is the big-endian text of the u32");
	is_int((long long)q.next, 1752921147 - 7200, "a +02:00 offset is applied");
	is_int(tdx_tcb_qe_status(&q, 5), TDX_TCB_UP_TO_DATE, "QE ISVSVN 5: UpToDate");
	is_int(tdx_tcb_qe_status(&q, 3), TDX_TCB_OUT_OF_DATE, "QE ISVSVN 3: OutOfDate");
	is_int(tdx_tcb_qe_status(&q, 1), TDX_TCB_NOT_SUPPORTED, "QE ISVSVN 1: not supported");
}

static void test_converge(void)
{
	is_int(tdx_tcb_converge(TDX_TCB_SW_HARDENING_NEEDED, TDX_TCB_OUT_OF_DATE),
	       TDX_TCB_OUT_OF_DATE, "SWHardeningNeeded + OutOfDate");
	is_int(tdx_tcb_converge(TDX_TCB_CONFIGURATION_AND_SW_HARDENING_NEEDED, TDX_TCB_OUT_OF_DATE),
	       TDX_TCB_OUT_OF_DATE_CONFIGURATION_NEEDED, "ConfigurationAndSW + OutOfDate");
	is_int(tdx_tcb_converge(TDX_TCB_UP_TO_DATE, TDX_TCB_REVOKED), TDX_TCB_REVOKED,
	       "Revoked wins");
	is_int(tdx_tcb_converge(TDX_TCB_CONFIGURATION_NEEDED, TDX_TCB_SW_HARDENING_NEEDED),
	       TDX_TCB_CONFIGURATION_NEEDED, "a better status leaves the base");
	is_int(tdx_tcb_converge(TDX_TCB_UP_TO_DATE, TDX_TCB_NOT_SUPPORTED), TDX_TCB_NOT_SUPPORTED,
	       "not supported wins");
}

static void test_vectors(void)
{
	static const struct {
		const char *path;
		int version;
		size_t trailing;
	} v[] = {
	    {"dcap-qvl/tdx_quote", 4, 70},
	    {"dcap-qvl/tdx_quote_outdated", 5, 0},
	    {"go-tdx-guest/quote_v5_sample.dat", 5, 0},
	    {"go-tdx-guest/tdx_prod_quote_SPR_E4.dat", 4, 39},
	    {"go-tdx-guest/cos-113-tdx-quote.dat", 4, 3065},
	    {"automata/quotev4.bin", 4, 3065},
	    {"trustee/tdx_quote_4.dat", 4, 0},
	};
	const char *dir = tap_vectors();
	char path[512];

	if (!dir) {
		ok(1, "# SKIP ../shared/vectors not present: the real quotes are not parsed");
		return;
	}
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		struct tdx_quote q;
		struct cgs_diag d;
		size_t len;
		uint8_t *b;

		snprintf(path, sizeof(path), "%s/tdx-quote/%s", dir, v[i].path);
		b = tap_slurp(path, &len);
		ok(b && !tdx_quote_parse(b, len, &q, &d) && q.version == v[i].version &&
		       q.trailing == v[i].trailing && q.qe_auth_len == 32,
		   "%s parses (version %d, %zu trailing bytes)", v[i].path, v[i].version,
		   v[i].trailing);
		free(b);
	}
}

int main(void)
{
	test_parse();
	test_refusals();
	test_fields();
	test_span();
	test_tcb_info();
	test_qe_identity();
	test_converge();
	test_vectors();
	return tap_done();
}
