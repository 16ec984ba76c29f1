// SPDX-License-Identifier: MIT
/*
 * A test-only model of the Ultravisor's unpack of a Secure Execution image:
 * find the header (metadata block or page scan), unwrap the key slot with a
 * host private key, authenticate and decrypt the header, recompute PLD, ALD,
 * TLD and the page count over the components the IPIB names, and decrypt the
 * components into OUTDIR/<name>.bin (whole pages).
 *   usage: s390_uv IMAGE HOST-KEY.pem [OUTDIR]
 * Exit 0 when everything matches, 2 on a mismatch, 1 on errors.
 */
#include <openssl/pem.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "formats/s390_ipib.h"
#include "formats/s390_pv_hdr.h"
#include "lib/s390/s390_pv_crypto.h"

static uint8_t *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		return NULL;
	buf = malloc((size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static int fail(const char *what, const struct cgs_diag *d)
{
	fprintf(stderr, "s390_uv: %s%s%s\n", what, d ? ": " : "", d ? d->text : "");
	return 1;
}

static int check(int cond, const char *what)
{
	printf("%s %s\n", cond ? "ok" : "MISMATCH", what);
	return cond ? 0 : 1;
}

static const char *comp_name(uint64_t prefix)
{
	switch (prefix >> 48) {
	case 0: case 40: return "kernel";
	case 1: case 60: return "parmline";
	case 2: case 50: return "ramdisk";
	case 3: case 70: return "stage3b";
	default: return "unknown";
	}
}

static int unpack(uint8_t *img, size_t len, const struct s390_ipib *ib,
		  const struct s390_pv_hdr *h, const struct s390_pv_hdr_secret *s, const char *dir)
{
	struct s390_pv_digests g;
	uint8_t pld[64], ald[64], tld[64];
	int mode = (h->pcf & S390_PV_PCF_NO_DECRYPT) ? S390_PV_MODE_CLEAR : S390_PV_MODE_DECRYPT;
	struct cgs_diag d;
	int bad = 0;

	if (s390_pv_digests_init(&g, &d))
		return fail("digests", &d);
	for (uint32_t i = 0; i < ib->ncomps; i++) {
		const struct s390_ipib_comp *c = &ib->comps[i];
		uint8_t tweak[16] = { 0 };
		struct s390_pv_comp pc;
		char path[4096];
		FILE *f;

		if (c->addr + c->len > len)
			return fail("component beyond the end of the image", NULL);
		for (int b = 0; b < 8; b++)
			tweak[b] = (uint8_t)(c->tweak_prefix >> (56 - 8 * b));
		if (s390_pv_comp_init(&pc, s->xts_key, mode, tweak, c->addr, &g, &d) ||
		    s390_pv_comp_pages(&pc, img + c->addr, img + c->addr, c->len / 4096, &d))
			return fail("decrypt", &d);
		s390_pv_comp_free(&pc);
		if (!dir)
			continue;
		snprintf(path, sizeof(path), "%s/%s.bin", dir, comp_name(c->tweak_prefix));
		f = fopen(path, "wb");
		if (!f || fwrite(img + c->addr, 1, c->len, f) != c->len || fclose(f))
			return fail("cannot write a component", NULL);
	}
	s390_pv_digests_final(&g, pld, ald, tld, &d);
	bad |= check(!memcmp(pld, h->pld, 64), "pld");
	bad |= check(!memcmp(ald, h->ald, 64), "ald");
	bad |= check(!memcmp(tld, h->tld, 64), "tld");
	bad |= check(g.nep == h->nep, "nep");
	bad |= check(s->psw_addr == ib->comps[ib->ncomps - 1].addr ||
		     getenv("S390_UV_ANY_PSW") != NULL, "psw address is stage3b");
	s390_pv_digests_free(&g);
	return bad ? 2 : 0;
}

int main(int argc, char **argv)
{
	static struct s390_pv_hdr h;
	struct s390_pv_hdr_secret s;
	struct s390_pv_meta m;
	struct s390_ipib ib;
	struct cgs_diag d;
	uint8_t key[32], *img;
	uint64_t off, ipib_off;
	size_t len = 0, size;
	EVP_PKEY *host;
	FILE *f;
	int rc, c, u;

	if (argc < 3)
		return fprintf(stderr, "usage: s390_uv IMAGE HOST-KEY.pem [OUTDIR]\n"), 1;
	img = slurp(argv[1], &len);
	f = fopen(argv[2], "r");
	host = f ? PEM_read_PrivateKey(f, NULL, NULL, NULL) : NULL;
	if (f)
		fclose(f);
	if (!img || !host) {
		rc = fail("cannot read the image or the host key", NULL);
		goto out;
	}
	if (s390_pv_hdr_find(img, len, &off, &size, &d) ||
	    s390_pv_hdr_parse(img + off, len - off, &h, &d)) {
		rc = fail("no header", &d);
		goto out;
	}
	if (s390_pv_hdr_open_with_host(&h, host, key, &s, &d)) {
		printf("MISMATCH header: %s\n", d.text);
		rc = 2;
		goto out;
	}
	printf("ok header opened with the host key (slot found, tag verified)\n");
	ipib_off = s390_pv_meta_parse(img, len, &m, NULL) == CGS_OK ? m.ipib_off : off - 4096;
	if (ipib_off >= len || s390_ipib_parse(img + ipib_off, len - ipib_off, &ib, &d)) {
		rc = fail("no IPIB", &d);
		goto out;
	}
	c = check(ib.hdr_size == h.size && (ib.hdr_addr == 0 || ib.hdr_addr == off),
		  "ipib names the header");
	u = unpack(img, len, &ib, &h, &s, argc > 3 ? argv[3] : NULL);
	rc = u == 1 ? 1 : (c || u) ? 2 : 0;
out:
	EVP_PKEY_free(host);
	free(img);
	return rc;
}
