/* SPDX-License-Identifier: MIT */
/*
 * Where an ESM blob lives: a bare blob file, an initramfs with the ESM cpio
 * archive first (svm-tool's layout), or an ELF object with the
 * ".kernel:esm_blob" section. Loading finds it; writing an initrd streams
 * the original initrd after a new ESM cpio archive.
 */
#ifndef CGS_LIB_PEF_PEF_BLOB_H
#define CGS_LIB_PEF_PEF_BLOB_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

enum pef_blob_kind { PEF_BLOB_FILE, PEF_BLOB_INITRD, PEF_BLOB_ELF };

struct pef_blob_src {
	enum pef_blob_kind kind;
	uint8_t *blob;       /* malloc'd, 8-byte aligned for libfdt */
	size_t len;
	uint64_t blob_off;   /* offset of the blob in the file (initrd) */
	uint64_t initrd_off; /* where the original initrd starts (initrd) */
	char entry[128];     /* cpio entry or ELF section holding the blob */
};

/* Read the blob from any of the three containers (sniffed by magic). */
enum cgs_err pef_blob_load(const char *path, struct pef_blob_src *ret, struct cgs_diag *d);
void pef_blob_src_free(struct pef_blob_src *s);
const char *pef_blob_kind_name(enum pef_blob_kind k);

/*
 * Write out = ESM cpio (opt/ibm/pef/<name> holding blob) followed by the
 * initrd file from byte skip on (initrd may be NULL: archive only). With
 * expect_sha512, the copied initrd must hash to it (the file did not change
 * since it was measured), else nothing is written.
 */
enum cgs_err pef_blob_write_initrd(const char *out, unsigned flags, const char *name,
				   const uint8_t *blob, size_t len, const char *initrd,
				   uint64_t skip, const uint8_t *expect_sha512, struct cgs_diag *d);

#endif
