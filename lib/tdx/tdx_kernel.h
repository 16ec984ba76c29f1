/* SPDX-License-Identifier: MIT */
/*
 * The kernel event of RTMR1: the PE/COFF Authenticode SHA-384 of the kernel
 * as QEMU hands it to OVMF (setup header edited for the command line and
 * initrd), streamed from the file: only the first KiBs are held in memory.
 */
#ifndef CGS_LIB_TDX_TDX_KERNEL_H
#define CGS_LIB_TDX_TDX_KERNEL_H

#include <stdint.h>

#include <cgs/tdx.h>

#include "formats/bzimage.h"
#include "lib/core/err.h"

#define TDX_KERNEL_HEAD (64u << 10)

struct tdx_kernel_result {
	uint8_t digest[CGS_TDX_DIGEST_LEN];
	uint64_t size;	 /* file size */
	uint64_t hashed; /* bytes covered by the Authenticode digest */
	struct bzimage_patch patch;
};

/* CGS_E_NOINPUT if unreadable or not seekable; see bzimage_qemu_patch and pe_authenticode_layout.
 */
enum cgs_err tdx_kernel_digest(const char *path, const struct bzimage_load *load,
			       struct tdx_kernel_result *ret, struct cgs_diag *d);

/* The same on a kernel already in memory (for tests): patches a copy of its head. */
enum cgs_err tdx_kernel_digest_mem(const uint8_t *k, size_t len, const struct bzimage_load *load,
				   struct tdx_kernel_result *ret, struct cgs_diag *d);

#endif
