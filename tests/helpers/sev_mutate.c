// SPDX-License-Identifier: MIT
/*
 * Test helper: the "every mutated byte is rejected" loops, in-process so they
 * stay fast. Each byte is changed (XOR with the given mask, default 0x01) and
 * the evidence re-checked with the same parsers and checks cgs-verify uses.
 *
 *   sev_mutate chain [--trusted] [--stride N] ARK ASK CEK OCA PEK PDH [ATTESTATION]
 *       every byte of every file; with --trusted the original ARK is the
 *       trusted root (for generated chains), else the pinned ARKs are used
 *   sev_mutate ca ARK ASK
 *       every byte of an AMD ARK/ASK pair (pinned ARK, both signatures)
 *   sev_mutate launch TIK_HEX MAJOR MINOR BUILD POLICY DIGEST_HEX BLOB_BASE64
 *       every byte of the 48-byte blob, and every byte of the 56-byte HMAC
 *       input (the API version, build, policy, digest) and of the TIK
 *
 * Prints "<n> mutations, all rejected" (exit 0) or each accepted mutation (exit 1).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "keys/sev_chain.h"
#include "lib/core/cli.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "lib/sev/sev_launch.h"

static uint8_t mask = 0x01;

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = malloc(1 << 16);
	size_t n;

	if (!f || !buf) {
		fprintf(stderr, "sev_mutate: cannot read %s\n", path);
		exit(1);
	}
	n = fread(buf, 1, 1 << 16, f);
	fclose(f);
	*len = n;
	return buf;
}

struct files {
	uint8_t *data[7];
	size_t len[7];
	int n;
	uint8_t *trusted;
	size_t trusted_len;
};

/* 1 if the (possibly mutated) files verify. */
static int chain_ok(const struct files *f)
{
	struct sev_chain c;
	struct sev_chain_result r;
	struct cgs_diag d;
	struct sev_ca_input *ca[2] = { &c.ark, &c.ask };
	struct sev_platform_input *pf[4] = { &c.cek, &c.oca, &c.pek, &c.pdh };

	memset(&c, 0, sizeof(c));
	for (int i = 0; i < 2; i++) {
		ca[i]->raw = f->data[i];
		ca[i]->len = f->len[i];
		if (sev_ca_cert_parse(f->data[i], f->len[i], &ca[i]->cert, &d))
			return 0;
	}
	for (int i = 0; i < 4; i++) {
		pf[i]->raw = f->data[2 + i];
		pf[i]->len = f->len[2 + i];
		if (sev_cert_parse(f->data[2 + i], f->len[2 + i], &pf[i]->cert, &d))
			return 0;
	}
	if (f->n == 7) {
		c.att_raw = f->data[6];
		if (sev_attestation_parse(f->data[6], f->len[6], &c.att, &d))
			return 0;
	}
	c.trusted_ark = f->trusted;
	c.trusted_ark_len = f->trusted_len;
	c.fail_fast = 1;
	if (sev_chain_verify(&c, &r, &d))
		return 0;
	return r.verified;
}

static int cmd_chain(int argc, char **argv)
{
	struct files f = { 0 };
	int trusted = 0, stride = 1, i = 0, bad = 0;
	long count = 0;

	for (; i < argc && argv[i][0] == '-'; i++) {
		if (!strcmp(argv[i], "--trusted"))
			trusted = 1;
		else if (!strcmp(argv[i], "--stride") && i + 1 < argc)
			stride = atoi(argv[++i]);
	}
	if (argc - i < 6 || argc - i > 7 || stride < 1) {
		fprintf(stderr, "sev_mutate chain: bad arguments\n");
		return 64;
	}
	for (f.n = 0; i < argc; i++, f.n++)
		f.data[f.n] = slurp(argv[i], &f.len[f.n]);
	if (trusted) {
		f.trusted_len = f.len[0];
		f.trusted = malloc(f.len[0]);
		memcpy(f.trusted, f.data[0], f.len[0]);
	}
	if (!chain_ok(&f)) {
		fprintf(stderr, "sev_mutate: the unmodified chain does not verify\n");
		return 1;
	}
	for (int k = 0; k < f.n; k++) {
		for (size_t off = 0; off < f.len[k]; off += (size_t)stride) {
			f.data[k][off] ^= mask;
			if (chain_ok(&f)) {
				printf("accepted: file %d offset 0x%zx\n", k, off);
				bad++;
			}
			f.data[k][off] ^= mask;
			count++;
		}
	}
	printf("%ld mutations, %s\n", count, bad ? "some accepted" : "all rejected");
	for (int k = 0; k < f.n; k++)
		free(f.data[k]);
	free(f.trusted);
	return bad ? 1 : 0;
}

static int launch_ok(const uint8_t *tik, const struct sev_launch_params *p0,
		     const struct sev_launch_blob *b)
{
	struct sev_launch_params p = *p0;
	struct cgs_diag d;
	int match = 0;

	if (sev_launch_verify(tik, SEV_LAUNCH_TIK_LEN, &p, b, &match, NULL, &d))
		return 0;
	return match;
}

