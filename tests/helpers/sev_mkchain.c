// SPDX-License-Identifier: MIT
/*
 * Test helper: write a whole legacy SEV certificate chain in AMD's formats,
 * with fresh OpenSSL keys, so the tests need no real platform:
 *
 *   sev_mkchain OUTDIR [--bits 2048|4096] [--p256] [--ask-certifying-id HEX32]
 *               [--attestation DIGEST_HEX MNONCE_HEX POLICY]
 *
 * writes OUTDIR/{ark,ask,cek,oca,pek,pdh}.cert (and attestation.bin). The
 * ARK/ASK are RSA keys signed with RSA-PSS (SHA-256 for 2048 bits, SHA-384 for
 * 4096, salt = hash length); the platform keys are ECDSA P-384 (P-256 with
 * --p256) signed as the SEV API describes. Signing is done here with OpenSSL
 * directly; only the byte layouts come from formats/.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "lib/core/hex.h"

static int curve_id = SEV_CURVE_P384;
static const char *ask_certifying_id; /* a wrong certifying id, still validly signed */

static void die(const char *what)
{
	fprintf(stderr, "sev_mkchain: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static void get_le(EVP_PKEY *k, const char *name, uint8_t *out, size_t len)
{
	BIGNUM *bn = NULL;

	if (!EVP_PKEY_get_bn_param(k, name, &bn) || BN_bn2lebinpad(bn, out, (int)len) < 0)
		die("cannot export a key parameter");
	BN_free(bn);
}

static void reverse(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n / 2; i++) {
		uint8_t t = p[i];

		p[i] = p[n - 1 - i];
		p[n - 1 - i] = t;
	}
}

static size_t sign(EVP_PKEY *k, const char *md, int pss, const uint8_t *data, size_t len,
		   uint8_t *sig, size_t cap)
{
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	EVP_PKEY_CTX *p = NULL;
	size_t n = cap;

	if (!m || EVP_DigestSignInit_ex(m, &p, md, NULL, NULL, k, NULL) != 1)
		die("sign init");
	if (pss && (EVP_PKEY_CTX_set_rsa_padding(p, RSA_PKCS1_PSS_PADDING) != 1 ||
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(p, RSA_PSS_SALTLEN_DIGEST) != 1 ||
		    EVP_PKEY_CTX_set_rsa_mgf1_md_name(p, md, NULL) != 1))
		die("pss setup");
	if (EVP_DigestSign(m, sig, &n, data, len) != 1)
		die("sign");
	EVP_MD_CTX_free(m);
	return n;
}

/* RSA-PSS, little-endian into out (len bytes, zero padded). */
static void sign_rsa_le(EVP_PKEY *k, const char *md, const uint8_t *data, size_t len,
			uint8_t *out, size_t out_len)
{
	uint8_t sig[1024];
	size_t n = sign(k, md, 1, data, len, sig, sizeof(sig));

	if (n > out_len)
		die("signature too large");
	reverse(sig, n);
	memset(out, 0, out_len);
	memcpy(out, sig, n);
}

/* ECDSA, r and s as 72-byte little-endian integers. */
static void sign_ec_le(EVP_PKEY *k, const char *md, const uint8_t *data, size_t len,
		       uint8_t *r_out, uint8_t *s_out)
{
	uint8_t der[256];
	const unsigned char *p = der;
	size_t n = sign(k, md, 0, data, len, der, sizeof(der));
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)n);
	const BIGNUM *r, *s;

	if (!sig)
		die("decode ECDSA signature");
	ECDSA_SIG_get0(sig, &r, &s);
	BN_bn2lebinpad(r, r_out, SEV_CERT_EC_COORD);
	BN_bn2lebinpad(s, s_out, SEV_CERT_EC_COORD);
	ECDSA_SIG_free(sig);
}

static void write_file(const char *dir, const char *name, const uint8_t *data, size_t len)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(data, 1, len, f) != len || fclose(f))
		die(path);
}

