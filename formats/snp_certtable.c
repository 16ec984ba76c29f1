// SPDX-License-Identifier: MIT
/* Extended-report certificate table (GHCB specification, SNP_GET_EXT_REPORT). */
#include "formats/snp_certtable.h"

#include <string.h>

#include "lib/core/endian.h"

struct kind_guid {
	enum snp_cert_kind kind;
	const char *name;
	uint8_t guid[16];
};

/* GUIDs in RFC 4122 order (the bytes read as the text form, left to right) */
static const struct kind_guid kinds[] = {
    /* c0b406a4-a803-4952-9743-3fb6014cd0ae */
    {SNP_CERT_ARK,
     "ark",
     {0xc0, 0xb4, 0x06, 0xa4, 0xa8, 0x03, 0x49, 0x52, 0x97, 0x43, 0x3f, 0xb6, 0x01, 0x4c, 0xd0,
      0xae}},
    /* 4ab7b379-bbac-4fe4-a02f-05aef327c782 */
    {SNP_CERT_ASK,
     "ask",
     {0x4a, 0xb7, 0xb3, 0x79, 0xbb, 0xac, 0x4f, 0xe4, 0xa0, 0x2f, 0x05, 0xae, 0xf3, 0x27, 0xc7,
      0x82}},
    /* 63da758d-e664-4564-adc5-f4b93be8accd */
    {SNP_CERT_VCEK,
     "vcek",
     {0x63, 0xda, 0x75, 0x8d, 0xe6, 0x64, 0x45, 0x64, 0xad, 0xc5, 0xf4, 0xb9, 0x3b, 0xe8, 0xac,
      0xcd}},
    /* a8074bc2-a25a-483e-aae6-39c045a0b8a1 */
    {SNP_CERT_VLEK,
     "vlek",
     {0xa8, 0x07, 0x4b, 0xc2, 0xa2, 0x5a, 0x48, 0x3e, 0xaa, 0xe6, 0x39, 0xc0, 0x45, 0xa0, 0xb8,
      0xa1}},
    /* 92f81bc3-5811-4d3d-97ff-d19f88dc67ea */
    {SNP_CERT_CRL,
     "crl",
     {0x92, 0xf8, 0x1b, 0xc3, 0x58, 0x11, 0x4d, 0x3d, 0x97, 0xff, 0xd1, 0x9f, 0x88, 0xdc, 0x67,
      0xea}},
    /* ecae0c0f-9502-43b1-afa2-0ae2e0d565b6 (go-sev-guest's extra platform info) */
    {SNP_CERT_EXTRA_PLATFORM_INFO,
     "extra_platform_info",
     {0xec, 0xae, 0x0c, 0x0f, 0x95, 0x02, 0x43, 0xb1, 0xaf, 0xa2, 0x0a, 0xe2, 0xe0, 0xd5, 0x65,
      0xb6}},
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

const uint8_t *snp_cert_kind_guid(enum snp_cert_kind kind)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].kind == kind)
			return kinds[i].guid;
	return NULL;
}

const char *snp_cert_kind_name(enum snp_cert_kind kind)
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].kind == kind)
			return kinds[i].name;
	return "unknown";
}

static enum snp_cert_kind kind_of(const uint8_t guid[16])
{
	for (size_t i = 0; i < N_KINDS; i++)
		if (!memcmp(kinds[i].guid, guid, 16))
			return kinds[i].kind;
	return SNP_CERT_UNKNOWN;
}

static int is_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return 0;
	return 1;
}

/* count entries up to the terminator */
static enum cgs_err count_entries(const uint8_t *buf, size_t len, size_t *ret_n, struct cgs_diag *d)
{
	size_t n = 0;

	for (;;) {
		size_t off = n * SNP_CERTTABLE_ENTRY_SIZE;

		if (off + SNP_CERTTABLE_ENTRY_SIZE > len)
			return cgs_diag_set(d, CGS_E_MALFORMED, "terminator", off,
					    "truncated: no all-zero terminator entry");
		if (is_zero(buf + off, SNP_CERTTABLE_ENTRY_SIZE))
			break;
		if (++n > SNP_CERTTABLE_MAX)
			return cgs_diag_set(d, CGS_E_MALFORMED, "entry", off,
					    "more than %d entries", SNP_CERTTABLE_MAX);
	}
	*ret_n = n;
	return CGS_OK;
}

enum cgs_err snp_certtable_parse(const uint8_t *buf, size_t len, struct snp_certtable *ret,
				 struct cgs_diag *d)
{
	struct snp_certtable t;
	uint64_t table_end;
	enum cgs_err e;

	memset(&t, 0, sizeof(t));
	if (len == 0) {
		*ret = t;
		return CGS_OK;
	}
	if ((e = count_entries(buf, len, &t.n, d)))
		return e;
	table_end = (uint64_t)(t.n + 1) * SNP_CERTTABLE_ENTRY_SIZE;
	for (size_t i = 0; i < t.n; i++) {
		const uint8_t *p = buf + i * SNP_CERTTABLE_ENTRY_SIZE;
		struct snp_cert_entry *en = &t.e[i];
		uint64_t end;

		memcpy(en->guid, p, 16);
		en->offset = cgs_le32(p + 16);
		en->length = cgs_le32(p + 20);
		en->kind = kind_of(en->guid);
		end = (uint64_t)en->offset + en->length;
		if (en->offset < table_end)
			return cgs_diag_set(d, CGS_E_MALFORMED, "offset", p + 16 - buf,
					    "entry %zu points into the table (offset 0x%x)", i,
					    en->offset);
		if (end > len)
			return cgs_diag_set(d, CGS_E_MALFORMED, "length", p + 20 - buf,
					    "entry %zu ends at 0x%llx, past the buffer end 0x%zx",
					    i, (unsigned long long)end, len);
		for (size_t j = 0; j < i; j++)
			if (!memcmp(t.e[j].guid, en->guid, 16))
				return cgs_diag_set(d, CGS_E_MALFORMED, "guid", p - buf,
						    "entry %zu repeats the GUID of entry %zu", i,
						    j);
	}
	*ret = t;
	return CGS_OK;
}

enum cgs_err snp_certtable_build(const uint8_t (*guids)[16], const uint8_t *const *blobs,
				 const size_t *lens, size_t n, uint8_t *out, size_t cap,
				 size_t *ret_len)
{
	size_t off = (n + 1) * SNP_CERTTABLE_ENTRY_SIZE;

	if (off > cap)
		return CGS_E_USAGE;
	memset(out, 0, off);
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = out + i * SNP_CERTTABLE_ENTRY_SIZE;

		if (lens[i] > cap - off || lens[i] > UINT32_MAX || off > UINT32_MAX)
			return CGS_E_USAGE;
		memcpy(p, guids[i], 16);
		cgs_put_le32(p + 16, (uint32_t)off);
		cgs_put_le32(p + 20, (uint32_t)lens[i]);
		memcpy(out + off, blobs[i], lens[i]);
		off += lens[i];
	}
	*ret_len = off;
	return CGS_OK;
}
