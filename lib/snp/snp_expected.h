/* SPDX-License-Identifier: MIT */
/*
 * What cgs-verify snp accepts as --expected: cgs-measure --json documents of
 * the SNP modes (snp, snp:ovmf-hash, snp:svsm) and cgs-measure id-block --json
 * documents (no "mode"), read by the one reader of lib/core/expected.
 */
#ifndef CGS_LIB_SNP_SNP_EXPECTED_H
#define CGS_LIB_SNP_SNP_EXPECTED_H

#include <cgs/snp.h>

#include "lib/core/expected.h"

extern const struct cgs_expected_schema snp_expected_schema;

/* One validated document as an expected-values candidate. */
void snp_expected_from_doc(const struct cgs_expected_doc *doc, struct cgs_snp_expected *ret);

#endif