static int cmd_launch(int argc, char **argv)
{
	struct sev_launch_params p;
	struct sev_launch_blob b;
	struct cgs_diag d;
	uint8_t tik[16], raw[48];
	uint64_t v[4];
	long count = 0;
	int bad = 0;

	memset(&p, 0, sizeof(p));
	if (argc != 7 || cgs_hex_decode(argv[0], tik, 16, NULL, 1) ||
	    cgs_parse_u64(argv[1], &v[0]) || cgs_parse_u64(argv[2], &v[1]) ||
	    cgs_parse_u64(argv[3], &v[2]) || cgs_parse_u64(argv[4], &v[3]) ||
	    cgs_hex_decode(argv[5], p.digest, 32, NULL, 1) ||
	    sev_launch_blob_parse((uint8_t *)argv[6], strlen(argv[6]), &b, &d)) {
		fprintf(stderr, "sev_mutate launch: bad arguments\n");
		return 64;
	}
	p.api_major = (uint8_t)v[0];
	p.api_minor = (uint8_t)v[1];
	p.build = (uint8_t)v[2];
	p.policy = (uint32_t)v[3];
	if (!launch_ok(tik, &p, &b)) {
		fprintf(stderr, "sev_mutate: the unmodified blob does not verify\n");
		return 1;
	}
	sev_launch_blob_serialize(&b, raw);
	for (int i = 0; i < 48; i++, count++) {
		struct sev_launch_blob m;

		raw[i] ^= mask;
		sev_launch_blob_parse(raw, 48, &m, &d);
		if (launch_ok(tik, &p, &m))
			printf("accepted: blob byte %d\n", i), bad++;
		raw[i] ^= mask;
	}
	/* the parameters: api major/minor, build, 4 policy bytes, 32 digest bytes */
	for (int i = 0; i < 39; i++, count++) {
		struct sev_launch_params q = p;
		uint8_t *fields[3] = { &q.api_major, &q.api_minor, &q.build };

		if (i < 3)
			*fields[i] ^= mask;
		else if (i < 7)
			q.policy ^= (uint32_t)mask << (8 * (i - 3));
		else
			q.digest[i - 7] ^= mask;
		if (launch_ok(tik, &q, &b))
			printf("accepted: parameter byte %d\n", i), bad++;
	}
	for (int i = 0; i < 16; i++, count++) {
		tik[i] ^= mask;
		if (launch_ok(tik, &p, &b))
			printf("accepted: TIK byte %d\n", i), bad++;
		tik[i] ^= mask;
	}
	printf("%ld mutations, %s\n", count, bad ? "some accepted" : "all rejected");
	return bad ? 1 : 0;
}

/* ARK pinned and self-signed, ASK certified and signed by it (as sev_chain checks). */
static int ca_ok(const uint8_t *ark_raw, size_t ark_len, const uint8_t *ask_raw, size_t ask_len)
{
	struct sev_ca_cert ark, ask;
	struct cgs_diag d;
	uint8_t sha[32];
	EVP_PKEY *key = NULL;
	const char *md;
	int good;

	if (sev_ca_cert_parse(ark_raw, ark_len, &ark, &d) ||
	    sev_ca_cert_parse(ask_raw, ask_len, &ask, &d) || ark.usage != SEV_USAGE_ARK ||
	    ask.usage != SEV_USAGE_ASK || memcmp(ark.key_id, ark.certifying_id, 16) ||
	    memcmp(ask.certifying_id, ark.key_id, 16))
		return 0;
	if (cgs_digest("SHA256", ark_raw, ark_len, sha, NULL, &d) || !sev_ark_find(sha))
		return 0;
	if (sev_ca_cert_pkey(&ark, &key, &d))
		return 0;
	md = ark.modulus_bits == 2048 ? "SHA256" : "SHA384";
	good = !sev_verify_rsa_pss(key, md, ark_raw, ark.signed_len, ark.signature,
				   ark.modulus_bits / 8, &d) &&
	       !sev_verify_rsa_pss(key, md, ask_raw, ask.signed_len, ask.signature,
				   ask.modulus_bits / 8, &d);
	EVP_PKEY_free(key);
	return good;
}

static int cmd_ca(int argc, char **argv)
{
	uint8_t *f[2];
	size_t len[2];
	long count = 0;
	int bad = 0;

	if (argc != 2) {
		fprintf(stderr, "sev_mutate ca: bad arguments\n");
		return 64;
	}
	f[0] = slurp(argv[0], &len[0]);
	f[1] = slurp(argv[1], &len[1]);
	if (!ca_ok(f[0], len[0], f[1], len[1])) {
		fprintf(stderr, "sev_mutate: the unmodified ARK/ASK do not verify\n");
		return 1;
	}
	for (int k = 0; k < 2; k++) {
		for (size_t off = 0; off < len[k]; off++, count++) {
			f[k][off] ^= mask;
			if (ca_ok(f[0], len[0], f[1], len[1]))
				printf("accepted: file %d offset 0x%zx\n", k, off), bad++;
			f[k][off] ^= mask;
		}
	}
	printf("%ld mutations, %s\n", count, bad ? "some accepted" : "all rejected");
	free(f[0]);
	free(f[1]);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *m = getenv("SEV_MUTATE_MASK");

	if (m)
		mask = (uint8_t)strtoul(m, NULL, 0);
	if (!mask)
		mask = 1;
	if (argc > 1 && !strcmp(argv[1], "chain"))
		return cmd_chain(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "launch"))
		return cmd_launch(argc - 2, argv + 2);
	if (argc > 1 && !strcmp(argv[1], "ca"))
		return cmd_ca(argc - 2, argv + 2);
	fprintf(stderr, "usage: sev_mutate chain|ca|launch ...\n");
	return 64;
}
