// SPDX-License-Identifier: MIT
/*
 * Test helper that plays the IBM Z Ultravisor (and the image builder) for the
 * attestation tests, so they run without s390 hardware or shared vectors:
 *
 *   s390_uv_attest mkhdr HDR_OUT HOST.crt|HOST.key...
 *       a random SE header v1 with one key slot per host key
 *   s390_uv_attest perform REQUEST HDR HOST.key CUID_HEX USER_FILE|- RESPONSE_OUT [ASRCB...]
 *       decrypt the request with the host private key (key slot -> ARPK ->
 *       measurement key and nonce), unpack the header like the Ultravisor,
 *       compute the measurement independently and write the response; the
 *       secret store holds the add-secret requests given (locked if the
 *       environment has UV_STORE_LOCKED=1)
 *   s390_uv_attest addsecret REQUEST HDR HOST.key [SIGNER.pub]
 *       the Ultravisor's side of an add-secret request: check it is bound to the
 *       header, unwrap and decrypt it, verify a user-data signature, and print
 *       type, flags, CUID, ID, secret and extension secret (hex), one per line
 *   s390_uv_attest mutate RESPONSE HDR ARPK
 *       check that every single-byte change of the response is rejected
 *       (in-process, both an XOR with 0x01 and with 0xff per byte)
 *
 * Exit status 0 on success, 1 with a message otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "formats/s390_arcb.h"
#include "formats/s390_asrcb.h"
#include "formats/s390_exchange.h"
#include "formats/s390_pv_hdr.h"
#include "lib/core/crypto.h"
#include "lib/core/endian.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"
#include "lib/s390/s390_attest.h"
#include "lib/s390/s390_pv_crypto.h"

static int fail(const char *what, const struct cgs_diag *d)
{
	fprintf(stderr, "s390_uv_attest: %s%s%s\n", what, d ? ": " : "", d ? d->text : "");
	return 1;
}

static uint8_t *slurp(const char *path, size_t *n)
{
	uint8_t *b = NULL;
	struct cgs_diag d;

	if (cgs_read_file(path, 4u << 20, &b, n, &d)) {
		fail(path, &d);
		return NULL;
	}
	return b;
}

/* A public key from a certificate, or a key pair from a PEM private key. */
static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = NULL;
	X509 *x;

	if (!f)
		return NULL;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	if (x) {
		k = X509_get_pubkey(x);
		X509_free(x);
	} else {
		rewind(f);
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	}
	fclose(f);
	return k;
}

static int mkhdr(int argc, char **argv)
{
	struct s390_pv_hdr *h = calloc(1, sizeof(*h));
	struct s390_pv_hdr_secret s;
	EVP_PKEY *hosts[8], *cust = NULL;
	uint8_t key[32], out[S390_PV_HDR_MAX_SIZE];
	size_t n = (size_t)argc - 3, len = 0;
	struct cgs_diag d;

	if (!h || argc < 4 || n > 8)
		return fail("usage: mkhdr HDR_OUT HOST...", NULL);
	for (size_t i = 0; i < n; i++)
		if (!(hosts[i] = load_key(argv[3 + i])))
			return fail(argv[3 + i], NULL);
	memset(&s, 0, sizeof(s));
	if (s390_pv_hdr_init(h, n, &d) || s390_pv_ec_generate(&cust, &d) ||
	    cgs_random(key, 32, &d) || cgs_random(h->iv, 12, &d) || cgs_random(h->pld, 64, &d) ||
	    cgs_random(h->ald, 64, &d) || cgs_random(h->tld, 64, &d) ||
	    cgs_random(s.cck, 32, &d) || cgs_random(s.xts_key, 64, &d))
		return fail("header setup", &d);
	h->nep = 3;
	h->pcf = S390_PV_PCF_DEFAULT;
	s.psw_mask = S390_PV_PSW_MASK_64;
	s.psw_addr = 0x20000;
	if (s390_pv_hdr_set_keys(h, cust, hosts, n, key, &d) || s390_pv_hdr_seal(h, &s, key, &d) ||
	    s390_pv_hdr_serialize(h, out, sizeof(out), &len, &d) ||
	    cgs_write_file(argv[2], out, len, CGS_OUT_FORCE, &d))
		return fail("header", &d);
	for (size_t i = 0; i < n; i++)
		EVP_PKEY_free(hosts[i]);
	EVP_PKEY_free(cust);
	free(h);
	return 0;
}

