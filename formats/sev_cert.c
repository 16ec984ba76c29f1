// SPDX-License-Identifier: MIT
#include "formats/sev_cert.h"

#include <stdio.h>
#include <string.h>

#include "lib/core/endian.h"

/* platform certificate offsets */
#define OFF_VERSION 0x000
#define OFF_API 0x004
#define OFF_RESERVED 0x006
#define OFF_USAGE 0x008
#define OFF_ALGO 0x00c
#define OFF_PUBKEY 0x010
#define OFF_SIG1 0x414
#define SIG_SLOT (8 + SEV_CERT_SIG_SIZE)
#define EC_RESERVED_OFF (4 + 2 * SEV_CERT_EC_COORD)

const char *sev_usage_name(uint32_t usage)
{
	switch (usage) {
	case SEV_USAGE_ARK:
		return "ARK";
	case SEV_USAGE_ASK:
		return "ASK";
	case SEV_USAGE_NONE:
		return "none";
	case SEV_USAGE_OCA:
		return "OCA";
	case SEV_USAGE_PEK:
		return "PEK";
	case SEV_USAGE_PDH:
		return "PDH";
	case SEV_USAGE_CEK:
		return "CEK";
	default:
		return NULL;
	}
}

const char *sev_algo_name(uint32_t algo)
{
	switch (algo) {
	case SEV_ALGO_NONE:
		return "none";
	case SEV_ALGO_RSA_SHA256:
		return "RSA-SHA256";
	case SEV_ALGO_ECDSA_SHA256:
		return "ECDSA-SHA256";
	case SEV_ALGO_ECDH_SHA256:
		return "ECDH-SHA256";
	case SEV_ALGO_RSA_SHA384:
		return "RSA-SHA384";
	case SEV_ALGO_ECDSA_SHA384:
		return "ECDSA-SHA384";
	case SEV_ALGO_ECDH_SHA384:
		return "ECDH-SHA384";
	default:
		return NULL;
	}
}

const char *sev_curve_name(uint32_t curve)
{
	switch (curve) {
	case SEV_CURVE_P256:
		return "P-256";
	case SEV_CURVE_P384:
		return "P-384";
	default:
		return NULL;
	}
}

size_t sev_curve_bytes(uint32_t curve)
{
	return curve == SEV_CURVE_P256 ? 32 : curve == SEV_CURVE_P384 ? 48 : 0;
}

int sev_algo_is_rsa(uint32_t algo)
{
	return algo == SEV_ALGO_RSA_SHA256 || algo == SEV_ALGO_RSA_SHA384;
}

int sev_algo_is_ec(uint32_t algo)
{
	return algo == SEV_ALGO_ECDSA_SHA256 || algo == SEV_ALGO_ECDH_SHA256 ||
	       algo == SEV_ALGO_ECDSA_SHA384 || algo == SEV_ALGO_ECDH_SHA384;
}

static int all_zero(const uint8_t *p, size_t n)
{
	uint8_t acc = 0;

	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc == 0;
}

/* Offset of the first non-zero byte of p[from..n), or n. */
static size_t first_nonzero(const uint8_t *p, size_t from, size_t n)
{
	while (from < n && !p[from])
		from++;
	return from;
}

static enum cgs_err check_rsa_size(uint32_t bits, const char *field, uint64_t off,
				   struct cgs_diag *d)
{
	if (bits != 2048 && bits != 4096)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, field, off,
				    "unsupported RSA modulus size %u bits (expected 2048 or 4096)",
				    bits);
	return CGS_OK;
}

static enum cgs_err validate_pubkey(const struct sev_cert *c, struct cgs_diag *d)
{
	size_t n, z;

