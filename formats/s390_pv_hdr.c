// SPDX-License-Identifier: MIT
/* IBM Z Secure Execution header v1 and the image blocks around it. */
#include "formats/s390_pv_hdr.h"

#include <string.h>

#include "lib/core/endian.h"

/* field offsets of the fixed part */
#define OFF_VERSION 8
#define OFF_SIZE 12
#define OFF_IV 16
#define OFF_NKS 32
#define OFF_SEA 40
#define OFF_NEP 48
#define OFF_PCF 56
#define OFF_CUST 64
#define OFF_PLD 224
#define OFF_ALD 288
#define OFF_TLD 352

size_t s390_pv_hdr_aad_len(uint64_t nks)
{
	if (nks == 0 || nks > S390_PV_HDR_MAX_SLOTS)
		return 0;
	return S390_PV_HDR_FIXED + S390_PV_KEYSLOT_SIZE * (size_t)nks;
}

size_t s390_pv_hdr_size(uint64_t nks)
{
	size_t aad = s390_pv_hdr_aad_len(nks);

	return aad ? aad + S390_PV_HDR_SEA + S390_PV_TAG_SIZE : 0;
}

enum cgs_err s390_pv_hdr_init(struct s390_pv_hdr *h, uint64_t nks, struct cgs_diag *d)
{
	if (nks == 0)
		return cgs_diag_set(d, CGS_E_USAGE, "nks", CGS_DIAG_NO_OFFSET,
				    "at least one host key is required");
	if (nks > S390_PV_HDR_MAX_SLOTS)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "nks", CGS_DIAG_NO_OFFSET,
				    "too many host keys: %llu (at most %u fit in a header)",
				    (unsigned long long)nks, S390_PV_HDR_MAX_SLOTS);
	memset(h, 0, sizeof(*h));
	h->version = S390_PV_HDR_VERSION;
	h->nks = nks;
	h->size = (uint32_t)s390_pv_hdr_size(nks);
	h->sea = S390_PV_HDR_SEA;
	return CGS_OK;
}

static enum cgs_err parse_fixed(const uint8_t *buf, size_t len, struct s390_pv_hdr *h,
				struct cgs_diag *d)
{
	if (len < S390_PV_HDR_FIXED)
		return cgs_diag_set(d, CGS_E_MALFORMED, len < 8 ? "magic" : "header", len,
				    "truncated: %zu bytes, a header needs at least %u", len,
				    S390_PV_HDR_FIXED + S390_PV_KEYSLOT_SIZE + 144);
	if (memcmp(buf, S390_PV_HDR_MAGIC, 8) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "magic", 0,
				    "not a Secure Execution header (no 'IBMSecEx' magic)");
	h->version = cgs_be32(buf + OFF_VERSION);
	if (h->version != S390_PV_HDR_VERSION)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", OFF_VERSION,
				    "unsupported header version 0x%x (expected 0x100)", h->version);
	h->size = cgs_be32(buf + OFF_SIZE);
	memcpy(h->iv, buf + OFF_IV, S390_PV_IV_SIZE);
	h->nks = cgs_be64(buf + OFF_NKS);
	h->sea = cgs_be64(buf + OFF_SEA);
	h->nep = cgs_be64(buf + OFF_NEP);
	h->pcf = cgs_be64(buf + OFF_PCF);
	if (h->nks == 0 || h->nks > S390_PV_HDR_MAX_SLOTS)
		return cgs_diag_set(d, CGS_E_MALFORMED, "nks", OFF_NKS,
				    "invalid number of key slots %llu (1..%u)",
				    (unsigned long long)h->nks, S390_PV_HDR_MAX_SLOTS);
	if (h->sea != S390_PV_HDR_SEA)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "sea", OFF_SEA,
				    "unsupported encrypted-area size %llu (expected 128)",
				    (unsigned long long)h->sea);
	if (h->size != s390_pv_hdr_size(h->nks))
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", OFF_SIZE,
				    "header size %u does not match %llu key slots (expected %zu)",
				    h->size, (unsigned long long)h->nks, s390_pv_hdr_size(h->nks));
	return CGS_OK;
}

enum cgs_err s390_pv_hdr_parse(const uint8_t *buf, size_t len, struct s390_pv_hdr *ret,
			       struct cgs_diag *d)
{
	struct s390_pv_hdr *h = ret;
	enum cgs_err err;
	size_t off;

