/* SPDX-License-Identifier: MIT */
/*
 * svm-tool's ESM blob configuration (svm_blob.yml), read with libyaml: a
 * sequence of one-key maps "origin" (pubkey, seckey, comment), "recipient"
 * (pubkey, comment), "digest" (args, initramfs, kernel, comment) and "file"
 * (path, name, comment). Unknown keys are errors, as in svm-tool.
 */
#ifndef CGS_LIB_PEF_PEF_CONFIG_H
#define CGS_LIB_PEF_PEF_CONFIG_H

#include <stddef.h>

#include "lib/core/err.h"

#define PEF_CONFIG_MAX_ITEMS 64

struct pef_config_key {
	char *pubkey;
	char *seckey;
	char *comment;
};

struct pef_config_file {
	char *path;
	char *name;
	char *comment;
};

struct pef_config {
	int has_origin;
	struct pef_config_key origin;
	size_t n_recipients;
	struct pef_config_key recipients[PEF_CONFIG_MAX_ITEMS];
	int has_digest;
	char *args;
	char *initramfs;
	char *kernel;
	char *digest_comment;
	size_t n_files;
	struct pef_config_file files[PEF_CONFIG_MAX_ITEMS];
};

/*
 * Parse the YAML text. CGS_E_MALFORMED with "line N: ..." in the diagnostic
 * (field = the key) for syntax errors, unknown or missing keys, duplicates.
 */
enum cgs_err pef_config_parse(const char *text, size_t len, struct pef_config *ret,
			      struct cgs_diag *d);
void pef_config_free(struct pef_config *c);

#endif
