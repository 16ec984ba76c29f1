// SPDX-License-Identifier: MIT
#include "lib/sev/sev_expected.h"

static const struct cgs_expected_field sev_fields[] = {
	{ "measurement", CGS_XT_HEX, 1, 32, 0, NULL, "a SHA-256 digest (64 hex digits)" },
	{ "inputs", CGS_XT_OBJECT, 0, 0, 0, NULL, NULL },
	{ "intermediate", CGS_XT_OBJECT, 0, 0, 0, NULL, NULL },
};

static const struct cgs_expected_field digest_fields[] = {
	{ "digest_alg", CGS_XT_STRING, 1, 0, 0, "sha256", NULL },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const struct cgs_expected_mode sev_modes[] = {
	{ "sev", digest_fields, N(digest_fields) },
	{ "seves", digest_fields, N(digest_fields) },
};

const struct cgs_expected_schema sev_expected_schema = {
	"cgs-measure", "a SEV or SEV-ES launch digest", sev_modes, N(sev_modes),
	sev_fields, N(sev_fields),
};
