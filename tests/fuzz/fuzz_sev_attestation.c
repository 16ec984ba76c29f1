// SPDX-License-Identifier: MIT
/* Fuzz the legacy SEV ATTESTATION report parser; accepted input must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/sev_attestation.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_attestation r;
	struct cgs_diag d;
	uint8_t out[SEV_ATT_SIZE];

	if (sev_attestation_parse(data, size, &r, &d) == CGS_OK) {
		sev_attestation_serialize(&r, out);
		if (memcmp(out, data, SEV_ATT_SIZE) != 0)
			abort();
	}
	return 0;
}
