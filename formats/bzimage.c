// SPDX-License-Identifier: MIT
#include "formats/bzimage.h"

#include <string.h>

#include "lib/core/endian.h"

#define ACPI_DATA_SIZE 0x28000 /* QEMU reserves it below the top of low RAM */
#define LOADED_HIGH 0x01
#define CAN_USE_HEAP 0x80
#define XLF_CAN_BE_LOADED_ABOVE_4G 0x02

static uint32_t initrd_max(const uint8_t *h, uint16_t proto, uint64_t below_4g)
{
	uint64_t max;

	if (proto >= 0x20c && (cgs_le16(h + 0x236) & XLF_CAN_BE_LOADED_ABOVE_4G))
		max = 0xffffffff;
	else if (proto >= 0x203)
		max = cgs_le32(h + 0x22c);
	else
		max = 0x37ffffff;
	if (below_4g >= ACPI_DATA_SIZE && max >= below_4g - ACPI_DATA_SIZE)
		max = below_4g - ACPI_DATA_SIZE - 1;
	return (uint32_t)max;
}

static enum cgs_err check_size(const uint8_t *h, size_t head_len, uint64_t file_len,
			       struct cgs_diag *d)
{
	uint64_t setup;

	if (head_len < BZIMAGE_HEAD_MIN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "setup_header", 0,
				    "kernel of %llu bytes is too small for an x86 boot header",
				    (unsigned long long)file_len);
	setup = h[0x1f1] ? h[0x1f1] : 4;
	if ((setup + 1) * 512 > file_len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "setup_sects", 0x1f1,
				    "kernel of %llu bytes is shorter than its %llu setup sectors",
				    (unsigned long long)file_len, (unsigned long long)setup);
	return CGS_OK;
}

static enum cgs_err set_initrd(uint8_t *h, const struct bzimage_load *in, struct bzimage_patch *p,
			       struct cgs_diag *d)
{
	if (p->protocol < 0x200)
		return cgs_diag_set(d, CGS_E_USAGE, "protocol", 0x206,
				    "the kernel's boot protocol 0x%x is too old to load an initrd",
				    p->protocol);
	if (in->initrd_len >= p->initrd_max)
		return cgs_diag_set(d, CGS_E_USAGE, "initrd", CGS_DIAG_NO_OFFSET,
				    "initrd of %llu bytes does not fit below 0x%x (QEMU refuses "
				    "it with this kernel and memory size)",
				    (unsigned long long)in->initrd_len, p->initrd_max);
	p->ramdisk_image = (uint32_t)((p->initrd_max - in->initrd_len) & ~0xfffull);
	p->ramdisk_size = (uint32_t)in->initrd_len;
	cgs_put_le32(h + 0x218, p->ramdisk_image);
	cgs_put_le32(h + 0x21c, p->ramdisk_size);
	return CGS_OK;
}

enum cgs_err bzimage_qemu_patch(uint8_t *h, size_t head_len, uint64_t file_len,
				const struct bzimage_load *in, struct bzimage_patch *ret,
				struct cgs_diag *d)
{
	struct bzimage_patch p;
	uint32_t real, cl;
	enum cgs_err err = check_size(h, head_len, file_len, d);

	if (err)
		return err;
	memset(&p, 0, sizeof(p));
	p.protocol = memcmp(h + 0x202, "HdrS", 4) ? 0 : cgs_le16(h + 0x206);
	if (p.protocol < 0x202 || !(h[0x211] & LOADED_HIGH)) {
		real = 0x90000;
		cl = 0x9a000 - (uint32_t)((in->cmdline_len + 16) & ~15ull);
	} else {
		real = 0x10000;
		cl = 0x20000;
	}
	p.initrd_max = initrd_max(h, p.protocol, in->below_4g);
	if (p.protocol >= 0x202) {
		cgs_put_le32(h + 0x228, cl);
	} else {
		cgs_put_le16(h + 0x20, 0xa33f);
		cgs_put_le16(h + 0x22, (uint16_t)(cl - real));
	}
	p.cmd_line_ptr = cl;
	if (p.protocol >= 0x200)
		h[0x210] = 0xb0;
	if (p.protocol >= 0x201) {
		h[0x211] |= CAN_USE_HEAP;
		cgs_put_le16(h + 0x224, (uint16_t)(cl - real - 0x200));
	}
	p.type_of_loader = h[0x210];
	p.loadflags = h[0x211];
	p.heap_end_ptr = cgs_le16(h + 0x224);
	p.ramdisk_image = cgs_le32(h + 0x218);
	p.ramdisk_size = cgs_le32(h + 0x21c);
	if (in->has_initrd) {
		err = set_initrd(h, in, &p, d);
		if (err)
			return err;
	}
	*ret = p;
	return CGS_OK;
}
