// SPDX-License-Identifier: MIT
/* Fuzz the SEV platform and CA certificate parsers; accepted input must round-trip. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/sev_cert.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sev_cert c;
	struct sev_ca_cert ca;
	struct cgs_diag d;
	static uint8_t out[SEV_CERT_SIZE];

	if (sev_cert_parse(data, size, &c, &d) == CGS_OK) {
		sev_cert_serialize(&c, out);
		if (memcmp(out, data, SEV_CERT_SIZE) != 0)
			abort();
	}
	if (sev_ca_cert_parse(data, size, &ca, &d) == CGS_OK) {
		uint8_t *buf = malloc(sev_ca_cert_size(&ca));

		if (!buf)
			return 0;
		sev_ca_cert_serialize(&ca, buf);
		if (sev_ca_cert_size(&ca) != size || memcmp(buf, data, size) != 0)
			abort();
		free(buf);
	}
	return 0;
}
