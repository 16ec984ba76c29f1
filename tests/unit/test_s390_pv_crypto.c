// SPDX-License-Identifier: MIT
/* Unit tests: lib/s390_pv_crypto against the upstream known answers. */
#include "tests/unit/tap.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include "formats/s390_pv_hdr.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/s390/s390_pv_crypto.h"

static char vpath[512];
static const char *vdir;

static const char *vp(const char *rel)
{
	snprintf(vpath, sizeof(vpath), "%s/s390/%s", vdir, rel);
	return vpath;
}

static void unhex(const char *s, uint8_t *out, size_t len)
{
	size_t n;

	cgs_hex_decode(s, out, len, &n, 1);
}

static EVP_PKEY *cert_key(const char *path)
{
	FILE *f = fopen(path, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = x ? X509_get_pubkey(x) : NULL;

	if (f)
		fclose(f);
	X509_free(x);
	return k;
}

static EVP_PKEY *priv_file(const char *path)
{
	size_t len;
	uint8_t *b = tap_slurp(path, &len);
	EVP_PKEY *k = NULL;
	struct cgs_diag d;

	if (b && s390_pv_ec_priv_load(b, len, &k, &d))
		k = NULL;
	free(b);
	return k;
}

static void test_roundtrips(void)
{
	EVP_PKEY *cust = NULL, *host = NULL, *back = NULL;
	uint8_t prot[32], out[32], coords[160], c2[160], key[64];
	static uint8_t page[3 * 4096], enc[3 * 4096], dec[3 * 4096];
	struct s390_pv_keyslot slot;
	struct s390_pv_comp c;
	struct cgs_diag d;
	uint8_t tw[16] = { 0 };

	ok(!s390_pv_ec_generate(&cust, &d) && !s390_pv_ec_generate(&host, &d), "generate keys");
	memset(prot, 0x5a, 32);
	is_int(s390_pv_keyslot_make(cust, host, prot, &slot, &d), CGS_OK, "make a key slot");
	is_int(s390_pv_ec_coords(cust, coords, &d), CGS_OK, "coordinates");
	ok(coords[0] == 0 && coords[13] == 0 && coords[80] == 0, "80-byte zero-padded halves");
	is_int(s390_pv_ec_from_coords(coords, &back, &d), CGS_OK, "key from coordinates");
	s390_pv_ec_coords(back, c2, &d);
	ok(!memcmp(coords, c2, 160), "coordinates round trip");
	is_int(s390_pv_keyslot_open(host, back, &slot, out, &d), CGS_OK, "host opens the slot");
	is_mem(out, prot, 32, "unwrapped protection key");
	slot.tag[3] ^= 1;
	is_int(s390_pv_keyslot_open(host, back, &slot, out, &d), CGS_E_VERIFY,
	       "a modified slot fails authentication");
	coords[100] ^= 1;
	EVP_PKEY_free(back);
	back = NULL;
	ok(s390_pv_ec_from_coords(coords, &back, &d) == CGS_E_MALFORMED, "off-curve point refused");

	memset(tw, 0xff, 16);
	tw[0] = 0;
	s390_pv_tweak_add(tw, 1);
	ok(tw[0] == 1 && tw[1] == 0 && tw[15] == 0, "tweak addition carries across 128 bits");

	for (size_t i = 0; i < sizeof(page); i++)
		page[i] = (uint8_t)(i * 7);
	for (int i = 0; i < 64; i++)
		key[i] = (uint8_t)(i + 1);
	memset(tw, 0, 16);
	tw[1] = 0x28;
	s390_pv_comp_init(&c, key, S390_PV_MODE_ENCRYPT, tw, 0x15000, NULL, &d);
	is_int(s390_pv_comp_pages(&c, page, enc, 3, &d), CGS_OK, "XTS encrypt 3 pages");
	s390_pv_comp_free(&c);
	s390_pv_comp_init(&c, key, S390_PV_MODE_DECRYPT, tw, 0x15000, NULL, &d);
	is_int(s390_pv_comp_pages(&c, enc, dec, 3, &d), CGS_OK, "XTS decrypt 3 pages");
	s390_pv_comp_free(&c);
	ok(!memcmp(page, dec, sizeof(page)) && memcmp(page, enc, 4096), "XTS round trip");
	memset(key + 32, 1, 32);
	memset(key, 1, 32);
	ok(s390_pv_comp_init(&c, key, S390_PV_MODE_ENCRYPT, tw, 0, NULL, &d) == CGS_E_CRYPTO,
	   "XTS key with equal halves refused");
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
	EVP_PKEY_free(back);
}

static void test_kat_keys(void)
{
	uint8_t want[32], got[32], prot[32], pub[160];
	size_t len = 0;
	uint8_t *raw = tap_slurp(vp("upstream/pv/keys/private_cust.bin"), &len);
	uint8_t *slot = NULL, *pubf = NULL;
	EVP_PKEY *cust = NULL, *host = cert_key(vp("upstream/pv/keys/host.pem.crt"));
	struct s390_pv_keyslot ks;
	struct cgs_diag d;

	ok(raw && host, "load the upstream customer key and host.pem.crt");
	if (!raw || !host)
		return;
	is_int(s390_pv_ec_priv_load(raw, len, &cust, &d), CGS_OK, "raw 80-byte scalar accepted");
	pubf = tap_slurp(vp("upstream/pv/keys/public_cust.bin"), &len);
	s390_pv_ec_coords(cust, pub, &d);
	ok(pubf && len == 160 && !memcmp(pub, pubf, 160), "public_cust.bin coordinates");
	unhex("753277558f3b6003419ef249ae3c4b55aad77d09d97fdd1fc88fd8f0cf22f149", want, 32);
	is_int(s390_pv_derive_key(cust, host, got, &d), CGS_OK, "ECDH derive");
	is_mem(got, want, 32, "ECDH-derived key (rust crypto.rs KAT)");
	memset(prot, 0x17, 32);
	s390_pv_keyslot_make(cust, host, prot, &ks, &d);
	slot = tap_slurp(vp("upstream/pv/exp/keyslot.bin"), &len);
	ok(slot && len == 80 && !memcmp(slot, &ks, 80), "key slot equals upstream keyslot.bin");
	free(raw);
	free(slot);
	free(pubf);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_kat_gcm(void)
{
	uint8_t key[32], iv[12], pt[16], aad[16], ct[16], tag[16], got[16], gtag[16];

	unhex("eebc1f57487f51921c0465665f8ae6d1658bb26de6f8a069a3520293a572078f", key, 32);
	unhex("99aa3e68ed8173a0eed06684", iv, 12);
	unhex("f56e87055bc32d0eeb31b2eacc2bf2a5", pt, 16);
	unhex("4d23c3cec334b49bdb370c437fec78de", aad, 16);
	unhex("f7264413a84c0e7cd536867eb9f21736", ct, 16);
	unhex("67ba0510262ae487d737ee6298f77e0c", tag, 16);
	s390_pv_gcm_seal(key, iv, aad, 16, pt, 16, got, gtag, NULL);
	ok(!memcmp(got, ct, 16) && !memcmp(gtag, tag, 16), "AES-256-GCM known answer");
	ok(s390_pv_gcm_open(key, iv, aad, 16, ct, 16, tag, got, NULL) == CGS_OK &&
	   !memcmp(got, pt, 16), "AES-256-GCM open");
	tag[0] ^= 1;
	is_int(s390_pv_gcm_open(key, iv, aad, 16, ct, 16, tag, got, NULL), CGS_E_VERIFY,
	       "AES-256-GCM bad tag");
}

static void test_kat_builder_hdr(void)
{
	static struct s390_pv_hdr h, h2;
	static uint8_t buf[8192];
	struct s390_pv_hdr_secret s = { .psw_mask = 5678, .psw_addr = 1234 }, s2;
	uint8_t prot[32], *want, *raw;
	size_t len = 0, wlen = 0;
	EVP_PKEY *cust = NULL, *host = cert_key(vp("upstream/pv/keys/host.pem.crt"));
	struct cgs_diag d;

	raw = tap_slurp(vp("upstream/pv/keys/private_cust.bin"), &len);
	want = tap_slurp(vp("extracted/pvimg_builder_test_hdr.bin"), &wlen);
	if (!ok(raw && want && host, "load builder-test inputs"))
		return;
	s390_pv_ec_priv_load(raw, len, &cust, &d);
	s390_pv_hdr_init(&h, 1, &d);
	memset(h.iv, 0x33, 12);
	memset(h.pld, 0x02, 64);
	memset(h.ald, 0x01, 64);
	memset(h.tld, 0x03, 64);
	h.nep = 1;
	memset(prot, 0x32, 32);
	memset(s.cck, 0x31, 32);
	memset(s.xts_key, 0x03, 64);
	is_int(s390_pv_hdr_set_keys(&h, cust, &host, 1, prot, &d), CGS_OK, "set keys");
	is_int(s390_pv_hdr_seal(&h, &s, prot, &d), CGS_OK, "seal");
	s390_pv_hdr_serialize(&h, buf, sizeof(buf), &len, &d);
	ok(len == wlen && !memcmp(buf, want, len), "header equals the Rust builder_test bytes");
	s390_pv_hdr_parse(want, wlen, &h2, &d);
	is_int(s390_pv_hdr_open(&h2, prot, &s2, &d), CGS_OK, "open the KAT header");
	ok(s2.psw_addr == 1234 && s2.psw_mask == 5678 && s2.cck[0] == 0x31, "decrypted fields");
	prot[0] ^= 1;
	is_int(s390_pv_hdr_open(&h2, prot, &s2, &d), CGS_E_VERIFY, "wrong header key refused");
	free(raw);
	free(want);
	EVP_PKEY_free(cust);
	EVP_PKEY_free(host);
}

static void test_kat_components(void)
{
	static uint8_t data[0x3400 + 4096];
	uint8_t key[64], tw[16], pld[64], ald[64], tld[64], w[64];
	struct s390_pv_digests g;
	struct s390_pv_comp c;
	struct cgs_diag d;

	/* rust secured_comp.rs prepare_aligned_component_test (pvimg_kat.json) */
	memset(key, 0x42, 32);
	memset(key + 32, 0x43, 32);
	unhex("00000000000000420000000000000000", tw, 16);
	s390_pv_digests_init(&g, &d);
	memset(data, 0, sizeof(data));
	memset(data, 0x01, 0x3400);
	s390_pv_comp_init(&c, key, S390_PV_MODE_ENCRYPT, tw, 0x10000, &g, &d);
	s390_pv_comp_pages(&c, data, data, 4, &d);
	s390_pv_comp_free(&c);
	memset(data, 0x02, 0x3000);
	s390_pv_comp_init(&c, key, S390_PV_MODE_ENCRYPT, tw, 0x20000, &g, &d);
	s390_pv_comp_pages(&c, data, data, 3, &d);
	s390_pv_comp_free(&c);
	is_int((long long)g.nep, 7, "7 pages");
	s390_pv_digests_final(&g, pld, ald, tld, &d);
	s390_pv_digests_free(&g);
	unhex("c391de5727a08212ea2fea9c37f9cf090be51f93c6d521b8906332ce720c5f38ada0e73e69663e52"
	      "11d015fef41dc62606f5135e619904d4f450ab889f49caad", w, 64);
	is_mem(ald, w, 64, "ALD (rust KAT)");
	unhex("a24ff30a8af1295888dedfe9369eb509290309a90159ebc32ca26a53f9d4364a781857e259058753"
	      "6c3e767355c7b7603f2b0c6a407f16330d82128d0964fad2", w, 64);
	is_mem(pld, w, 64, "PLD (rust KAT)");
	unhex("424fe3cf04a6f64a7aef185c3b4ef607c0e4f54bb7e14620b574a3d31eef31c7d462eb040d45ee69"
	      "18e6b80968ba4454f9e2edc26f6929ed624d0055f2355659", w, 64);
	is_mem(tld, w, 64, "TLD (rust KAT)");
}

static void test_kat_real_hdr(void)
{
	static struct s390_pv_hdr h;
	struct s390_pv_hdr_secret s;
	uint8_t tags[208], prot[32], want[64];
	size_t len = 0;
	uint8_t *b = tap_slurp(vp("upstream/pv/exp/secure_guest.hdr"), &len);
	EVP_PKEY *host;
	struct cgs_diag d;

	if (!ok(b && !s390_pv_hdr_parse(b, len, &h, &d), "parse secure_guest.hdr"))
		return;
	s390_pv_hdr_tags(&h, tags);
	unhex("92309d4589b9a85b427f8753171d1520", want, 16);
	is_mem(tags + 192, want, 16, "secure_guest.hdr tag (brcb.rs KAT)");
	unhex("be94b5eab3c1b118c757d7db7ea0f65d9b64823a8dc55bf8a8725b58072d9d4258c53e8a5da82dfb"
	      "2192d91d07bc1c39b95d6321d3ba16a751a6e3e32f3e0161", want, 64);
	is_mem(tags, want, 64, "secure_guest.hdr PLD");
	free(b);

	/* the C oracle header, opened as the Ultravisor would with host.key */
	b = tap_slurp(vp("oracle/genprotimg-c/c1_basic/sehdr.bin"), &len);
	host = priv_file(vp("oracle/genprotimg-c/inputs/host.key"));
	if (!ok(b && host && !s390_pv_hdr_parse(b, len, &h, &d), "load c1_basic header"))
		return;
	is_int(s390_pv_hdr_open_with_host(&h, host, prot, &s, &d), CGS_OK,
	       "c1_basic: host.key opens the header");
	unhex("3a514adc62ea73a108fa08b094a87975cd454cf4ddf775cd1b1dca58bc2336f7", want, 32);
	is_mem(prot, want, 32, "c1_basic header key as recorded");
	is_int((long long)s.psw_addr, 0x2a000, "c1_basic header PSW address");
	free(b);
	EVP_PKEY_free(host);
}

int main(void)
{
	test_roundtrips();
	vdir = tap_vectors();
	if (!vdir) {
		ok(1, "# SKIP ../shared/vectors not present: known answers skipped");
		return tap_done();
	}
	test_kat_keys();
	test_kat_gcm();
	test_kat_builder_hdr();
	test_kat_components();
	test_kat_real_hdr();
	return tap_done();
}
