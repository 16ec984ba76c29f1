// SPDX-License-Identifier: MIT
/* libFuzzer harness: SEV metadata at the start of the input, and at the offset its last u32 gives. */
#include <stddef.h>
#include <stdint.h>

#include "formats/sev_metadata.h"
#include "lib/core/endian.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sev_metadata m;

	if (size > UINT32_MAX)
		return 0;
	if (sev_metadata_parse(data, size, (uint32_t)size, &m, NULL) == CGS_OK &&
	    m.count > SEV_METADATA_MAX)
		__builtin_trap();
	if (size >= 4)
		sev_metadata_parse(data, size, cgs_le32(data + size - 4), &m, NULL);
	return 0;
}