	memset(h, 0, sizeof(*h));
	err = parse_fixed(buf, len, h, d);
	if (err)
		return err;
	if (len < h->size)
		return cgs_diag_set(d, CGS_E_MALFORMED, "header", len,
				    "truncated: header size is %u bytes, %zu present", h->size,
				    len);
	memcpy(h->cust_pub, buf + OFF_CUST, S390_PV_COORD_SIZE);
	memcpy(h->pld, buf + OFF_PLD, S390_PV_DIGEST_SIZE);
	memcpy(h->ald, buf + OFF_ALD, S390_PV_DIGEST_SIZE);
	memcpy(h->tld, buf + OFF_TLD, S390_PV_DIGEST_SIZE);
	off = S390_PV_HDR_FIXED;
	for (uint64_t i = 0; i < h->nks; i++, off += S390_PV_KEYSLOT_SIZE) {
		memcpy(h->slots[i].phkh, buf + off, 32);
		memcpy(h->slots[i].wrapped, buf + off + 32, 32);
		memcpy(h->slots[i].tag, buf + off + 64, 16);
	}
	memcpy(h->enc, buf + off, S390_PV_HDR_SEA);
	memcpy(h->tag, buf + off + S390_PV_HDR_SEA, S390_PV_TAG_SIZE);
	return CGS_OK;
}

enum cgs_err s390_pv_hdr_serialize(const struct s390_pv_hdr *h, uint8_t *out, size_t cap,
				   size_t *ret_len, struct cgs_diag *d)
{
	size_t size = s390_pv_hdr_size(h->nks), off;

	if (!size || h->size != size || h->sea != S390_PV_HDR_SEA ||
	    h->version != S390_PV_HDR_VERSION)
		return cgs_diag_set(d, CGS_E_INTERNAL, "header", CGS_DIAG_NO_OFFSET,
				    "inconsistent header fields");
	if (cap < size)
		return cgs_diag_set(d, CGS_E_INTERNAL, "header", CGS_DIAG_NO_OFFSET,
				    "output buffer too small");
	memset(out, 0, size);
	memcpy(out, S390_PV_HDR_MAGIC, 8);
	cgs_put_be32(out + OFF_VERSION, h->version);
	cgs_put_be32(out + OFF_SIZE, h->size);
	memcpy(out + OFF_IV, h->iv, S390_PV_IV_SIZE);
	cgs_put_be64(out + OFF_NKS, h->nks);
	cgs_put_be64(out + OFF_SEA, h->sea);
	cgs_put_be64(out + OFF_NEP, h->nep);
	cgs_put_be64(out + OFF_PCF, h->pcf);
	memcpy(out + OFF_CUST, h->cust_pub, S390_PV_COORD_SIZE);
	memcpy(out + OFF_PLD, h->pld, S390_PV_DIGEST_SIZE);
	memcpy(out + OFF_ALD, h->ald, S390_PV_DIGEST_SIZE);
	memcpy(out + OFF_TLD, h->tld, S390_PV_DIGEST_SIZE);
	off = S390_PV_HDR_FIXED;
	for (uint64_t i = 0; i < h->nks; i++, off += S390_PV_KEYSLOT_SIZE) {
		memcpy(out + off, h->slots[i].phkh, 32);
		memcpy(out + off + 32, h->slots[i].wrapped, 32);
		memcpy(out + off + 64, h->slots[i].tag, 16);
	}
	memcpy(out + off, h->enc, S390_PV_HDR_SEA);
	memcpy(out + off + S390_PV_HDR_SEA, h->tag, S390_PV_TAG_SIZE);
	*ret_len = size;
	return CGS_OK;
}

void s390_pv_hdr_tags(const struct s390_pv_hdr *h, uint8_t out[S390_PV_HDR_TAGS_SIZE])
{
	memcpy(out, h->pld, 64);
	memcpy(out + 64, h->ald, 64);
	memcpy(out + 128, h->tld, 64);
	memcpy(out + 192, h->tag, 16);
}

