// SPDX-License-Identifier: MIT
/* Fuzz the LAUNCH_MEASURE blob parser (raw or base64); accepted input must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/sev/sev_launch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_launch_blob b, again;
	struct cgs_diag d;
	uint8_t raw[SEV_LAUNCH_BLOB_LEN];

	if (sev_launch_blob_parse(data, size, &b, &d) != CGS_OK)
		return 0;
	sev_launch_blob_serialize(&b, raw);
	if (sev_launch_blob_parse(raw, sizeof(raw), &again, &d) != CGS_OK ||
	    memcmp(&b, &again, sizeof(b)) != 0)
		abort();
	if (size == SEV_LAUNCH_BLOB_LEN && memcmp(raw, data, size) != 0)
		abort();
	return 0;
}
