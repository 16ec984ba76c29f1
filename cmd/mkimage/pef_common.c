// SPDX-License-Identifier: MIT
/* Helpers shared by the PEF verbs of cgs-mkimage. */
#include "cmd/mkimage/pef_common.h"

#include <stdlib.h>
#include <string.h>

#include "lib/pef/cpio.h"
#include "lib/pef/elf_flat.h"
#include "lib/core/exit.h"
#include "lib/core/io.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

int pef_cmd_passphrase(const char *path, char **ret)
{
	struct cgs_diag d;
	uint8_t *data;
	size_t len;

	*ret = NULL;
	if (!path)
		return 0;
	cgs_diag_clear(&d);
	if (cgs_read_file(path, 4096, &data, &len, &d))
		return cgs_log_diag(&d, "read the passphrase file", path);
	data[strcspn((char *)data, "\r\n")] = '\0';
	*ret = (char *)data;
	return 0;
}

void pef_cmd_passphrase_free(char *p)
{
	if (p)
		cgs_free_secret((uint8_t *)p, strlen(p));
}

int pef_cmd_load_private(const char *path, const char *pass, int min_bits, int max_bits,
			 struct pef_key *ret)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (pef_key_load_private(path, pass, min_bits, max_bits, ret, &d))
		return cgs_log_diag(&d, "load the private key", path);
	return 0;
}

int pef_cmd_load_public(const char *path, int min_bits, int max_bits, struct pef_key *ret)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (pef_key_load_public(path, min_bits, max_bits, ret, &d))
		return cgs_log_diag(&d, "load the public key", path);
	return 0;
}

int pef_cmd_load_blob(const char *path, struct pef_blob_src *src, struct pef_esm *m)
{
	struct cgs_diag d;

	cgs_diag_clear(&d);
	if (pef_blob_load(path, src, &d))
		return cgs_log_diag(&d, "read the ESM blob from", path);
	if (pef_esm_parse(src->blob, src->len, m, &d)) {
		if (d.offset != CGS_DIAG_NO_OFFSET)
			d.offset += src->blob_off;
		pef_blob_src_free(src);
		return cgs_log_diag(&d, "parse", path);
	}
	return 0;
}

struct json_object *pef_cmd_json_lockboxes(const struct pef_esm *m)
{
	struct json_object *a = json_object_new_array();

	/* listed in creation order: origin, lockbox-1, ... */
	for (size_t i = 0; a && i < m->n_lockboxes; i++) {
		const struct pef_esm_lockbox *lb = &m->lockboxes[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		cgs_json_add_str(o, "name", lb->name);
		cgs_json_add_str(o, "comment", lb->comment);
		cgs_json_add_str(o, "fingerprint_alg", "sha256");
		cgs_json_add_hex(o, "fingerprint", lb->fingerprint, PEF_ESM_FP_LEN);
		cgs_json_add_int(o, "encrypted_key_size", (int64_t)lb->symkey.len);
		json_object_array_add(a, o);
	}
	return a;
}

struct json_object *pef_cmd_json_files(const struct pef_esm *m)
{
	struct json_object *a = json_object_new_array();

	for (size_t i = 0; a && i < m->n_files; i++) {
		const struct pef_esm_sealed *f = &m->files[i];
		struct json_object *o = json_object_new_object();

		if (!o)
			break;
		cgs_json_add_str(o, "name", f->name);
		cgs_json_add_str(o, "comment", f->comment);
		cgs_json_add_int(o, "size", (int64_t)f->ciphertext.len);
		json_object_array_add(a, o);
	}
	return a;
}

int pef_cmd_write_like(const struct pef_blob_src *src, const char *in, const char *out,
		       unsigned flags, const uint8_t *blob, size_t len)
{
	struct cgs_diag d;
	const char *name;
	enum cgs_err err;

	cgs_diag_clear(&d);
	switch (src->kind) {
	case PEF_BLOB_INITRD:
		name = strrchr(src->entry, '/');
		name = name ? name + 1 : "esmb.dtb";
		err = pef_blob_write_initrd(out, flags, name, blob, len, in, src->initrd_off, NULL,
					    &d);
		break;
	case PEF_BLOB_ELF:
		cgs_log_error("'%s' carries the blob in an ELF section: edit the bare blob, then "
			      "attach it again", in);
		return CGS_EXIT_DATAERR;
	default:
		err = cgs_write_file(out, blob, len, flags, &d);
		break;
	}
	return err ? cgs_log_diag(&d, "write", out) : 0;
}

void pef_cmd_check_cmdline(const char *c)
{
	static const char *const on[] = { "svm=on", "svm=1", "svm=y", "svm=Y", NULL };

	for (const char *p = c; p && *p; p++) {
		if (p != c && p[-1] != ' ')
			continue;
		for (int i = 0; on[i]; i++) {
			size_t n = strlen(on[i]);

			if (!strncmp(p, on[i], n) && (p[n] == ' ' || p[n] == '\0'))
				return;
		}
	}
	cgs_log_warn("the command line has no 'svm=on': the kernel will not ask the "
		     "Ultravisor to enter secure mode");
}
