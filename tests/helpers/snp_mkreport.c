// SPDX-License-Identifier: MIT
/*
 * Test-only: build an SEV-SNP ATTESTATION_REPORT of any version and product
 * layout and sign it with a test VCEK/VLEK private key (ECDSA P-384, SHA-384
 * over bytes 0x000-0x29f, r/s stored 72-byte little-endian). Optionally
 * writes the DER signature so tests can cross-check with `openssl dgst`.
 *
 *   snp_mkreport --out FILE [--key KEY.pem] [--sig-der FILE] [field options]
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "formats/snp_report.h"
#include "lib/core/cli.h"
#include "lib/core/hex.h"
#include "lib/core/io.h"

#define MK_PROG "snp_mkreport"
#include "tests/helpers/mk_common.h"

struct mk {
	struct snp_report r;
	const struct snp_product *p;
	const char *out, *key, *sig_der;
	const char *tcb[4]; /* current, reported, committed, launch: "bl=1,..." */
	int no_sign;
};

/* "bl=3,tee=0,snp=8,ucode=115" in the product layout, or a raw 0x... value */
static uint64_t tcb_arg(const struct snp_product *p, const char *s)
{
	uint64_t t = 0;
	char buf[256], *save = NULL, *tok;

	if (!strchr(s, '='))
		return num(s);
	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(tok, '=');

		if (!eq)
			die("bad tcb", s);
		*eq = '\0';
		if (snp_tcb_set(&t, p->layout, tok, (uint8_t)num(eq + 1)))
			die("no such tcb component in this layout", tok);
	}
	return t;
}

static void fw_arg(const char *s, uint8_t *maj, uint8_t *min, uint8_t *build)
{
	unsigned a, b, c;

	if (sscanf(s, "%u.%u.%u", &a, &b, &c) != 3)
		die("bad firmware version", s);
	*maj = (uint8_t)a;
	*min = (uint8_t)b;
	*build = (uint8_t)c;
}

static void sign(struct mk *m, uint8_t *raw)
{
	FILE *f = fopen(m->key, "r");
	EVP_PKEY *k = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	uint8_t der[160];
	size_t len;

	if (f)
		fclose(f);
	if (!k || test_ecdsa_sign(k, EVP_sha384(), raw, SNP_REPORT_SIGNED_LEN, der, &len,
				  raw + 0x2a0, raw + 0x2e8, SNP_SIG_COMP_LEN, 1))
		die("cannot sign with", m->key);
	if (m->sig_der && cgs_write_file(m->sig_der, der, len, CGS_OUT_FORCE, NULL))
		die("cannot write", m->sig_der);
	EVP_PKEY_free(k);
}

static void defaults(struct mk *m)
{
	struct snp_report *r = &m->r;

	memset(m, 0, sizeof(*m));
	r->version = 3;
	r->policy = 0x30000;
	r->sig_algo = 1;
	memset(r->report_id_ma, 0xff, 32);
	for (int i = 0; i < 64; i++)
		r->chip_id[i] = (uint8_t)(0xa0 + i);
	r->current_major = r->committed_major = 1;
	r->current_minor = r->committed_minor = 55;
	r->current_build = r->committed_build = 29;
	m->p = snp_product_by_name("milan");
}

static void finish(struct mk *m)
{
	struct snp_report *r = &m->r;
	uint64_t *t[4] = { &r->current_tcb, &r->reported_tcb, &r->committed_tcb, &r->launch_tcb };

	for (int i = 0; i < 4; i++)
		if (m->tcb[i])
			*t[i] = tcb_arg(m->p, m->tcb[i]);
	if (r->version >= 3) {
		r->cpuid_fam_id = m->p->family;
		r->cpuid_mod_id = (uint8_t)(m->p->model_lo + 1);
		r->cpuid_step = 1;
	}
	if (m->p->hwid_len == 8)
		memset(r->chip_id + 8, 0, 56);
}

enum { O_OUT = 256, O_KEY, O_SIGDER, O_VERSION, O_PRODUCT, O_TCB, O_CUR, O_REP, O_COM, O_LAUNCH,
       O_CHIP, O_POLICY, O_VMPL, O_MEAS, O_RD, O_HD, O_FAM, O_IMG, O_IDK, O_AUK, O_SVN, O_SIGNER,
       O_PI, O_FW, O_CFW, O_NOSIGN, O_MIT, O_KEYINFO };

