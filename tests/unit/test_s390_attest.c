// SPDX-License-Identifier: MIT
/*
 * lib/s390_attest: with the shared vectors, the upstream ARCB and add-secret
 * known answers and the C pvattest oracle requests are rebuilt byte for byte,
 * the measurement known answers reproduced and the oracle responses checked.
 * Always: a request built with fresh keys opens with its ARPK only, and the
 * measurement equals an HMAC computed independently over the spelled-out input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "formats/s390_pv_hdr.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_pv_crypto.h"
#include "tests/unit/tap.h"

static const char *vec;
static struct json_object *kat;

static uint8_t *vread(const char *rel, size_t *n)
{
	char p[512];

	snprintf(p, sizeof(p), "%s/s390/%s", vec, rel);
	return tap_slurp(p, n);
}

static EVP_PKEY *cert_key(const char *rel)
{
	char p[512];
	FILE *f;
	X509 *x;
	EVP_PKEY *k = NULL;

	snprintf(p, sizeof(p), "%s/s390/%s", vec, rel);
	f = fopen(p, "r");
	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (x)
		k = X509_get_pubkey(x);
	X509_free(x);
	return k;
}

static EVP_PKEY *cust_key(const char *rel)
{
	size_t n = 0;
	uint8_t *b = vread(rel, &n);
	EVP_PKEY *k = NULL;
	struct cgs_diag d;

	if (b && s390_pv_ec_priv_load(b, n, &k, &d))
		k = NULL;
	free(b);
	return k;
}

/* hex string at a path of keys in a JSON object */
static int jhex(struct json_object *o, const char *key, uint8_t *out, size_t len)
{
	return cgs_json_get_hex(o, key, out, len);
}

static struct json_object *jobj(struct json_object *o, const char *key)
{
	struct json_object *r = NULL;

	json_object_object_get_ex(o, key, &r);
	return r;
}

