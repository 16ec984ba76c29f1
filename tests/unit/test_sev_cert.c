// SPDX-License-Identifier: MIT
/*
 * SEV certificate/attestation layouts and the chain primitives: hand-built
 * certificates always; the AMD certificates of ../shared/vectors/snp/legacy-sev
 * when present (parse + round trip, RSA-PSS signatures, pins, and the moduli
 * compared with AMD's X.509 ARKs read by OpenSSL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "keys/sev_ark.h"
#include "keys/sev_chain.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "tests/unit/tap.h"

static void sample_cert(struct sev_cert *c)
{
	memset(c, 0, sizeof(*c));
	c->version = 1;
	c->api_major = 0;
	c->api_minor = 22;
	c->usage = SEV_USAGE_PEK;
	c->algo = SEV_ALGO_ECDSA_SHA256;
	c->curve = SEV_CURVE_P384;
	for (int i = 0; i < 48; i++) {
		c->qx[i] = (uint8_t)(i + 1);
		c->qy[i] = (uint8_t)(0x80 + i);
	}
	c->sigs[0].usage = SEV_USAGE_OCA;
	c->sigs[0].algo = SEV_ALGO_ECDSA_SHA256;
	c->sigs[0].sig[0] = 1;
	c->sigs[0].sig[72] = 2;
	c->sigs[1].usage = SEV_USAGE_NONE;
}

/* parse must fail with err at field/offset after setting byte off to v */
static void expect_reject(const uint8_t *good, size_t off, uint8_t v, enum cgs_err err,
			  const char *field, const char *what)
{
	uint8_t buf[SEV_CERT_SIZE];
	struct sev_cert c;
	struct cgs_diag d;

	memcpy(buf, good, sizeof(buf));
	buf[off] = v;
	cgs_diag_clear(&d);
	ok(sev_cert_parse(buf, sizeof(buf), &c, &d) == err && !strcmp(d.field, field),
	   "%s rejected (%s: field '%s' at 0x%llx)", what, d.text, d.field,
	   (unsigned long long)d.offset);
}

static void test_platform_layout(void)
{
	struct sev_cert c, p;
	struct cgs_diag d;
	uint8_t buf[SEV_CERT_SIZE], again[SEV_CERT_SIZE];

	sample_cert(&c);
	sev_cert_serialize(&c, buf);
	is_int(cgs_le32(buf + 0x8), SEV_USAGE_PEK, "usage at 0x8");
	is_int(buf[0x10], SEV_CURVE_P384, "curve at 0x10");
	is_int(buf[0x14], 1, "Qx at 0x14, little-endian");
	is_int(buf[0x14 + 72], 0x80, "Qy at 0x5c");
	is_int(cgs_le32(buf + 0x414), SEV_USAGE_OCA, "signature 1 usage at 0x414");
	is_int(buf[0x41c + 72], 2, "signature 1 s at 0x41c + 72");
	is_int(cgs_le32(buf + 0x61c), SEV_USAGE_NONE, "signature 2 usage at 0x61c");
	ok(sev_cert_parse(buf, sizeof(buf), &p, &d) == CGS_OK, "hand-built certificate parses");
	sev_cert_serialize(&p, again);
	is_mem(again, buf, sizeof(buf), "platform certificate round trip");
	ok(sev_cert_parse(buf, sizeof(buf) - 1, &p, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "signature") && d.offset == SEV_CERT_SIZE - 1,
	   "truncated certificate: %s", d.text);
	ok(sev_cert_parse(buf, 0x100, &p, &d) == CGS_E_MALFORMED && !strcmp(d.field, "pubkey"),
	   "certificate cut in the key: field %s", d.field);
	expect_reject(buf, 0x0, 2, CGS_E_UNSUPPORTED, "version", "version 2");
	expect_reject(buf, 0x6, 1, CGS_E_MALFORMED, "reserved", "reserved word");
	expect_reject(buf, 0x8, 0x05, CGS_E_UNSUPPORTED, "pubkey_usage", "usage 0x1005");
	expect_reject(buf, 0xc, 0x07, CGS_E_UNSUPPORTED, "pubkey_algo", "algorithm 0x7");
	expect_reject(buf, 0x10, 9, CGS_E_UNSUPPORTED, "curve", "curve 9");
	expect_reject(buf, 0x14 + 60, 1, CGS_E_MALFORMED, "qx", "high byte of Qx");
	expect_reject(buf, 0x200, 1, CGS_E_MALFORMED, "pubkey", "reserved key byte");
	expect_reject(buf, 0x414, 0x99, CGS_E_UNSUPPORTED, "signature1", "signer usage 0x1099");
	expect_reject(buf, 0x418, 0x09, CGS_E_UNSUPPORTED, "signature1", "signature algorithm 9");
	expect_reject(buf, 0x418, 0x03, CGS_E_UNSUPPORTED, "signature1", "ECDH as a signature");
	expect_reject(buf, 0x41c + 150, 1, CGS_E_MALFORMED, "signature1", "byte after r and s");
	expect_reject(buf, 0x620, 2, CGS_E_MALFORMED, "signature2", "empty slot with algorithm");
	expect_reject(buf, 0x700, 1, CGS_E_MALFORMED, "signature2", "empty slot with bytes");
}

