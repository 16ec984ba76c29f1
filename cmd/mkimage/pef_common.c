// SPDX-License-Identifier: MIT
/* Rendering shared by the PEF verbs of cgs-mkimage. */
#include "cmd/mkimage/pef_common.h"

#include "lib/core/json.h"

struct json_object *pef_cmd_json_lockboxes(const struct cgs_pef_blob_info *b)
{
	struct json_object *a = json_object_new_array();

	/* listed in creation order: origin, lockbox-1, ... */
	for (size_t i = 0; a && i < b->n_lockboxes; i++) {
		const struct cgs_pef_lockbox *lb = &b->lockboxes[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		cgs_json_add_str(o, "name", lb->name);
		cgs_json_add_str(o, "comment", lb->comment);
		cgs_json_add_str(o, "fingerprint_alg", "sha256");
		cgs_json_add_hex(o, "fingerprint", lb->fingerprint, sizeof(lb->fingerprint));
		cgs_json_add_int(o, "encrypted_key_size", (int64_t)lb->encrypted_key_size);
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *pef_cmd_json_files(const struct cgs_pef_blob_info *b)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < b->n_attachments; i++) {
		const struct cgs_pef_attachment *f = &b->attachments[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		cgs_json_add_str(o, "name", f->name);
		cgs_json_add_str(o, "comment", f->comment);
		cgs_json_add_int(o, "size", (int64_t)f->size);
		json_object_array_add(a, o);
	}
	return a;
}
