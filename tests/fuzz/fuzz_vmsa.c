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
	const uint8_t *p = data;

	/* short inputs are padded (once) so that most runs reach the field checks */
	if (size < sizeof(page)) {
		vmsa_parse(data, size, &s, NULL);
		memset(page, 0, sizeof(page));
		memcpy(page, data, size);
		p = page;
	}
	if (vmsa_parse(p, VMSA_PAGE_SIZE, &s, NULL) != CGS_OK)
		return 0;
	vmsa_serialize(&s, out);
	if (memcmp(out, p, sizeof(out)) != 0)
		__builtin_trap();
	return 0;
}
