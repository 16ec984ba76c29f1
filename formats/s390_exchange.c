// SPDX-License-Identifier: MIT
#include "formats/s390_exchange.h"

#include <string.h>

#include "lib/core/endian.h"

static const char *const item_names[S390_EXCH_NITEMS] = {
	"arcb", "measurement", "additional data", "user data", "config uid",
};

static const uint32_t item_max[S390_EXCH_NITEMS] = {
	S390_EXCH_ARCB_MAX, S390_EXCH_MEAS_MAX, S390_EXCH_ADD_MAX, S390_EXCH_USER_MAX,
	S390_EXCH_CUID_SIZE,
};

const char *s390_exch_item_name(enum s390_exch_item i)
{
	return (unsigned)i < S390_EXCH_NITEMS ? item_names[i] : "?";
}

static enum cgs_err check_header(const uint8_t *buf, size_t len, struct s390_exchange *x,
				 struct cgs_diag *d)
{
	static const uint8_t zero8[8];

	if (len < S390_EXCH_HDR_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, "exchange header", len,
				    "truncated: %zu bytes, the exchange header needs %u", len,
				    S390_EXCH_HDR_SIZE);
	if (memcmp(buf, S390_EXCH_MAGIC, 8))
		return cgs_diag_set(d, CGS_E_MALFORMED, "magic", 0,
				    "not a pvattest exchange file (magic is not 'pvattest')");
	x->version = cgs_be32(buf + 8);
	x->size = cgs_be32(buf + 12);
	if (x->version != S390_EXCH_VERSION_1)
		return cgs_diag_set(d, CGS_E_UNSUPPORTED, "version", 8,
				    "unsupported exchange format version 0x%x (expected 0x100)",
				    x->version);
	if (x->size > len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", 12,
				    "truncated: the file declares %u bytes, %zu present", x->size, len);
	if (x->size < len)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", 12,
				    "%zu bytes of trailing data after the declared %u bytes",
				    len - x->size, x->size);
	if (memcmp(buf + 16, zero8, 8))
		return cgs_diag_set(d, CGS_E_MALFORMED, "reserved", 16, "reserved bytes are not zero");
	return CGS_OK;
}

static enum cgs_err check_entry(const uint8_t *buf, struct s390_exchange *x, int i,
				uint32_t *next, struct cgs_diag *d)
{
	struct s390_exch_entry *e = &x->e[i];
	uint64_t at = 24 + 8 * (uint64_t)i;

	e->size = cgs_be32(buf + at);
	e->offset = cgs_be32(buf + at + 4);
	e->data = NULL;
	if (e->size == 0 && e->offset != 0)
		return cgs_diag_set(d, CGS_E_MALFORMED, item_names[i], at + 4,
				    "offset 0x%x for an absent entry (size 0)", e->offset);
	if (e->size == 0)
		return CGS_OK;
	if (e->size > item_max[i])
		return cgs_diag_set(d, CGS_E_MALFORMED, item_names[i], at,
				    "size %u exceeds the limit of %u bytes", e->size, item_max[i]);
	if (i == S390_EXCH_CUID && e->size != S390_EXCH_CUID_SIZE)
		return cgs_diag_set(d, CGS_E_MALFORMED, item_names[i], at,
				    "size %u, a config UID has 16 bytes", e->size);
	if (e->offset == 0)
		return CGS_OK; /* expected size only */
	if (e->offset != *next)
		return cgs_diag_set(d, CGS_E_MALFORMED, item_names[i], at + 4,
				    "offset 0x%x, expected 0x%x (blobs follow the header in order)",
				    e->offset, *next);
	if ((uint64_t)e->offset + e->size > x->size)
		return cgs_diag_set(d, CGS_E_MALFORMED, item_names[i], at,
				    "%u bytes at offset 0x%x run past the end (0x%x)", e->size,
				    e->offset, x->size);
	e->data = buf + e->offset;
	*next = e->offset + e->size;
	return CGS_OK;
}

enum cgs_err s390_exchange_parse(const uint8_t *buf, size_t len, struct s390_exchange *ret,
				 struct cgs_diag *d)
{
	struct s390_exchange x;
	uint32_t next = S390_EXCH_HDR_SIZE;
	enum cgs_err e;

	e = check_header(buf, len, &x, d);
	if (e)
		return e;
	for (int i = 0; i < S390_EXCH_NITEMS; i++) {
		e = check_entry(buf, &x, i, &next, d);
		if (e)
			return e;
	}
	if (next != x.size)
		return cgs_diag_set(d, CGS_E_MALFORMED, "size", 12,
				    "the blobs end at 0x%x but the file declares 0x%x bytes", next,
				    x.size);
	*ret = x;
	return CGS_OK;
}

size_t s390_exchange_size(const struct s390_exchange *x)
{
	size_t n = S390_EXCH_HDR_SIZE;

	for (int i = 0; i < S390_EXCH_NITEMS; i++)
		if (x->e[i].data)
			n += x->e[i].size;
	return n;
}

enum cgs_err s390_exchange_serialize(const struct s390_exchange *x, uint8_t *out, size_t cap,
				     size_t *ret_len, struct cgs_diag *d)
{
	size_t total = s390_exchange_size(x);
	uint32_t off = S390_EXCH_HDR_SIZE;

	for (int i = 0; i < S390_EXCH_NITEMS; i++) {
		if (x->e[i].size > item_max[i] ||
		    (i == S390_EXCH_CUID && x->e[i].size && x->e[i].size != S390_EXCH_CUID_SIZE))
			return cgs_diag_set(d, CGS_E_USAGE, item_names[i], CGS_DIAG_NO_OFFSET,
					    "%u bytes do not fit the exchange format", x->e[i].size);
	}
	if (cap < total)
		return cgs_diag_set(d, CGS_E_INTERNAL, NULL, CGS_DIAG_NO_OFFSET,
				    "exchange buffer too small");
	memset(out, 0, S390_EXCH_HDR_SIZE);
	memcpy(out, S390_EXCH_MAGIC, 8);
	cgs_put_be32(out + 8, S390_EXCH_VERSION_1);
	cgs_put_be32(out + 12, (uint32_t)total);
	for (int i = 0; i < S390_EXCH_NITEMS; i++) {
		const struct s390_exch_entry *e = &x->e[i];

		cgs_put_be32(out + 24 + 8 * i, e->size);
		if (!e->data || !e->size)
			continue;
		cgs_put_be32(out + 28 + 8 * i, off);
		memcpy(out + off, e->data, e->size);
		off += e->size;
	}
	*ret_len = total;
	return CGS_OK;
}
