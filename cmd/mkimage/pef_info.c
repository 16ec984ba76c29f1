// SPDX-License-Identifier: MIT
/* cgs-mkimage pef-info: what an ESM blob holds (lockboxes, digests, attachments), no secrets. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cgs/pef.h>

#include "cmd/mkimage/pef_common.h"
#include "cmd/mkimage/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/exit.h"
#include "lib/core/hex.h"
#include "lib/core/json.h"
#include "lib/core/log.h"

static void info_text(const char *path, const struct cgs_pef_blob_info *r)
{
	printf("ESM blob: %zu bytes", r->blob_size);
	if (!strcmp(r->kind, "initrd"))
		printf(" (%s at offset %llu of '%s'; the initramfs follows at %llu)", r->entry,
		       (unsigned long long)r->blob_offset, path,
		       (unsigned long long)r->initrd_offset);
	else if (!strcmp(r->kind, "elf"))
		printf(" (section %s of '%s')", r->entry, path);
	printf("\nlockboxes: %zu%s\n", r->n_lockboxes,
	       r->has_lockbox_1 ? "" : " (no lockbox-1: the Ultravisor cannot open this blob)");
	for (size_t i = 0; i < r->n_lockboxes; i++) {
		char fp[2 * 32 + 1];

		cgs_hex_encode(r->lockboxes[i].fingerprint, 32, fp);
		printf("  %-15s sha256:%s  %zu-byte key  \"%s\"\n", r->lockboxes[i].name, fp,
		       r->lockboxes[i].encrypted_key_size, r->lockboxes[i].comment);
	}
	if (r->has_digests)
		printf("digests: sealed, AES256-GCM, %zu bytes \"%s\"\n", r->digests_size,
		       r->digests_comment ? r->digests_comment : "");
	else
		printf("digests: none\n");
	printf("attachments: %zu", r->n_attachments);
	if (r->has_files_fdt)
		printf(" (files-fdt %zu bytes)", r->files_fdt_size);
	printf("\n");
	for (size_t i = 0; i < r->n_attachments; i++)
		printf("  %-15s %zu bytes  \"%s\"\n", r->attachments[i].name,
		       r->attachments[i].size, r->attachments[i].comment);
}

static int info_json(const char *path, const struct cgs_pef_blob_info *r)
{
	struct json_object *doc = cgs_json_doc("cgs-mkimage"), *src, *dg;
	int rc;

	if (!doc || !(src = json_object_new_object()) || !(dg = json_object_new_object())) {
		json_object_put(doc);
		return CGS_EXIT_FAILURE;
	}
	cgs_json_add_str(doc, "format", "pef-esm");
	cgs_json_add_str(src, "kind", r->kind);
	cgs_json_add_str(src, "path", path);
	cgs_json_add_str(src, "entry", r->entry);
	cgs_json_add_int(src, "blob_offset", (int64_t)r->blob_offset);
	if (!strcmp(r->kind, "initrd"))
		cgs_json_add_int(src, "initrd_offset", (int64_t)r->initrd_offset);
	cgs_json_add(doc, "source", src);
	cgs_json_add_int(doc, "blob_size", (int64_t)r->blob_size);
	cgs_json_add_hex(doc, "blob_sha256", r->blob_sha256, 32);
	cgs_json_add_bool(doc, "has_lockbox_1", r->has_lockbox_1);
	cgs_json_add(doc, "lockboxes", pef_cmd_json_lockboxes(r));
	cgs_json_add_bool(dg, "present", r->has_digests);
	cgs_json_add_str(dg, "algorithm", r->has_digests ? "AES256-GCM" : NULL);
	cgs_json_add_int(dg, "size", (int64_t)r->digests_size);
	cgs_json_add_str(dg, "comment", r->digests_comment);
	cgs_json_add(doc, "digests", dg);
	cgs_json_add_int(doc, "files_fdt_size", (int64_t)r->files_fdt_size);
	cgs_json_add(doc, "attachments", pef_cmd_json_files(r));
	rc = cgs_json_print(doc, cgs_opts.json) ? CGS_EXIT_FAILURE : 0;
	json_object_put(doc);
	return rc;
}

static const struct cgs_option info_options[] = {
    {NULL, 0, 0, NULL, NULL, 0},
};

int verb_pef_info(int argc, char **argv)
{
	struct cgs_command cmd = {
	    "cgs-mkimage pef-info",
	    "[OPTION]... BLOB|INITRD|ELF",
	    "Show an ESM blob (bare, first in an initramfs, or in an ELF section): lockboxes, "
	    "fingerprints, attachments and sizes, without secrets.",
	    info_options,
	    CGS_COMMON_JSON,
	    NULL,
	    NULL,
	    NULL,
	};
	struct cgs_pef_blob_info *r;
	struct cgs_diag d;
	int optind_ = 0, rc = cgs_cli_parse(&cmd, argc, argv, &optind_);

	if (rc >= 0)
		return rc;
	if (optind_ != argc - 1)
		return cgs_log_usage(optind_ >= argc ? "missing BLOB operand"
						     : "too many operands");
	r = malloc(sizeof(*r));
	if (!r)
		return CGS_EXIT_FAILURE;
	cgs_diag_clear(&d);
	if (cgs_pef_info(argv[optind_], r, &d)) {
		rc = cgs_log_diag(&d, d.err == CGS_E_NOINPUT ? "read the ESM blob from" : "parse",
				  argv[optind_]);
	} else if (cgs_opts.json) {
		rc = info_json(argv[optind_], r);
	} else {
		info_text(argv[optind_], r);
		rc = fflush(stdout) || ferror(stdout) ? CGS_EXIT_FAILURE : 0;
	}
	cgs_pef_blob_info_free(r);
	free(r);
	return rc;
}
