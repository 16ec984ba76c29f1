// SPDX-License-Identifier: MIT
#include "formats/td_hob.h"

#include <string.h>

#include "lib/core/endian.h"

#define FOUR_GIB 0x100000000ull
#define Q35_LOWMEM_SPLIT 0xb0000000ull
#define Q35_LOWMEM_REDUCED 0x80000000ull
#define PHIT_VERSION 9

void td_hob_split_memory(uint64_t memory, uint64_t *ret_below, uint64_t *ret_above)
{
	uint64_t lowmem = memory >= Q35_LOWMEM_SPLIT ? Q35_LOWMEM_REDUCED : Q35_LOWMEM_SPLIT;

	*ret_below = memory < lowmem ? memory : lowmem;
	*ret_above = memory - *ret_below;
}

/* TD_HOB and TEMP_MEM sections sorted by address (insertion sort: few entries). */
static size_t accepted_sections(const struct tdvf_metadata *m, const struct tdvf_section **out)
{
	size_t n = 0;

	for (size_t i = 0; i < m->count; i++) {
		const struct tdvf_section *s = &m->s[i];
		size_t j = n++;

		if (s->type != TDVF_TD_HOB && s->type != TDVF_TEMP_MEM) {
			n--;
			continue;
		}
		while (j > 0 && out[j - 1]->gpa > s->gpa) {
			out[j] = out[j - 1];
			j--;
		}
		out[j] = s;
	}
	return n;
}

static void add_range(struct td_hob *h, uint64_t start, uint64_t end, uint32_t type)
{
	h->r[h->n].start = start;
	h->r[h->n].length = end - start;
	h->r[h->n].type = type;
	h->n++;
}

static enum cgs_err check_sections(const struct tdvf_metadata *m, struct cgs_diag *d)
{
	for (size_t i = 0; i < m->count; i++) {
		uint32_t t = m->s[i].type;

		if (t > TDVF_TEMP_MEM)
			return cgs_diag_set(
			    d, CGS_E_UNSUPPORTED, "type",
			    m->offset + TDVF_DESC_SIZE + i * TDVF_SECTION_SIZE + 24,
			    "TDVF section %zu of type %s: the TD HOB QEMU builds for "
			    "it is not modelled",
			    i, tdvf_section_type_name(t));
	}
	if (!tdvf_metadata_section(m, TDVF_TD_HOB))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "type", m->offset + TDVF_DESC_SIZE,
				    "TDVF metadata has no TD_HOB section");
	return CGS_OK;
}

enum cgs_err td_hob_layout(const struct tdvf_metadata *m, uint64_t memory, struct td_hob *ret,
			   struct cgs_diag *d)
{
	const struct tdvf_section *acc[TDVF_MAX_SECTIONS];
	struct td_hob h;
	uint64_t cur = 0;
	size_t n;
	enum cgs_err err = check_sections(m, d);

	if (err)
		return err;
	memset(&h, 0, sizeof(h));
	td_hob_split_memory(memory, &h.below_4g, &h.above_4g);
	h.hob_gpa = tdvf_metadata_section(m, TDVF_TD_HOB)->gpa;
	n = accepted_sections(m, acc);
	for (size_t i = 0; i < n; i++) {
		if (acc[i]->gpa > cur)
			add_range(&h, cur, acc[i]->gpa, TD_HOB_UNACCEPTED);
		add_range(&h, acc[i]->gpa, acc[i]->gpa + acc[i]->mem_size, TD_HOB_SYSTEM_MEMORY);
		cur = acc[i]->gpa + acc[i]->mem_size;
	}
	if (cur > h.below_4g)
		return cgs_diag_set(d, CGS_E_USAGE, "memory", CGS_DIAG_NO_OFFSET,
				    "memory of 0x%llx bytes ends below the firmware's TD memory "
				    "sections (up to 0x%llx)",
				    (unsigned long long)memory, (unsigned long long)cur);
	if (cur < h.below_4g)
		add_range(&h, cur, h.below_4g, TD_HOB_UNACCEPTED);
	if (h.above_4g)
		add_range(&h, FOUR_GIB, FOUR_GIB + h.above_4g, TD_HOB_UNACCEPTED);
	*ret = h;
	return CGS_OK;
}

size_t td_hob_measured_size(const struct td_hob *h)
{
	return TD_HOB_PHIT_SIZE + h->n * TD_HOB_RESOURCE_SIZE;
}

void td_hob_serialize(const struct td_hob *h, uint8_t *out)
{
	size_t len = td_hob_measured_size(h);

	memset(out, 0, len);
	cgs_put_le16(out, 1); /* EFI_HOB_TYPE_HANDOFF */
	cgs_put_le16(out + 2, TD_HOB_PHIT_SIZE);
	cgs_put_le32(out + 8, PHIT_VERSION);
	/* EfiEndOfHobList: the address of the end-of-list HOB's end */
	cgs_put_le64(out + 48, h->hob_gpa + len + TD_HOB_END_SIZE);
	for (size_t i = 0; i < h->n; i++) {
		uint8_t *r = out + TD_HOB_PHIT_SIZE + i * TD_HOB_RESOURCE_SIZE;

		cgs_put_le16(r, 3); /* EFI_HOB_TYPE_RESOURCE_DESCRIPTOR */
		cgs_put_le16(r + 2, TD_HOB_RESOURCE_SIZE);
		cgs_put_le32(r + 24, h->r[i].type);
		cgs_put_le32(r + 28, 7); /* present | initialized | tested */
		cgs_put_le64(r + 32, h->r[i].start);
		cgs_put_le64(r + 40, h->r[i].length);
	}
}
