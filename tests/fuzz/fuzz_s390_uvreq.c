// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/s390_uvreq parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "formats/s390_uvreq.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgs_diag d;
	struct s390_uvreq_hdr h;

	s390_uvreq_hdr_parse(data, size, &h, &d);

	return 0;
}
