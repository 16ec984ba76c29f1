// SPDX-License-Identifier: MIT
/* libFuzzer harness: SE header parse/serialise round trip and image lookup. */
#include <stdlib.h>
#include <string.h>

#include "formats/s390_pv_hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* static: no 16 KiB calloc per input (the parser clears what it fills) */
	static struct s390_pv_hdr h[2];
	static uint8_t out[S390_PV_HDR_MAX_SIZE];
	struct s390_pv_meta meta;
	uint64_t off;
	size_t len;

	if (s390_pv_hdr_parse(data, size, h, NULL) == CGS_OK) {
		if (s390_pv_hdr_serialize(h, out, sizeof(out), &len, NULL) != CGS_OK ||
		    len > size || s390_pv_hdr_parse(out, len, h + 1, NULL) != CGS_OK ||
		    memcmp(h, h + 1, sizeof(*h)) != 0)
			abort();
	}
	(void)s390_pv_hdr_find(data, size, &off, &len, NULL);
	(void)s390_pv_meta_parse(data, size, &meta, NULL);
	return 0;
}
