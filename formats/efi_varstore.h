/* SPDX-License-Identifier: MIT */
/*
 * The edk2 authenticated variable store inside an OVMF image's CFV: the store
 * header (GUID aaf32c78-947b-439a-a180-2e144ec37792, u32 size, format 0x5a,
 * state 0xfe) followed by 4-byte aligned variables, each a 60-byte header
 * (0x55aa, state, attributes, counter, time stamp, key index, name size, data
 * size, vendor GUID), the UTF-16LE name with its NUL, then the data.
 */
#ifndef CGS_FORMATS_EFI_VARSTORE_H
#define CGS_FORMATS_EFI_VARSTORE_H

#include <stddef.h>
#include <stdint.h>

#include "lib/core/err.h"

#define EFI_VARSTORE_HDR_SIZE 28
#define EFI_VAR_HDR_SIZE 60

extern const uint8_t efi_guid_auth_varstore[16];      /* aaf32c78-947b-439a-a180-2e144ec37792 */
extern const uint8_t efi_guid_global_variable[16];    /* 8be4df61-93ca-11d2-aa0d-00e098032b8c */
extern const uint8_t efi_guid_image_security_db[16];  /* d719b2cb-3d3a-4596-a3bc-dad00e67656f */
extern const uint8_t efi_guid_secure_boot_enable[16]; /* f0a30bc7-af08-4556-99c4-001009c93a44 */

struct efi_varstore {
	const uint8_t *base; /* the region searched (the CFV) */
	size_t offset;	     /* of the store header in the region */
	size_t size;	     /* header field: store size */
};

/*
 * Find the first store header in region and validate it. CGS_E_MALFORMED
 * naming the field when it is absent ('varstore_guid'), its size overruns the
 * region ('size') or the format/state bytes are wrong.
 */
enum cgs_err efi_varstore_find(const uint8_t *region, size_t len, struct efi_varstore *ret,
			       struct cgs_diag *d);

/*
 * The data of the last valid (state 0x3f) variable with this ASCII name and
 * vendor GUID; *ret_found = 0 if there is none. CGS_E_MALFORMED when a
 * variable before it runs past the store.
 */
enum cgs_err efi_varstore_get(const struct efi_varstore *vs, const uint8_t guid[16],
			      const char *name, const uint8_t **ret_data, size_t *ret_len,
			      int *ret_found, struct cgs_diag *d);

#endif
