// SPDX-License-Identifier: MIT
/* libFuzzer harness: svm-tool's YAML configuration reader (lib/pef_config, libyaml). */
#include <stdint.h>
#include <stdlib.h>

#include "lib/pef/pef_config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pef_config c;
	struct cgs_diag d;

	if (pef_config_parse((const char *)data, size, &c, &d) == CGS_OK)
		pef_config_free(&c);
	return 0;
}