static const struct option longs[] = {
	{ "out", 1, NULL, O_OUT },	       { "key", 1, NULL, O_KEY },
	{ "sig-der", 1, NULL, O_SIGDER },      { "version", 1, NULL, O_VERSION },
	{ "product", 1, NULL, O_PRODUCT },     { "tcb", 1, NULL, O_TCB },
	{ "current-tcb", 1, NULL, O_CUR },     { "reported-tcb", 1, NULL, O_REP },
	{ "committed-tcb", 1, NULL, O_COM },   { "launch-tcb", 1, NULL, O_LAUNCH },
	{ "chip-id", 1, NULL, O_CHIP },	       { "policy", 1, NULL, O_POLICY },
	{ "vmpl", 1, NULL, O_VMPL },	       { "measurement", 1, NULL, O_MEAS },
	{ "report-data", 1, NULL, O_RD },      { "host-data", 1, NULL, O_HD },
	{ "family-id", 1, NULL, O_FAM },       { "image-id", 1, NULL, O_IMG },
	{ "id-key-digest", 1, NULL, O_IDK },   { "author-key-digest", 1, NULL, O_AUK },
	{ "guest-svn", 1, NULL, O_SVN },       { "signing-key", 1, NULL, O_SIGNER },
	{ "platform-info", 1, NULL, O_PI },    { "firmware", 1, NULL, O_FW },
	{ "committed-firmware", 1, NULL, O_CFW }, { "no-sign", 0, NULL, O_NOSIGN },
	{ "mit-vector", 1, NULL, O_MIT },      { "key-info", 1, NULL, O_KEYINFO },
	{ NULL, 0, NULL, 0 },
};

static void opt(struct mk *m, int c, const char *a)
{
	struct snp_report *r = &m->r;

	switch (c) {
	case O_OUT: m->out = a; break;
	case O_KEY: m->key = a; break;
	case O_SIGDER: m->sig_der = a; break;
	case O_VERSION: r->version = (uint32_t)num(a); break;
	case O_PRODUCT:
		if (!(m->p = snp_product_by_name(a)))
			die("unknown product", a);
		break;
	case O_TCB: m->tcb[0] = m->tcb[1] = m->tcb[2] = m->tcb[3] = a; break;
	case O_CUR: m->tcb[0] = a; break;
	case O_REP: m->tcb[1] = a; break;
	case O_COM: m->tcb[2] = a; break;
	case O_LAUNCH: m->tcb[3] = a; break;
	case O_CHIP: hexarg(a, r->chip_id, 64); break;
	case O_POLICY: r->policy = num(a); break;
	case O_VMPL: r->vmpl = (uint32_t)num(a); break;
	case O_MEAS: hexarg(a, r->measurement, 48); break;
	case O_RD: hexarg(a, r->report_data, 64); break;
	case O_HD: hexarg(a, r->host_data, 32); break;
	case O_FAM: hexarg(a, r->family_id, 16); break;
	case O_IMG: hexarg(a, r->image_id, 16); break;
	case O_IDK: hexarg(a, r->id_key_digest, 48); break;
	case O_AUK:
		hexarg(a, r->author_key_digest, 48);
		r->key_info |= SNP_KEYINFO_AUTHOR_KEY_EN;
		break;
	case O_SVN: r->guest_svn = (uint32_t)num(a); break;
	case O_SIGNER:
		r->key_info &= ~SNP_KEYINFO_SIGNING_MASK;
		r->key_info |= (!strcmp(a, "vlek") ? 1u : !strcmp(a, "none") ? 7u : 0u)
			       << SNP_KEYINFO_SIGNING_SHIFT;
		break;
	case O_PI: r->platform_info = num(a); break;
	case O_FW:
		fw_arg(a, &r->current_major, &r->current_minor, &r->current_build);
		fw_arg(a, &r->committed_major, &r->committed_minor, &r->committed_build);
		break;
	case O_CFW: fw_arg(a, &r->committed_major, &r->committed_minor, &r->committed_build); break;
	case O_NOSIGN: m->no_sign = 1; break;
	case O_MIT: r->launch_mit_vector = r->current_mit_vector = num(a); break;
	case O_KEYINFO: r->key_info = (uint32_t)num(a); break;
	default: die("usage: snp_mkreport --out FILE [--key KEY.pem] [options]", NULL);
	}
}

int main(int argc, char **argv)
{
	struct mk m;
	uint8_t raw[SNP_REPORT_SIZE];
	int c;

	defaults(&m);
	while ((c = getopt_long(argc, argv, "", longs, NULL)) != -1)
		opt(&m, c, optarg);
	if (!m.out || (!m.key && !m.no_sign))
		die("usage: snp_mkreport --out FILE (--key KEY.pem | --no-sign) [options]", NULL);
	finish(&m);
	snp_report_serialize(&m.r, raw);
	if (!m.no_sign)
		sign(&m, raw);
	if (cgs_write_file(m.out, raw, sizeof(raw), CGS_OUT_FORCE, NULL))
		die("cannot write", m.out);
	return 0;
}