/* The secret store: the GCM tags of the requests added, then the lock byte. */
static uint8_t store[256 * 16 + 1];
static size_t store_len;

static int fill_store(char **files, int n)
{
	for (int i = 0; i < n; i++) {
		size_t len = 0;
		uint8_t *b = slurp(files[i], &len);

		if (!b || len < 16 || i >= 256) {
			free(b);
			return fail("secret-store request", NULL);
		}
		memcpy(store + store_len, b + len - 16, 16);
		store_len += 16;
		free(b);
	}
	store[store_len++] = getenv("UV_STORE_LOCKED") && !strcmp(getenv("UV_STORE_LOCKED"), "1");
	return 0;
}

/* The additional data the Ultravisor returns for the flags. */
static size_t additional(uint64_t paf, EVP_PKEY *host, uint8_t *out)
{
	size_t n = 0;
	uint8_t phkh[32];
	unsigned int hl = 0;
	struct cgs_diag d;

	s390_pv_phkh(host, phkh, &d);
	if (paf & S390_PAF_PHKH_IMG) {
		/* UV_FAKE_IMAGE_PHKH=1: report a host key the image has no slot for */
		if (getenv("UV_FAKE_IMAGE_PHKH"))
			memset(out + n, 0x5a, 32);
		else
			memcpy(out + n, phkh, 32);
		n += 32;
	}
	if (paf & S390_PAF_PHKH_ATT)
		memcpy(out + n, phkh, 32), n += 32;
	if (paf & S390_PAF_SECRET_STORE_HASH) {
		EVP_Digest(store, store_len, out + n, &hl, EVP_sha512(), NULL);
		n += 64;
	}
	if (paf & S390_PAF_FIRMWARE_STATE)
		memset(out + n, 0x5f, 320), n += 320;
	return n;
}

/* Find the slot for the host key and unwrap the ARPK; decrypt the ARCB. */
static int uv_open_arcb(const uint8_t *arcb, size_t len, EVP_PKEY *host, struct s390_arcb *a,
			uint8_t plain[80])
{
	struct s390_pv_keyslot ks;
	EVP_PKEY *cust = NULL;
	uint8_t phkh[32], arpk[32];
	size_t aad;
	int i;
	struct cgs_diag d;

	if (s390_arcb_parse(arcb, len, a, &d) || s390_pv_phkh(host, phkh, &d))
		return fail("request", &d);
	i = s390_uvreq_find_slot(a->slots, a->hdr.nks, phkh);
	if (i < 0)
		return fail("no key slot for this host (UV rc 0x010c)", NULL);
	memcpy(ks.phkh, a->slots + 80 * i, 32);
	memcpy(ks.wrapped, a->slots + 80 * i + 32, 32);
	memcpy(ks.tag, a->slots + 80 * i + 64, 16);
	aad = s390_uvreq_aad_len(&a->hdr);
	if (s390_pv_ec_from_coords(a->cust_pub, &cust, &d) ||
	    s390_pv_keyslot_open(host, cust, &ks, arpk, &d) ||
	    s390_pv_gcm_open(arpk, a->hdr.iv, arcb, aad, arcb + aad, a->hdr.sea, arcb + len - 16,
			     plain, &d)) {
		EVP_PKEY_free(cust);
		return fail("request decryption", &d);
	}
	EVP_PKEY_free(cust);
	return 0;
}

