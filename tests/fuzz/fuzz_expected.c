// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the --expected reader (lib/core/expected) with the SNP
 * and the SEV schemas; every document it accepts is read back through the
 * getters (snp_expected_from_doc, cgs_expected_hex/u64/str).
 */
#include <stdint.h>
#include <stdlib.h>

#include "lib/core/expected.h"
#include "lib/sev/sev_expected.h"
#include "lib/snp/snp_expected.h"
#include "lib/tdx/tdx_expected.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void one(const uint8_t *data, size_t size, const struct cgs_expected_schema *s, int which)
{
	struct cgs_expected_set set;
	struct cgs_diag d;
	uint8_t m[48];
	uint64_t v;

	if (cgs_expected_parse((const char *)data, size, s, &set, &d) != CGS_OK)
		return;
	if (set.n == 0)
		abort(); /* an accepted file holds at least one document */
	for (size_t i = 0; i < set.n; i++) {
		if (!set.docs[i].mode)
			abort();
		if (which == 1) {
			struct cgs_snp_expected e;

			snp_expected_from_doc(&set.docs[i], &e);
		} else if (which == 2) {
			if (!cgs_expected_hex(&set.docs[i], "mrtd", m, 48))
				abort(); /* required by the tdx mode */
		} else if (!cgs_expected_hex(&set.docs[i], "measurement", m, 32)) {
			abort(); /* required by every SEV mode */
		}
		(void)cgs_expected_u64(&set.docs[i], "guest_svn", &v);
		(void)cgs_expected_str(&set.docs[i], "mode");
	}
	cgs_expected_free(&set);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one(data, size, &snp_expected_schema, 1);
	one(data, size, &sev_expected_schema, 0);
	one(data, size, &tdx_expected_schema, 2);
	return 0;
}