	if (sev_algo_is_ec(c->algo)) {
		n = sev_curve_bytes(c->curve);
		if (!n)
			return cgs_diag_set(d, CGS_E_UNSUPPORTED, "curve", OFF_PUBKEY,
					    "unknown elliptic curve id %u", c->curve);
		z = first_nonzero(c->qx, n, SEV_CERT_EC_COORD);
		if (z < SEV_CERT_EC_COORD)
			return cgs_diag_set(d, CGS_E_MALFORMED, "qx", OFF_PUBKEY + 4 + z,
					    "non-zero byte beyond the %zu-byte coordinate", n);
		z = first_nonzero(c->qy, n, SEV_CERT_EC_COORD);
		if (z < SEV_CERT_EC_COORD)
			return cgs_diag_set(d, CGS_E_MALFORMED, "qy",
					    OFF_PUBKEY + 4 + SEV_CERT_EC_COORD + z,
					    "non-zero byte beyond the %zu-byte coordinate", n);
		return CGS_OK;
	}
	if (check_rsa_size(c->modulus_bits, "modulus_size", OFF_PUBKEY, d))
		return CGS_E_UNSUPPORTED;
	n = c->modulus_bits / 8;
	z = first_nonzero(c->pubexp, n, SEV_CERT_RSA_MAX);
	if (z < SEV_CERT_RSA_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "pubexp", OFF_PUBKEY + 4 + z,
				    "non-zero byte beyond the modulus size");
	z = first_nonzero(c->modulus, n, SEV_CERT_RSA_MAX);
	if (z < SEV_CERT_RSA_MAX)
		return cgs_diag_set(d, CGS_E_MALFORMED, "modulus",
				    OFF_PUBKEY + 4 + SEV_CERT_RSA_MAX + z,
				    "non-zero byte beyond the modulus size");
	return CGS_OK;
}

static enum cgs_err validate_sig(const struct sev_cert_sig *s, int slot, struct cgs_diag *d)
{
	uint64_t off = OFF_SIG1 + (uint64_t)slot * SIG_SLOT;
	char field[32];
	size_t z;

	snprintf(field, sizeof(field), "signature%d", slot + 1);
	if (s->usage == SEV_USAGE_NONE || (s->usage == 0 && s->algo == 0)) {
		/* an empty slot: usage "none" (or all zero), no algorithm, no bytes */
		if (s->algo != SEV_ALGO_NONE)
			return cgs_diag_set(d, CGS_E_MALFORMED, field, off + 4,
					    "empty slot with algorithm 0x%x", s->algo);
		z = first_nonzero(s->sig, 0, SEV_CERT_SIG_SIZE);
		if (z < SEV_CERT_SIG_SIZE)
			return cgs_diag_set(d, CGS_E_MALFORMED, field, off + 8 + z,
					    "empty slot with non-zero signature bytes");
		return CGS_OK;
	}
	if (!sev_usage_name(s->usage))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, field, off,
				    "unknown signing key usage 0x%x", s->usage);
	if (!sev_algo_name(s->algo) || s->algo == SEV_ALGO_NONE ||
	    s->algo == SEV_ALGO_ECDH_SHA256 || s->algo == SEV_ALGO_ECDH_SHA384)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, field, off + 4,
				    "unknown signature algorithm 0x%x", s->algo);
	if (sev_algo_is_ec(s->algo)) {
		z = first_nonzero(s->sig, 2 * SEV_CERT_EC_COORD, SEV_CERT_SIG_SIZE);
		if (z < SEV_CERT_SIG_SIZE)
			return cgs_diag_set(d, CGS_E_MALFORMED, field, off + 8 + z,
					    "non-zero byte after the ECDSA r and s");
	}
	return CGS_OK;
}

enum cgs_err sev_cert_validate(const struct sev_cert *c, struct cgs_diag *d)
{
	enum cgs_err err;

	if (c->version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", OFF_VERSION,
				    "unsupported certificate version %u (expected 1)", c->version);
	if (c->usage != SEV_USAGE_OCA && c->usage != SEV_USAGE_PEK && c->usage != SEV_USAGE_PDH &&
	    c->usage != SEV_USAGE_CEK)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "pubkey_usage", OFF_USAGE,
				    "unknown platform key usage 0x%x", c->usage);
	if (!sev_algo_name(c->algo) || c->algo == SEV_ALGO_NONE)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "pubkey_algo", OFF_ALGO,
				    "unknown public key algorithm 0x%x", c->algo);
	err = validate_pubkey(c, d);
	for (int i = 0; i < 2 && !err; i++)
		err = validate_sig(&c->sigs[i], i, d);
	return err;
}