struct ca {
	EVP_PKEY *key;
	struct sev_ca_cert cert;
	uint8_t buf[0x40 + 3 * 512];
	size_t size;
};

static void make_ca(struct ca *c, unsigned bits, uint32_t usage, const struct ca *signer)
{
	size_t mlen = bits / 8;
	uint8_t *exp = c->buf + 0x40, *mod = exp + mlen, *sig = mod + mlen;

	c->key = EVP_RSA_gen(bits);
	if (!c->key)
		die("RSA key generation");
	memset(&c->cert, 0, sizeof(c->cert));
	c->cert.version = 1;
	RAND_bytes(c->cert.key_id, 16);
	memcpy(c->cert.certifying_id, signer ? signer->cert.key_id : c->cert.key_id, 16);
	if (usage == SEV_USAGE_ASK && ask_certifying_id &&
	    cgs_hex_decode(ask_certifying_id, c->cert.certifying_id, 16, NULL, 1))
		die("--ask-certifying-id: 32 hex digits");
	c->cert.usage = usage;
	c->cert.pubexp_bits = bits;
	c->cert.modulus_bits = bits;
	get_le(c->key, OSSL_PKEY_PARAM_RSA_E, exp, mlen);
	get_le(c->key, OSSL_PKEY_PARAM_RSA_N, mod, mlen);
	memset(sig, 0, mlen);
	c->cert.pubexp = exp;
	c->cert.modulus = mod;
	c->cert.signature = sig;
	c->size = sev_ca_cert_size(&c->cert);
	sev_ca_cert_serialize(&c->cert, c->buf);
	/* the signer's size selects the hash (AMD: SHA-256 with 2048-bit keys) */
	sign_rsa_le(signer ? signer->key : c->key,
		    (signer ? signer->cert.modulus_bits : bits) == 2048 ? "SHA256" : "SHA384",
		    c->buf, c->size - mlen, c->buf + c->size - mlen, mlen);
}

struct pf {
	EVP_PKEY *key;
	struct sev_cert cert;
	uint8_t buf[SEV_CERT_SIZE];
};

static void make_pf(struct pf *c, uint32_t usage, uint32_t algo)
{
	size_t n = sev_curve_bytes((uint32_t)curve_id);

	c->key = EVP_EC_gen(curve_id == SEV_CURVE_P256 ? "P-256" : "P-384");
	if (!c->key)
		die("EC key generation");
	memset(&c->cert, 0, sizeof(c->cert));
	c->cert.version = 1;
	c->cert.api_major = 0;
	c->cert.api_minor = 22;
	c->cert.usage = usage;
	c->cert.algo = algo;
	c->cert.curve = (uint32_t)curve_id;
	get_le(c->key, OSSL_PKEY_PARAM_EC_PUB_X, c->cert.qx, n);
	get_le(c->key, OSSL_PKEY_PARAM_EC_PUB_Y, c->cert.qy, n);
	for (int i = 0; i < 2; i++)
		c->cert.sigs[i].usage = SEV_USAGE_NONE;
}

static void pf_sign_ec(struct pf *c, int slot, const struct pf *signer)
{
	struct sev_cert_sig *s = &c->cert.sigs[slot];

	s->usage = signer->cert.usage;
	s->algo = SEV_ALGO_ECDSA_SHA256;
	memset(s->sig, 0, sizeof(s->sig));
	sev_cert_serialize(&c->cert, c->buf);
	sign_ec_le(signer->key, "SHA256", c->buf, SEV_CERT_SIGNED_LEN, s->sig,
		   s->sig + SEV_CERT_EC_COORD);
	sev_cert_serialize(&c->cert, c->buf);
}

