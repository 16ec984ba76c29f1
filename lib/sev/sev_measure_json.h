/* SPDX-License-Identifier: MIT */
/*
 * The cgs-measure --json document of a launch digest (cgs(7) schema version
 * 1): mode, digest_alg, measurement, inputs and intermediate values. What
 * cgs-verify --expected reads back (lib/sev/sev_expected, lib/snp/snp_expected).
 */
#ifndef CGS_LIB_SEV_SEV_MEASURE_JSON_H
#define CGS_LIB_SEV_SEV_MEASURE_JSON_H

#include <json-c/json.h>

#include "lib/sev/sev_measure.h"

/* The document (NULL when out of memory); vcpu_type is the --vcpu-type given, or NULL. */
struct json_object *sev_measure_json(const struct cgs_sev_measure_inputs *in, const char *vcpu_type,
				     const struct cgs_sev_measure_result *r);

#endif