static void decode_sig(const uint8_t *p, struct sev_cert_sig *s)
{
	s->usage = cgs_le32(p);
	s->algo = cgs_le32(p + 4);
	memcpy(s->sig, p + 8, SEV_CERT_SIG_SIZE);
}

enum cgs_err sev_cert_parse(const uint8_t *data, size_t len, struct sev_cert *ret,
			    struct cgs_diag *d)
{
	struct sev_cert c;
	const uint8_t *pk = data + OFF_PUBKEY;
	enum cgs_err err;

	if (len < SEV_CERT_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, len < OFF_SIG1 ? "pubkey" : "signature",
				    len, "truncated: %zu bytes, a SEV certificate has %d", len,
				    SEV_CERT_SIZE);
	if (len > SEV_CERT_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, SEV_CERT_SIZE,
				    "%zu bytes of trailing data after the certificate",
				    len - SEV_CERT_SIZE);
	memset(&c, 0, sizeof(c));
	c.version = cgs_le32(data + OFF_VERSION);
	c.api_major = data[OFF_API];
	c.api_minor = data[OFF_API + 1];
	c.usage = cgs_le32(data + OFF_USAGE);
	c.algo = cgs_le32(data + OFF_ALGO);
	if (cgs_le16(data + OFF_RESERVED))
		return cgs_diag_set(d, CGS_E_MALFORMED, "reserved", OFF_RESERVED,
				    "reserved bytes are not zero");
	if (sev_algo_is_rsa(c.algo)) {
		c.modulus_bits = cgs_le32(pk);
		memcpy(c.pubexp, pk + 4, SEV_CERT_RSA_MAX);
		memcpy(c.modulus, pk + 4 + SEV_CERT_RSA_MAX, SEV_CERT_RSA_MAX);
	} else {
		size_t z;

		c.curve = cgs_le32(pk);
		memcpy(c.qx, pk + 4, SEV_CERT_EC_COORD);
		memcpy(c.qy, pk + 4 + SEV_CERT_EC_COORD, SEV_CERT_EC_COORD);
		z = first_nonzero(pk, EC_RESERVED_OFF, SEV_CERT_PUBKEY_SIZE);
		if (z < SEV_CERT_PUBKEY_SIZE)
			return cgs_diag_set(d, CGS_E_MALFORMED, "pubkey", OFF_PUBKEY + z,
					    "reserved bytes of the EC public key are not zero");
	}
	decode_sig(data + OFF_SIG1, &c.sigs[0]);
	decode_sig(data + OFF_SIG1 + SIG_SLOT, &c.sigs[1]);
	err = sev_cert_validate(&c, d);
	if (err)
		return err;
	*ret = c;
	return CGS_OK;
}

void sev_cert_serialize(const struct sev_cert *c, uint8_t *out)
{
	uint8_t *pk = out + OFF_PUBKEY;

	memset(out, 0, SEV_CERT_SIZE);
	cgs_put_le32(out + OFF_VERSION, c->version);
	out[OFF_API] = c->api_major;
	out[OFF_API + 1] = c->api_minor;
	cgs_put_le32(out + OFF_USAGE, c->usage);
	cgs_put_le32(out + OFF_ALGO, c->algo);
	if (sev_algo_is_rsa(c->algo)) {
		cgs_put_le32(pk, c->modulus_bits);
		memcpy(pk + 4, c->pubexp, SEV_CERT_RSA_MAX);
		memcpy(pk + 4 + SEV_CERT_RSA_MAX, c->modulus, SEV_CERT_RSA_MAX);
	} else {
		cgs_put_le32(pk, c->curve);
		memcpy(pk + 4, c->qx, SEV_CERT_EC_COORD);
		memcpy(pk + 4 + SEV_CERT_EC_COORD, c->qy, SEV_CERT_EC_COORD);
	}
	for (int i = 0; i < 2; i++) {
		uint8_t *s = out + OFF_SIG1 + i * SIG_SLOT;

		cgs_put_le32(s, c->sigs[i].usage);
		cgs_put_le32(s + 4, c->sigs[i].algo);
		memcpy(s + 8, c->sigs[i].sig, SEV_CERT_SIG_SIZE);
	}
}

