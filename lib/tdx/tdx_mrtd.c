// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_mrtd.h"

#include <string.h>

#include <openssl/evp.h>

#include "lib/core/endian.h"

#define CHUNKS_PER_PAGE (TDVF_PAGE / TDX_MR_CHUNK)
#define EXTEND_SIZE (TDX_MR_RECORD + TDX_MR_CHUNK)

/* The records of one page, built in one buffer so each page is one digest update. */
struct page_records {
	uint8_t add[TDX_MR_RECORD];
	uint8_t ext[CHUNKS_PER_PAGE * EXTEND_SIZE];
};

static void page_add(struct page_records *r, uint64_t gpa)
{
	memset(r->add, 0, sizeof(r->add));
	memcpy(r->add, "MEM.PAGE.ADD", 12);
	cgs_put_le64(r->add + 16, gpa);
}

static void page_extend(struct page_records *r, uint64_t gpa, const uint8_t *data)
{
	for (unsigned c = 0; c < CHUNKS_PER_PAGE; c++) {
		uint8_t *e = r->ext + c * EXTEND_SIZE;

		memset(e, 0, TDX_MR_RECORD);
		memcpy(e, "MR.EXTEND", 9);
		cgs_put_le64(e + 16, gpa + c * TDX_MR_CHUNK);
		memcpy(e + TDX_MR_RECORD, data + c * TDX_MR_CHUNK, TDX_MR_CHUNK);
	}
}

/* One pass over a section's pages: PAGE.ADD records, EXTEND records, or both per page. */
static int section_pass(EVP_MD_CTX *ctx, const uint8_t *img, const struct tdvf_section *s, int adds,
			int extends, struct page_records *r, struct tdx_mrtd_counts *n)
{
	uint64_t pages = s->mem_size / TDVF_PAGE;

	adds = adds && !(s->attributes & TDVF_ATTR_PAGE_AUG);
	extends = extends && (s->attributes & TDVF_ATTR_MR_EXTEND);
	for (uint64_t p = 0; p < pages && (adds || extends); p++) {
		uint64_t gpa = s->gpa + p * TDVF_PAGE;

		if (adds) {
			page_add(r, gpa);
			if (!EVP_DigestUpdate(ctx, r->add, sizeof(r->add)))
				return -1;
			n->pages_added++;
		}
		if (extends) {
			page_extend(r, gpa, img + s->data_offset + p * TDVF_PAGE);
			if (!EVP_DigestUpdate(ctx, r->ext, sizeof(r->ext)))
				return -1;
			n->chunks_extended += CHUNKS_PER_PAGE;
		}
	}
	return 0;
}

enum cgs_err tdx_mrtd(const uint8_t *img, size_t len, const struct tdvf_metadata *m,
		      enum cgs_tdx_mrtd_order order, uint8_t out[CGS_TDX_DIGEST_LEN],
		      struct tdx_mrtd_counts *ret_counts, struct cgs_diag *d)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	struct tdx_mrtd_counts n = {0, 0};
	struct page_records r;
	int rc = !ctx || !EVP_DigestInit_ex(ctx, EVP_sha384(), NULL);

	(void)len; /* the parser checked every extended section lies in the image */
	for (size_t i = 0; !rc && i < m->count; i++) {
		const struct tdvf_section *s = &m->s[i];

		if (order == CGS_TDX_MRTD_TWO_PASS)
			rc = section_pass(ctx, img, s, 1, 0, &r, &n) ||
			     section_pass(ctx, img, s, 0, 1, &r, &n);
		else
			rc = section_pass(ctx, img, s, 1, 1, &r, &n);
	}
	rc = rc || !EVP_DigestFinal_ex(ctx, out, NULL);
	EVP_MD_CTX_free(ctx);
	if (rc)
		return cgs_diag_openssl(d, "SHA-384 of the MRTD records failed");
	if (ret_counts)
		*ret_counts = n;
	return CGS_OK;
}
