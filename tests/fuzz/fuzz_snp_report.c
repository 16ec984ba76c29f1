// SPDX-License-Identifier: MIT
/* libFuzzer harness: formats/snp_report (parse; a parsed report re-serialises to its bytes). */
#include <stdlib.h>
#include <string.h>

#include "formats/snp_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snp_report r;
	static uint8_t out[SNP_REPORT_SIZE];
	struct cgs_diag d;
	size_t n;

	/* allow every version so the unknown-version paths run too */
	if (snp_report_parse(data, size, ~0ull, &r, &d) != CGS_OK)
		return 0;
	snp_report_serialize(&r, out);
	for (n = 0x330; n < SNP_REPORT_SIZE && !data[n]; n++)
		;
	if (!r.unknown_version && n == SNP_REPORT_SIZE && memcmp(out, data, SNP_REPORT_SIZE))
		abort(); /* a report we accept must be exactly what we would write */
	const struct snp_product *p = snp_product_from_cpuid(r.cpuid_fam_id, r.cpuid_mod_id);
	size_t nc;
	const struct snp_tcb_comp *c = snp_tcb_components(p ? p->layout : SNP_TCB_LAYOUT_TURIN, &nc);

	for (size_t i = 0; i < nc; i++)
		if (snp_tcb_get(r.reported_tcb, p ? p->layout : SNP_TCB_LAYOUT_TURIN, c[i].name) < 0)
			abort();
	return 0;
}
