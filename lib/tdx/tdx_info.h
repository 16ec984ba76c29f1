/* SPDX-License-Identifier: MIT */
/*
 * What a firmware image offers for Intel TDX (for cgs-measure ovmf-info):
 * its TDVF metadata, whether a TD can boot from it at all, and whether the
 * RTMR event log of a direct boot can be modelled (CFV with a variable store,
 * a TD_HOB section, only section types whose TD HOB ranges are known).
 */
#ifndef CGS_LIB_TDX_TDX_INFO_H
#define CGS_LIB_TDX_TDX_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "formats/ovmf_footer.h"
#include "formats/tdvf_metadata.h"
#include "lib/core/err.h"

struct json_object;

struct tdx_fw_info {
	int td_boot;	     /* valid TDVF metadata: a TD can be built from the image */
	int has_entry;	     /* the footer table names TDVF metadata (valid or not) */
	struct cgs_diag why; /* when !td_boot: what is missing or malformed */
	struct tdvf_metadata meta;
	int rtmrs_modelled;	  /* cgs-measure --mode tdx can compute RTMR0..2 */
	struct cgs_diag rtmr_why; /* when !rtmrs_modelled */
	int pk_enrolled;	  /* Secure Boot keys in the CFV's variable store */
};

/* Inspect an image whose footer table was parsed; never fails (the reasons are recorded). */
void tdx_fw_inspect(const uint8_t *img, size_t len, const struct ovmf_footer *f,
		    struct tdx_fw_info *ret);

/* The "tdx" section of ovmf-info's JSON document; NULL when out of memory. */
struct json_object *tdx_info_json(const struct tdx_fw_info *i);

#endif