static void pf_sign_rsa(struct pf *c, int slot, const struct ca *signer)
{
	struct sev_cert_sig *s = &c->cert.sigs[slot];
	int sha256 = signer->cert.modulus_bits == 2048;

	s->usage = signer->cert.usage;
	s->algo = sha256 ? SEV_ALGO_RSA_SHA256 : SEV_ALGO_RSA_SHA384;
	sev_cert_serialize(&c->cert, c->buf);
	sign_rsa_le(signer->key, sha256 ? "SHA256" : "SHA384", c->buf, SEV_CERT_SIGNED_LEN,
		    s->sig, sizeof(s->sig));
	sev_cert_serialize(&c->cert, c->buf);
}

static void make_attestation(const char *dir, const struct pf *pek, char **argv)
{
	struct sev_attestation r;
	uint8_t out[SEV_ATT_SIZE];

	memset(&r, 0, sizeof(r));
	if (cgs_hex_decode(argv[0], r.launch_digest, 32, NULL, 1) ||
	    cgs_hex_decode(argv[1], r.mnonce, 16, NULL, 1))
		die("bad --attestation DIGEST_HEX MNONCE_HEX");
	r.policy = (uint32_t)strtoul(argv[2], NULL, 0);
	r.sig_usage = SEV_USAGE_PEK;
	r.sig_algo = SEV_ALGO_ECDSA_SHA256;
	sev_attestation_serialize(&r, out);
	sign_ec_le(pek->key, "SHA256", out, SEV_ATT_SIGNED_LEN, r.r, r.s);
	sev_attestation_serialize(&r, out);
	write_file(dir, "attestation.bin", out, sizeof(out));
}

int main(int argc, char **argv)
{
	static struct ca ark, ask;
	static struct pf cek, oca, pek, pdh;
	unsigned bits = 2048;
	char **att = NULL;
	const char *dir;

	if (argc < 2)
		die("usage: sev_mkchain OUTDIR [--bits 2048|4096] [--p256] [--ask-certifying-id HEX] "
		    "[--attestation DIGEST_HEX MNONCE_HEX POLICY]");
	dir = argv[1];
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--bits") && i + 1 < argc)
			bits = (unsigned)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--p256"))
			curve_id = SEV_CURVE_P256;
		else if (!strcmp(argv[i], "--ask-certifying-id") && i + 1 < argc)
			ask_certifying_id = argv[++i];
		else if (!strcmp(argv[i], "--attestation") && i + 3 < argc)
			att = &argv[i + 1], i += 3;
		else
			die("unknown argument");
	}
	make_ca(&ark, bits, SEV_USAGE_ARK, NULL);
	make_ca(&ask, bits, SEV_USAGE_ASK, &ark);
	make_pf(&cek, SEV_USAGE_CEK, SEV_ALGO_ECDSA_SHA256);
	pf_sign_rsa(&cek, 0, &ask);
	make_pf(&oca, SEV_USAGE_OCA, SEV_ALGO_ECDSA_SHA256);
	pf_sign_ec(&oca, 0, &oca);
	make_pf(&pek, SEV_USAGE_PEK, SEV_ALGO_ECDSA_SHA256);
	pf_sign_ec(&pek, 0, &oca);
	pf_sign_ec(&pek, 1, &cek);
	make_pf(&pdh, SEV_USAGE_PDH, SEV_ALGO_ECDH_SHA256);
	pf_sign_ec(&pdh, 0, &pek);
	write_file(dir, "ark.cert", ark.buf, ark.size);
	write_file(dir, "ask.cert", ask.buf, ask.size);
	write_file(dir, "cek.cert", cek.buf, SEV_CERT_SIZE);
	write_file(dir, "oca.cert", oca.buf, SEV_CERT_SIZE);
	write_file(dir, "pek.cert", pek.buf, SEV_CERT_SIZE);
	write_file(dir, "pdh.cert", pdh.buf, SEV_CERT_SIZE);
	if (att)
		make_attestation(dir, &pek, att);
	EVP_PKEY_free(ark.key);
	EVP_PKEY_free(ask.key);
	EVP_PKEY_free(cek.key);
	EVP_PKEY_free(oca.key);
	EVP_PKEY_free(pek.key);
	EVP_PKEY_free(pdh.key);
	return 0;
}
