// SPDX-License-Identifier: MIT
/*
 * libFuzzer harness: the legacy SEV certificate chain as cgs-verify sev-chain
 * loads it. The input is ARK || ASK || CEK || OCA || PEK || PDH [|| attestation]
 * (the CA certificates sized by their header, the platform ones 0x824 bytes);
 * every certificate that parses has its public key converted (keys/sev_chain),
 * and a chain that parses whole is verified with its own ARK as --trusted-ark,
 * stopping at the first failed check (a mutated chain fails early, so the run
 * stays fast; the signature checks themselves are tested by tests/cli/sev.bats).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "formats/sev_attestation.h"
#include "formats/sev_cert.h"
#include "keys/sev_chain.h"
#include "lib/core/endian.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* the length the CA certificate at p claims (header fields), clamped to left */
static size_t ca_len(const uint8_t *p, size_t left)
{
	uint64_t need;

	if (left < SEV_CA_HEADER_SIZE)
		return left;
	need = SEV_CA_HEADER_SIZE + (uint64_t)cgs_le32(p + 0x38) / 8 +
	       2 * ((uint64_t)cgs_le32(p + 0x3c) / 8);
	return need < left ? (size_t)need : left;
}

static int take_ca(const uint8_t **p, size_t *left, struct sev_ca_input *in)
{
	struct cgs_diag d;
	EVP_PKEY *k = NULL;
	size_t n = ca_len(*p, *left);
	int ok = sev_ca_cert_parse(*p, n, &in->cert, &d) == CGS_OK;

	in->raw = *p;
	in->len = n;
	if (ok && sev_ca_cert_pkey(&in->cert, &k, &d) == CGS_OK && !k)
		abort();
	EVP_PKEY_free(k);
	*p += n;
	*left -= n;
	return ok;
}

static int take_platform(const uint8_t **p, size_t *left, struct sev_platform_input *in)
{
	struct cgs_diag d;
	EVP_PKEY *k = NULL;
	size_t n = *left < SEV_CERT_SIZE ? *left : SEV_CERT_SIZE;
	int ok = sev_cert_parse(*p, n, &in->cert, &d) == CGS_OK;

	in->raw = *p;
	in->len = n;
	if (ok && sev_cert_pkey(&in->cert, &k, &d) == CGS_OK && !k)
		abort();
	EVP_PKEY_free(k);
	*p += n;
	*left -= n;
	return ok;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sev_chain c;
	static struct sev_chain_result r;
	struct cgs_diag d;
	const uint8_t *p = data;
	size_t left = size;
	int ok;

	memset(&c, 0, sizeof(c));
	ok = take_ca(&p, &left, &c.ark) & take_ca(&p, &left, &c.ask);
	ok &= take_platform(&p, &left, &c.cek) & take_platform(&p, &left, &c.oca);
	ok &= take_platform(&p, &left, &c.pek) & take_platform(&p, &left, &c.pdh);
	if (left && sev_attestation_parse(p, left, &c.att, &d) == CGS_OK)
		c.att_raw = p;
	if (ok) {
		c.trusted_ark = c.ark.raw;
		c.trusted_ark_len = c.ark.len;
		c.fail_fast = 1;
		(void)sev_chain_verify(&c, &r, &d);
	}
	ERR_clear_error();
	return 0;
}
