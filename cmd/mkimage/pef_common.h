/* SPDX-License-Identifier: MIT */
/* Rendering shared by the PEF verbs of cgs-mkimage (pef, pef-info). */
#ifndef CGS_CMD_MKIMAGE_PEF_COMMON_H
#define CGS_CMD_MKIMAGE_PEF_COMMON_H

#include <json-c/json.h>

#include <cgs/pef.h>

/* The lockboxes / attachments of a blob as JSON arrays. */
struct json_object *pef_cmd_json_lockboxes(const struct cgs_pef_blob_info *b);
struct json_object *pef_cmd_json_files(const struct cgs_pef_blob_info *b);

#endif
