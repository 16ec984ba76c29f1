// SPDX-License-Identifier: MIT
#include "formats/pe_coff.h"

#include <string.h>

#include "lib/core/endian.h"

#define PE32_MAGIC 0x10b
#define PE32P_MAGIC 0x20b
#define SECURITY_DIR 4

struct pe_hdr {
	uint64_t opt; /* optional header offset */
	uint32_t opt_size;
	uint32_t nsec;
	uint32_t fixed; /* optional-header bytes before the data directories */
	uint32_t nrva;
	uint64_t soh; /* SizeOfHeaders */
};

static enum cgs_err read_headers(const uint8_t *h, size_t hl, uint64_t file_len, struct pe_hdr *p,
				 struct cgs_diag *d)
{
	uint64_t lfa;
	uint32_t magic;

	if (hl < 0x40 || h[0] != 'M' || h[1] != 'Z')
		return cgs_diag_set(d, CGS_E_MALFORMED, "e_magic", 0,
				    "not a PE/COFF image (no 'MZ' header)");
	lfa = cgs_le32(h + 0x3c);
	if (lfa + 24 > hl || memcmp(h + lfa, "PE\0\0", 4) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "e_lfanew", 0x3c,
				    "not a PE/COFF image (no PE signature at 0x%llx)",
				    (unsigned long long)lfa);
	p->nsec = cgs_le16(h + lfa + 6);
	p->opt_size = cgs_le16(h + lfa + 20);
	p->opt = lfa + 24;
	if (p->opt + 2 > hl)
		return cgs_diag_set(d, CGS_E_MALFORMED, "optional_header", p->opt,
				    "PE optional header truncated");
	magic = cgs_le16(h + p->opt);
	if (magic != PE32_MAGIC && magic != PE32P_MAGIC)
		return cgs_diag_set(d, CGS_E_MALFORMED, "magic", p->opt,
				    "unknown PE optional header magic 0x%x", magic);
	p->fixed = magic == PE32_MAGIC ? 96 : 112;
	if (p->opt_size < p->fixed || p->opt + p->opt_size > hl)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size_of_optional_header", lfa + 20,
				    "PE optional header of %u bytes is truncated", p->opt_size);
	p->nrva = cgs_le32(h + p->opt + p->fixed - 4);
	p->soh = cgs_le32(h + p->opt + 60);
	if (p->nrva > SECURITY_DIR && p->fixed + 8ull * (SECURITY_DIR + 1) > p->opt_size)
		return cgs_diag_set(d, CGS_E_MALFORMED, "number_of_rva_and_sizes",
				    p->opt + p->fixed - 4,
				    "%u data directories do not fit the optional header", p->nrva);
	if (p->nsec > PE_MAX_SECTIONS || p->opt + p->opt_size + 40ull * p->nsec > hl)
		return cgs_diag_set(d, CGS_E_MALFORMED, "number_of_sections", lfa + 6,
				    "%u PE sections (at most %d, within the headers)", p->nsec,
				    PE_MAX_SECTIONS);
	if (p->soh < p->opt + p->fixed + (p->nrva > SECURITY_DIR ? 8ull * (SECURITY_DIR + 1) : 0) ||
	    p->soh > file_len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size_of_headers", p->opt + 60,
				    "PE SizeOfHeaders 0x%llx out of range",
				    (unsigned long long)p->soh);
	return CGS_OK;
}

static void add(struct pe_authenticode *a, uint64_t off, uint64_t end)
{
	if (end <= off)
		return;
	a->r[a->n].offset = off;
	a->r[a->n].length = end - off;
	a->hashed += end - off;
	a->n++;
}

/* Sections with raw data, sorted by file offset (insertion sort: few entries). */
static enum cgs_err add_sections(const uint8_t *h, const struct pe_hdr *p, uint64_t file_len,
				 struct pe_authenticode *a, uint64_t *sum, struct cgs_diag *d)
{
	struct pe_range s[PE_MAX_SECTIONS];
	size_t n = 0;

	for (uint32_t i = 0; i < p->nsec; i++) {
		const uint8_t *e = h + p->opt + p->opt_size + 40 * i;
		uint64_t raw = cgs_le32(e + 16), ptr = cgs_le32(e + 20);
		size_t j = n;

		if (!raw)
			continue;
		if (ptr + raw > file_len)
			return cgs_diag_set(d, CGS_E_MALFORMED, "pointer_to_raw_data",
					    p->opt + p->opt_size + 40 * i + 20,
					    "PE section %u (0x%llx + 0x%llx) runs past the end of "
					    "the file",
					    i, (unsigned long long)ptr, (unsigned long long)raw);
		while (j > 0 && s[j - 1].offset > ptr) {
			s[j] = s[j - 1];
			j--;
		}
		s[j].offset = ptr;
		s[j].length = raw;
		n++;
	}
	for (size_t i = 0; i < n; i++) {
		add(a, s[i].offset, s[i].offset + s[i].length);
		*sum += s[i].length;
	}
	return CGS_OK;
}

enum cgs_err pe_authenticode_layout(const uint8_t *head, size_t head_len, uint64_t file_len,
				    struct pe_authenticode *ret, struct cgs_diag *d)
{
	struct pe_authenticode a;
	struct pe_hdr p = {0, 0, 0, 0, 0, 0};
	uint64_t cks, cert = 0, sum;
	enum cgs_err err;

	if (head_len > file_len)
		head_len = (size_t)file_len;
	err = read_headers(head, head_len, file_len, &p, d);
	if (err)
		return err;
	memset(&a, 0, sizeof(a));
	cks = p.opt + 64;
	add(&a, 0, cks);
	if (p.nrva <= SECURITY_DIR) {
		add(&a, cks + 4, p.soh);
	} else {
		uint64_t cd = p.opt + p.fixed + 8 * SECURITY_DIR;

		add(&a, cks + 4, cd);
		add(&a, cd + 8, p.soh);
		cert = cgs_le32(head + cd + 4);
	}
	sum = p.soh;
	err = add_sections(head, &p, file_len, &a, &sum, d);
	if (err)
		return err;
	if (file_len > sum + cert)
		add(&a, sum, file_len - cert);
	*ret = a;
	return CGS_OK;
}
