/* SPDX-License-Identifier: MIT */
/*
 * EFI GUIDs with libuuid: text form is the usual 8-4-4-4-12; the 16-byte
 * binary form in firmware is EFI's mixed-endian layout (first three fields
 * little-endian, the rest as written).
 */
#ifndef CGS_LIB_CORE_GUID_H
#define CGS_LIB_CORE_GUID_H

#include <stdint.h>

#include "lib/core/err.h"

#define CGS_GUID_STR_LEN 36

/* Parse text into the EFI binary form. CGS_E_MALFORMED on bad text. */
enum cgs_err cgs_guid_parse_efi(const char *text, uint8_t out[16]);

/* Format EFI binary bytes as lowercase text (out: 37 bytes). */
void cgs_guid_format_efi(const uint8_t in[16], char out[CGS_GUID_STR_LEN + 1]);

/* Compare EFI binary bytes with text; 1 if equal. */
int cgs_guid_equal_efi(const uint8_t bin[16], const char *text);

#endif