static int perform(int argc, char **argv)
{
	uint8_t *req, *hb, *user = NULL, cuid[16], plain[80], add[512], msg[1024], meas[64];
	uint8_t tags[208], key[32], *out;
	size_t rn, hn, un = 0, an, mn = 0, ml = 0, on = 0;
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct s390_pv_hdr_secret sec;
	struct s390_exchange x, r;
	struct s390_arcb a;
	EVP_PKEY *host;
	struct cgs_diag d;

	if (argc < 8 || !h)
		return fail("usage: perform REQUEST HDR HOST.key CUID USER|- RESPONSE [ASRCB...]", NULL);
	if (fill_store(argv + 8, argc - 8))
		return 1;
	if (!(req = slurp(argv[2], &rn)) || !(hb = slurp(argv[3], &hn)) ||
	    !(host = load_key(argv[4])) || cgs_hex_decode(argv[5], cuid, 16, &un, 1) ||
	    (strcmp(argv[6], "-") && !(user = slurp(argv[6], &un))))
		return fail("inputs", NULL);
	if (!user)
		un = 0;
	if (s390_exchange_parse(req, rn, &x, &d) || !x.e[S390_EXCH_ARCB].data)
		return fail("request file", &d);
	if (s390_pv_hdr_parse(hb, hn, h, &d) || s390_pv_hdr_open_with_host(h, host, key, &sec, &d))
		return fail("the SE header does not unpack with this host key", &d);
	if (uv_open_arcb(x.e[S390_EXCH_ARCB].data, x.e[S390_EXCH_ARCB].size, host, &a, plain))
		return 1;
	an = additional(a.paf, host, add);
	s390_pv_hdr_tags(h, tags);
	/* M = tags || cuid || be16 user len || 0000 || be32 add len || user || nonce || add */
	memcpy(msg, tags, 208);
	memcpy(msg + 208, cuid, 16);
	cgs_put_be16(msg + 224, (uint16_t)un);
	cgs_put_be16(msg + 226, 0);
	cgs_put_be32(msg + 228, (uint32_t)an);
	mn = 232;
	if (un)
		memcpy(msg + mn, user, un), mn += un;
	if (a.paf & S390_PAF_NONCE)
		memcpy(msg + mn, plain + 64, 16), mn += 16;
	memcpy(msg + mn, add, an), mn += an;
	if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA512", NULL, plain, 64, msg, mn, meas, 64, &ml))
		return fail("HMAC", NULL);
	memset(&r, 0, sizeof(r));
	r.e[S390_EXCH_ARCB] = x.e[S390_EXCH_ARCB];
	r.e[S390_EXCH_MEAS].data = meas, r.e[S390_EXCH_MEAS].size = 64;
	r.e[S390_EXCH_ADD].data = an ? add : NULL, r.e[S390_EXCH_ADD].size = (uint32_t)an;
	r.e[S390_EXCH_USER].data = user, r.e[S390_EXCH_USER].size = (uint32_t)un;
	r.e[S390_EXCH_CUID].data = cuid, r.e[S390_EXCH_CUID].size = 16;
	out = malloc(s390_exchange_size(&r));
	if (!out || s390_exchange_serialize(&r, out, s390_exchange_size(&r), &on, &d) ||
	    cgs_write_file(argv[7], out, on, CGS_OUT_FORCE, &d))
		return fail("response", &d);
	free(out);
	free(req);
	free(hb);
	free(user);
	free(h);
	EVP_PKEY_free(host);
	return 0;
}

static EVP_PKEY *load_pub(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = NULL;

	if (f) {
		k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
		fclose(f);
	}
	return k;
}

/* Verify the user-data signature over the request without its tag (signature zeroed). */
static int check_signature(uint8_t *req, size_t n, const struct s390_asrcb *a, EVP_PKEY *k)
{
	uint8_t *ud = req + S390_ASRCB_USER_DATA_OFF, sig[512];
	size_t off = a->user_type == S390_ASRCB_UD_RSA3072 ? 128 : 256, sl;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok;

	sl = a->user_type == S390_ASRCB_UD_ECDSA_P521 ? cgs_be16(ud + 400) : 512 - off;
	if (sl > 139 && a->user_type == S390_ASRCB_UD_ECDSA_P521)
		return fail("bad EC signature size", NULL);
	memcpy(sig, ud + off, sl);
	memset(ud + off, 0, 512 - off);
	ok = ctx && EVP_DigestVerifyInit(ctx, NULL, EVP_sha512(), NULL, k) > 0 &&
	     EVP_DigestVerify(ctx, sig, sl, req, n - 16) == 1;
	EVP_MD_CTX_free(ctx);
	return ok ? 0 : fail("user-data signature does not verify", NULL);
}

static void hexline(const char *what, const uint8_t *b, size_t n)
{
	printf("%s ", what);
	for (size_t i = 0; i < n; i++)
		printf("%02x", b[i]);
	printf("\n");
}

