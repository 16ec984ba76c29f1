/* SPDX-License-Identifier: MIT */
/*
 * --expected for cgs-verify tdx: the document `cgs-measure --mode tdx --json`
 * writes (schema_version 1, tool cgs-measure, mode tdx, mrtd and rtmr0..rtmr3
 * as lowercase hex; an RTMR is left out when it was not computed), read by the
 * suite's one reader of expected documents (lib/core/expected) with the "tdx"
 * mode table below.
 */
#ifndef CGS_LIB_TDX_TDX_EXPECTED_H
#define CGS_LIB_TDX_TDX_EXPECTED_H

#include <stddef.h>
#include <stdint.h>

#include <cgs/tdx_verify.h>

#include "lib/core/err.h"
#include "lib/core/expected.h"

extern const struct cgs_expected_schema tdx_expected_schema;

/*
 * Read one document or an array of them ("any of these") into a new array of
 * candidates (free it); an RTMR a document leaves out is marked not computed.
 * CGS_E_MALFORMED naming the field; CGS_E_UNSUPPORTED for another
 * schema_version.
 */
enum cgs_err tdx_expected_read(const uint8_t *buf, size_t len, struct cgs_tdx_measurement **ret,
			       size_t *ret_n, struct cgs_diag *d);

#endif