void s390_pv_hdr_secret_encode(const struct s390_pv_hdr_secret *s, uint8_t out[S390_PV_HDR_SEA])
{
	memset(out, 0, S390_PV_HDR_SEA);
	memcpy(out, s->cck, 32);
	memcpy(out + 32, s->xts_key, 64);
	cgs_put_be64(out + 96, s->psw_mask);
	cgs_put_be64(out + 104, s->psw_addr);
	cgs_put_be64(out + 112, s->scf);
	cgs_put_be32(out + 120, s->noi);
}

void s390_pv_hdr_secret_decode(const uint8_t in[S390_PV_HDR_SEA], struct s390_pv_hdr_secret *s)
{
	memcpy(s->cck, in, 32);
	memcpy(s->xts_key, in + 32, 64);
	s->psw_mask = cgs_be64(in + 96);
	s->psw_addr = cgs_be64(in + 104);
	s->scf = cgs_be64(in + 112);
	s->noi = cgs_be32(in + 120);
}

void s390_pv_meta_serialize(const struct s390_pv_meta *m, uint8_t out[S390_PV_META_SIZE])
{
	memcpy(out, S390_PV_META_MAGIC, 8);
	cgs_put_be64(out + 8, m->hdr_off);
	cgs_put_be32(out + 16, m->version);
	cgs_put_be64(out + 20, m->ipib_off);
}

enum cgs_err s390_pv_meta_parse(const uint8_t *buf, size_t len, struct s390_pv_meta *ret,
				struct cgs_diag *d)
{
	if (len < S390_PV_META_OFFSET + S390_PV_META_SIZE ||
	    memcmp(buf + S390_PV_META_OFFSET, S390_PV_META_MAGIC, 8) != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, "metadata", S390_PV_META_OFFSET,
				    "no image metadata block");
	buf += S390_PV_META_OFFSET;
	ret->hdr_off = cgs_be64(buf + 8);
	ret->version = cgs_be32(buf + 16);
	ret->ipib_off = cgs_be64(buf + 20);
	return CGS_OK;
}

enum cgs_err s390_pv_short_psw(uint64_t mask, uint64_t addr, uint64_t *ret, struct cgs_diag *d)
{
	const uint64_t bit12 = 1ull << (63 - 12);

	if ((mask & bit12) || (mask & 0x7fffffffull))
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "psw_mask", CGS_DIAG_NO_OFFSET,
				    "PSW mask 0x%016llx cannot be made a short PSW",
				    (unsigned long long)mask);
	if (addr > 0x7fffffffull)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "psw_addr", CGS_DIAG_NO_OFFSET,
				    "PSW address 0x%llx does not fit in 31 bits",
				    (unsigned long long)addr);
	*ret = mask | bit12 | addr;
	return CGS_OK;
}

enum cgs_err s390_pv_hdr_find(const uint8_t *img, size_t len, uint64_t *ret_off, size_t *ret_size,
			      struct cgs_diag *d)
{
	struct s390_pv_meta meta;
	struct s390_pv_hdr hdr; /* about 8.5 KiB */
	struct s390_pv_hdr *h = &hdr;
	enum cgs_err err;
	uint64_t off;

	if (s390_pv_meta_parse(img, len, &meta, NULL) == CGS_OK) {
		off = meta.hdr_off;
		if (off >= len || len - off < 8 || memcmp(img + off, S390_PV_HDR_MAGIC, 8))
			return cgs_diag_set(d, CGS_E_MALFORMED, "metadata", S390_PV_META_OFFSET + 8,
					    "the image metadata block points at 0x%llx, where "
					    "there is no Secure Execution header",
					    (unsigned long long)off);
	} else {
		for (off = 0; off < 0x18 * S390_PV_PAGE; off += S390_PV_PAGE) {
			if (off + 8 <= len && !memcmp(img + off, S390_PV_HDR_MAGIC, 8))
				break;
		}
		if (off >= 0x18 * S390_PV_PAGE)
			return cgs_diag_set(d, CGS_E_MALFORMED, "magic", CGS_DIAG_NO_OFFSET,
					    "no Secure Execution header found (no 'IBMSecEx' "
					    "at a page start below 0x18000)");
	}
	err = s390_pv_hdr_parse(img + off, len - off, h, d);
	if (err) {
		if (d && d->offset != CGS_DIAG_NO_OFFSET)
			d->offset += off;
		return err;
	}
	*ret_off = off;
	*ret_size = h->size;
	return CGS_OK;
}