static void test_ca_layout(void)
{
	uint8_t buf[0x40 + 3 * 256], out[sizeof(buf)];
	struct sev_ca_cert c;
	struct cgs_diag d;

	memset(buf, 0, sizeof(buf));
	cgs_put_le32(buf, 1);
	memset(buf + 4, 0xaa, 16);
	memset(buf + 0x14, 0xaa, 16);
	cgs_put_le32(buf + 0x38, 2048);
	cgs_put_le32(buf + 0x3c, 2048);
	buf[0x40] = 1;
	buf[0x40 + 256] = 0x55;
	ok(sev_ca_cert_parse(buf, sizeof(buf), &c, &d) == CGS_OK, "CA certificate parses");
	ok(c.modulus == buf + 0x140 && c.signature == buf + 0x240 && c.signed_len == 0x240,
	   "exponent at 0x40, modulus at 0x140, signature at 0x240");
	is_int((long long)sev_ca_cert_size(&c), sizeof(buf), "CA size");
	sev_ca_cert_serialize(&c, out);
	is_mem(out, buf, sizeof(buf), "CA round trip");
	ok(sev_ca_cert_parse(buf, 0x240, &c, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "signature") && d.offset == 0x240,
	   "CA without signature: %s", d.text);
	ok(sev_ca_cert_parse(buf, 0x20, &c, &d) == CGS_E_MALFORMED && !strcmp(d.field, "header"),
	   "CA header truncated");
	buf[0x24] = 0x14;
	ok(sev_ca_cert_parse(buf, sizeof(buf), &c, &d) == CGS_E_UNSUPPORTED &&
		   !strcmp(d.field, "key_usage"),
	   "CA usage 0x14 rejected");
	buf[0x24] = 0x13;
	cgs_put_le32(buf + 0x3c, 3072);
	ok(sev_ca_cert_parse(buf, sizeof(buf), &c, &d) == CGS_E_UNSUPPORTED &&
		   !strcmp(d.field, "modulus_size"),
	   "3072-bit modulus rejected");
	cgs_put_le32(buf + 0x3c, 2048);
	buf[0x30] = 1;
	ok(sev_ca_cert_parse(buf, sizeof(buf), &c, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "reserved"),
	   "CA reserved bytes checked");
}

