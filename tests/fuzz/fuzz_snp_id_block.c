// SPDX-License-Identifier: MIT
/* libFuzzer harness: ID block (96 bytes) or ID auth (4096 bytes), by input size. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/snp_id_block.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snp_id_block b;
	struct snp_id_auth_view v;
	uint8_t out[SNP_ID_BLOCK_LEN];

	if (snp_id_block_parse(data, size, &b, NULL) == CGS_OK) {
		snp_id_block_serialize(&b, out);
		if (memcmp(out, data, sizeof(out)) != 0)
			__builtin_trap();
	}
	if (snp_id_auth_parse(data, size, &v, NULL) == CGS_OK && v.id_key != data + 0x240)
		__builtin_trap();
	return 0;
}
