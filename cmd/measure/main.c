// SPDX-License-Identifier: MIT
/* cgs-measure: expected launch digests of AMD SEV, SEV-ES and SEV-SNP guests. */
#include "cmd/measure/verbs.h"
#include "lib/core/cli.h"
#include "lib/core/log.h"
#include "lib/sev/sev_measure.h"

#include <string.h>

static const struct cgs_verb verbs[] = {
	{ "digest", verb_digest, "compute a launch digest (the default verb)", 0 },
	{ "ovmf-info", verb_ovmf_info, "show what an OVMF firmware image contains", 0 },
	{ "id-block", verb_id_block, "create an SNP ID block and ID authentication info", 0 },
	{ NULL, NULL, NULL, 0 },
};

/* ---- the values of enumerated options, for completion (--list-options) ---- */

static const char *mode_value(size_t i)
{
	const char *n = cgs_sev_mode_name((enum cgs_sev_mode)i);

	if (strcmp(n, "?"))
		return n;
	return i == 0 || strcmp(cgs_sev_mode_name((enum cgs_sev_mode)(i - 1)), "?") ?
		       "tdx" : NULL;
}

static const char *vmm_value(size_t i)
{
	const char *n = cgs_sev_vmm_name((enum cgs_sev_vmm)i);

	return strcmp(n, "?") ? n : NULL;
}

static const struct cgs_values values[] = {
	{ "mode", mode_value },
	{ "vcpu-type", cgs_sev_vcpu_type_name },
	{ "vmm-type", vmm_value },
	{ NULL, NULL },
};

static const struct cgs_tool tool = {
	"cgs-measure",
	"Compute the launch digest of an AMD SEV, SEV-ES or SEV-SNP guest.",
	verbs,
	"digest",
	values,
};

int main(int argc, char **argv)
{
	cgs_log_set_prog("cgs-measure");
	return cgs_cli_dispatch(&tool, argc, argv);
}
