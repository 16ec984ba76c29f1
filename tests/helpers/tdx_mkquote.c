// SPDX-License-Identifier: MIT
/*
 * Test-only: build Intel TDX DCAP quotes and signed collateral with test keys,
 * laid out independently of formats/tdx_quote (offsets from the spec), so the
 * verifier's accept and reject paths can be reached without real hardware.
 *
 *   tdx_mkquote quote --out FILE --pck-key KEY.pem --pck-chain CHAIN.pem
 *       [--version 4|5] [--td15] [--tee-tcb-svn HEX] [--tee-tcb-svn2 HEX]
 *       [--td-attributes U64] [--xfam U64] [--mrtd HEX] [--rtmr0..3 HEX]
 *       [--report-data HEX] [--mrsignerseam HEX] [--seam-attributes HEX]
 *       [--qe-isvsvn N] [--qe-mrsigner HEX] [--qe-isvprodid N] [--trailing N]
 *       [--no-sign]
 *   tdx_mkquote sign --key KEY.pem --member tcbInfo|enclaveIdentity --body FILE --out FILE
 *       writes {"<member>":<body bytes>,"signature":"<r||s hex>"}
 */
#define _GNU_SOURCE /* asprintf */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>

#include "lib/core/cli.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"

#define MK_PROG "tdx_mkquote"
#include "tests/helpers/mk_common.h"

static void put16(uint8_t *p, uint64_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static EVP_PKEY *load_key(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	if (!k)
		die("cannot read the private key", path);
	return k;
}

/* ECDSA-SHA256, returned as r || s (32 bytes each) */
static void sign_raw(EVP_PKEY *k, const uint8_t *data, size_t len, uint8_t out[64])
{
	uint8_t der[160];
	size_t n;

	if (test_ecdsa_sign(k, EVP_sha256(), data, len, der, &n, out, out + 32, 32, 0))
		die("signing failed", NULL);
}

static void pub_raw(EVP_PKEY *k, uint8_t out[64])
{
	uint8_t pt[65];
	size_t n = 0;

	if (!EVP_PKEY_get_octet_string_param(k, "encoded-pub-key", pt, sizeof(pt), &n) || n != 65)
		die("cannot export the attestation key", NULL);
	memcpy(out, pt + 1, 64);
}

static uint8_t *read_all(const char *path, size_t *len)
{
	struct cgs_diag d;
	uint8_t *b;

	if (cgs_read_file(path, 1u << 24, &b, len, &d))
		die("cannot read", path);
	return b;
}

static void write_all(const char *path, const void *b, size_t len)
{
	struct cgs_diag d;

	if (cgs_write_file(path, b, len, CGS_OUT_FORCE, &d))
		die("cannot write", path);
}

struct mk {
	int version, td15, no_sign, bad_binding;
	uint8_t body[648];
	uint8_t qe[384];
	size_t trailing;
	const char *out, *pck_key, *pck_chain;
};

static const uint8_t intel_vendor[16] = {0x93, 0x9a, 0x72, 0x33, 0xf7, 0x9c, 0x4c, 0xa9,
					 0x94, 0x0a, 0x0d, 0xb3, 0x95, 0x7f, 0x06, 0x07};

static void defaults(struct mk *m)
{
	static const uint8_t svn[3] = {3, 0, 5};

	memset(m, 0, sizeof(*m));
	m->version = 4;
	memcpy(m->body, svn, 3);	  /* TEE_TCB_SVN: module 3, major 0, 5 */
	put64(m->body + 120, 0x10000000); /* TDATTRIBUTES: SEPT_VE_DISABLE */
	put64(m->body + 128, 0x602e7);	  /* XFAM */
	for (int i = 0; i < 48; i++)
		m->body[136 + i] = (uint8_t)(0xa0 + i % 16); /* MRTD */
	m->qe[48] = 0x11;				     /* ATTRIBUTES */
	memset(m->qe + 128, 0xdc, 32);			     /* MRSIGNER */
	put16(m->qe + 256, 2);				     /* ISVPRODID */
	put16(m->qe + 258, 4);				     /* ISVSVN */
}

static void body_opt(struct mk *m, const char *name, const char *arg)
{
	static const struct {
		const char *name;
		size_t off, len;
	} f[] = {{"tee-tcb-svn", 0, 16},   {"mrsignerseam", 64, 48}, {"seam-attributes", 112, 8},
		 {"mrtd", 136, 48},	   {"mrconfigid", 184, 48},  {"rtmr0", 328, 48},
		 {"rtmr1", 376, 48},	   {"rtmr2", 424, 48},	     {"rtmr3", 472, 48},
		 {"report-data", 520, 64}, {"tee-tcb-svn2", 584, 16}};

	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++)
		if (!strcmp(f[i].name, name)) {
			hexarg(arg, m->body + f[i].off, f[i].len);
			return;
		}
	if (!strcmp(name, "td-attributes"))
		put64(m->body + 120, num(arg));
	else if (!strcmp(name, "xfam"))
		put64(m->body + 128, num(arg));
	else if (!strcmp(name, "qe-isvsvn"))
		put16(m->qe + 258, num(arg));
	else if (!strcmp(name, "qe-isvprodid"))
		put16(m->qe + 256, num(arg));
	else if (!strcmp(name, "qe-mrsigner"))
		hexarg(arg, m->qe + 128, 32);
	else
		die("unknown option", name);
}

