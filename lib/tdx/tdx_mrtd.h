/* SPDX-License-Identifier: MIT */
/*
 * MRTD: SHA-384 over the 128-byte records the TDX module appends while the
 * VMM builds the TD from the firmware's TDVF sections. TDH.MEM.PAGE.ADD of a
 * page at G: "MEM.PAGE.ADD" and G; TDH.MR.EXTEND of a 256-byte chunk at G:
 * "MR.EXTEND" and G, then the chunk's bytes.
 */
#ifndef CGS_LIB_TDX_TDX_MRTD_H
#define CGS_LIB_TDX_TDX_MRTD_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/tdx.h>

#include "formats/tdvf_metadata.h"
#include "lib/core/err.h"

#define TDX_MR_CHUNK 256
#define TDX_MR_RECORD 128

struct tdx_mrtd_counts {
	uint64_t pages_added;
	uint64_t chunks_extended;
};

/* MRTD of an image whose metadata m was parsed (and validated) from it. */
enum cgs_err tdx_mrtd(const uint8_t *img, size_t len, const struct tdvf_metadata *m,
		      enum cgs_tdx_mrtd_order order, uint8_t out[CGS_TDX_DIGEST_LEN],
		      struct tdx_mrtd_counts *ret_counts, struct cgs_diag *d);

#endif
