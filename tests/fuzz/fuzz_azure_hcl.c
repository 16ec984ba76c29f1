// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/azure_hcl (claims stay inside the buffer; the report parses or not). */
#include <stdlib.h>

#include "formats/azure_hcl.h"
#include "formats/snp_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snp_report r;
	struct azure_hcl h;
	struct cgs_diag d;

	if (azure_hcl_parse(data, size, &h, &d) != CGS_OK)
		return 0;
	if (h.var_data + h.var_len > data + size)
		abort();
	(void)snp_report_parse(h.report, SNP_REPORT_SIZE, 0, &r, &d);
	return 0;
}
