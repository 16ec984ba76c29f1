// SPDX-License-Identifier: MIT
/* libFuzzer harness: the OVMF footer table and what sev_ovmf_inspect derives from it. */
#include <stddef.h>
#include <stdint.h>

#include "formats/ovmf_footer.h"
#include "lib/sev/sev_measure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ovmf_footer f;
	static struct sev_ovmf_info info;
	uint32_t v;

	if (ovmf_footer_parse(data, size, &f, NULL) == CGS_OK) {
		for (size_t i = 0; i < f.count; i++)
			if (f.e[i].offset + f.e[i].len > size)
				__builtin_trap();
		ovmf_footer_u32(&f, data, ovmf_guid_sev_hash_table, 1, "h", &v, NULL);
	}
	sev_ovmf_inspect(data, size, &info, NULL);
	return 0;
}