static void test_arcb_kat(void)
{
	struct json_object *a = jobj(kat, "arcb");
	struct s390_attest_secrets s;
	EVP_PKEY *cust = cust_key("upstream/pv/keys/private_cust.bin");
	EVP_PKEY *host = cert_key("upstream/pv/keys/host.pem.crt");
	uint8_t *out = NULL, *want;
	size_t n = 0, wn = 0;
	struct cgs_diag d;

	ok(a && !jhex(a, "arpk", s.arpk, 32) && !jhex(a, "iv", s.iv, 12) &&
		   !jhex(a, "measurement_key", s.meas_key, 64) && !jhex(a, "nonce", s.nonce, 16),
	   "kat.json arcb parameters");
	want = vread("upstream/pv/exp/arcb.bin", &wn);
	ok(cust && host &&
		   s390_attest_build_arcb(cust, &host, 1, 0x7000000000000000ull, &s, &out, &n,
					  &d) == CGS_OK &&
		   want && n == wn && !memcmp(out, want, n),
	   "arcb.bin rebuilt byte for byte");
	free(out);
	free(want);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_oracle_request(const char *c)
{
	char rel[256];
	struct json_object *j;
	struct s390_attest_secrets s;
	EVP_PKEY *cust = cust_key("oracle/genprotimg-c/inputs/cust_priv.bin");
	EVP_PKEY *host = cert_key("oracle/genprotimg-c/inputs/host.crt");
	uint8_t *arcb = NULL, *file = NULL, *want;
	size_t an = 0, fn = 0, wn = 0;
	uint64_t paf = 0;
	struct cgs_diag d;

	snprintf(rel, sizeof(rel), "%s/s390/oracle/pvattest-c/%s/case.json", vec, c);
	if (!ok(cgs_json_read_file(rel, &j, &d) == CGS_OK, "%s: case.json", c))
		return;
	ok(!jhex(j, "arpk", s.arpk, 32) && !jhex(j, "arcb_iv", s.iv, 12) &&
		   !jhex(j, "measurement_key", s.meas_key, 64) && !jhex(j, "nonce", s.nonce, 16) &&
		   !cgs_json_get_u64(j, "paf", &paf),
	   "%s: secrets", c);
	snprintf(rel, sizeof(rel), "oracle/pvattest-c/%s/request.bin", c);
	want = vread(rel, &wn);
	ok(s390_attest_build_arcb(cust, &host, 1, paf, &s, &arcb, &an, &d) == CGS_OK &&
		   s390_attest_request_file(arcb, an, &file, &fn, &d) == CGS_OK && want &&
		   fn == wn && !memcmp(file, want, fn),
	   "%s: pvattest request rebuilt byte for byte", c);
	free(arcb);
	free(file);
	free(want);
	json_object_put(j);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_measurement_kats(void)
{
	struct json_object *m = jobj(kat, "attestation_measurement"), *cases;
	uint8_t key[64], tags[208], cuid[16];

	if (!ok(m && !jhex(m, "measurement_key", key, 64) && !jhex(m, "pld", tags, 64) &&
			!jhex(m, "ald", tags + 64, 64) && !jhex(m, "tld", tags + 128, 64) &&
			!jhex(m, "hdr_tag", tags + 192, 16) && !jhex(m, "cuid", cuid, 16),
		"kat.json measurement parameters"))
		return;
	cases = jobj(m, "cases");
	json_object_object_foreach(cases, name, c)
	{
		uint8_t user[512], add[512], nonce[16], want[64], got[64];
		const char *us = "", *as = "";
		size_t un = 0, an = 0;
		int has_nonce = !jhex(c, "nonce", nonce, 16);
		struct cgs_diag d;

		cgs_json_get_str(c, "user", &us);
		cgs_json_get_str(c, "additional", &as);
		cgs_hex_decode(us, user, sizeof(user), &un, 0);
		cgs_hex_decode(as, add, sizeof(add), &an, 0);
		jhex(c, "expected", want, 64);
		ok(s390_attest_measurement(key, tags, cuid, user, un, has_nonce ? nonce : NULL, add,
					   an, got, &d) == CGS_OK &&
			   !memcmp(got, want, 64),
		   "measurement known answer %s", name);
	}
}

static void test_oracle_response(const char *c)
{
	char rel[256];
	uint8_t *hb, *rb, *tb, *arpk, tags[208];
	size_t hn = 0, rn = 0, tn = 0, kn = 0;
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct s390_exchange x;
	struct s390_attest_verdict v;
	struct cgs_diag d;

	hb = vread("oracle/genprotimg-c/c1_basic/sehdr.bin", &hn);
	snprintf(rel, sizeof(rel), "oracle/pvattest-c/%s/response.bin", c);
	rb = vread(rel, &rn);
	snprintf(rel, sizeof(rel), "oracle/pvattest-c/%s/response_tampered_cuid.bin", c);
	tb = vread(rel, &tn);
	snprintf(rel, sizeof(rel), "oracle/pvattest-c/%s/arpk.bin", c);
	arpk = vread(rel, &kn);
	if (!ok(h && hb && rb && tb && arpk && kn == 32 &&
			s390_pv_hdr_parse(hb, hn, h, &d) == CGS_OK,
		"%s: inputs", c))
		goto out;
	s390_pv_hdr_tags(h, tags);
	ok(s390_exchange_parse(rb, rn, &x, &d) == CGS_OK &&
		   s390_attest_verify(&x, tags, arpk, &v, &d) == CGS_OK &&
		   v.measurement == S390_CHECK_PASS,
	   "%s: oracle response verified", c);
	ok(s390_exchange_parse(tb, tn, &x, &d) == CGS_OK &&
		   s390_attest_verify(&x, tags, arpk, &v, &d) == CGS_E_VERIFY &&
		   v.decrypt == S390_CHECK_PASS && v.measurement == S390_CHECK_FAIL &&
		   !strcmp(d.field, "measurement"),
	   "%s: tampered CUID rejected by the measurement", c);
	arpk[0] ^= 1;
	ok(s390_exchange_parse(rb, rn, &x, &d) == CGS_OK &&
		   s390_attest_verify(&x, tags, arpk, &v, &d) == CGS_E_VERIFY &&
		   v.decrypt == S390_CHECK_FAIL && !strcmp(d.field, "arpk"),
	   "%s: wrong ARPK rejected", c);
out:
	free(h);
	free(hb);
	free(rb);
	free(tb);
	free(arpk);
}

static void test_asrcb_kats(void)
{
	static const struct {
		const char *name;
		int assoc, ext, cuid, nks;
		uint64_t flags;
	} k[] = {
		{ "null_none_default_cuid_one", 0, 0, 1, 1, 0 },
		{ "null_none_default_ncuid_one", 0, 0, 0, 1, 0 },
		{ "null_none_dump_cuid_one", 0, 0, 1, 1, 1ull << 63 },
		{ "null_none_default_cuid_seven", 0, 0, 1, 7, 0 },
		{ "null_simple_default_cuid_one", 0, 1, 1, 1, 0 },
		{ "null_derived_default_cuid_one", 0, 2, 1, 1, 0 },
		{ "assoc_none_default_cuid_one", 1, 0, 1, 1, 0 },
		{ "assoc_simple_default_cuid_one", 1, 1, 1, 1, 0 },
		{ "assoc_derived_default_cuid_one", 1, 2, 1, 1, 0 },
	};
	struct json_object *s = jobj(kat, "add_secret_requests"), *t = jobj(s, "se_tags");
	struct json_object *as = jobj(s, "association_secret");
	EVP_PKEY *cust = cust_key("upstream/pv/keys/private_cust.bin");
	EVP_PKEY *host = cert_key("upstream/pv/keys/host.pem.crt");
	EVP_PKEY *hosts[7];
	uint8_t tags[208], cuid[16], pk[32], iv[12], sec[32], simple[32], cck[32], der[32];
	const char *name = NULL;
	struct cgs_diag d;
	size_t idn;

	if (!ok(s && t && !jhex(t, "pld", tags, 64) && !jhex(t, "ald", tags + 64, 64) &&
			!jhex(t, "tld", tags + 128, 64) && !jhex(t, "tag", tags + 192, 16) &&
			!jhex(s, "cuid_when_set", cuid, 16) && !jhex(s, "protection_key", pk, 32) &&
			!jhex(s, "iv", iv, 12) && !jhex(as, "secret", sec, 32) &&
			!cgs_json_get_str(as, "name", &name) &&
			!jhex(s, "ext_secret_simple", simple, 32) &&
			!jhex(s, "ext_secret_derived_from_cck", cck, 32) && cust && host,
		"kat.json add-secret parameters"))
		return;
	ok(s390_attest_ext_secret(cck, tags + 192, der, &d) == CGS_OK,
	   "derived extension secret");
	for (int i = 0; i < 7; i++)
		hosts[i] = host;
	for (size_t i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		struct s390_asrcb a;
		uint8_t *out = NULL, *want, zero[32] = { 0 };
		size_t n = 0, wn = 0;
		char rel[256];

		memset(&a, 0, sizeof(a));
		memcpy(a.hdr.iv, iv, 12);
		a.flags = k[i].flags;
		memcpy(a.tags, tags, 208);
		if (k[i].cuid)
			memcpy(a.cuid, cuid, 16);
		a.secret_type = k[i].assoc ? S390_SECRET_ASSOCIATION : S390_SECRET_NULL;
		a.secret_len = k[i].assoc ? 32 : 0;
		if (k[i].assoc)
			cgs_digest("SHA256", name, strlen(name), a.secret_id, &idn, &d);
		snprintf(rel, sizeof(rel), "upstream/pv/exp/asrcb/%s", k[i].name);
		want = vread(rel, &wn);
		ok(s390_attest_secret_build(&a, cust, hosts, (size_t)k[i].nks, pk, sec,
				    k[i].ext == 1 ? simple : k[i].ext == 2 ? der : zero, &out, &n,
				    &d) == CGS_OK &&
			   want && n == wn && !memcmp(out, want, n),
		   "asrcb %s rebuilt byte for byte", k[i].name);
		free(out);
		free(want);
	}
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_secret_store_kat(void)
{
	struct json_object *ss = jobj(kat, "secret_store_hash"), *order = jobj(ss, "order");
	uint8_t tags[16][16], want_l[64], want_u[64], got_l[64], got_u[64];
	size_t n = order ? json_object_array_length(order) : 0;
	struct cgs_diag d;

	if (!ok(n > 0 && n <= 16 && !jhex(ss, "expected_locked", want_l, 64) &&
			!jhex(ss, "expected_unlocked", want_u, 64),
		"kat.json secret-store parameters"))
		return;
	for (size_t i = 0; i < n; i++) {
		size_t len = 0;
		uint8_t *b = vread(json_object_get_string(json_object_array_get_idx(order, i)), &len);

		if (!b || len < 16) {
			free(b);
			ok(0, "read %s", json_object_get_string(json_object_array_get_idx(order, i)));
			return;
		}
		memcpy(tags[i], b + len - 16, 16); /* each request ends with its GCM tag */
		free(b);
	}
	ok(s390_attest_secret_store_hash((const uint8_t(*)[16])tags, n, 1, got_l, &d) == CGS_OK &&
		   !memcmp(got_l, want_l, 64),
	   "secret-store hash of the nine upstream requests, locked");
	ok(s390_attest_secret_store_hash((const uint8_t(*)[16])tags, n, 0, got_u, &d) == CGS_OK &&
		   !memcmp(got_u, want_u, 64),
	   "secret-store hash of the nine upstream requests, unlocked");
}

static void test_vectors(void)
{
	char p[512];
	struct cgs_diag d;

	vec = tap_vectors();
	if (!vec) {
		printf("# ../shared/vectors not present: s390 attestation known answers skipped\n");
		return;
	}
	snprintf(p, sizeof(p), "%s/s390/extracted/kat.json", vec);
	if (!ok(cgs_json_read_file(p, &kat, &d) == CGS_OK, "kat.json"))
		return;
	test_arcb_kat();
	test_oracle_request("a1_phkh_flags");
	test_oracle_request("a2_minimal");
	test_measurement_kats();
	test_oracle_response("a1_phkh_flags");
	test_oracle_response("a2_minimal");
	test_asrcb_kats();
	test_secret_store_kat();
	json_object_put(kat);
}

static void test_generated(void)
{
	EVP_PKEY *cust = NULL, *host = NULL;
	struct s390_attest_secrets s;
	struct s390_arcb a;
	struct s390_arcb_plain pl;
	uint8_t *arcb = NULL, tags[208], cuid[16], user[5] = "hello", add[64], msg[512];
	uint8_t got[64], want[64];
	size_t n = 0, mn = 0, wn = 0;
	struct cgs_diag d;

	ok(s390_pv_ec_generate(&cust, &d) == CGS_OK && s390_pv_ec_generate(&host, &d) == CGS_OK,
	   "fresh P-521 keys");
	cgs_random(&s, sizeof(s), &d);
	ok(s390_attest_build_arcb(cust, &host, 1, S390_PAF_NONCE | S390_PAF_PHKH_IMG | S390_PAF_PHKH_ATT,
				  &s, &arcb, &n, &d) == CGS_OK &&
		   n == 400,
	   "ARCB with a nonce and both PHKHs: 400 bytes");
	ok(s390_attest_open_arcb(arcb, n, s.arpk, &a, &pl, &d) == CGS_OK &&
		   !memcmp(pl.meas_key, s.meas_key, 64) && pl.has_nonce &&
		   !memcmp(pl.nonce, s.nonce, 16),
	   "opens with its ARPK: measurement key and nonce back");
	s.arpk[31] ^= 0x80;
	ok(s390_attest_open_arcb(arcb, n, s.arpk, &a, &pl, &d) == CGS_E_VERIFY &&
		   !strcmp(d.field, "arpk"),
	   "a wrong ARPK is refused");
	s.arpk[31] ^= 0x80;
	arcb[100] ^= 1;
	ok(s390_attest_open_arcb(arcb, n, s.arpk, &a, &pl, &d) == CGS_E_VERIFY,
	   "a modified public key is refused");
	cgs_random(tags, sizeof(tags), &d);
	cgs_random(cuid, sizeof(cuid), &d);
	cgs_random(add, sizeof(add), &d);
	/* spelled out: tags, cuid, 0005, 0000, 00000040, user, nonce, additional */
	memcpy(msg, tags, 208);
	memcpy(msg + 208, cuid, 16);
	memcpy(msg + 224, "\x00\x05\x00\x00\x00\x00\x00\x40", 8);
	memcpy(msg + 232, user, 5);
	memcpy(msg + 237, s.nonce, 16);
	memcpy(msg + 253, add, 64);
	mn = 317;
	cgs_hmac("SHA512", s.meas_key, 64, msg, mn, want, &wn, &d);
	ok(s390_attest_measurement(s.meas_key, tags, cuid, user, 5, s.nonce, add, 64, got, &d) ==
			   CGS_OK &&
		   wn == 64 && !memcmp(got, want, 64),
	   "measurement equals an independent HMAC over the spelled-out input");
	free(arcb);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_secret_roundtrip(void)
{
	EVP_PKEY *cust = NULL, *host = NULL;
	struct s390_asrcb a, b;
	uint8_t pk[32], ext[32], sec[24], *req = NULL, *plain = NULL;
	size_t n = 0, pn = 0;
	struct cgs_diag d;

	memset(&a, 0, sizeof(a));
	s390_pv_ec_generate(&cust, &d);
	s390_pv_ec_generate(&host, &d);
	cgs_random(pk, sizeof(pk), &d);
	cgs_random(ext, sizeof(ext), &d);
	cgs_random(sec, sizeof(sec), &d);
	a.secret_type = S390_SECRET_AES192;
	a.secret_len = sizeof(sec);
	ok(s390_attest_secret_build(&a, cust, &host, 1, pk, sec, ext, &req, &n, &d) == CGS_OK &&
		   n == s390_asrcb_len(1, S390_SECRET_AES192, 24),
	   "AES-192 add-secret request built");
	ok(s390_attest_secret_open(req, n, pk, &b, &plain, &pn, &d) == CGS_OK && pn == 56 &&
		   !memcmp(plain, sec, 24) && !memcmp(plain + 24, ext, 32) && b.secret_type == 5,
	   "opens with its protection key: secret and extension secret back");
	free(plain);
	pk[0] ^= 1;
	ok(s390_attest_secret_open(req, n, pk, &b, &plain, &pn, &d) == CGS_E_VERIFY,
	   "a wrong protection key is refused");
	free(req);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_encode(void)
{
	uint8_t *out = NULL, in[40];
	size_t n = 0;
	struct cgs_diag d;

	memset(in, 'p', sizeof(in));
	ok(s390_attest_encode_secret(S390_SECRET_PLAINTEXT, in, 15, &out, &n, &d) == CGS_OK &&
		   n == 32 && cgs_be16(out) == 15 && out[2] == 'p' && out[16] == 'p' && out[17] == 0,
	   "plaintext: be16 length, payload, zero padding to 16");
	free(out);
	ok(s390_attest_encode_secret(S390_SECRET_AES192, in, 24, &out, &n, &d) == CGS_OK && n == 24,
	   "AES-192 key taken as is");
	free(out);
	ok(s390_attest_encode_secret(S390_SECRET_AES256, in, 24, &out, &n, &d) == CGS_E_USAGE,
	   "a 24-byte AES-256 key is refused");
}

int main(void)
{
	test_vectors();
	test_generated();
	test_encode();
	test_secret_roundtrip();
	return tap_done();
}
