/* SPDX-License-Identifier: MIT */
/*
 * Synthetic TDX inputs for the tests (never installed): an OVMF-like image
 * with a footer table, TDVF metadata and a CFV holding an authenticated
 * variable store; a bzImage-like PE/COFF kernel; a q35-like ACPI tables blob.
 * Shared by tests/helpers/tdxgen.c (for the bats tests) and the unit tests.
 */
#ifndef CGS_TESTS_HELPERS_TDX_SYNTH_H
#define CGS_TESTS_HELPERS_TDX_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "formats/efi_varstore.h"
#include "formats/ovmf_footer.h"
#include "formats/tdvf_metadata.h"
#include "lib/core/endian.h"

#define SYNTH_FW_SIZE 0x40000u
#define SYNTH_CFV_SIZE 0x10000u
#define SYNTH_META_END 0x1000u /* descriptor offset from the end */

struct synth_fw {
	int no_tdx;      /* no TDX footer entry */
	int bad_guid;    /* corrupt the GUID before the descriptor */
	int truncate;    /* section count too large for the image */
	int overlap;     /* two TEMP_MEM sections overlap */
	int unaligned;   /* a TEMP_MEM gpa not 4 KiB aligned */
	int version;     /* descriptor version (0: 1) */
	int with_pk;     /* enrol a PK (and KEK, db) in the variable store */
	int two_pass_hint; /* unused: both orders are computed by the callers */
	uint8_t fill;
};

static inline void synth_var(uint8_t *p, size_t *o, const uint8_t guid[16], const char *name,
			     const uint8_t *data, uint32_t len, uint8_t state)
{
	size_t nl = strlen(name), ns = 2 * (nl + 1);
	uint8_t *v = p + *o;

	memset(v, 0, EFI_VAR_HDR_SIZE);
	cgs_put_le16(v, 0x55aa);
	v[2] = state;
	cgs_put_le32(v + 36, (uint32_t)ns);
	cgs_put_le32(v + 40, len);
	memcpy(v + 44, guid, 16);
	for (size_t i = 0; i <= nl; i++)
		cgs_put_le16(v + EFI_VAR_HDR_SIZE + 2 * i, i < nl ? (uint8_t)name[i] : 0);
	memcpy(v + EFI_VAR_HDR_SIZE + ns, data, len);
	*o = (*o + EFI_VAR_HDR_SIZE + ns + len + 3) & ~(size_t)3;
}

/* The variable store at 0x48 in the CFV (as edk2 places it after the FV header). */
static inline void synth_varstore(uint8_t *cfv, int with_pk)
{
	static const uint8_t pk[] = "synthetic PK certificate", kek[] = "synthetic KEK";
	static const uint8_t db[] = "synthetic db", old[] = "deleted PK";
	size_t o = 0x48 + EFI_VARSTORE_HDR_SIZE;

	memset(cfv, 0xff, SYNTH_CFV_SIZE);
	memcpy(cfv + 0x48, efi_guid_auth_varstore, 16);
	cgs_put_le32(cfv + 0x48 + 16, 0x8000);
	cfv[0x48 + 20] = 0x5a;
	cfv[0x48 + 21] = 0xfe;
	memset(cfv + 0x48 + 22, 0, 6);
	if (!with_pk)
		return;
	synth_var(cfv, &o, efi_guid_global_variable, "PK", old, sizeof(old), 0x3c);
	synth_var(cfv, &o, efi_guid_global_variable, "PK", pk, sizeof(pk), 0x3f);
	synth_var(cfv, &o, efi_guid_global_variable, "KEK", kek, sizeof(kek), 0x3f);
	synth_var(cfv, &o, efi_guid_image_security_db, "db", db, sizeof(db), 0x3f);
}

static inline size_t synth_sections(const struct synth_fw *o, struct tdvf_section *s)
{
	const uint64_t base = 0x100000000ull - SYNTH_FW_SIZE;
	size_t n = 0;

	s[n++] = (struct tdvf_section){ SYNTH_CFV_SIZE, SYNTH_FW_SIZE - SYNTH_CFV_SIZE,
					base + SYNTH_CFV_SIZE, SYNTH_FW_SIZE - SYNTH_CFV_SIZE,
					TDVF_BFV, TDVF_ATTR_MR_EXTEND };
	s[n++] = (struct tdvf_section){ 0, SYNTH_CFV_SIZE, base, SYNTH_CFV_SIZE, TDVF_CFV, 0 };
	s[n++] = (struct tdvf_section){ 0, 0, 0x810000, 0x10000, TDVF_TEMP_MEM, 0 };
	s[n++] = (struct tdvf_section){ 0, 0, o->unaligned ? 0x80b800 : 0x80b000, 0x2000,
					TDVF_TEMP_MEM, 0 };
	s[n++] = (struct tdvf_section){ 0, 0, 0x809000, 0x2000, TDVF_TD_HOB, 0 };
	s[n++] = (struct tdvf_section){ 0, 0, 0x800000, o->overlap ? 0xa000 : 0x6000,
					TDVF_TEMP_MEM, 0 };
	return n;
}

