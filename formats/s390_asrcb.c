// SPDX-License-Identifier: MIT
#include "formats/s390_asrcb.h"

#include <string.h>

#include "lib/core/endian.h"

static const struct {
	uint16_t type;
	const char *name;
} secret_names[] = {
	{ S390_SECRET_NULL, "meta" },
	{ S390_SECRET_ASSOCIATION, "association" },
	{ S390_SECRET_PLAINTEXT, "PLAINTEXT" },
	{ S390_SECRET_AES128, "AES-128-KEY" },
	{ S390_SECRET_AES192, "AES-192-KEY" },
	{ S390_SECRET_AES256, "AES-256-KEY" },
	{ S390_SECRET_AES128_XTS, "AES-XTS-128-KEY" },
	{ S390_SECRET_AES256_XTS, "AES-XTS-256-KEY" },
	{ S390_SECRET_HMAC_SHA256, "HMAC-SHA-256-KEY" },
	{ S390_SECRET_HMAC_SHA512, "HMAC-SHA-512-KEY" },
	{ S390_SECRET_EC_P256, "EC-SECP256R1-PRIVATE-KEY" },
	{ S390_SECRET_EC_P384, "EC-SECP384R1-PRIVATE-KEY" },
	{ S390_SECRET_EC_P521, "EC-SECP521R1-PRIVATE-KEY" },
	{ S390_SECRET_EC_ED25519, "EC-ED25519-PRIVATE-KEY" },
	{ S390_SECRET_EC_ED448, "EC-ED448-PRIVATE-KEY" },
	{ S390_SECRET_UPDATE_CCK, "update-cck" },
};

const char *s390_secret_type_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof(secret_names) / sizeof(secret_names[0]); i++)
		if (secret_names[i].type == type)
			return secret_names[i].name;
	return NULL;
}

size_t s390_asrcb_secret_hdr_size(uint16_t type)
{
	if (!s390_secret_type_name(type))
		return 0;
	return type == S390_SECRET_NULL ? 16 : 16 + S390_ASRCB_SECRET_ID_SIZE;
}

int s390_asrcb_secret_len_ok(uint16_t type, uint32_t len)
{
	switch (type) {
	case S390_SECRET_NULL:
		return len == 0;
	case S390_SECRET_ASSOCIATION:
	case S390_SECRET_UPDATE_CCK:
		return len == 32;
	case S390_SECRET_PLAINTEXT:
		return len >= 16 && len % 16 == 0 && len <= ((2 + S390_ASRCB_PLAIN_MAX + 15) & ~15u);
	case S390_SECRET_AES128:
		return len == 16;
	case S390_SECRET_AES192:
		return len == 24;
	case S390_SECRET_AES256:
	case S390_SECRET_AES128_XTS:
	case S390_SECRET_EC_P256:
	case S390_SECRET_EC_ED25519:
		return len == 32;
	case S390_SECRET_AES256_XTS:
	case S390_SECRET_HMAC_SHA256:
	case S390_SECRET_EC_ED448:
		return len == 64;
	case S390_SECRET_HMAC_SHA512:
		return len == 128;
	case S390_SECRET_EC_P384:
		return len == 48;
	case S390_SECRET_EC_P521:
		return len == 80;
	default:
		return 0;
	}
}

size_t s390_asrcb_aad_len(size_t nks, uint16_t secret_type)
{
	return S390_ASRCB_FIXED + nks * S390_UVREQ_KEYSLOT_SIZE +
	       s390_asrcb_secret_hdr_size(secret_type);
}

size_t s390_asrcb_len(size_t nks, uint16_t secret_type, uint32_t secret_len)
{
	return s390_asrcb_aad_len(nks, secret_type) + secret_len + S390_ASRCB_EXT_SECRET_SIZE +
	       S390_UVREQ_TAG_SIZE;
}

static void parse_fixed(const uint8_t *buf, struct s390_asrcb *a)
{
	a->user_type = cgs_be16(buf + 6);
	a->flags = cgs_be64(buf + 48);
	memcpy(a->tags, buf + 56, S390_ASRCB_TAGS_SIZE);
	memcpy(a->cuid, buf + 264, S390_ASRCB_CUID_SIZE);
	memcpy(a->user_data, buf + S390_ASRCB_USER_DATA_OFF, S390_ASRCB_USER_DATA_SIZE);
	memcpy(a->cust_pub, buf + 1048, S390_UVREQ_COORD_SIZE);
	a->slots = buf + S390_ASRCB_FIXED;
}

static enum cgs_err parse_secret_hdr(const uint8_t *buf, size_t len, struct s390_asrcb *a,
				     struct cgs_diag *d)
{
	size_t at = S390_ASRCB_FIXED + (size_t)a->hdr.nks * S390_UVREQ_KEYSLOT_SIZE;
	size_t shl, aad = s390_uvreq_aad_len(&a->hdr);
	static const uint8_t zero8[8];

