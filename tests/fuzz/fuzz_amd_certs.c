// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the AMD certificate loader (keys/amd_chain) over a whole
 * input (PEM bundle, DER certificate, PkiPath or CRL) and over the blobs of an
 * SNP certificate table, as cgs-verify snp loads --certs and the extended
 * report's table; and the AMD extensions of every certificate loaded.
 */
#include <stdint.h>
#include <stdlib.h>

#include "formats/snp_certtable.h"
#include "keys/amd_chain.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct snp_certtable t;
	struct amd_certs c;
	struct cgs_diag d;

	amd_certs_init(&c);
	(void)amd_certs_load_mem(&c, data, size, size & 1 ? AMD_ROLE_VCEK : AMD_ROLE_UNKNOWN, &d);
	for (size_t i = 0; i < c.n; i++) { /* the AMD extensions, read with OpenSSL's ASN.1 API */
		static struct amd_vek_info v;

		(void)amd_vek_info_get(c.certs[i].x, &v, &d);
	}
	amd_certs_free(&c);
	if (snp_certtable_parse(data, size, &t, &d) == CGS_OK) {
		amd_certs_init(&c);
		(void)amd_certs_load_table(&c, data, size, &t, &d);
		for (size_t i = 0; i < c.n; i++)
			if (!c.certs[i].x)
				abort();
		amd_certs_free(&c);
	}
	return 0;
}
