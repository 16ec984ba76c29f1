// SPDX-License-Identifier: MIT
/*
 * Unit tests of formats/snp_report, formats/snp_certtable, keys/amd_ark and
 * keys/amd_chain. Real reports and certificates come from ../shared/vectors/snp
 * when present (expected values from its MANIFEST.md); the rest is built here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "formats/azure_hcl.h"
#include "formats/snp_certtable.h"
#include "formats/snp_report.h"
#include "keys/amd_ark.h"
#include "keys/amd_chain.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"
#include "tests/unit/tap.h"

static struct snp_report sample(uint32_t version)
{
	struct snp_report r;

	memset(&r, 0, sizeof(r));
	r.version = version;
	r.policy = 0x30000;
	r.sig_algo = 1;
	r.guest_svn = 7;
	r.vmpl = 2;
	r.reported_tcb = 0xdb18000000000004ull;
	r.cpuid_fam_id = 0x19;
	r.cpuid_mod_id = 0x11;
	r.cpuid_step = 1;
	r.launch_mit_vector = 5;
	r.current_mit_vector = 6;
	r.current_major = 1;
	r.current_minor = 55;
	r.current_build = 49;
	memset(r.measurement, 0x5a, 48);
	memset(r.chip_id, 0x11, 64);
	r.sig_r[0] = 1;
	r.sig_s[0] = 2;
	return r;
}

static void test_roundtrip(void)
{
	uint8_t raw[SNP_REPORT_SIZE];
	struct snp_report in = sample(5), out;
	struct cgs_diag d;

	snp_report_serialize(&in, raw);
	is_int(cgs_le32(raw + 0x30), 2, "VMPL at 0x30");
	is_int(raw[0x1ea], 1, "current major at 0x1ea");
	is_int((long long)cgs_le64(raw + 0x180), (long long)0xdb18000000000004ull,
	       "REPORTED_TCB at 0x180");
	is_int(raw[0x188], 0x19, "CPUID family at 0x188 (v3+)");
	is_int((long long)cgs_le64(raw + 0x1f8), 5, "launch mitigation vector at 0x1f8 (v5)");
	ok(snp_report_parse(raw, sizeof(raw), 0, &out, &d) == CGS_OK, "v5 parses");
	is_mem(out.measurement, in.measurement, 48, "measurement survives");
	ok(out.has_cpuid && out.has_mit_vectors && out.current_mit_vector == 6, "v5 fields present");
	in = sample(2);
	snp_report_serialize(&in, raw);
	is_int(raw[0x188], 0, "v2 has no CPUID bytes");
	ok(snp_report_parse(raw, sizeof(raw), 0, &out, &d) == CGS_OK && !out.has_cpuid &&
		   !out.has_mit_vectors,
	   "v2 parses without CPUID or mitigation vectors");
}

static void expect_bad(uint8_t *raw, size_t len, uint64_t allow, enum cgs_err want,
		       const char *field, uint64_t off, const char *name)
{
	struct snp_report r;
	struct cgs_diag d;

	cgs_diag_clear(&d);
	ok(snp_report_parse(raw, len, allow, &r, &d) == want && !strcmp(d.field, field) &&
		   d.offset == off,
	   "%s", name);
	if (strcmp(d.field, field) || d.offset != off)
		printf("#   field '%s' offset 0x%llx: %s\n", d.field, (unsigned long long)d.offset,
		       d.text);
}

static void test_reject(void)
{
	uint8_t raw[SNP_REPORT_SIZE], m[SNP_REPORT_SIZE + 1];
	struct snp_report in = sample(3), out;
	struct cgs_diag d;

	snp_report_serialize(&in, raw);
	expect_bad(raw, 0x2a0, 0, CGS_E_MALFORMED, "", 0x2a0, "truncated at 0x2a0");
	memcpy(m, raw, sizeof(raw));
	expect_bad(m, sizeof(m), 0, CGS_E_MALFORMED, "", SNP_REPORT_SIZE, "trailing byte");
	expect_bad(raw, 2, 0, CGS_E_MALFORMED, "version", 2, "too short for a version");
	memcpy(m, raw, sizeof(raw));
	cgs_put_le32(m, 4);
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_UNSUPPORTED, "version", 0, "version 4 refused");
	ok(snp_report_parse(m, SNP_REPORT_SIZE, 1u << 4, &out, &d) == CGS_OK && out.unknown_version,
	   "version 4 allowed by name");
	cgs_put_le32(m, 1);
	expect_bad(m, SNP_REPORT_SIZE, 1u << 1, CGS_E_UNSUPPORTED, "version", 0,
		   "version 1 cannot be allowed");
	memcpy(m, raw, sizeof(raw));
	m[0x18b] = 1;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "reserved_0x18b", 0x18b,
		   "v3 reserved after CPUID");
	memcpy(m, raw, sizeof(raw));
	m[0x1f8] = 1;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "reserved_0x1f8", 0x1f8,
		   "v3 has no mitigation vector");
	memcpy(m, raw, sizeof(raw));
	m[0x1eb] = 1;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "reserved_0x1eb", 0x1eb,
		   "reserved byte between firmware versions");
	memcpy(m, raw, sizeof(raw));
	m[0x34] = 2;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_UNSUPPORTED, "signature_algo", 0x34,
		   "signature algorithm 2");
	memcpy(m, raw, sizeof(raw));
	m[0x0a] &= (uint8_t)~0x02;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "policy", 0x8, "policy bit 17 clear");
	memcpy(m, raw, sizeof(raw));
	m[0x0b] = 0x04;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "policy", 0x8, "policy bit 26 set");
	memcpy(m, raw, sizeof(raw));
	m[0x48] = 0x20;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "key_info", 0x48, "key_info bit 5");
	memcpy(m, raw, sizeof(raw));
	m[0x48] = 3 << 2;
	expect_bad(m, SNP_REPORT_SIZE, 0, CGS_E_MALFORMED, "key_info", 0x48, "signing key 3");
	memcpy(m, raw, sizeof(raw));
	m[0x48] = 7 << 2;
	ok(snp_report_parse(m, SNP_REPORT_SIZE, 0, &out, &d) == CGS_OK &&
		   snp_report_signing_key(&out) == SNP_SIGNER_NONE,
	   "signing key NONE parses (the verifier fails it)");
}

static void test_tcb(void)
{
	const struct snp_product *milan = snp_product_by_name("milan");
	const struct snp_product *turin = snp_product_by_name("TURIN");
	uint64_t t = 0;

	/* byte positions from specs/snp-verify.md section 2.4 */
	is_int(snp_tcb_get(0xdb18000000000004ull, milan->layout, "bl"), 4, "Milan bl at byte 0");
	is_int(snp_tcb_get(0xdb18000000000004ull, milan->layout, "snp"), 24, "Milan snp at byte 6");
	is_int(snp_tcb_get(0xdb18000000000004ull, milan->layout, "ucode"), 219, "Milan ucode");
	is_int(snp_tcb_get(0xdb18000000000004ull, milan->layout, "fmc"), -1, "Milan has no fmc");
	is_int(snp_tcb_get(0x4700000002000100ull, turin->layout, "bl"), 1, "Turin bl at byte 1");
	is_int(snp_tcb_get(0x4700000002000100ull, turin->layout, "snp"), 2, "Turin snp at byte 3");
	ok(snp_tcb_set(&t, turin->layout, "fmc", 9) == CGS_OK && t == 9, "Turin fmc at byte 0");
	ok(snp_tcb_set(&t, milan->layout, "fmc", 9) == CGS_E_USAGE, "no fmc to set on Milan");
	is_str(snp_product_from_cpuid(0x19, 0x01)->name, "milan", "CPUID 19h/01h is Milan");
	is_str(snp_product_from_cpuid(0x19, 0x11)->name, "genoa", "CPUID 19h/11h is Genoa");
	is_str(snp_product_from_cpuid(0x19, 0xa0)->kds_name, "Genoa", "Zen 4c on the Genoa line");
	is_str(snp_product_from_cpuid(0x1a, 0x02)->name, "turin", "CPUID 1Ah/02h is Turin");
	ok(!snp_product_from_cpuid(0x1a, 0x50), "Venice (1Ah/50h) unknown");
	is_str(snp_product_from_kds_name("Milan-B0")->name, "milan", "productName Milan-B0");
	ok(!snp_product_from_kds_name("Milanx"), "productName Milanx unknown");
	is_str(snp_product_by_name("siena")->name, "bergamo", "siena is bergamo");
}

