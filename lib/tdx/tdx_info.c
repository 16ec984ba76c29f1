// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_info.h"

#include <string.h>

#include "formats/efi_varstore.h"
#include "formats/td_hob.h"

static void inspect_rtmrs(const uint8_t *img, struct tdx_fw_info *r)
{
	const struct tdvf_section *cfv = tdvf_metadata_section(&r->meta, TDVF_CFV);
	struct efi_varstore vs;
	struct td_hob h;
	const uint8_t *data;
	size_t len;

	if (td_hob_layout(&r->meta, 1ull << 30, &h, &r->rtmr_why))
		return;
	if (!cfv) {
		cgs_diag_set(&r->rtmr_why, CGS_E_UNSUPPORTED, "type", r->meta.offset,
			     "no CFV section (no variable store to measure)");
		return;
	}
	if (efi_varstore_find(img + cfv->data_offset, cfv->raw_size, &vs, &r->rtmr_why) ||
	    efi_varstore_get(&vs, efi_guid_global_variable, "PK", &data, &len, &r->pk_enrolled,
			     &r->rtmr_why))
		return;
	r->rtmrs_modelled = 1;
}

void tdx_fw_inspect(const uint8_t *img, size_t len, const struct ovmf_footer *f,
		    struct tdx_fw_info *ret)
{
	memset(ret, 0, sizeof(*ret));
	cgs_diag_clear(&ret->why);
	cgs_diag_clear(&ret->rtmr_why);
	ret->has_entry = ovmf_footer_find(f, tdvf_guid_offset_entry) != NULL;
	if (tdvf_metadata_find(img, len, f, &ret->meta, &ret->why))
		return;
	ret->td_boot = 1;
	inspect_rtmrs(img, ret);
}
