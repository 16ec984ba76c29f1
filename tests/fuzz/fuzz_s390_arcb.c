// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/s390_arcb parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "formats/s390_arcb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgs_diag d;
	struct s390_arcb a;

	s390_arcb_parse(data, size, &a, &d);

	return 0;
}
