/* SPDX-License-Identifier: MIT */
/* Filling the public description of a blob (struct cgs_pef_blob_info). */
#ifndef CGS_LIB_PEF_PEF_INFO_H
#define CGS_LIB_PEF_PEF_INFO_H

#include <cgs/pef.h>

#include "lib/pef/pef_blob.h"

/*
 * Describe the blob of src (parsed again from a private copy, which ret owns):
 * CGS_E_MALFORMED with the offset in the file when it does not parse.
 */
enum cgs_err pef_info_describe(const struct pef_blob_src *src, struct cgs_pef_blob_info *ret,
			       struct cgs_diag *d);

#endif