static void test_certtable(void)
{
	uint8_t buf[256], a[3] = { 1, 2, 3 }, b[2] = { 4, 5 };
	const uint8_t *blobs[2] = { a, b };
	size_t lens[2] = { 3, 2 }, len;
	uint8_t guids[2][16];
	struct snp_certtable t;
	struct cgs_diag d;

	memcpy(guids[0], snp_cert_kind_guid(SNP_CERT_VCEK), 16);
	memcpy(guids[1], snp_cert_kind_guid(SNP_CERT_ASK), 16);
	is_int(guids[0][0], 0x63, "VCEK GUID in RFC 4122 byte order (63da758d-...)");
	ok(snp_certtable_build(guids, blobs, lens, 2, buf, sizeof(buf), &len) == CGS_OK &&
		   len == 72 + 5,
	   "table built");
	ok(snp_certtable_parse(buf, len, &t, &d) == CGS_OK && t.n == 2 &&
		   t.e[0].kind == SNP_CERT_VCEK && t.e[1].offset == 75 && t.e[1].length == 2,
	   "table parses");
	ok(snp_certtable_parse(buf, 0, &t, &d) == CGS_OK && t.n == 0, "empty buffer: no certs");
	ok(snp_certtable_parse(buf, 60, &t, &d) == CGS_E_MALFORMED, "no terminator in buffer");
	cgs_put_le32(buf + 20, 0xffffffffu);
	ok(snp_certtable_parse(buf, len, &t, &d) == CGS_E_MALFORMED && !strcmp(d.field, "length"),
	   "length past the end (no 32-bit wrap)");
	cgs_put_le32(buf + 16, 0xfffffff0u);
	cgs_put_le32(buf + 20, 0x20);
	ok(snp_certtable_parse(buf, len, &t, &d) == CGS_E_MALFORMED, "offset+length overflow");
	cgs_put_le32(buf + 16, 8);
	cgs_put_le32(buf + 20, 3);
	ok(snp_certtable_parse(buf, len, &t, &d) == CGS_E_MALFORMED && !strcmp(d.field, "offset"),
	   "blob inside the table");
	snp_certtable_build(guids, blobs, lens, 2, buf, sizeof(buf), &len);
	memcpy(buf + 24, guids[0], 16);
	ok(snp_certtable_parse(buf, len, &t, &d) == CGS_E_MALFORMED && !strcmp(d.field, "guid"),
	   "duplicate GUID");
	ok(snp_certtable_build(guids, blobs, lens, 2, buf, 40, &len) == CGS_E_USAGE,
	   "build refuses a small buffer");
}

