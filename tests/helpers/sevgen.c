// SPDX-License-Identifier: MIT
/*
 * Test-data generator for the cgs-measure tests (never installed):
 *
 *   sevgen large-initrd OUT [MIB]   the 64 MiB "recipe B" initrd of the SEV
 *                                   vectors: SHA-256("cgs-measure large initrd"
 *                                   || u64le(i)) for i = 0, 1, ...
 *   sevgen ovmf OUT [option]...     a synthetic OVMF (or SVSM) image:
 *       --size N             image size (default 0x10000)
 *       --no-footer          leave the GUIDed footer table out
 *       --reset EIP          SEV-ES reset block entry (default 0x80b004; 0 = none)
 *       --hashes GPA         SEV hashes table entry (GPA, size 0x400)
 *       --section G:S:T      SEV metadata section (repeatable; none: no metadata)
 *       --meta-offset N      metadata header offset from the end (default 0x800)
 *       --meta-version N     metadata version field (default 1)
 *       --meta-sig SIG       metadata signature (default ASEV)
 *       --svsm-info OFF      SVSM_INFO entry (SVSM binaries)
 *       --fill BYTE          seed of the filler pattern (default 0x5a)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "formats/ovmf_footer.h"
#include "formats/sev_metadata.h"
#include "lib/core/endian.h"

static int large_initrd(const char *out, unsigned long mib)
{
	static const char seed[] = "cgs-measure large initrd";
	uint8_t msg[sizeof(seed) - 1 + 8], buf[65536];
	uint64_t blocks = (uint64_t)mib << 15, i = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	FILE *f = fopen(out, "wb");

	if (!f || !ctx)
		return 1;
	memcpy(msg, seed, sizeof(seed) - 1);
	while (i < blocks) {
		size_t n = 0;

		for (; n < sizeof(buf) && i < blocks; n += 32, i++) {
			cgs_put_le64(msg + sizeof(seed) - 1, i);
			if (!EVP_DigestInit_ex2(ctx, EVP_sha256(), NULL) ||
			    !EVP_DigestUpdate(ctx, msg, sizeof(msg)) ||
			    !EVP_DigestFinal_ex(ctx, buf + n, NULL))
				return 1;
		}
		if (fwrite(buf, 1, n, f) != n)
			return 1;
	}
	EVP_MD_CTX_free(ctx);
	return fclose(f) != 0;
}

struct ovmf_spec {
	unsigned long size, reset, hashes, meta_offset, meta_version, svsm_info;
	int no_footer, have_hashes, have_svsm, fill;
	const char *meta_sig;
	struct sev_section s[SEV_METADATA_MAX];
	size_t ns;
};

static int parse_args(struct ovmf_spec *sp, int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--no-footer")) {
			sp->no_footer = 1;
			continue;
		}
		if (!v)
			return -1;
		i++;
		if (!strcmp(a, "--size"))
			sp->size = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--reset"))
			sp->reset = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--hashes"))
			sp->hashes = strtoul(v, NULL, 0), sp->have_hashes = 1;
		else if (!strcmp(a, "--meta-offset"))
			sp->meta_offset = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--meta-version"))
			sp->meta_version = strtoul(v, NULL, 0);
		else if (!strcmp(a, "--meta-sig"))
			sp->meta_sig = v;
		else if (!strcmp(a, "--svsm-info"))
			sp->svsm_info = strtoul(v, NULL, 0), sp->have_svsm = 1;
		else if (!strcmp(a, "--fill"))
			sp->fill = (int)strtoul(v, NULL, 0);
		else if (!strcmp(a, "--section") && sp->ns < SEV_METADATA_MAX) {
			struct sev_section *s = &sp->s[sp->ns++];
			char *end;

			s->gpa = (uint32_t)strtoul(v, &end, 0);
			s->size = (uint32_t)strtoul(end + 1, &end, 0);
			s->type = (uint32_t)strtoul(end + 1, NULL, 0);
		} else {
			return -1;
		}
	}
	return 0;
}

static void put_u32_pair(uint8_t *p, unsigned long a, unsigned long b)
{
	cgs_put_le32(p, (uint32_t)a);
	cgs_put_le32(p + 4, (uint32_t)b);
}

static int build_ovmf(uint8_t *img, const struct ovmf_spec *sp)
{
	struct ovmf_footer_item items[4];
	uint8_t reset[4], hashes[8], meta[4], svsm[4], hdr[16 + 12 * SEV_METADATA_MAX];
	size_t n = 0, len;

	for (unsigned long i = 0; i < sp->size; i++)
		img[i] = (uint8_t)(sp->fill + i * 131 + (i >> 12) * 7);
	if (sp->no_footer)
		return 0;
	if (sp->reset) {
		cgs_put_le32(reset, (uint32_t)sp->reset);
		items[n++] = (struct ovmf_footer_item){ ovmf_guid_sev_es_reset, reset, 4 };
	}
	if (sp->have_hashes) {
		put_u32_pair(hashes, sp->hashes, 0x400);
		items[n++] = (struct ovmf_footer_item){ ovmf_guid_sev_hash_table, hashes, 8 };
	}
	if (sp->ns) {
		cgs_put_le32(meta, (uint32_t)sp->meta_offset);
		items[n++] = (struct ovmf_footer_item){ ovmf_guid_sev_metadata, meta, 4 };
	}
	if (sp->have_svsm) {
		cgs_put_le32(svsm, (uint32_t)sp->svsm_info);
		items[n++] = (struct ovmf_footer_item){ ovmf_guid_svsm_info, svsm, 4 };
	}
	if (ovmf_footer_build(items, n, img, sp->size, &len, NULL))
		return -1;
	if (sp->ns) {
		size_t at = sp->size - sp->meta_offset;

		if (sev_metadata_build(sp->s, sp->ns, hdr, sizeof(hdr), &len, NULL))
			return -1;
		memcpy(hdr, sp->meta_sig, 4);
		cgs_put_le32(hdr + 8, (uint32_t)sp->meta_version);
		if (len > sp->size - at)
			len = sp->size - at; /* truncated on purpose */
		memcpy(img + at, hdr, len);
	}
	return 0;
}

static int ovmf(const char *out, int argc, char **argv)
{
	struct ovmf_spec sp = { 0x10000, 0x80b004, 0, 0x800, 1, 0, 0, 0, 0, 0x5a, "ASEV",
				{ { 0 } }, 0 };
	uint8_t *img;
	FILE *f;
	int rc;

	if (parse_args(&sp, argc, argv) || sp.size < 256 || sp.meta_offset > sp.size)
		return 2;
	img = calloc(1, sp.size);
	if (!img)
		return 1;
	rc = build_ovmf(img, &sp);
	f = fopen(out, "wb");
	if (rc || !f || fwrite(img, 1, sp.size, f) != sp.size || fclose(f) != 0)
		rc = 1;
	free(img);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "large-initrd"))
		return large_initrd(argv[2], argc > 3 ? strtoul(argv[3], NULL, 0) : 64);
	if (argc >= 3 && !strcmp(argv[1], "ovmf"))
		return ovmf(argv[2], argc - 3, argv + 3);
	fprintf(stderr, "usage: sevgen large-initrd OUT [MIB] | sevgen ovmf OUT [OPTION]...\n");
	return 2;
}
