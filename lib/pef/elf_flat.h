/* SPDX-License-Identifier: MIT */
/*
 * ELF work for POWER PEF with libelf: the flat memory image of a ppc64 vmlinux
 * exactly as `objcopy -O binary -S` writes it (every SHF_ALLOC section with
 * contents, placed at its load address, gaps zero-filled), streamed; and
 * adding or reading a named section such as ".kernel:esm_blob".
 */
#ifndef CGS_LIB_PEF_ELF_FLAT_H
#define CGS_LIB_PEF_ELF_FLAT_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"
#include "lib/core/io.h"

#define ELF_FLAT_MAX_IMAGE (1ull << 30) /* refuse flat images over 1 GiB */
#define ELF_ESM_SECTION ".kernel:esm_blob"

/* Is this the start of an ELF file? */
int elf_flat_is_elf(const uint8_t *data, size_t len);

/*
 * Stream the flat image of a ppc64 vmlinux (ET_EXEC or ET_DYN) to cb.
 * A zImage (sections named ".kernel:*"), another machine, an object file or
 * a non-ELF file is refused with CGS_E_UNSUPPORTED / CGS_E_MALFORMED.
 */
enum cgs_err elf_flat_stream(const char *path, cgs_chunk_fn cb, void *ctx, uint64_t *ret_size,
			     struct cgs_diag *d);

/* Digest of the flat image (md: OpenSSL name, e.g. "SHA512"). */
enum cgs_err elf_flat_digest(const char *path, const char *md, uint8_t *out,
			     uint64_t *ret_size, struct cgs_diag *d);

/* Read a section's bytes into a new buffer; CGS_E_MALFORMED if absent. */
enum cgs_err elf_section_read(const char *path, const char *name, uint8_t **ret_data,
			      size_t *ret_len, struct cgs_diag *d);

/*
 * Write out = in (a ppc64 ET_REL object) plus a new SHT_PROGBITS section
 * name (SHF_ALLOC, alignment 1) holding data, as the kernel wrapper's
 * objcopy --add-section does. Atomic (temporary file + rename); flags as
 * cgs_out_open (CGS_OUT_FORCE).
 */
enum cgs_err elf_section_add(const char *in, const char *out, unsigned flags, const char *name,
			     const void *data, size_t len, struct cgs_diag *d);

#endif
