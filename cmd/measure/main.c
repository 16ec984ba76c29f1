// SPDX-License-Identifier: MIT
/* cgs-measure: expected launch digests of AMD SEV, SEV-ES and SEV-SNP guests. */
#include "cmd/measure/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/log.h"

static const struct cgs_verb verbs[] = {
	{ "digest", verb_digest, "compute a launch digest (the default verb)", 0 },
	{ "ovmf-info", verb_ovmf_info, "show what an OVMF firmware image contains", 0 },
	{ "id-block", verb_id_block, "create an SNP ID block and ID authentication info", 0 },
	{ NULL, NULL, NULL, 0 },
};

static const struct cgs_tool tool = {
	"cgs-measure",
	"Compute the launch digest of an AMD SEV, SEV-ES or SEV-SNP guest.",
	verbs,
	"digest",
};

int main(int argc, char **argv)
{
	cgs_log_set_prog("cgs-measure");
	return cgs_cli_dispatch(&tool, argc, argv);
}
