/* SPDX-License-Identifier: MIT */
/*
 * POWER PEF "ESM" (Enter Secure Mode) blob: a flattened device tree with root
 * compatible "ibm,esm", holding per-recipient lockboxes (the wrapped AES-256
 * master key), the GCM-sealed digests tree and the nested, GCM-sealed files
 * tree. Byte layout only: parse, serialise and validate with libfdt; no
 * cryptography and no I/O here.
 *
 * Lists in struct pef_esm are in creation order. libfdt inserts a new node or
 * property before its siblings, so the tree lists them in reverse; parsing
 * undoes that, and serialising a parsed blob made by svm-tool reproduces it.
 */
#ifndef CGS_FORMATS_PEF_ESM_H
#define CGS_FORMATS_PEF_ESM_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/buf.h"
#include "lib/core/err.h"

#define PEF_ESM_COMPATIBLE "ibm,esm"
#define PEF_ESM_FILES_COMPATIBLE "ibm,esm-file"
#define PEF_ESM_ORIGIN "origin-lockbox"
#define PEF_ESM_UV_LOCKBOX "lockbox-1" /* the only lockbox the Ultravisor opens */

#define PEF_ESM_KEY_LEN 32         /* AES-256 master key */
#define PEF_ESM_IV_LEN 16          /* GCM IV as svm-tool writes it */
#define PEF_ESM_MAC_LEN 16         /* GCM tag */
#define PEF_ESM_FP_LEN 32          /* SHA-256 fingerprint */
#define PEF_ESM_DIGEST_LEN 64      /* SHA-512 */
#define PEF_ESM_UV_SYMKEY_LEN 256  /* lockbox-1: the TPM's RSA-2048 modulus */
#define PEF_ESM_SYMKEY_MIN 64
#define PEF_ESM_SYMKEY_MAX 1024
#define PEF_ESM_DIGESTS_MAX 4096   /* the Ultravisor decrypts into 4 KiB */
#define PEF_ESM_FILES_FDT_MAX 65536 /* copied into one 64 KiB guest page */
#define PEF_ESM_FILE_MAX 65535     /* attachment length is a 16-bit value */
#define PEF_ESM_NAME_MAX 31        /* attachment node name */
#define PEF_ESM_COMMENT_MAX 1024
#define PEF_ESM_MAX_LOCKBOXES 64
#define PEF_ESM_MAX_FILES 64
#define PEF_ESM_BLOB_MAX (1u << 20)

struct pef_esm_bytes {
	const uint8_t *data;
	size_t len;
};

struct pef_esm_lockbox {
	char name[PEF_ESM_NAME_MAX + 1]; /* "origin-lockbox" or "lockbox-N" */
	const char *comment;             /* untrusted-comment, NUL-terminated */
	struct pef_esm_bytes symkey;     /* encrypted-symkey (RSA-OAEP) */
	uint8_t fingerprint[PEF_ESM_FP_LEN]; /* SHA-256 of the public key PEM */
};

/* An AES256-GCM sealed item: the digests tree or one attachment. */
struct pef_esm_sealed {
	char name[PEF_ESM_NAME_MAX + 1]; /* attachment name; "digests-fdt" for the digests */
	const char *comment;
	uint8_t iv[PEF_ESM_IV_LEN];
	uint8_t mac[PEF_ESM_MAC_LEN];
	struct pef_esm_bytes ciphertext;
};

struct pef_esm {
	size_t n_lockboxes;
	struct pef_esm_lockbox lockboxes[PEF_ESM_MAX_LOCKBOXES];
	int has_digests;
	struct pef_esm_sealed digests;
	int has_files_fdt; /* /file/files-fdt present (possibly with no files) */
	size_t n_files;
	struct pef_esm_sealed files[PEF_ESM_MAX_FILES];
	size_t files_fdt_len; /* size of the nested tree (parse only) */
};

/* The plaintext of /digest/digests-fdt. */
struct pef_esm_digests {
	uint8_t rtas[PEF_ESM_DIGEST_LEN];
	uint8_t kernel[PEF_ESM_DIGEST_LEN];
	uint32_t kernel_size;
	uint8_t initrd[PEF_ESM_DIGEST_LEN];
	uint8_t bootargs[PEF_ESM_DIGEST_LEN];
};

/* Is data an FDT whose root is compatible "ibm,esm"? (cheap sniff, no validation) */
int pef_esm_sniff(const uint8_t *data, size_t len);

/*
 * Parse a blob and check the reader's rules. The result points into blob,
 * which must outlive it. CGS_E_MALFORMED with the node/property in the diagnostic's field.
 */
enum cgs_err pef_esm_parse(const uint8_t *blob, size_t len, struct pef_esm *ret,
			   struct cgs_diag *d);

/*
 * The reader's rules, applied by pef_esm_parse: what every blob svm-tool can
 * write satisfies (an origin lockbox, valid and unique lockbox and attachment
 * names). Sizes and comments are not limited here, so a reader accepts a blob
 * the builder would refuse to write (e.g. a 65,535-byte attachment).
 */
enum cgs_err pef_esm_check_read(const struct pef_esm *m, struct cgs_diag *d);

/* Check the writer rules and the Ultravisor's limits (names, sizes, comments). */
enum cgs_err pef_esm_validate(const struct pef_esm *m, struct cgs_diag *d);

/* Validate, then build the packed DTB into out (appended). */
enum cgs_err pef_esm_serialize(const struct pef_esm *m, struct cgs_buf *out,
			       struct cgs_diag *d);

/* Lockbox lookup by node name: index or -1. */
int pef_esm_find_lockbox(const struct pef_esm *m, const char *name);
/* Attachment lookup by name: index or -1. */
int pef_esm_find_file(const struct pef_esm *m, const char *name);

/* Name for a new recipient lockbox: "lockbox-N" with the lowest N >= 1 not in use. */
void pef_esm_next_lockbox_name(const struct pef_esm *m, char out[PEF_ESM_NAME_MAX + 1]);

/* Attachment name rule: a letter, then up to 30 of [0-9A-Za-z,._+-]. */
int pef_esm_file_name_valid(const char *name);

/* The inner digests tree (packed, as svm-tool writes it) and its parser. */
enum cgs_err pef_esm_digests_serialize(const struct pef_esm_digests *dg, struct cgs_buf *out,
				       struct cgs_diag *d);
enum cgs_err pef_esm_digests_parse(const uint8_t *data, size_t len, struct pef_esm_digests *ret,
				   struct cgs_diag *d);

#endif