static void test_signature(void)
{
	EVP_PKEY *k = EVP_EC_gen("P-384");
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	uint8_t data[SNP_REPORT_SIGNED_LEN], r[72] = { 0 }, s[72] = { 0 }, der[128];
	const unsigned char *p = der;
	size_t len = sizeof(der);
	ECDSA_SIG *sig;
	const BIGNUM *br, *bs;
	struct cgs_diag d;

	memset(data, 0x42, sizeof(data));
	if (!k || !ctx || EVP_DigestSignInit(ctx, NULL, EVP_sha384(), NULL, k) != 1 ||
	    EVP_DigestSign(ctx, der, &len, data, sizeof(data)) != 1 ||
	    !(sig = d2i_ECDSA_SIG(NULL, &p, (long)len))) {
		ok(0, "cannot make a test signature");
		return;
	}
	ECDSA_SIG_get0(sig, &br, &bs);
	BN_bn2lebinpad(br, r, 72);
	BN_bn2lebinpad(bs, s, 72);
	ok(amd_report_sig_verify(k, data, sizeof(data), r, s, &d) == CGS_OK,
	   "little-endian r/s verify (OpenSSL-made signature)");
	data[5] ^= 1;
	ok(amd_report_sig_verify(k, data, sizeof(data), r, s, &d) == CGS_E_VERIFY,
	   "changed data fails");
	data[5] ^= 1;
	r[60] = 1;
	ok(amd_report_sig_verify(k, data, sizeof(data), r, s, &d) == CGS_E_VERIFY,
	   "r with high bytes set fails");
	memset(r, 0, sizeof(r));
	ok(amd_report_sig_verify(k, data, sizeof(data), r, s, &d) == CGS_E_VERIFY, "r = 0 fails");
	ECDSA_SIG_free(sig);
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(k);
}

