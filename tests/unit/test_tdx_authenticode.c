// SPDX-License-Identifier: MIT
/* The RTMR1 kernel event: QEMU's setup header edits and the Authenticode SHA-384. */
#include <string.h>

#include <openssl/evp.h>

#include "formats/bzimage.h"
#include "formats/pe_coff.h"
#include "lib/core/hex.h"
#include "lib/tdx/tdx_kernel.h"
#include "tests/helpers/tdx_synth.h"
#include "tests/unit/tap.h"

#define KSIZE 0x9000u
#define CERT 0x200u

/* Expected digest, from the synthetic layout: every byte up to the certificate table
 * except the checksum field (0x98..0x9c) and the security directory (0xe8..0xf0). */
static void expected(const uint8_t *k, uint8_t out[48])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	EVP_DigestInit_ex(c, EVP_sha384(), NULL);
	EVP_DigestUpdate(c, k, 0x98);
	EVP_DigestUpdate(c, k + 0x9c, 0xe8 - 0x9c);
	EVP_DigestUpdate(c, k + 0xf0, KSIZE - CERT - 0xf0);
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

static void patch(void)
{
	static uint8_t k[KSIZE];
	struct bzimage_load load = { 13, 0, 0, 0x80000000 };
	struct bzimage_patch p;
	struct cgs_diag d;

	synth_kernel(k, KSIZE, CERT);
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_OK, "patch without initrd");
	ok(p.protocol == 0x20f && k[0x210] == 0xb0 && k[0x211] == 0x81 &&
		   cgs_le16(k + 0x224) == 0xfe00 && cgs_le32(k + 0x228) == 0x20000 &&
		   cgs_le32(k + 0x218) == 0 && cgs_le32(k + 0x21c) == 0,
	   "type_of_loader 0xb0, CAN_USE_HEAP, heap_end 0xfe00, cmdline 0x20000, no ramdisk");
	load.has_initrd = 1;
	load.initrd_len = 4096;
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_OK &&
		   p.ramdisk_image == 0x7ffd6000 && cgs_le32(k + 0x21c) == 4096,
	   "4 KiB initrd at 4 GiB: ramdisk_image 0x7ffd6000 (tdx-02)");
	load.initrd_len = 1048577;
	load.below_4g = 0xaff00000;
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_OK &&
		   p.ramdisk_image == 0xafdd7000, "1 MiB + 1 initrd at 0xaff00000: 0xafdd7000 (tdx-05)");
	load.initrd_len = 0xafed7fff; /* = initrd_max: QEMU refuses */
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_E_USAGE &&
		   !strcmp(d.field, "initrd"), "an initrd QEMU cannot place is refused");
	cgs_put_le16(k + 0x236, 0);
	load.initrd_len = 1;
	load.below_4g = 16ull << 30;
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_OK &&
		   p.initrd_max == 0x7fffffff, "without XLF_CAN_BE_LOADED_ABOVE_4G: initrd_addr_max");
	k[0x1f1] = 200;
	ok(bzimage_qemu_patch(k, KSIZE, KSIZE, &load, &p, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "setup_sects"), "setup sectors past the end of the file");
	ok(bzimage_qemu_patch(k, 0x100, 0x100, &load, &p, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "setup_header"), "a file too short for the boot header");
}

static void authenticode(void)
{
	static uint8_t k[KSIZE], patched[KSIZE];
	struct bzimage_load load = { 5, 0, 0, 1ull << 30 };
	struct tdx_kernel_result r;
	struct pe_authenticode a;
	struct bzimage_patch p;
	struct cgs_diag d;
	uint8_t want[48];

	synth_kernel(k, KSIZE, CERT);
	memcpy(patched, k, KSIZE);
	bzimage_qemu_patch(patched, KSIZE, KSIZE, &load, &p, NULL);
	expected(patched, want);
	ok(tdx_kernel_digest_mem(k, KSIZE, &load, &r, &d) == CGS_OK, "digest a synthetic kernel");
	is_mem(r.digest, want, 48, "Authenticode over the patched bytes, sections in file order");
	ok(!memcmp(k + 0x210, "\0", 1), "the caller's kernel is left unpatched");
	is_int((long long)r.hashed, KSIZE - CERT - 12, "all but checksum, directory entry, cert");
	ok(pe_authenticode_layout(k, KSIZE, KSIZE, &a, NULL) == CGS_OK && a.n == 6 &&
		   a.r[3].offset == 0x1000 && a.r[4].offset == 0x2000, ".setup hashed before .text");
	k[0] = 'X';
	ok(pe_authenticode_layout(k, KSIZE, KSIZE, &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "e_magic"), "no MZ: not PE/COFF");
	k[0] = 'M';
	cgs_put_le32(k + 0x58 + 160 + 20, KSIZE); /* .text starts at the end of the file */
	ok(pe_authenticode_layout(k, KSIZE, KSIZE, &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "pointer_to_raw_data"), "a section past the end of the file");
	cgs_put_le32(k + 0x58 + 160 + 20, 0x2000);
	cgs_put_le16(k + 0x46, 1000);
	ok(pe_authenticode_layout(k, KSIZE, KSIZE, &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "number_of_sections"), "1000 sections refused");
	cgs_put_le16(k + 0x46, 2);
	cgs_put_le32(k + 0x58 + 60, KSIZE + 1);
	ok(pe_authenticode_layout(k, KSIZE, KSIZE, &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "size_of_headers"), "SizeOfHeaders past the file");
}

static void worked_example(void)
{
	const char *v = tap_vectors();
	struct bzimage_load load = { 13, 0, 0, 2ull << 30 };
	struct tdx_kernel_result r, m;
	char path[512], hex[97];
	size_t len = 0;
	uint8_t *k;

	if (!v) {
		ok(1, "# SKIP ../shared/vectors not present: Debian kernel not hashed");
		return;
	}
	snprintf(path, sizeof(path), "%s/tdx/kernel/vmlinuz-6.12.117+deb13-cloud-amd64", v);
	ok(tdx_kernel_digest(path, &load, &r, NULL) == CGS_OK, "stream the Debian 6.12 kernel");
	cgs_hex_encode(r.digest, 48, hex);
	ok(!strncmp(hex, "5f2a8fbe", 8) && !strcmp(hex + 88, "f5ba012c"),
	   "tdx-01 kernel event 5f2a8fbe...f5ba012c (%s)", hex);
	ok(r.patch.protocol == 0x20f, "boot protocol 2.15");
	k = tap_slurp(path, &len);
	ok(k && tdx_kernel_digest_mem(k, len, &load, &m, NULL) == CGS_OK &&
		   !memcmp(m.digest, r.digest, 48), "in memory and streamed agree");
	free(k);
}

int main(void)
{
	patch();
	authenticode();
	worked_example();
	return tap_done();
}
