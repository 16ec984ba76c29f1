// SPDX-License-Identifier: MIT
#include "formats/s390_uvreq.h"

#include <string.h>

#include "lib/core/endian.h"

enum cgs_err s390_uvreq_hdr_parse(const uint8_t *buf, size_t len, struct s390_uvreq_hdr *ret,
				  struct cgs_diag *d)
{
	struct s390_uvreq_hdr h;

	if (len < S390_UVREQ_HDR_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "request header", len,
				    "truncated: %zu bytes, the request header needs %u", len,
				    S390_UVREQ_HDR_SIZE);
	memcpy(h.magic, buf, 8);
	h.version = cgs_be32(buf + 8);
	h.len = cgs_be32(buf + 12);
	memcpy(h.iv, buf + 16, S390_UVREQ_IV_SIZE);
	h.nks = buf[39];
	h.sea = cgs_be32(buf + 44);
	if (h.len > len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "request length", 12,
				    "truncated: the request declares %u bytes, %zu present", h.len,
				    len);
	if (h.len > S390_UVREQ_MAX_LEN)
		return cgs_diag_set(d, CGS_E_MALFORMED, "request length", 12,
				    "request length %u exceeds the limit of %u bytes", h.len,
				    S390_UVREQ_MAX_LEN);
	if ((uint64_t)h.sea + S390_UVREQ_HDR_SIZE + S390_UVREQ_TAG_SIZE > h.len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "encrypted size", 44,
				    "encrypted area of %u bytes does not fit a request of %u bytes",
				    h.sea, h.len);
	if (h.nks == 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "key slots", 39,
				    "the request has no key slot");
	*ret = h;
	return CGS_OK;
}

void s390_uvreq_hdr_serialize(const struct s390_uvreq_hdr *h, uint8_t out[S390_UVREQ_HDR_SIZE])
{
	memset(out, 0, S390_UVREQ_HDR_SIZE);
	memcpy(out, h->magic, 8);
	cgs_put_be32(out + 8, h->version);
	cgs_put_be32(out + 12, h->len);
	memcpy(out + 16, h->iv, S390_UVREQ_IV_SIZE);
	out[39] = h->nks;
	cgs_put_be32(out + 44, h->sea);
}

size_t s390_uvreq_aad_len(const struct s390_uvreq_hdr *h)
{
	return (size_t)h->len - h->sea - S390_UVREQ_TAG_SIZE;
}

void s390_uvreq_keyslot_parse(const uint8_t in[S390_UVREQ_KEYSLOT_SIZE],
			      struct s390_uvreq_keyslot *ret)
{
	memcpy(ret->phkh, in, 32);
	memcpy(ret->wrapped, in + 32, 32);
	memcpy(ret->tag, in + 64, 16);
}

void s390_uvreq_keyslot_serialize(const struct s390_uvreq_keyslot *k,
				  uint8_t out[S390_UVREQ_KEYSLOT_SIZE])
{
	memcpy(out, k->phkh, 32);
	memcpy(out + 32, k->wrapped, 32);
	memcpy(out + 64, k->tag, 16);
}

int s390_uvreq_find_slot(const uint8_t *slots, size_t nks, const uint8_t phkh[32])
{
	for (size_t i = 0; i < nks; i++)
		if (!memcmp(slots + i * S390_UVREQ_KEYSLOT_SIZE, phkh, 32))
			return (int)i;
	return -1;
}