static size_t build(const struct mk *m, EVP_PKEY *pck, EVP_PKEY *ak, uint8_t *q,
		    const uint8_t *chain, size_t chain_len)
{
	size_t blen = m->td15 ? 648 : 584, hdr = m->version == 5 ? 54 : 48, p, sd;
	uint8_t auth[32], key[64], h[64 + 32];

	put16(q, (uint64_t)m->version);
	put16(q + 2, 2);
	put32(q + 4, 0x81);
	memcpy(q + 12, intel_vendor, 16);
	if (m->version == 5) {
		put16(q + 48, m->td15 ? 3 : 2);
		put32(q + 50, blen);
	}
	memcpy(q + hdr, m->body, blen);
	p = hdr + blen;
	sd = p + 4;
	pub_raw(ak, key);
	memcpy(q + sd + 64, key, 64);
	put16(q + sd + 128, 6);
	for (int i = 0; i < 32; i++)
		auth[i] = (uint8_t)i;
	memcpy(h, key, 64);
	memcpy(h + 64, auth, 32);
	{
		uint8_t qe[384];
		size_t c = sd + 134;

		memcpy(qe, m->qe, 384);
		SHA256(h, sizeof(h), qe + 320);
		qe[351] ^= (uint8_t)m->bad_binding; /* the hash's last byte, then signed */
		memcpy(q + c, qe, 384);
		if (!m->no_sign)
			sign_raw(pck, qe, 384, q + c + 384);
		put16(q + c + 448, 32);
		memcpy(q + c + 450, auth, 32);
		put16(q + c + 482, 5);
		put32(q + c + 484, chain_len);
		memcpy(q + c + 488, chain, chain_len);
		put32(q + sd + 130, 488 + chain_len);
		put32(q + p, 134 + 488 + chain_len);
	}
	if (!m->no_sign)
		sign_raw(ak, q, hdr + blen, q + sd);
	return sd + 134 + 488 + chain_len + m->trailing;
}

