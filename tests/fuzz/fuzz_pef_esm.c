// SPDX-License-Identifier: MIT
/* libFuzzer harness: the ESM blob parser, its re-serialiser and the digests tree. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "formats/pef_esm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pef_esm esm; /* static: no 11 KiB malloc per input */
	struct pef_esm *m = &esm;
	struct pef_esm_digests dg;
	struct cgs_buf b = CGS_BUF_INIT;
	struct cgs_diag d;
	uint8_t *copy = malloc(size ? size : 1);

	if (!copy)
		goto out;
	memcpy(copy, data, size); /* libfdt wants its own aligned-enough copy */
	(void)pef_esm_sniff(copy, size);
	if (pef_esm_parse(copy, size, m, &d) == CGS_OK)
		(void)pef_esm_serialize(m, &b, &d);
	(void)pef_esm_digests_parse(copy, size, &dg, &d);
out:
	cgs_buf_free(&b, 0);
	free(copy);
	return 0;
}
