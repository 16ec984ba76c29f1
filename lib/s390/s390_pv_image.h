/* SPDX-License-Identifier: MIT */
/*
 * Reading the SE header out of a Secure Execution image file or an extracted
 * header file, for every verb that needs the header (s390-info, attestation,
 * add-secret): only the first pages of the file are read.
 */
#ifndef CGS_LIB_S390_S390_PV_IMAGE_H
#define CGS_LIB_S390_S390_PV_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "formats/s390_pv_hdr.h"
#include "lib/core/err.h"

/*
 * Read the leading bytes of path ("-" = stdin) that hold the header: the
 * metadata block's header and IPIB when present (up to 16 MiB), else the
 * first S390_PV_HDR_FIND_WINDOW bytes; find and validate the header.
 * *ret_buf (free it) holds *ret_len bytes from file offset 0.
 * CGS_E_NOINPUT (unreadable), CGS_E_MALFORMED/UNSUPPORTED (no valid header).
 */
enum cgs_err s390_pv_image_read_head(const char *path, uint8_t **ret_buf, size_t *ret_len,
				     uint64_t *ret_hdr_off, struct cgs_diag *d);

/* Just the parsed header and its offset in the file. */
enum cgs_err s390_pv_image_read_hdr(const char *path, struct s390_pv_hdr *ret, uint64_t *ret_off,
				    struct cgs_diag *d);

#endif
