// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/s390_exchange parser on arbitrary bytes. */
#include <stddef.h>
#include <stdint.h>

#include "formats/s390_arcb.h"
#include "formats/s390_exchange.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cgs_diag d;
	struct s390_exchange x;
	struct s390_arcb a;

	if (s390_exchange_parse(data, size, &x, &d) == CGS_OK && x.e[S390_EXCH_ARCB].data)
		s390_arcb_parse(x.e[S390_EXCH_ARCB].data, x.e[S390_EXCH_ARCB].size, &a, &d);

	return 0;
}