static int addsecret(int argc, char **argv)
{
	uint8_t *req, *hb, tags[208], phkh[32], pk[32], *plain;
	size_t rn, hn, aad;
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct s390_pv_keyslot ks;
	struct s390_asrcb a;
	EVP_PKEY *host, *cust = NULL;
	struct cgs_diag d;
	int i;

	if ((argc != 5 && argc != 6) || !h)
		return fail("usage: addsecret REQUEST HDR HOST.key [SIGNER.pub]", NULL);
	if (!(req = slurp(argv[2], &rn)) || !(hb = slurp(argv[3], &hn)) ||
	    !(host = load_key(argv[4])) || s390_pv_hdr_parse(hb, hn, h, &d))
		return fail("inputs", NULL);
	if (s390_asrcb_parse(req, rn, &a, &d))
		return fail("request", &d);
	s390_pv_hdr_tags(h, tags);
	if (memcmp(a.tags, tags, 208))
		return fail("the request is not bound to this SE header", NULL);
	if (s390_pv_phkh(host, phkh, &d) || (i = s390_uvreq_find_slot(a.slots, a.hdr.nks, phkh)) < 0)
		return fail("no key slot for this host", NULL);
	memcpy(ks.phkh, a.slots + 80 * i, 32);
	memcpy(ks.wrapped, a.slots + 80 * i + 32, 32);
	memcpy(ks.tag, a.slots + 80 * i + 64, 16);
	aad = s390_uvreq_aad_len(&a.hdr);
	plain = malloc(a.hdr.sea);
	if (!plain || s390_pv_ec_from_coords(a.cust_pub, &cust, &d) ||
	    s390_pv_keyslot_open(host, cust, &ks, pk, &d) ||
	    s390_pv_gcm_open(pk, a.hdr.iv, req, aad, req + aad, a.hdr.sea, req + rn - 16, plain, &d))
		return fail("request decryption", &d);
	if (argc == 6) {
		EVP_PKEY *signer = load_pub(argv[5]);
		int bad = !signer || check_signature(req, rn, &a, signer);

		EVP_PKEY_free(signer);
		if (bad)
			return 1;
	}
	printf("type %u\nflags 0x%016llx\nuser_type %u\n", a.secret_type,
	       (unsigned long long)a.flags, a.user_type);
	hexline("cuid", a.cuid, 16);
	hexline("id", a.secret_id, 32);
	hexline("secret", plain, a.secret_len);
	hexline("ext", plain + a.secret_len, 32);
	hexline("user", req + S390_ASRCB_USER_DATA_OFF, 16);
	free(plain);
	free(req);
	free(hb);
	free(h);
	EVP_PKEY_free(host);
	EVP_PKEY_free(cust);
	return 0;
}

/* 0 if the (mutated) response is rejected, 1 if it is accepted. */
static int accepted(const uint8_t *b, size_t n, const uint8_t tags[208], const uint8_t arpk[32])
{
	struct s390_exchange x;
	struct s390_attest_verdict v;
	struct cgs_diag d;

	if (s390_exchange_parse(b, n, &x, &d))
		return 0;
	return s390_attest_verify(&x, tags, arpk, &v, &d) == CGS_OK;
}

static int mutate(int argc, char **argv)
{
	uint8_t *rb, *hb, *ab, tags[208];
	size_t rn, hn, an, tried = 0;
	struct s390_pv_hdr *h = malloc(sizeof(*h));
	struct cgs_diag d;
	static const uint8_t flips[] = { 0x01, 0xff };

	if (argc != 5 || !h)
		return fail("usage: mutate RESPONSE HDR ARPK", NULL);
	if (!(rb = slurp(argv[2], &rn)) || !(hb = slurp(argv[3], &hn)) ||
	    !(ab = slurp(argv[4], &an)) || an != 32 || s390_pv_hdr_parse(hb, hn, h, &d))
		return fail("inputs", NULL);
	s390_pv_hdr_tags(h, tags);
	if (!accepted(rb, rn, tags, ab))
		return fail("the unmodified response is not accepted", NULL);
	for (size_t i = 0; i < rn; i++) {
		for (size_t f = 0; f < sizeof(flips); f++) {
			rb[i] ^= flips[f];
			if (accepted(rb, rn, tags, ab)) {
				fprintf(stderr, "s390_uv_attest: byte %zu ^ 0x%02x accepted\n", i,
					flips[f]);
				return 1;
			}
			rb[i] ^= flips[f];
			tried++;
		}
	}
	for (size_t i = 1; i < rn; i++)
		if (accepted(rb, i, tags, ab))
			return fail("a truncated response is accepted", NULL);
	printf("%zu single-byte mutations and %zu truncations rejected\n", tried, rn - 1);
	free(rb);
	free(hb);
	free(ab);
	free(h);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "mkhdr"))
		return mkhdr(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "perform"))
		return perform(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "addsecret"))
		return addsecret(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "mutate"))
		return mutate(argc, argv);
	return fail("usage: s390_uv_attest mkhdr|perform|mutate ...", NULL);
}
