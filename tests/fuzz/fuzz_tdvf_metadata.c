// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: an OVMF image's TDVF metadata (found through the footer
 * table), what ovmf-info derives from it (TD HOB layout, variable store) and
 * MRTD over the sections it validated.
 */
#include <stddef.h>
#include <stdint.h>

#include "formats/td_hob.h"
#include "formats/tdvf_metadata.h"
#include "lib/core/endian.h"
#include "lib/tdx/tdx_info.h"
#include "lib/tdx/tdx_mrtd.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const uint8_t *data, size_t size, const struct tdvf_metadata *m)
{
	uint8_t buf[TD_HOB_PHIT_SIZE + TD_HOB_MAX_RANGES * TD_HOB_RESOURCE_SIZE], out[48];
	struct td_hob h;
	uint64_t pages = 0;

	for (size_t i = 0; i < m->count; i++) {
		const struct tdvf_section *s = &m->s[i];
		uint64_t need = s->attributes & TDVF_ATTR_MR_EXTEND ? s->mem_size : s->raw_size;

		if ((uint64_t)s->data_offset + need > size || s->gpa % TDVF_PAGE)
			__builtin_trap();
	}
	if (td_hob_layout(m, size >= 8 ? cgs_le64(data) % (1ull << 44) : 1ull << 30, &h, NULL) ==
	    CGS_OK) {
		if (td_hob_measured_size(&h) > sizeof(buf))
			__builtin_trap();
		td_hob_serialize(&h, buf);
	}
	/* MRTD hashes one 128-byte record per page of every section: a few valid sections of
	 * 4 GiB cost a second per input and find nothing a small one does not, so it is run
	 * only where the records are few (the parser's own caps are tested in test_tdx_metadata) */
	for (size_t i = 0; i < m->count; i++)
		pages += m->s[i].mem_size / TDVF_PAGE;
	if (pages <= 1024)
		tdx_mrtd(data, size, m, CGS_TDX_MRTD_TWO_PASS, out, NULL, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ovmf_footer f;
	static struct tdx_fw_info info;
	static struct tdvf_metadata m;

	if (size > UINT32_MAX)
		return 0;
	if (ovmf_footer_parse(data, size, &f, NULL) == CGS_OK) {
		tdx_fw_inspect(data, size, &f, &info);
		if (info.td_boot)
			check(data, size, &info.meta);
	}
	if (size >= 4 && tdvf_metadata_parse(data, size, cgs_le32(data + size - 4), &m, NULL) ==
				 CGS_OK)
		check(data, size, &m);
	return 0;
}
