// SPDX-License-Identifier: MIT
#include "formats/sev_hashes.h"

#include <string.h>

#include "lib/core/endian.h"

/* 9438d606-4f22-4cc9-b479-a793d411fd21, 97d02dd8-bd20-4c94-aa78-e7714d36ab2a,
 * 44baf731-3a2f-4bd7-9af1-41e29169781d, 4de79437-abd2-427f-b835-d5b172d2045b (EFI order) */
static const uint8_t guid_table[16] = { 0x06, 0xd6, 0x38, 0x94, 0x22, 0x4f, 0xc9, 0x4c,
					0xb4, 0x79, 0xa7, 0x93, 0xd4, 0x11, 0xfd, 0x21 };
static const uint8_t guid_cmdline[16] = { 0xd8, 0x2d, 0xd0, 0x97, 0x20, 0xbd, 0x94, 0x4c,
					  0xaa, 0x78, 0xe7, 0x71, 0x4d, 0x36, 0xab, 0x2a };
static const uint8_t guid_initrd[16] = { 0x31, 0xf7, 0xba, 0x44, 0x2f, 0x3a, 0xd7, 0x4b,
					 0x9a, 0xf1, 0x41, 0xe2, 0x91, 0x69, 0x78, 0x1d };
static const uint8_t guid_kernel[16] = { 0x37, 0x94, 0xe7, 0x4d, 0xd2, 0xab, 0x7f, 0x42,
					 0xb8, 0x35, 0xd5, 0xb1, 0x72, 0xd2, 0x04, 0x5b };

static void put_entry(uint8_t *p, const uint8_t guid[16], const uint8_t hash[32])
{
	memcpy(p, guid, 16);
	cgs_put_le16(p + 16, SEV_HASHES_ENTRY_LEN);
	memcpy(p + 18, hash, 32);
}

void sev_hashes_build(const struct sev_hashes *h, uint8_t out[SEV_HASHES_PADDED_LEN])
{
	memset(out, 0, SEV_HASHES_PADDED_LEN);
	memcpy(out, guid_table, 16);
	cgs_put_le16(out + 16, SEV_HASHES_LEN);
	put_entry(out + 18, guid_cmdline, h->cmdline);
	put_entry(out + 18 + SEV_HASHES_ENTRY_LEN, guid_initrd, h->initrd);
	put_entry(out + 18 + 2 * SEV_HASHES_ENTRY_LEN, guid_kernel, h->kernel);
}

static enum cgs_err get_entry(const uint8_t *p, size_t off, const uint8_t guid[16],
			      const char *name, uint8_t hash[32], struct cgs_diag *d)
{
	if (memcmp(p + off, guid, 16) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, name, off, "unexpected GUID for the %s "
				    "entry", name);
	if (cgs_le16(p + off + 16) != SEV_HASHES_ENTRY_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, name, off + 16, "bad %s entry length",
				    name);
	memcpy(hash, p + off + 18, 32);
	return CGS_OK;
}

enum cgs_err sev_hashes_parse(const uint8_t *p, size_t len, struct sev_hashes *ret,
			      struct cgs_diag *d)
{
	struct sev_hashes h;
	enum cgs_err err;

	if (len < SEV_HASHES_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "table", len, "hashes table truncated");
	if (memcmp(p, guid_table, 16) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "guid", 0, "not a SEV hashes table");
	if (cgs_le16(p + 16) != SEV_HASHES_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "length", 16, "bad hashes table length %u",
				    cgs_le16(p + 16));
	err = get_entry(p, 18, guid_cmdline, "cmdline", h.cmdline, d);
	if (!err)
		err = get_entry(p, 18 + SEV_HASHES_ENTRY_LEN, guid_initrd, "initrd", h.initrd, d);
	if (!err)
		err = get_entry(p, 18 + 2 * SEV_HASHES_ENTRY_LEN, guid_kernel, "kernel", h.kernel,
				d);
	if (!err)
		*ret = h;
	return err;
}
