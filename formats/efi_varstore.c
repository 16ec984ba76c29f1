// SPDX-License-Identifier: MIT
#include "formats/efi_varstore.h"

#include <string.h>

#include "lib/core/endian.h"

const uint8_t efi_guid_auth_varstore[16] = {0x78, 0x2c, 0xf3, 0xaa, 0x7b, 0x94, 0x9a, 0x43,
					    0xa1, 0x80, 0x2e, 0x14, 0x4e, 0xc3, 0x77, 0x92};
const uint8_t efi_guid_global_variable[16] = {0x61, 0xdf, 0xe4, 0x8b, 0xca, 0x93, 0xd2, 0x11,
					      0xaa, 0x0d, 0x00, 0xe0, 0x98, 0x03, 0x2b, 0x8c};
const uint8_t efi_guid_image_security_db[16] = {0xcb, 0xb2, 0x19, 0xd7, 0x3a, 0x3d, 0x96, 0x45,
						0xa3, 0xbc, 0xda, 0xd0, 0x0e, 0x67, 0x65, 0x6f};
const uint8_t efi_guid_secure_boot_enable[16] = {0xc7, 0x0b, 0xa3, 0xf0, 0x08, 0xaf, 0x56, 0x45,
						 0x99, 0xc4, 0x00, 0x10, 0x09, 0xc9, 0x3a, 0x44};

#define VAR_START_ID 0x55aa
#define VAR_ADDED 0x3f
#define STORE_FORMATTED 0x5a
#define STORE_HEALTHY 0xfe

enum cgs_err efi_varstore_find(const uint8_t *region, size_t len, struct efi_varstore *ret,
			       struct cgs_diag *d)
{
	size_t at;

	for (at = 0; at + EFI_VARSTORE_HDR_SIZE <= len; at++)
		if (!memcmp(region + at, efi_guid_auth_varstore, 16))
			break;
	if (at + EFI_VARSTORE_HDR_SIZE > len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "varstore_guid", CGS_DIAG_NO_OFFSET,
				    "no authenticated variable store (GUID "
				    "aaf32c78-947b-439a-a180-2e144ec37792) in the CFV");
	ret->base = region;
	ret->offset = at;
	ret->size = cgs_le32(region + at + 16);
	if (ret->size < EFI_VARSTORE_HDR_SIZE || ret->size > len - at)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", at + 16,
				    "variable store size 0x%zx overruns the CFV", ret->size);
	if (region[at + 20] != STORE_FORMATTED || region[at + 21] != STORE_HEALTHY)
		return cgs_diag_set(
		    d, CGS_E_MALFORMED, "format", at + 20,
		    "variable store format/state 0x%02x/0x%02x (expected 0x5a/0xfe)",
		    region[at + 20], region[at + 21]);
	return CGS_OK;
}

/* Does the UTF-16LE, NUL-terminated name of ns bytes equal the ASCII name? */
static int name_equal(const uint8_t *p, size_t ns, const char *name)
{
	size_t n = strlen(name);

	if (ns != 2 * (n + 1))
		return 0;
	for (size_t i = 0; i <= n; i++)
		if (cgs_le16(p + 2 * i) != (uint8_t)name[i])
			return 0;
	return 1;
}

enum cgs_err efi_varstore_get(const struct efi_varstore *vs, const uint8_t guid[16],
			      const char *name, const uint8_t **ret_data, size_t *ret_len,
			      int *ret_found, struct cgs_diag *d)
{
	const uint8_t *s = vs->base + vs->offset;
	size_t o = EFI_VARSTORE_HDR_SIZE;
	int found = 0;

	while (o + EFI_VAR_HDR_SIZE <= vs->size && cgs_le16(s + o) == VAR_START_ID) {
		uint64_t ns = cgs_le32(s + o + 36), ds = cgs_le32(s + o + 40);

		if (o + EFI_VAR_HDR_SIZE + ns + ds > vs->size)
			return cgs_diag_set(d, CGS_E_MALFORMED, "data_size", vs->offset + o + 36,
					    "variable at 0x%zx runs past the variable store",
					    vs->offset + o);
		if (s[o + 2] == VAR_ADDED && !memcmp(s + o + 44, guid, 16) &&
		    name_equal(s + o + EFI_VAR_HDR_SIZE, ns, name)) {
			*ret_data = s + o + EFI_VAR_HDR_SIZE + ns;
			*ret_len = ds;
			found = 1;
		}
		o = (o + EFI_VAR_HDR_SIZE + ns + ds + 3) & ~(size_t)3;
	}
	*ret_found = found;
	return CGS_OK;
}
