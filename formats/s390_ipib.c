// SPDX-License-Identifier: MIT
/* IPL parameter block, protected-virtualization type. */
#include "formats/s390_ipib.h"

#include <string.h>

#include "lib/core/endian.h"

size_t s390_ipib_len(uint32_t ncomps)
{
	return S390_IPIB_FIXED + (size_t)S390_IPIB_ENTRY * ncomps;
}

enum cgs_err s390_ipib_serialize(const struct s390_ipib *ib, uint8_t *out, size_t cap,
				 size_t *ret_len, struct cgs_diag *d)
{
	size_t len;

	if (ib->ncomps == 0 || ib->ncomps > S390_IPIB_MAX_COMPS)
		return cgs_diag_set(d, CGS_E_INTERNAL, "ncomps", CGS_DIAG_NO_OFFSET,
				    "invalid component count %u", ib->ncomps);
	len = s390_ipib_len(ib->ncomps);
	if (cap < len)
		return cgs_diag_set(d, CGS_E_INTERNAL, "ipib", CGS_DIAG_NO_OFFSET,
				    "output buffer too small");
	memset(out, 0, len);
	cgs_put_be32(out, ib->total_len);
	out[7] = 1;
	cgs_put_be32(out + 8, (uint32_t)(len - 8));
	out[12] = S390_IPIB_TYPE_PV;
	out[111] = ib->pv_version;
	cgs_put_be32(out + 116, ib->ncomps);
	cgs_put_be64(out + 120, ib->hdr_addr);
	cgs_put_be64(out + 128, ib->hdr_size);
	for (uint32_t i = 0; i < ib->ncomps; i++) {
		uint8_t *e = out + S390_IPIB_FIXED + S390_IPIB_ENTRY * i;

		cgs_put_be64(e, ib->comps[i].tweak_prefix);
		cgs_put_be64(e + 8, ib->comps[i].addr);
		cgs_put_be64(e + 16, ib->comps[i].len);
	}
	*ret_len = len;
	return CGS_OK;
}

static enum cgs_err check_comps(const struct s390_ipib *ib, struct cgs_diag *d)
{
	for (uint32_t i = 0; i < ib->ncomps; i++) {
		const struct s390_ipib_comp *c = &ib->comps[i];
		uint64_t off = S390_IPIB_FIXED + (uint64_t)S390_IPIB_ENTRY * i;

		if ((c->addr | c->len) & 0xfff)
			return cgs_diag_set(d, CGS_E_MALFORMED, "component", off + 8,
					    "component %u address or length not page aligned", i);
		if (c->len == 0 || c->addr + c->len < c->addr)
			return cgs_diag_set(d, CGS_E_MALFORMED, "component", off + 16,
					    "component %u has an invalid length", i);
		if (i && c->tweak_prefix <= ib->comps[i - 1].tweak_prefix)
			return cgs_diag_set(d, CGS_E_MALFORMED, "tweak_prefix", off,
					    "tweak prefixes do not increase at component %u", i);
	}
	return CGS_OK;
}

enum cgs_err s390_ipib_parse(const uint8_t *buf, size_t len, struct s390_ipib *ret,
			     struct cgs_diag *d)
{
	struct s390_ipib ib;
	uint32_t blk_len;
	enum cgs_err err;

	memset(&ib, 0, sizeof(ib));
	if (len < S390_IPIB_FIXED)
		return cgs_diag_set(d, CGS_E_MALFORMED, "ipib", len,
				    "truncated IPL parameter block (%zu bytes)", len);
	ib.total_len = cgs_be32(buf);
	if (buf[7] != 1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 7,
				    "unsupported IPL parameter block version %u", buf[7]);
	if (buf[12] != S390_IPIB_TYPE_PV)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "pbt", 12,
				    "not a protected-virtualization block (type %u)", buf[12]);
	ib.pv_version = buf[111];
	ib.ncomps = cgs_be32(buf + 116);
	ib.hdr_addr = cgs_be64(buf + 120);
	ib.hdr_size = cgs_be64(buf + 128);
	if (ib.ncomps == 0 || ib.ncomps > S390_IPIB_MAX_COMPS)
		return cgs_diag_set(d, CGS_E_MALFORMED, "num_comp", 116,
				    "invalid number of components %u (1..%u)", ib.ncomps,
				    S390_IPIB_MAX_COMPS);
	blk_len = cgs_be32(buf + 8);
	if (blk_len != s390_ipib_len(ib.ncomps) - 8 || ib.total_len < s390_ipib_len(ib.ncomps) ||
	    ib.total_len > 4096)
		return cgs_diag_set(d, CGS_E_MALFORMED, "len", 0,
				    "inconsistent block lengths (%u, %u) for %u components",
				    ib.total_len, blk_len, ib.ncomps);
	if (len < s390_ipib_len(ib.ncomps))
		return cgs_diag_set(d, CGS_E_MALFORMED, "components", len,
				    "truncated component table");
	for (uint32_t i = 0; i < ib.ncomps; i++) {
		const uint8_t *e = buf + S390_IPIB_FIXED + S390_IPIB_ENTRY * i;

		ib.comps[i].tweak_prefix = cgs_be64(e);
		ib.comps[i].addr = cgs_be64(e + 8);
		ib.comps[i].len = cgs_be64(e + 16);
	}
	err = check_comps(&ib, d);
	if (err)
		return err;
	*ret = ib;
	return CGS_OK;
}
