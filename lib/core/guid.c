// SPDX-License-Identifier: MIT
#include "lib/core/guid.h"

#include <string.h>

#include <uuid/uuid.h>

/* swap the first three fields between RFC 4122 (big-endian) and EFI order */
static void swap_fields(const uint8_t in[16], uint8_t out[16])
{
	static const uint8_t order[16] = { 3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15 };

	for (int i = 0; i < 16; i++)
		out[i] = in[order[i]];
}

enum cgs_err cgs_guid_parse_efi(const char *text, uint8_t out[16])
{
	uuid_t u = { 0 };

	if (strlen(text) != CGS_GUID_STR_LEN || uuid_parse(text, u) != 0)
		return CGS_E_MALFORMED;
	swap_fields(u, out);
	return CGS_OK;
}

void cgs_guid_format_efi(const uint8_t in[16], char out[CGS_GUID_STR_LEN + 1])
{
	uuid_t u = { 0 };

	swap_fields(in, u);
	uuid_unparse_lower(u, out);
}

int cgs_guid_equal_efi(const uint8_t bin[16], const char *text)
{
	uint8_t g[16];

	return cgs_guid_parse_efi(text, g) == CGS_OK && memcmp(g, bin, 16) == 0;
}
