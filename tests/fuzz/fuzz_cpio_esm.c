// SPDX-License-Identifier: MIT
/* libFuzzer harness: the Ultravisor-rules scan of an ESM cpio archive (lib/cpio). */
#include <stdint.h>
#include <stdlib.h>

#include "lib/pef/cpio.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpio_esm_scan s;
	struct cgs_diag d;

	if (cpio_esm_scan(data, size, &s, &d) == CGS_OK &&
	    (s.blob_off + s.blob_len > size || s.initrd_off < s.blob_off))
		abort(); /* a found blob lies inside the input, before the initrd */
	return 0;
}
