// SPDX-License-Identifier: MIT
/* cgs-verify: verify attestation evidence against expected values. */
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/log.h"
#include "formats/snp_report.h"
#include "lib/sev/sev_measure.h"

#include <string.h>

static const struct cgs_verb verbs[] = {
	{ "snp", verb_snp, "verify an SEV-SNP attestation report", 0 },
	{ "sev", verb_sev, "verify a legacy SEV/SEV-ES launch measurement", 0 },
	{ "sev-chain", verb_sev_chain, "verify a legacy SEV platform certificate chain", 0 },
	{ "s390", verb_s390, "IBM Z Secure Execution attestation (create-request, verify)", 0 },
	{ "pef", verb_pef, "check a POWER PEF ESM blob against the boot components", 0 },
	{ "tdx", verb_tdx, "verify an Intel TDX DCAP quote", 0 },
	{ NULL, NULL, NULL, 0 },
};

/* ---- the values of enumerated options, for completion (--list-options) ---- */

static const char *mode_value(size_t i)
{
	const char *n = cgs_sev_mode_name((enum cgs_sev_mode)i);

	return strcmp(n, "?") ? n : NULL;
}

static const char *vmm_value(size_t i)
{
	const char *n = cgs_sev_vmm_name((enum cgs_sev_vmm)i);

	return strcmp(n, "?") ? n : NULL;
}

static const char *product_value(size_t i)
{
	const struct snp_product *p = snp_products();

	for (size_t k = 0; k < i && p->name; k++)
		p++;
	return p->name;
}

static const struct cgs_values values[] = {
	{ "mode", mode_value },
	{ "vcpu-type", cgs_sev_vcpu_type_name },
	{ "vmm-type", vmm_value },
	{ "product", product_value },
	{ NULL, NULL },
};

static const struct cgs_tool tool = {
	"cgs-verify",
	"Verify confidential-computing attestation evidence against expected values.",
	verbs,
	NULL,
	values,
};

int main(int argc, char **argv)
{
	cgs_log_set_prog("cgs-verify");
	return cgs_cli_dispatch(&tool, argc, argv);
}
