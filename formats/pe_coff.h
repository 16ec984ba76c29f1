/* SPDX-License-Identifier: MIT */
/*
 * PE/COFF image layout as far as an Authenticode digest needs it, computed
 * the way edk2's DxeTpm2MeasureBootLib/TcgDxe do before measuring an EFI
 * application: the headers without the checksum field and the certificate
 * table directory entry, every section with raw data in file order, then the
 * bytes after the sum of those sizes, less the certificate table.
 */
#ifndef CGS_FORMATS_PE_COFF_H
#define CGS_FORMATS_PE_COFF_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define PE_MAX_SECTIONS 96

struct pe_range {
	uint64_t offset;
	uint64_t length;
};

/* The file ranges to hash, in order. */
struct pe_authenticode {
	size_t n;
	struct pe_range r[3 + PE_MAX_SECTIONS + 1];
	uint64_t hashed; /* total bytes */
};

/*
 * Lay out the Authenticode ranges of a file of file_len bytes whose first
 * head_len bytes are in head (which must hold the headers and section table).
 * CGS_E_MALFORMED naming the field: no 'MZ' or PE signature, headers or the
 * section table past head or the file, an unknown optional-header magic, a
 * section past the end of the file, more than PE_MAX_SECTIONS sections.
 */
enum cgs_err pe_authenticode_layout(const uint8_t *head, size_t head_len, uint64_t file_len,
				    struct pe_authenticode *ret, struct cgs_diag *d);

#endif
