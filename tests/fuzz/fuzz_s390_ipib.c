// SPDX-License-Identifier: MIT
/* libFuzzer harness: PV IPL parameter block parse and re-serialise. */
#include <stdlib.h>
#include <string.h>

#include "formats/s390_ipib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct s390_ipib ib;
	uint8_t out[S390_IPIB_FIXED + S390_IPIB_ENTRY * S390_IPIB_MAX_COMPS];
	size_t len;

	if (s390_ipib_parse(data, size, &ib, NULL) != CGS_OK)
		return 0;
	if (s390_ipib_serialize(&ib, out, sizeof(out), &len, NULL) != CGS_OK ||
	    len > size)
		abort();
	return 0;
}
