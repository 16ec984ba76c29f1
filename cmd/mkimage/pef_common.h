/* SPDX-License-Identifier: MIT */
/* Helpers shared by the PEF verbs of cgs-mkimage (pef, pef-info, key verbs). */
#ifndef CGS_CMD_MKIMAGE_PEF_COMMON_H
#define CGS_CMD_MKIMAGE_PEF_COMMON_H

#include <json-c/json.h>

#include "formats/pef_esm.h"
#include "lib/pef/pef_blob.h"
#include "lib/pef/pef_crypto.h"

#define PEF_CMDLINE_MAX 2047 /* powerpc COMMAND_LINE_SIZE 2048, with the NUL */

/* Read a passphrase file (first line); NULL path -> *ret = NULL. Exit code or 0. */
int pef_cmd_passphrase(const char *path, char **ret);
void pef_cmd_passphrase_free(char *p);

/* Load a private key with a diagnostic on failure; exit code or 0. */
int pef_cmd_load_private(const char *path, const char *pass, int min_bits, int max_bits,
			 struct pef_key *ret);
int pef_cmd_load_public(const char *path, int min_bits, int max_bits, struct pef_key *ret);

/* Load and parse a blob from a blob/initrd/ELF file; exit code or 0. */
int pef_cmd_load_blob(const char *path, struct pef_blob_src *src, struct pef_esm *m);

/* The lockboxes / attachments of a blob as JSON arrays. */
struct json_object *pef_cmd_json_lockboxes(const struct pef_esm *m);
struct json_object *pef_cmd_json_files(const struct pef_esm *m);

/* Write the modified blob back into the same kind of container as src. */
int pef_cmd_write_like(const struct pef_blob_src *src, const char *in, const char *out,
		       unsigned flags, const uint8_t *blob, size_t len);

/* Warn if the command line has no svm=on|1|y (prom_init would not call UV_ESM). */
void pef_cmd_check_cmdline(const char *cmdline);

#endif
