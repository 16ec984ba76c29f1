// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/s390_asrcb parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "formats/s390_asrcb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgs_diag d;
	struct s390_asrcb a;

	s390_asrcb_parse(data, size, &a, &d);

	return 0;
}
