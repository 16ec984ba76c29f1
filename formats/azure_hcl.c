// SPDX-License-Identifier: MIT
/* Azure HCL report wrapper (header, SNP report, runtime claims). */
#include "formats/azure_hcl.h"

#include <string.h>

#include "formats/snp_report.h"
#include "lib/core/endian.h"

int azure_hcl_detect(const uint8_t *buf, size_t len)
{
	return len >= 4 && !memcmp(buf, "HCLA", 4);
}

enum cgs_err azure_hcl_parse(const uint8_t *buf, size_t len, struct azure_hcl *ret,
			     struct cgs_diag *d)
{
	struct azure_hcl h;

	memset(&h, 0, sizeof(h));
	if (!azure_hcl_detect(buf, len))
		return cgs_diag_set(d, CGS_E_MALFORMED, "signature", 0, "not an HCL report");
	if (len < AZURE_HCL_VAR_OFFSET)
		return cgs_diag_set(d, CGS_E_MALFORMED, "runtime_claims", len,
				    "truncated: %zu bytes, the HCL report needs at least %u", len,
				    AZURE_HCL_VAR_OFFSET);
	h.version = cgs_le32(buf + 4);
	h.size = cgs_le32(buf + 8);
	h.request_type = cgs_le32(buf + 12);
	if (h.version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 4,
				    "unsupported HCL report version %u", h.version);
	if (h.size < AZURE_HCL_VAR_OFFSET || h.size > len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", 8,
				    "size 0x%x outside 0x%x..0x%zx", h.size, AZURE_HCL_VAR_OFFSET,
				    len);
	h.report = buf + AZURE_HCL_REPORT_OFFSET;
	h.report_type = cgs_le32(buf + AZURE_HCL_CLAIMS_OFFSET + 8);
	h.hash_type = cgs_le32(buf + AZURE_HCL_CLAIMS_OFFSET + 12);
	h.var_len = cgs_le32(buf + AZURE_HCL_CLAIMS_OFFSET + 16);
	if (h.report_type != 2)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "report_type",
				    AZURE_HCL_CLAIMS_OFFSET + 8,
				    "report type %u is not SEV-SNP (2)", h.report_type);
	if ((uint64_t)AZURE_HCL_VAR_OFFSET + h.var_len > h.size)
		return cgs_diag_set(d, CGS_E_MALFORMED, "variable_data_size",
				    AZURE_HCL_CLAIMS_OFFSET + 16,
				    "variable data of %u bytes runs past the report size 0x%x",
				    h.var_len, h.size);
	h.var_data = buf + AZURE_HCL_VAR_OFFSET;
	*ret = h;
	return CGS_OK;
}