enum cgs_err sev_ca_cert_parse(const uint8_t *data, size_t len, struct sev_ca_cert *ret,
			       struct cgs_diag *d)
{
	struct sev_ca_cert c;
	size_t elen, mlen, need;

	if (len < SEV_CA_HEADER_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "header", len,
				    "truncated: %zu bytes, the CA certificate header has %d", len,
				    SEV_CA_HEADER_SIZE);
	memset(&c, 0, sizeof(c));
	c.version = cgs_le32(data);
	memcpy(c.key_id, data + 0x04, 16);
	memcpy(c.certifying_id, data + 0x14, 16);
	c.usage = cgs_le32(data + 0x24);
	c.pubexp_bits = cgs_le32(data + 0x38);
	c.modulus_bits = cgs_le32(data + 0x3c);
	if (c.version != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 0,
				    "unsupported CA certificate version %u (expected 1)", c.version);
	if (c.usage != SEV_USAGE_ARK && c.usage != SEV_USAGE_ASK)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "key_usage", 0x24,
				    "unknown CA key usage 0x%x (expected 0x0 ARK or 0x13 ASK)",
				    c.usage);
	if (!all_zero(data + 0x28, 16))
		return cgs_diag_set(d, CGS_E_MALFORMED, "reserved", 0x28,
				    "reserved bytes are not zero");
	if (check_rsa_size(c.modulus_bits, "modulus_size", 0x3c, d))
		return CGS_E_UNSUPPORTED;
	if (!c.pubexp_bits || c.pubexp_bits % 8 || c.pubexp_bits > c.modulus_bits)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "pubexp_size", 0x38,
				    "unsupported public exponent size %u bits", c.pubexp_bits);
	elen = c.pubexp_bits / 8;
	mlen = c.modulus_bits / 8;
	need = SEV_CA_HEADER_SIZE + elen + 2 * mlen;
	if (len < need)
		return cgs_diag_set(d, CGS_E_MALFORMED,
				    len < SEV_CA_HEADER_SIZE + elen	       ? "pubexp" :
				    len < SEV_CA_HEADER_SIZE + elen + mlen ? "modulus" :
									     "signature",
				    len, "truncated: %zu bytes, expected %zu", len, need);
	if (len > need)
		return cgs_diag_set(d, CGS_E_MALFORMED, NULL, need,
				    "%zu bytes of trailing data after the certificate", len - need);
	c.pubexp = data + SEV_CA_HEADER_SIZE;
	c.modulus = c.pubexp + elen;
	c.signature = c.modulus + mlen;
	c.signed_len = SEV_CA_HEADER_SIZE + elen + mlen;
	c.size = need;
	*ret = c;
	return CGS_OK;
}

size_t sev_ca_cert_size(const struct sev_ca_cert *c)
{
	return SEV_CA_HEADER_SIZE + c->pubexp_bits / 8 + 2 * (size_t)(c->modulus_bits / 8);
}

void sev_ca_cert_serialize(const struct sev_ca_cert *c, uint8_t *out)
{
	size_t elen = c->pubexp_bits / 8, mlen = c->modulus_bits / 8;

	memset(out, 0, SEV_CA_HEADER_SIZE);
	cgs_put_le32(out, c->version);
	memcpy(out + 0x04, c->key_id, 16);
	memcpy(out + 0x14, c->certifying_id, 16);
	cgs_put_le32(out + 0x24, c->usage);
	cgs_put_le32(out + 0x38, c->pubexp_bits);
	cgs_put_le32(out + 0x3c, c->modulus_bits);
	memcpy(out + SEV_CA_HEADER_SIZE, c->pubexp, elen);
	memcpy(out + SEV_CA_HEADER_SIZE + elen, c->modulus, mlen);
	memcpy(out + SEV_CA_HEADER_SIZE + elen + mlen, c->signature, mlen);
}
