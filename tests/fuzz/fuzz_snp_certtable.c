// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/snp_certtable (every accepted entry lies inside the buffer). */
#include <stdlib.h>

#include "formats/snp_certtable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snp_certtable t;
	struct cgs_diag d;

	if (snp_certtable_parse(data, size, &t, &d) != CGS_OK)
		return 0;
	for (size_t i = 0; i < t.n; i++) {
		if ((uint64_t)t.e[i].offset + t.e[i].length > size ||
		    t.e[i].offset < (t.n + 1) * SNP_CERTTABLE_ENTRY_SIZE)
			abort();
		(void)snp_cert_kind_name(t.e[i].kind);
	}
	return 0;
}
