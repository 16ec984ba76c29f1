// SPDX-License-Identifier: MIT
#include "formats/sev_attestation.h"

#include <string.h>

#include "formats/sev_cert.h"
#include "lib/core/endian.h"

enum cgs_err sev_attestation_parse(const uint8_t *data, size_t len, struct sev_attestation *ret,
				   struct cgs_diag *d)
{
	struct sev_attestation r;

	if (len < SEV_ATT_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, len < 0x40 ? "header" : "signature", len,
				    "truncated: %zu bytes, a SEV attestation report has %d", len,
				    SEV_ATT_SIZE);
	if (len > SEV_ATT_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, SEV_ATT_SIZE,
				    "%zu bytes of trailing data after the report",
				    len - SEV_ATT_SIZE);
	memcpy(r.mnonce, data, 16);
	memcpy(r.launch_digest, data + 0x10, 32);
	r.policy = cgs_le32(data + 0x30);
	r.sig_usage = cgs_le32(data + 0x34);
	r.sig_algo = cgs_le32(data + 0x38);
	memcpy(r.r, data + 0x40, SEV_ATT_COORD);
	memcpy(r.s, data + 0x40 + SEV_ATT_COORD, SEV_ATT_COORD);
	if (cgs_le32(data + 0x3c))
		return cgs_diag_set(d, CGS_E_MALFORMED, "reserved", 0x3c,
				    "reserved bytes are not zero");
	if (!sev_usage_name(r.sig_usage) || r.sig_usage == SEV_USAGE_NONE)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "sig_usage", 0x34,
				    "unknown signing key usage 0x%x", r.sig_usage);
	if (!sev_algo_name(r.sig_algo) || r.sig_algo == SEV_ALGO_NONE)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "sig_algo", 0x38,
				    "unknown signature algorithm 0x%x", r.sig_algo);
	*ret = r;
	return CGS_OK;
}

void sev_attestation_serialize(const struct sev_attestation *r, uint8_t *out)
{
	memset(out, 0, SEV_ATT_SIZE);
	memcpy(out, r->mnonce, 16);
	memcpy(out + 0x10, r->launch_digest, 32);
	cgs_put_le32(out + 0x30, r->policy);
	cgs_put_le32(out + 0x34, r->sig_usage);
	cgs_put_le32(out + 0x38, r->sig_algo);
	memcpy(out + 0x40, r->r, SEV_ATT_COORD);
	memcpy(out + 0x40 + SEV_ATT_COORD, r->s, SEV_ATT_COORD);
}
