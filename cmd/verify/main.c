// SPDX-License-Identifier: MIT
/* cgs-verify: verify attestation evidence against expected values. */
#include "cmd/verify/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/log.h"

static const struct cgs_verb verbs[] = {
	{ "snp", verb_snp, "verify an SEV-SNP attestation report", 0 },
	{ "sev", verb_sev, "verify a legacy SEV/SEV-ES launch measurement", 0 },
	{ "sev-chain", verb_sev_chain, "verify a legacy SEV platform certificate chain", 0 },
	{ "s390", verb_s390, "IBM Z Secure Execution attestation (create-request, verify)", 0 },
	{ "pef", verb_pef, "check a POWER PEF ESM blob against the boot components", 0 },
	{ "tdx", verb_tdx, "verify an Intel TDX DCAP quote", 0 },
	{ NULL, NULL, NULL, 0 },
};

static const struct cgs_tool tool = {
	"cgs-verify",
	"Verify confidential-computing attestation evidence against expected values.",
	verbs,
	NULL,
};

int main(int argc, char **argv)
{
	cgs_log_set_prog("cgs-verify");
	return cgs_cli_dispatch(&tool, argc, argv);
}
