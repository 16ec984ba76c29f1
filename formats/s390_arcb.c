// SPDX-License-Identifier: MIT
#include "formats/s390_arcb.h"

#include <string.h>

#include "lib/core/endian.h"

static const struct s390_arcb_add_part add_parts[] = {
	{ S390_PAF_PHKH_IMG, "image_phkh", 32 },
	{ S390_PAF_PHKH_ATT, "attestation_phkh", 32 },
	{ S390_PAF_SECRET_STORE_HASH, "secret_store_hash", 64 },
	{ S390_PAF_FIRMWARE_STATE, "firmware_state", 320 },
};

const struct s390_arcb_add_part *s390_arcb_add_parts(size_t *ret_n)
{
	*ret_n = sizeof(add_parts) / sizeof(add_parts[0]);
	return add_parts;
}

size_t s390_arcb_additional_size(uint64_t paf)
{
	size_t n = 0;

	for (size_t i = 0; i < sizeof(add_parts) / sizeof(add_parts[0]); i++)
		if (paf & add_parts[i].flag)
			n += add_parts[i].size;
	return n;
}

size_t s390_arcb_plain_size(uint64_t paf)
{
	return S390_ARCB_MEAS_KEY_SIZE + ((paf & S390_PAF_NONCE) ? S390_ARCB_NONCE_SIZE : 0);
}

size_t s390_arcb_len(size_t nks, uint64_t paf)
{
	return S390_ARCB_FIXED + nks * S390_UVREQ_KEYSLOT_SIZE + s390_arcb_plain_size(paf) +
	       S390_UVREQ_TAG_SIZE;
}

static const uint8_t zero8[8];

static enum cgs_err check_body(const struct s390_arcb *a, size_t len, struct cgs_diag *d)
{
	size_t aad = S390_ARCB_FIXED + (size_t)a->hdr.nks * S390_UVREQ_KEYSLOT_SIZE;

	if (a->hdr.len != len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "request length", 12,
				    "the ARCB declares %u bytes but occupies %zu", a->hdr.len, len);
	if (s390_uvreq_aad_len(&a->hdr) != aad)
		return cgs_diag_set(d, CGS_E_MALFORMED, "key slots", 39,
				    "%u key slots and %u encrypted bytes do not add up to %u bytes",
				    a->hdr.nks, a->hdr.sea, a->hdr.len);
	if (a->mai != S390_ARCB_MAI_HMAC_SHA512)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "measurement algorithm", 56,
				    "unsupported measurement algorithm id %u (expected 1, "
				    "HMAC-SHA512)", a->mai);
	if (a->paf & ~S390_PAF_KNOWN)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "attestation flags", 48,
				    "unknown plaintext attestation flags 0x%016llx",
				    (unsigned long long)(a->paf & ~S390_PAF_KNOWN));
	if (a->hdr.sea != s390_arcb_plain_size(a->paf))
		return cgs_diag_set(d, CGS_E_MALFORMED, "encrypted size", 44,
				    "encrypted area of %u bytes, the flags require %zu", a->hdr.sea,
				    s390_arcb_plain_size(a->paf));
	return CGS_OK;
}

enum cgs_err s390_arcb_parse(const uint8_t *buf, size_t len, struct s390_arcb *ret,
			     struct cgs_diag *d)
{
	struct s390_arcb a;
	enum cgs_err e;

	e = s390_uvreq_hdr_parse(buf, len, &a.hdr, d);
	if (e)
		return e;
	if (memcmp(a.hdr.magic, zero8, 8))
		return cgs_diag_set(d, CGS_E_MALFORMED, "magic", 0,
				    "not an attestation request (magic is not zero)");
	if (a.hdr.version != S390_UVREQ_VERSION_1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 8,
				    "unsupported attestation request version 0x%x (expected 0x100)",
				    a.hdr.version);
	if (len < S390_ARCB_FIXED)
		return cgs_diag_set(d, CGS_E_MALFORMED, "customer public key", len,
				    "truncated: %zu bytes, an ARCB has at least %u", len,
				    S390_ARCB_FIXED);
	a.paf = cgs_be64(buf + 48);
	a.mai = cgs_be32(buf + 56);
	memcpy(a.cust_pub, buf + 64, S390_UVREQ_COORD_SIZE);
	a.slots = buf + S390_ARCB_FIXED;
	e = check_body(&a, len, d);
	if (e)
		return e;
	*ret = a;
	return CGS_OK;
}

enum cgs_err s390_arcb_serialize_aad(const struct s390_arcb *a, uint8_t *out, size_t cap,
				     size_t *ret_len, struct cgs_diag *d)
{
	struct s390_uvreq_hdr h = a->hdr;
	size_t aad = S390_ARCB_FIXED + (size_t)h.nks * S390_UVREQ_KEYSLOT_SIZE;

	if (h.nks == 0)
		return cgs_diag_set(d, CGS_E_USAGE, "key slots", CGS_DIAG_NO_OFFSET,
				    "an attestation request needs at least one host key");
	if (a->paf & ~S390_PAF_KNOWN)
		return cgs_diag_set(d, CGS_E_USAGE, "attestation flags", CGS_DIAG_NO_OFFSET,
				    "unknown attestation flags 0x%016llx",
				    (unsigned long long)(a->paf & ~S390_PAF_KNOWN));
	if (cap < aad)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "ARCB buffer too small");
	memset(h.magic, 0, sizeof(h.magic));
	h.sea = (uint32_t)s390_arcb_plain_size(a->paf);
	h.len = (uint32_t)s390_arcb_len(h.nks, a->paf);
	s390_uvreq_hdr_serialize(&h, out);
	cgs_put_be64(out + 48, a->paf);
	cgs_put_be32(out + 56, a->mai);
	cgs_put_be32(out + 60, 0);
	memcpy(out + 64, a->cust_pub, S390_UVREQ_COORD_SIZE);
	memcpy(out + S390_ARCB_FIXED, a->slots, (size_t)h.nks * S390_UVREQ_KEYSLOT_SIZE);
	*ret_len = aad;
	return CGS_OK;
}
