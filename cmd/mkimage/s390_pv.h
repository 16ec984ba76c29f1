/* SPDX-License-Identifier: MIT */
/* Shared between the s390 verbs of cgs-mkimage (build, info, extract). */
#ifndef CGS_CMD_MKIMAGE_S390_PV_H
#define CGS_CMD_MKIMAGE_S390_PV_H

#include <stdint.h>

#include <json-c/json.h>

#include "formats/s390_pv_hdr.h"

/* The JSON object describing a header (shared by s390-pv and s390-info). */
struct json_object *s390_hdr_json(const struct s390_pv_hdr *h, uint64_t offset);

#endif