static void test_attestation_layout(void)
{
	struct sev_attestation r, p;
	struct cgs_diag d;
	uint8_t buf[SEV_ATT_SIZE], again[SEV_ATT_SIZE];

	memset(&r, 0, sizeof(r));
	r.mnonce[0] = 0x11;
	r.launch_digest[0] = 0x22;
	r.policy = 0x5;
	r.sig_usage = SEV_USAGE_PEK;
	r.sig_algo = SEV_ALGO_ECDSA_SHA256;
	r.r[0] = 0x33;
	r.s[71] = 0x44;
	sev_attestation_serialize(&r, buf);
	ok(buf[0] == 0x11 && buf[0x10] == 0x22 && cgs_le32(buf + 0x30) == 5 &&
		   cgs_le32(buf + 0x34) == 0x1002 && cgs_le32(buf + 0x38) == 2 &&
		   buf[0x40] == 0x33 && buf[0xcf] == 0x44,
	   "attestation fields at 0x00/0x10/0x30/0x34/0x38/0x40");
	ok(sev_attestation_parse(buf, sizeof(buf), &p, &d) == CGS_OK, "attestation parses");
	sev_attestation_serialize(&p, again);
	is_mem(again, buf, sizeof(buf), "attestation round trip");
	ok(sev_attestation_parse(buf, 0xcf, &p, &d) == CGS_E_MALFORMED, "0xcf bytes rejected");
	buf[0x3c] = 1;
	ok(sev_attestation_parse(buf, sizeof(buf), &p, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "reserved"),
	   "reserved word checked");
	buf[0x3c] = 0;
	buf[0x34] = 0x77;
	ok(sev_attestation_parse(buf, sizeof(buf), &p, &d) == CGS_E_UNSUPPORTED,
	   "unknown signing usage rejected");
}

/* The modulus of an X.509 certificate (PEM) equals a SEV-format modulus. */
static int x509_modulus_equal(const char *pem, const struct sev_ca_cert *c)
{
	FILE *f = fopen(pem, "r");
	X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
	EVP_PKEY *k = x ? X509_get0_pubkey(x) : NULL;
	BIGNUM *n = NULL, *m = BN_lebin2bn(c->modulus, (int)(c->modulus_bits / 8), NULL);
	int eq = k && EVP_PKEY_get_bn_param(k, OSSL_PKEY_PARAM_RSA_N, &n) && m &&
		 BN_cmp(n, m) == 0;

	if (f)
		fclose(f);
	X509_free(x);
	BN_free(n);
	BN_free(m);
	return eq;
}

static void test_products(const char *vec)
{
	static const char *const products[] = { "naples", "rome", "milan", "genoa", "turin" };
	char path[4096];

	for (size_t i = 0; i < 5; i++) {
		const char *p = products[i];
		uint8_t *ark_raw, *ask_raw, sha[32];
		size_t ark_len = 0, ask_len = 0;
		struct sev_ca_cert ark, ask;
		struct cgs_diag d;
		EVP_PKEY *ark_key = NULL;
		const struct sev_ark_pin *pin;
		const char *md;

		snprintf(path, sizeof(path), "%s/snp/legacy-sev/%s_ark.cert", vec, p);
		ark_raw = tap_slurp(path, &ark_len);
		snprintf(path, sizeof(path), "%s/snp/legacy-sev/%s_ask.cert", vec, p);
		ask_raw = tap_slurp(path, &ask_len);
		if (!ok(ark_raw && ask_raw, "%s: ARK and ASK readable", p))
			continue;
		ok(sev_ca_cert_parse(ark_raw, ark_len, &ark, &d) == CGS_OK &&
			   ark.usage == SEV_USAGE_ARK,
		   "%s: ARK parses as usage ARK", p);
		ok(sev_ca_cert_parse(ask_raw, ask_len, &ask, &d) == CGS_OK &&
			   ask.usage == SEV_USAGE_ASK && !memcmp(ask.certifying_id, ark.key_id, 16),
		   "%s: ASK parses, certified by the ARK's key id", p);
		md = ark.modulus_bits == 2048 ? "SHA256" : "SHA384";
		ok(sev_ca_cert_pkey(&ark, &ark_key, &d) == CGS_OK, "%s: ARK key", p);
		ok(ark_key && sev_verify_rsa_pss(ark_key, md, ark_raw, ark.signed_len, ark.signature,
						 ark.modulus_bits / 8, &d) == CGS_OK,
		   "%s: ARK self-signature (RSA-PSS %s)", p, md);
		ok(ark_key && sev_verify_rsa_pss(ark_key, md, ask_raw, ask.signed_len, ask.signature,
						 ask.modulus_bits / 8, &d) == CGS_OK,
		   "%s: ASK signed by the ARK", p);
		ok(ark_key && sev_verify_rsa_pss(ark_key, md, ark_raw, ark.signed_len, ask.signature,
						 ask.modulus_bits / 8, &d) == CGS_E_VERIFY,
		   "%s: the ASK's signature does not verify the ARK", p);
		cgs_digest("SHA256", ark_raw, ark_len, sha, NULL, &d);
		pin = sev_ark_find(sha);
		ok(pin && !strcasecmp(pin->product, p) && !memcmp(pin->key_id, ark.key_id, 16) &&
			   pin->modulus_bits == ark.modulus_bits,
		   "%s: ARK is pinned under its product and key id", p);
		if (i >= 2) {
			snprintf(path, sizeof(path), "%s/snp/roots/virtee_%s_ark.pem", vec, p);
			ok(x509_modulus_equal(path, &ark), "%s: modulus equals the X.509 ARK's", p);
			snprintf(path, sizeof(path), "%s/snp/roots/virtee_%s_ask.pem", vec, p);
			ok(x509_modulus_equal(path, &ask), "%s: modulus equals the X.509 ASK's", p);
		}
		ok(!sev_ark_find(ask_raw + 0x100), "%s: arbitrary bytes are no pin", p);
		EVP_PKEY_free(ark_key);
		free(ark_raw);
		free(ask_raw);
	}
}