static const char *snp_vectors(void)
{
	static char path[512];
	const char *v = getenv("CGS_VECTORS");
	FILE *f;

	snprintf(path, sizeof(path), "%s/snp/MANIFEST.md", v && *v ? v : "../shared/vectors");
	if (!(f = fopen(path, "r")))
		return NULL;
	fclose(f);
	path[strlen(path) - strlen("/snp/MANIFEST.md")] = '\0';
	return path;
}

static int load_vec(const char *vec, const char *rel, struct snp_report *r)
{
	char p[600];
	size_t len;
	uint8_t *buf;
	struct cgs_diag d;
	int rc;

	snprintf(p, sizeof(p), "%s/snp/%s", vec, rel);
	buf = tap_slurp(p, &len);
	rc = buf ? (int)snp_report_parse(buf, len, 0, r, &d) : -1;
	free(buf);
	return rc;
}

static void test_vectors(const char *vec)
{
	struct snp_report r;
	const struct snp_product *t = snp_product_by_name("turin");
	char hex[129];

	/* MANIFEST.md: virtee Milan v2, bl3 tee0 snp8 uc115, 1.52.4, policy 0x30000 */
	ok(load_vec(vec, "virtee-sev/milan_report.bin", &r) == CGS_OK, "virtee Milan report parses");
	ok(r.version == 2 && r.policy == 0x30000 && r.current_major == 1 &&
		   r.current_minor == 52 && r.current_build == 4,
	   "virtee Milan: v2, policy, firmware 1.52.4");
	ok(snp_tcb_get(r.reported_tcb, SNP_TCB_LAYOUT_MILAN, "bl") == 3 &&
		   snp_tcb_get(r.reported_tcb, SNP_TCB_LAYOUT_MILAN, "snp") == 8 &&
		   snp_tcb_get(r.reported_tcb, SNP_TCB_LAYOUT_MILAN, "ucode") == 115,
	   "virtee Milan REPORTED_TCB bl3 snp8 uc115");
	/* Turin v5: fmc 0, bl 1, tee 0, snp 2, ucode 71; chip 3b42092f69c656d3; 0x67 */
	ok(load_vec(vec, "routex-client-lua/turin_v5_oak_report_spec.bin", &r) == CGS_OK,
	   "Turin v5 parses");
	ok(r.version == 5 && r.platform_info == 0x67 &&
		   snp_product_from_cpuid(r.cpuid_fam_id, r.cpuid_mod_id) == t,
	   "Turin v5 from CPUID, PLATFORM_INFO 0x67 (bit 6 is not fatal)");
	ok(snp_tcb_get(r.reported_tcb, t->layout, "fmc") == 0 &&
		   snp_tcb_get(r.reported_tcb, t->layout, "bl") == 1 &&
		   snp_tcb_get(r.reported_tcb, t->layout, "snp") == 2 &&
		   snp_tcb_get(r.reported_tcb, t->layout, "ucode") == 71,
	   "Turin TCB fmc0 bl1 snp2 uc71");
	cgs_hex_encode(r.chip_id, 8, hex);
	is_str(hex, "3b42092f69c656d3", "Turin CHIP_ID first 8 bytes");
	ok(load_vec(vec, "trustee/test-vlek-report.bin", &r) == CGS_OK &&
		   snp_report_signing_key(&r) == SNP_SIGNER_VLEK && r.vmpl == 1,
	   "trustee VLEK report: KEY_INFO VLEK, VMPL 1");
	ok(load_vec(vec, "steward/milan_v2_report_from_csr.bin", &r) == CGS_OK &&
		   (r.key_info & SNP_KEYINFO_AUTHOR_KEY_EN) && r.policy == 0x30133 && r.guest_svn == 1,
	   "steward report: author key, policy 0x30133, SVN 1");
}

