// SPDX-License-Identifier: MIT
/* libFuzzer harness: PAGE_INFO; an accepted structure serialises back to its bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/snp_page_info.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snp_page_info pi;
	uint8_t out[SNP_PAGE_INFO_LEN];

	if (snp_page_info_parse(data, size, &pi, NULL) != CGS_OK)
		return 0;
	snp_page_info_serialize(&pi, out);
	if (memcmp(out, data, 0x67) != 0 || memcmp(out + 0x68, data + 0x68, 8) != 0)
		__builtin_trap();
	return 0;
}
