/* SPDX-License-Identifier: MIT */
/*
 * What cgs-verify sev and sev-chain accept as --expected: cgs-measure --json
 * documents of the modes sev and seves, read by the one reader of
 * lib/core/expected.
 */
#ifndef CGS_LIB_SEV_SEV_EXPECTED_H
#define CGS_LIB_SEV_SEV_EXPECTED_H

#include "lib/core/expected.h"

extern const struct cgs_expected_schema sev_expected_schema;

#endif
