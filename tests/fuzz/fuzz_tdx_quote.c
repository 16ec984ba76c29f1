// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: formats/tdx_quote (every accepted part lies inside the
 * buffer and the sizes add up), then the PCK chain and SGX extension readers
 * of keys/intel_sgx on what the quote carries, and the JSON decoder.
 */
#include <stdlib.h>

#include <openssl/x509.h>

#include "formats/tdx_quote.h"
#include "keys/intel_sgx.h"
#include "lib/tdx/tdx_quote_json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tdx_quote q;
	struct cgs_diag d;
	struct intel_pck_ext e;
	struct json_object *j;
	STACK_OF(X509) *sk = NULL;

	if (tdx_quote_parse(data, size, &q, &d) != CGS_OK)
		return 0;
	if (q.signed_len > size || q.pck_chain_off + q.pck_chain_len + q.trailing != size ||
	    q.qe_report_off + TDX_QE_REPORT_SIZE > size || q.pck_chain != data + q.pck_chain_off ||
	    q.qe_auth + q.qe_auth_len > q.pck_chain)
		abort();
	if (!intel_pem_certs(q.pck_chain, q.pck_chain_len, &sk, &d)) {
		(void)intel_pck_ext_get(sk_X509_value(sk, 0), &e, &d);
		sk_X509_pop_free(sk, X509_free);
	}
	j = tdx_quote_json(&q);
	json_object_put(j);
	return 0;
}
