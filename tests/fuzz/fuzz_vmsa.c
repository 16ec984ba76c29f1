// SPDX-License-Identifier: MIT
/* libFuzzer harness: VMSA pages; an accepted page serialises back to itself. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/vmsa.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t page[VMSA_PAGE_SIZE], out[VMSA_PAGE_SIZE];
	struct vmsa_state s;

	/* short inputs are padded so that most runs reach the field checks */
	memset(page, 0, sizeof(page));
	memcpy(page, data, size < sizeof(page) ? size : sizeof(page));
	vmsa_parse(data, size, &s, NULL);
	if (vmsa_parse(page, sizeof(page), &s, NULL) != CGS_OK)
		return 0;
	vmsa_serialize(&s, out);
	if (memcmp(out, page, sizeof(out)) != 0)
		__builtin_trap();
	return 0;
}