	if (aad < at + 16 || len < at + 16)
		return cgs_diag_set(d, CGS_E_MALFORMED, "secret header", at,
				    "truncated: no room for the secret header after %u key slots",
				    a->hdr.nks);
	a->secret_type = cgs_be16(buf + at + 2);
	a->secret_len = cgs_be32(buf + at + 4);
	shl = s390_asrcb_secret_hdr_size(a->secret_type);
	if (!shl)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "secret type", at + 2,
				    "unknown secret type 0x%x", a->secret_type);
	if (cgs_be16(buf + at) || memcmp(buf + at + 8, zero8, 8))
		return cgs_diag_set(d, CGS_E_MALFORMED, "secret header", at,
				    "reserved bytes are not zero");
	if (aad != at + shl)
		return cgs_diag_set(d, CGS_E_MALFORMED, "encrypted size", 44,
				    "the authenticated part ends at 0x%zx, the secret header at 0x%zx",
				    aad, at + shl);
	memset(a->secret_id, 0, sizeof(a->secret_id));
	if (shl > 16)
		memcpy(a->secret_id, buf + at + 16, S390_ASRCB_SECRET_ID_SIZE);
	if (!s390_asrcb_secret_len_ok(a->secret_type, a->secret_len))
		return cgs_diag_set(d, CGS_E_MALFORMED, "secret length", at + 4,
				    "secret length %u is not valid for a %s secret", a->secret_len,
				    s390_secret_type_name(a->secret_type));
	if ((uint64_t)a->secret_len + S390_ASRCB_EXT_SECRET_SIZE != a->hdr.sea)
		return cgs_diag_set(d, CGS_E_MALFORMED, "encrypted size", 44,
				    "encrypted area of %u bytes, the secret needs %u + 32", a->hdr.sea,
				    a->secret_len);
	return CGS_OK;
}

enum cgs_err s390_asrcb_parse(const uint8_t *buf, size_t len, struct s390_asrcb *ret,
			      struct cgs_diag *d)
{
	struct s390_asrcb a;
	enum cgs_err e;

	if (len >= 6 && memcmp(buf, S390_ASRCB_MAGIC, 6))
		return cgs_diag_set(d, CGS_E_MALFORMED, "magic", 0,
				    "not an add-secret request (magic is not 'asrcbM')");
	e = s390_uvreq_hdr_parse(buf, len, &a.hdr, d);
	if (e)
		return e;
	if (cgs_be16(buf + 6) > S390_ASRCB_UD_RSA3072)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "user-data type", 6,
				    "unknown user-data type %u", cgs_be16(buf + 6));
	if (a.hdr.version != S390_UVREQ_VERSION_1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 8,
				    "unsupported add-secret request version 0x%x (expected 0x100)",
				    a.hdr.version);
	if (a.hdr.len != len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "request length", 12,
				    "the request declares %u bytes but occupies %zu", a.hdr.len, len);
	if (len < S390_ASRCB_FIXED)
		return cgs_diag_set(d, CGS_E_MALFORMED, "customer public key", len,
				    "truncated: %zu bytes, an add-secret request has at least %u",
				    len, S390_ASRCB_FIXED);
	parse_fixed(buf, &a);
	e = parse_secret_hdr(buf, len, &a, d);
	if (e)
		return e;
	*ret = a;
	return CGS_OK;
}

enum cgs_err s390_asrcb_serialize_aad(const struct s390_asrcb *a, uint8_t *out, size_t cap,
				      size_t *ret_len, struct cgs_diag *d)
{
	struct s390_uvreq_hdr h = a->hdr;
	size_t at = S390_ASRCB_FIXED + (size_t)h.nks * S390_UVREQ_KEYSLOT_SIZE;
	size_t aad = s390_asrcb_aad_len(h.nks, a->secret_type);

	if (h.nks == 0)
		return cgs_diag_set(d, CGS_E_USAGE, "key slots", CGS_DIAG_NO_OFFSET,
				    "an add-secret request needs at least one host key");
	if (!s390_asrcb_secret_len_ok(a->secret_type, a->secret_len))
		return cgs_diag_set(d, CGS_E_USAGE, "secret length", CGS_DIAG_NO_OFFSET,
				    "secret length %u is not valid for secret type 0x%x",
				    a->secret_len, a->secret_type);
	if (cap < aad)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "ASRCB buffer too small");
	memcpy(h.magic, S390_ASRCB_MAGIC, 6);
	cgs_put_be16(h.magic + 6, a->user_type);
	h.sea = a->secret_len + S390_ASRCB_EXT_SECRET_SIZE;
	h.len = (uint32_t)s390_asrcb_len(h.nks, a->secret_type, a->secret_len);
	memset(out, 0, aad);
	s390_uvreq_hdr_serialize(&h, out);
	cgs_put_be64(out + 48, a->flags);
	memcpy(out + 56, a->tags, S390_ASRCB_TAGS_SIZE);
	memcpy(out + 264, a->cuid, S390_ASRCB_CUID_SIZE);
	memcpy(out + S390_ASRCB_USER_DATA_OFF, a->user_data, S390_ASRCB_USER_DATA_SIZE);
	memcpy(out + 1048, a->cust_pub, S390_UVREQ_COORD_SIZE);
	memcpy(out + S390_ASRCB_FIXED, a->slots, (size_t)h.nks * S390_UVREQ_KEYSLOT_SIZE);
	cgs_put_be16(out + at + 2, a->secret_type);
	cgs_put_be32(out + at + 4, a->secret_len);
	if (aad > at + 16)
		memcpy(out + at + 16, a->secret_id, S390_ASRCB_SECRET_ID_SIZE);
	*ret_len = aad;
	return CGS_OK;
}
