// SPDX-License-Identifier: MIT
/* libFuzzer harness: the kernel-hashes table; a parsed table serialises back to its bytes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/sev_hashes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_hashes h;
	uint8_t out[SEV_HASHES_PADDED_LEN];

	if (sev_hashes_parse(data, size, &h, NULL) != CGS_OK)
		return 0;
	sev_hashes_build(&h, out);
	if (memcmp(out, data, SEV_HASHES_LEN) != 0)
		__builtin_trap();
	return 0;
}
