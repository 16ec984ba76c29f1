/* SPDX-License-Identifier: MIT */
/*
 * The x86 Linux boot protocol header ("HdrS" at 0x202) and the edits QEMU's
 * direct-kernel loader makes to it before handing the kernel to the firmware
 * (type_of_loader, loadflags CAN_USE_HEAP, heap_end_ptr, cmd_line_ptr and,
 * with an initrd, ramdisk_image/ramdisk_size); the firmware measures the
 * edited bytes.
 */
#ifndef CGS_FORMATS_BZIMAGE_H
#define CGS_FORMATS_BZIMAGE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define BZIMAGE_HEAD_MIN 0x240 /* bytes holding every field read or written */

struct bzimage_load {
	uint64_t cmdline_len; /* strlen of -append */
	int has_initrd;
	uint64_t initrd_len;
	uint64_t below_4g; /* RAM below 4 GiB */
};

struct bzimage_patch {
	uint16_t protocol; /* 0 without "HdrS" */
	uint8_t type_of_loader;
	uint8_t loadflags;
	uint16_t heap_end_ptr;
	uint32_t cmd_line_ptr;
	uint32_t ramdisk_image;
	uint32_t ramdisk_size;
	uint32_t initrd_max;
};

/*
 * Apply QEMU's edits to the first head_len bytes of a kernel of file_len
 * bytes, in place, and report the values written. CGS_E_MALFORMED when the
 * kernel is shorter than its setup sectors ('setup_sects') or than the header;
 * CGS_E_USAGE when the initrd does not fit below initrd_max (QEMU refuses to
 * start) or the protocol is too old for an initrd.
 */
enum cgs_err bzimage_qemu_patch(uint8_t *head, size_t head_len, uint64_t file_len,
				const struct bzimage_load *in, struct bzimage_patch *ret,
				struct cgs_diag *d);

#endif
