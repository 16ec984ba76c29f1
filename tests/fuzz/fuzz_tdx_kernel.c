// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: a kernel as the TDX kernel event reads it: QEMU's setup
 * header edits, then the PE/COFF Authenticode layout (every range must lie in
 * the file) and the digest over it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/bzimage.h"
#include "formats/pe_coff.h"
#include "lib/tdx/tdx_kernel.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pe_authenticode a;
	static struct tdx_kernel_result r;
	struct bzimage_load load = { size % 300, size & 1, size / 3 + 1, 0x80000000 };

	if (pe_authenticode_layout(data, size, size, &a, NULL) == CGS_OK) {
		uint64_t sum = 0;

		for (size_t i = 0; i < a.n; i++) {
			if (a.r[i].offset + a.r[i].length > size)
				__builtin_trap();
			sum += a.r[i].length;
		}
		if (sum != a.hashed)
			__builtin_trap();
	}
	if (size <= (4u << 20))
		tdx_kernel_digest_mem(data, size, &load, &r, NULL);
	return 0;
}