static void test_platform_vectors(const char *vec)
{
	static const char *const names[] = { "cek", "oca", "pek", "pdh" };
	static const char *const plats[] = { "naples", "rome" };
	char path[4096];

	for (int p = 0; p < 2; p++) {
		for (int i = 0; i < 4; i++) {
			uint8_t *raw, out[SEV_CERT_SIZE];
			size_t len = 0;
			struct sev_cert c;
			struct cgs_diag d;

			snprintf(path, sizeof(path), "%s/snp/legacy-sev/%s_test_%s.cert", vec, plats[p],
				 names[i]);
			raw = tap_slurp(path, &len);
			if (!ok(raw && sev_cert_parse(raw, len, &c, &d) == CGS_OK, "%s %s parses",
				plats[p], names[i]))
				continue;
			sev_cert_serialize(&c, out);
			is_mem(out, raw, SEV_CERT_SIZE, "serialised bytes equal the file");
			ok(c.curve == SEV_CURVE_P384, "%s %s: P-384 key", plats[p], names[i]);
			free(raw);
		}
	}
	snprintf(path, sizeof(path), "%s/snp/legacy-sev/naples_test_ark.cert.bad", vec);
	{
		size_t len = 0;
		uint8_t *raw = tap_slurp(path, &len);
		struct sev_ca_cert c;
		struct cgs_diag d;

		ok(raw && sev_ca_cert_parse(raw, len, &c, &d) == CGS_E_MALFORMED &&
			   !strcmp(d.field, "signature") && d.offset == 0x240,
		   "the .bad ARK is rejected: truncated at 0x240 (signature)");
		free(raw);
	}
}

static void test_pins(void)
{
	size_t n;
	const struct sev_ark_pin *p = sev_ark_pins(&n);

	is_int((long long)n, 5, "five pinned SEV ARKs");
	ok(sev_ark_by_product("rome") == &p[1] && sev_ark_by_product("Turin") == &p[4] &&
		   !sev_ark_by_product("venice"),
	   "pins by product name");
}

int main(void)
{
	const char *vec = tap_vectors();

	test_platform_layout();
	test_ca_layout();
	test_attestation_layout();
	test_pins();
	if (vec) {
		test_products(vec);
		test_platform_vectors(vec);
	} else {
		printf("# ../shared/vectors not present: AMD certificate replay skipped\n");
	}
	return tap_done();
}