static void test_hcl_vector(const char *vec)
{
	char p[600];
	size_t len;
	uint8_t *buf, *bare;
	size_t blen;
	struct azure_hcl h;
	struct cgs_diag d;

	snprintf(p, sizeof(p), "%s/snp/trustee/azure_hcl_report.bin", vec);
	buf = tap_slurp(p, &len);
	snprintf(p, sizeof(p), "%s/snp/trustee/azure_snp_report_from_hcl.bin", vec);
	bare = tap_slurp(p, &blen);
	/* MANIFEST.md: HCLA, version 1, size 0x92a, request type 2, report at 0x20, hash SHA-256 */
	ok(buf && azure_hcl_parse(buf, len, &h, &d) == CGS_OK && h.version == 1 &&
		   h.size == 0x92a && h.request_type == 2 && h.report_type == 2 &&
		   h.hash_type == AZURE_HCL_SHA256 && h.var_data[0] == '{',
	   "Azure HCL header and runtime claims");
	ok(buf && bare && blen == SNP_REPORT_SIZE && !memcmp(h.report, bare, blen),
	   "the wrapped report is the MANIFEST's extracted one");
	ok(buf && azure_hcl_parse(buf, 0x4d0, &h, &d) == CGS_E_MALFORMED, "truncated HCL");
	free(buf);
	free(bare);
}

static void test_vek_vectors(const char *vec)
{
	char p[600];
	struct amd_certs c;
	struct amd_vek_info v;
	struct cgs_diag d;
	uint8_t h[32];
	char hex[129];

	amd_certs_init(&c);
	snprintf(p, sizeof(p), "%s/snp/virtee-sev/turin_vcek.der", vec);
	ok(amd_certs_load_file(&c, p, AMD_ROLE_VCEK, &d) == CGS_OK && c.n == 1,
	   "Turin VCEK loads (DER)");
	ok(c.n == 1 && amd_vek_info_get(c.certs[0].x, &v, &d) == CGS_OK, "Turin VCEK extensions");
	cgs_hex_encode(v.hwid, v.hwid_len, hex);
	is_str(hex, "1e550a8ee5cf9f4d", "Turin hwID is 8 bytes");
	ok(v.struct_version == 1 && !strcmp(v.product_name, "Turin") && v.spl[9] == 0 &&
		   v.spl[8] == 9 && v.spl[4] == -1 && v.key_ok,
	   "Turin VCEK: structVersion 1, fmcSPL present, spl_4 absent, ucode 9, P-384");
	amd_certs_free(&c);
	amd_certs_init(&c);
	snprintf(p, sizeof(p), "%s/snp/roots/trustee_genoa_ask_ark_asvk.pem", vec);
	ok(amd_certs_load_file(&c, p, AMD_ROLE_UNKNOWN, &d) == CGS_OK && c.n == 3 &&
		   c.certs[0].role == AMD_ROLE_ASK && c.certs[1].role == AMD_ROLE_ARK &&
		   c.certs[2].role == AMD_ROLE_ASVK,
	   "trustee bundle: ASK, ARK, ASVK by subject");
	ok(c.n == 3 && amd_cert_sha256(c.certs[1].x, h, &d) == CGS_OK &&
		   amd_ark_pin_find(h) == amd_ark_pin_for_line("Genoa"),
	   "the real ARK-Genoa matches its pin");
	ok(c.n == 3 && amd_cert_sha256(c.certs[0].x, h, &d) == CGS_OK && !amd_ark_pin_find(h),
	   "the ASK matches no ARK pin");
	amd_certs_free(&c);
}

int main(void)
{
	const char *vec = snp_vectors();

	test_roundtrip();
	test_reject();
	test_tcb();
	test_certtable();
	test_signature();
	ok(amd_ark_pin_for_line("Milan") && amd_ark_pin_for_line("Turin") &&
		   !amd_ark_pin_for_line("Venice"),
	   "pins for Milan, Genoa, Turin only");
	if (vec) {
		test_vectors(vec);
		test_vek_vectors(vec);
		test_hcl_vector(vec);
	} else {
		ok(1, "# SKIP ../shared/vectors/snp not present: real-report tests skipped");
	}
	return tap_done();
}