/* Build a SYNTH_FW_SIZE image into img; 0 on success. */
static inline int synth_firmware(uint8_t *img, const struct synth_fw *o)
{
	struct tdvf_section s[8];
	uint8_t off[4];
	struct ovmf_footer_item item = { tdvf_guid_offset_entry, off, 4 };
	size_t n = synth_sections(o, s), len, flen;
	uint8_t *meta = img + SYNTH_FW_SIZE - SYNTH_META_END - 16;

	for (size_t i = 0; i < SYNTH_FW_SIZE; i++)
		img[i] = (uint8_t)(i * 7 + (i >> 12) + o->fill);
	synth_varstore(img, o->with_pk);
	if (tdvf_metadata_build(s, n, meta, 16 + 16 + 32 * 8, &len, NULL))
		return -1;
	if (o->version)
		cgs_put_le32(meta + 16 + 8, (uint32_t)o->version);
	if (o->truncate)
		cgs_put_le32(meta + 16 + 12, 0x200);
	if (o->bad_guid)
		meta[3] ^= 0x40;
	cgs_put_le32(off, SYNTH_META_END);
	return ovmf_footer_build(&item, o->no_tdx ? 0 : 1, img, SYNTH_FW_SIZE, &flen, NULL) ? -1 : 0;
}

/* A bzImage-like PE32+ kernel of size bytes (>= 0x3000): boot header, 2 sections, a cert table. */
static inline void synth_kernel(uint8_t *k, size_t size, uint32_t cert)
{
	const size_t opt = 0x58, sec = opt + 160;

	for (size_t i = 0; i < size; i++)
		k[i] = (uint8_t)(i * 13 + (i >> 9));
	memset(k, 0, 0x1000);
	k[0] = 'M';
	k[1] = 'Z';
	cgs_put_le32(k + 0x3c, 0x40);
	memcpy(k + 0x40, "PE\0\0", 4);
	cgs_put_le16(k + 0x46, 2);     /* sections */
	cgs_put_le16(k + 0x54, 160);   /* optional header size */
	cgs_put_le16(k + opt, 0x20b);  /* PE32+ */
	cgs_put_le32(k + opt + 60, 0x1000); /* SizeOfHeaders */
	cgs_put_le32(k + opt + 64, 0xdeadbeef); /* checksum: not hashed */
	cgs_put_le32(k + opt + 108, 6); /* data directories */
	cgs_put_le32(k + opt + 112 + 32, cert ? (uint32_t)(size - cert) : 0);
	cgs_put_le32(k + opt + 112 + 36, cert);
	/* .text at 0x2000 listed first, .setup at 0x1000 second: hashed in file order */
	memcpy(k + sec, ".text", 5);
	cgs_put_le32(k + sec + 16, (uint32_t)(size - cert - 0x2000 - 0x100));
	cgs_put_le32(k + sec + 20, 0x2000);
	memcpy(k + sec + 40, ".setup", 6);
	cgs_put_le32(k + sec + 40 + 16, 0x1000);
	cgs_put_le32(k + sec + 40 + 20, 0x1000);
	k[0x1f1] = 7;                  /* setup sectors */
	memcpy(k + 0x202, "HdrS", 4);
	cgs_put_le16(k + 0x206, 0x20f);
	k[0x211] = 0x01;               /* LOADED_HIGH */
	cgs_put_le32(k + 0x22c, 0x7fffffff);
	cgs_put_le16(k + 0x236, 0x7f); /* can be loaded above 4G */
}

static inline size_t synth_table(uint8_t *b, const char *sig, uint32_t len)
{
	memset(b, 0, len);
	memcpy(b, sig, 4);
	cgs_put_le32(b + 4, len);
	for (uint32_t i = 36; i < len; i++)
		b[i] = (uint8_t)(i ^ sig[0]);
	return len;
}

/* A q35-like tables blob (FACS, DSDT, FACP, APIC, RSDT), zero padded to cap. */
static inline size_t synth_acpi(uint8_t *b, size_t cap)
{
	size_t o = 0;

	memset(b, 0, cap);
	o += synth_table(b + o, "FACS", 64);
	o += synth_table(b + o, "DSDT", 1000);
	o += synth_table(b + o, "FACP", 244);
	o += synth_table(b + o, "APIC", 120);
	o += synth_table(b + o, "RSDT", 36 + 12);
	return cap;
}

#endif