static int cmd_quote(int argc, char **argv)
{
	static const struct option lo[] = {
	    {"out", 1, 0, 'o'},	       {"pck-key", 1, 0, 'k'},
	    {"pck-chain", 1, 0, 'c'},  {"version", 1, 0, 'v'},
	    {"td15", 0, 0, '5'},       {"no-sign", 0, 0, 'n'},
	    {"trailing", 1, 0, 't'},   {"tee-tcb-svn", 1, 0, 1},
	    {"tee-tcb-svn2", 1, 0, 1}, {"td-attributes", 1, 0, 1},
	    {"xfam", 1, 0, 1},	       {"mrtd", 1, 0, 1},
	    {"mrconfigid", 1, 0, 1},   {"rtmr0", 1, 0, 1},
	    {"rtmr1", 1, 0, 1},	       {"rtmr2", 1, 0, 1},
	    {"rtmr3", 1, 0, 1},	       {"report-data", 1, 0, 1},
	    {"mrsignerseam", 1, 0, 1}, {"seam-attributes", 1, 0, 1},
	    {"qe-isvsvn", 1, 0, 1},    {"qe-mrsigner", 1, 0, 1},
	    {"qe-isvprodid", 1, 0, 1}, {"bad-binding", 0, 0, 'b'},
	    {0, 0, 0, 0},
	};
	struct mk m;
	int c, idx;
	size_t chain_len, len;
	uint8_t *chain, *q;
	EVP_PKEY *pck, *ak;

	defaults(&m);
	while ((c = getopt_long(argc, argv, "", lo, &idx)) != -1) {
		switch (c) {
		case 'o':
			m.out = optarg;
			break;
		case 'k':
			m.pck_key = optarg;
			break;
		case 'c':
			m.pck_chain = optarg;
			break;
		case 'v':
			m.version = (int)num(optarg);
			break;
		case '5':
			m.td15 = 1;
			break;
		case 'n':
			m.no_sign = 1;
			break;
		case 'b':
			m.bad_binding = 1;
			break;
		case 't':
			m.trailing = (size_t)num(optarg);
			break;
		case 1:
			body_opt(&m, lo[idx].name, optarg);
			break;
		default:
			die("bad option", NULL);
		}
	}
	if (!m.out || !m.pck_key || !m.pck_chain)
		die("need --out, --pck-key and --pck-chain", NULL);
	if (m.td15 && m.version != 5)
		die("--td15 needs --version 5", NULL);
	chain = read_all(m.pck_chain, &chain_len);
	pck = load_key(m.pck_key);
	ak = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	q = calloc(1, 4096 + chain_len + m.trailing);
	if (!ak || !q)
		die("out of memory", NULL);
	len = build(&m, pck, ak, q, chain, chain_len);
	write_all(m.out, q, len);
	free(q);
	free(chain);
	EVP_PKEY_free(pck);
	EVP_PKEY_free(ak);
	return 0;
}

static int cmd_sign(int argc, char **argv)
{
	const char *key = NULL, *member = NULL, *body = NULL, *out = NULL;
	uint8_t *b, sig[64];
	char hex[129], *doc;
	size_t len;
	EVP_PKEY *k;
	int n;

	for (int i = 1; i + 1 < argc; i += 2) {
		if (!strcmp(argv[i], "--key"))
			key = argv[i + 1];
		else if (!strcmp(argv[i], "--member"))
			member = argv[i + 1];
		else if (!strcmp(argv[i], "--body"))
			body = argv[i + 1];
		else if (!strcmp(argv[i], "--out"))
			out = argv[i + 1];
		else
			die("bad option", argv[i]);
	}
	if (!key || !member || !body || !out)
		die("need --key, --member, --body and --out", NULL);
	b = read_all(body, &len);
	while (len && (b[len - 1] == '\n' || b[len - 1] == ' '))
		len--;
	k = load_key(key);
	sign_raw(k, b, len, sig);
	cgs_hex_encode(sig, 64, hex);
	n = asprintf(&doc, "{\"%s\":%.*s,\"signature\":\"%s\"}", member, (int)len, (char *)b, hex);
	if (n < 0)
		die("out of memory", NULL);
	write_all(out, doc, (size_t)n);
	free(doc);
	free(b);
	EVP_PKEY_free(k);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "quote"))
		return cmd_quote(argc - 1, argv + 1);
	if (argc > 1 && !strcmp(argv[1], "sign"))
		return cmd_sign(argc - 1, argv + 1);
	die("usage: tdx_mkquote quote|sign ...", NULL);
	return 2;
}
