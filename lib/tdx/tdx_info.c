// SPDX-License-Identifier: MIT
#include "lib/tdx/tdx_info.h"

#include "lib/core/json.h"

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

static struct json_object *section_json(const struct tdvf_section *s)
{
	struct json_object *o = json_object_new_object();

	if (o && (cgs_json_add_str(o, "type", tdvf_section_type_name(s->type)) ||
		  cgs_json_add_u64hex(o, "data_offset", s->data_offset) ||
		  cgs_json_add_int(o, "raw_size", s->raw_size) ||
		  cgs_json_add_u64hex(o, "gpa", s->gpa) ||
		  cgs_json_add_u64hex(o, "mem_size", s->mem_size) ||
		  cgs_json_add_u64hex(o, "attributes", s->attributes) ||
		  cgs_json_add_bool(o, "measured", s->attributes & TDVF_ATTR_MR_EXTEND) ||
		  cgs_json_add_bool(o, "page_aug", s->attributes & TDVF_ATTR_PAGE_AUG))) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

struct json_object *tdx_info_json(const struct tdx_fw_info *i)
{
	struct json_object *j = json_object_new_object(), *a = NULL;
	char msg[400];
	int rc;

	rc = !j || cgs_json_add_bool(j, "td_boot", i->td_boot) ||
	     cgs_json_add_str(j, "reason",
			      i->td_boot ? NULL : cgs_diag_format(&i->why, msg, sizeof(msg)));
	if (!rc && i->td_boot) {
		a = json_object_new_array();
		for (size_t k = 0; a && !rc && k < i->meta.count; k++)
			rc = json_object_array_add(a, section_json(&i->meta.s[k]));
		rc = rc || !a || cgs_json_add_u64hex(j, "metadata_offset", i->meta.offset) ||
		     cgs_json_add_int(j, "version", i->meta.version) ||
		     cgs_json_add(j, "sections", a) ||
		     cgs_json_add_bool(j, "rtmrs_modelled", i->rtmrs_modelled) ||
		     cgs_json_add_str(j, "rtmr_reason",
				      i->rtmrs_modelled
					  ? NULL
					  : cgs_diag_format(&i->rtmr_why, msg, sizeof(msg))) ||
		     cgs_json_add_bool(j, "secure_boot_keys", i->pk_enrolled);
	}
	if (rc) {
		json_object_put(j);
		return NULL;
	}
	return j;
}
