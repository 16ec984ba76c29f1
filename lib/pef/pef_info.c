// SPDX-License-Identifier: MIT
/* cgs_pef_info: what an ESM blob holds, without secrets. */
#include "lib/pef/pef_info.h"

#include <stdlib.h>
#include <string.h>

#include "formats/pef_esm.h"
#include "lib/core/crypto.h"

/* What the description points into: the parsed model and the blob it points into. */
struct owner {
	struct pef_esm m;
	uint8_t *blob;
	char entry[128];
};

static void fill(struct cgs_pef_blob_info *r, const struct owner *o)
{
	const struct pef_esm *m = &o->m;

	r->has_lockbox_1 = pef_esm_find_lockbox(m, PEF_ESM_UV_LOCKBOX) >= 0;
	r->n_lockboxes = m->n_lockboxes;
	for (size_t i = 0; i < m->n_lockboxes; i++) {
		struct cgs_pef_lockbox *l = &r->lockboxes[i];

		l->name = m->lockboxes[i].name;
		l->comment = m->lockboxes[i].comment ? m->lockboxes[i].comment : "";
		memcpy(l->fingerprint, m->lockboxes[i].fingerprint, 32);
		l->encrypted_key_size = m->lockboxes[i].symkey.len;
	}
	r->has_digests = m->has_digests;
	r->digests_size = m->has_digests ? m->digests.ciphertext.len : 0;
	r->digests_comment = m->has_digests && m->digests.comment ? m->digests.comment : NULL;
	r->has_files_fdt = m->has_files_fdt;
	r->files_fdt_size = m->files_fdt_len;
	r->n_attachments = m->n_files;
	for (size_t i = 0; i < m->n_files; i++) {
		r->attachments[i].name = m->files[i].name;
		r->attachments[i].comment = m->files[i].comment ? m->files[i].comment : "";
		r->attachments[i].size = m->files[i].ciphertext.len;
	}
}

enum cgs_err pef_info_describe(const struct pef_blob_src *src, struct cgs_pef_blob_info *r,
			       struct cgs_diag *d)
{
	struct owner *o = calloc(1, sizeof(*o));
	enum cgs_err e;

	memset(r, 0, sizeof(*r));
	if (!o || !(o->blob = malloc(src->len ? src->len : 1))) {
		free(o);
		return cgs_diag_set(d, CGS_E_NOMEM, NULL, CGS_DIAG_NO_OFFSET, "out of memory");
	}
	memcpy(o->blob, src->blob, src->len);
	e = pef_esm_parse(o->blob, src->len, &o->m, d);
	if (e) {
		if (d->offset != CGS_DIAG_NO_OFFSET)
			d->offset += src->blob_off;
		free(o->blob);
		free(o);
		return e;
	}
	snprintf(o->entry, sizeof(o->entry), "%s", src->entry);
	r->owner_ = o;
	r->kind = pef_blob_kind_name(src->kind);
	r->entry = src->kind == PEF_BLOB_FILE ? NULL : o->entry;
	r->blob_offset = src->blob_off;
	r->initrd_offset = src->initrd_off;
	r->blob_size = src->len;
	cgs_digest("SHA256", src->blob, src->len, r->blob_sha256, NULL, NULL);
	fill(r, o);
	return CGS_OK;
}

enum cgs_err cgs_pef_info(const char *path, struct cgs_pef_blob_info *ret, struct cgs_diag *d)
{
	struct pef_blob_src src;
	enum cgs_err e = pef_blob_load(path, &src, d);

	memset(ret, 0, sizeof(*ret));
	if (e)
		return e;
	e = pef_info_describe(&src, ret, d);
	pef_blob_src_free(&src);
	return e;
}

void cgs_pef_blob_info_free(struct cgs_pef_blob_info *info)
{
	struct owner *o = info->owner_;

	if (o) {
		free(o->blob);
		free(o);
	}
	memset(info, 0, sizeof(*info));
}
