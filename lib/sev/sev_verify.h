/* SPDX-License-Identifier: MIT */
/* The legacy SEV verifiers behind include/cgs/sev.h: JSON of the decoded evidence for the tools. */
#ifndef CGS_LIB_SEV_SEV_VERIFY_H
#define CGS_LIB_SEV_SEV_VERIFY_H

#include <stdint.h>

#include <json-c/json.h>

#include <cgs/sev.h>

/* The guest policy's flags and minimum API version. */
struct json_object *sev_policy_json(uint32_t policy);

/* {"ark": ..., "pdh": ...}: the decoded certificates of a chain result. */
struct json_object *sev_chain_certs_json(const struct cgs_sev_chain_result *r);

/* The decoded ATTESTATION report, or NULL without one. */
struct json_object *sev_chain_attestation_json(const struct cgs_sev_chain_result *r);

#endif
