// SPDX-License-Identifier: MIT
/*
 * cgs_tdx_measure: MRTD in both page orders, QEMU -m parsing, the variable
 * store, the ACPI fw_cfg files, and every event of the spec's worked example
 * (tdx-01) with the register value after each extend.
 */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include <cgs/tdx.h>

#include "formats/efi_varstore.h"
#include "formats/qemu_acpi.h"
#include "lib/core/hex.h"
#include "lib/tdx/tdx_mrtd.h"
#include "tests/helpers/tdx_synth.h"
#include "tests/unit/tap.h"

static uint8_t img[SYNTH_FW_SIZE];

/* The MRTD record stream written record by record, in the order the VMM issues them. */
static void add_rec(EVP_MD_CTX *c, uint64_t gpa)
{
	uint8_t rec[128] = { 0 };

	memcpy(rec, "MEM.PAGE.ADD", 12);
	cgs_put_le64(rec + 16, gpa);
	EVP_DigestUpdate(c, rec, 128);
}

static void ext_recs(EVP_MD_CTX *c, const struct tdvf_section *s, uint64_t p)
{
	for (int k = 0; (s->attributes & 1) && k < 16; k++) {
		uint8_t rec[128] = { 0 };

		memcpy(rec, "MR.EXTEND", 9);
		cgs_put_le64(rec + 16, s->gpa + p * 4096 + k * 256);
		EVP_DigestUpdate(c, rec, 128);
		EVP_DigestUpdate(c, img + s->data_offset + p * 4096 + k * 256, 256);
	}
}

static void mrtd_expected(const struct tdvf_metadata *m, int two_pass, uint8_t out[48])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	EVP_DigestInit_ex(c, EVP_sha384(), NULL);
	for (size_t i = 0; i < m->count; i++) {
		const struct tdvf_section *s = &m->s[i];
		uint64_t p, pages = s->mem_size / 4096;

		for (p = 0; p < pages; p++) {
			add_rec(c, s->gpa + p * 4096);
			if (!two_pass)
				ext_recs(c, s, p);
		}
		for (p = 0; two_pass && p < pages; p++)
			ext_recs(c, s, p);
	}
	EVP_DigestFinal_ex(c, out, NULL);
	EVP_MD_CTX_free(c);
}

static void mrtd(void)
{
	struct synth_fw o = { 0 };
	struct ovmf_footer f;
	struct tdvf_metadata m;
	struct tdx_mrtd_counts n;
	uint8_t got[48], want[48], other[48];

	synth_firmware(img, &o);
	ovmf_footer_parse(img, sizeof(img), &f, NULL);
	tdvf_metadata_find(img, sizeof(img), &f, &m, NULL);
	ok(tdx_mrtd(img, sizeof(img), &m, CGS_TDX_MRTD_INTERLEAVED, got, &n, NULL) == CGS_OK,
	   "MRTD, interleaved");
	mrtd_expected(&m, 0, want);
	is_mem(got, want, 48, "interleaved: per page PAGE.ADD then its 16 EXTENDs");
	is_int((long long)n.pages_added, SYNTH_FW_SIZE / 4096 + 26, "every page added (BFV, CFV, 26 TD_HOB/TEMP_MEM)");
	is_int((long long)n.chunks_extended, (SYNTH_FW_SIZE - SYNTH_CFV_SIZE) / 256,
	       "only the BFV extended (not the CFV)");
	tdx_mrtd(img, sizeof(img), &m, CGS_TDX_MRTD_TWO_PASS, other, NULL, NULL);
	mrtd_expected(&m, 1, want);
	is_mem(other, want, 48, "two-pass: per section all PAGE.ADDs, then all EXTENDs");
	ok(memcmp(got, other, 48) != 0, "the two orders differ");
	img[SYNTH_CFV_SIZE - 1] ^= 1;
	tdx_mrtd(img, sizeof(img), &m, CGS_TDX_MRTD_INTERLEAVED, other, NULL, NULL);
	ok(!memcmp(got, other, 48), "the CFV (variable store) does not change MRTD");
	img[SYNTH_CFV_SIZE] ^= 1;
	tdx_mrtd(img, sizeof(img), &m, CGS_TDX_MRTD_INTERLEAVED, other, NULL, NULL);
	ok(memcmp(got, other, 48) != 0, "a BFV byte does");
}

static void memory(void)
{
	static const struct {
		const char *in;
		uint64_t want; /* 0: refused */
	} t[] = { { "2048", 2ull << 30 }, { "2G", 2ull << 30 },     { "2g", 2ull << 30 },
		  { "512M", 512ull << 20 }, { "1T", 1ull << 40 },   { "4096k", 4ull << 20 },
		  { "1K", 8192 },           { "0", 0 },             { "1.5G", 0 },
		  { "12X", 0 },             { "", 0 },              { "G", 0 },
		  { "2GB", 0 },             { "-1", 0 },            { "2000000T", 0 },
		  { "99999999999999999999999", 0 } };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		uint64_t v = 0;
		struct cgs_diag d;
		enum cgs_err err = cgs_tdx_parse_memory(t[i].in, &v, &d);

		ok(t[i].want ? err == CGS_OK && v == t[i].want : err == CGS_E_USAGE,
		   "-m '%s' -> %llu", t[i].in, (unsigned long long)(err ? 0 : v));
	}
}

static void varstore(void)
{
	struct synth_fw o = { 0 };
	struct efi_varstore vs;
	const uint8_t *data = NULL;
	size_t len = 0;
	int found = 0;
	struct cgs_diag d;

	o.with_pk = 1;
	synth_firmware(img, &o);
	ok(efi_varstore_find(img, SYNTH_CFV_SIZE, &vs, NULL) == CGS_OK && vs.offset == 0x48,
	   "store header at 0x48");
	ok(!efi_varstore_get(&vs, efi_guid_global_variable, "PK", &data, &len, &found, NULL) &&
		   found && len == sizeof("synthetic PK certificate") &&
		   !memcmp(data, "synthetic PK", 12), "PK: the valid copy, not the deleted one");
	ok(!efi_varstore_get(&vs, efi_guid_image_security_db, "PK", &data, &len, &found, NULL) &&
		   !found, "a name under another vendor GUID is another variable");
	ok(!efi_varstore_get(&vs, efi_guid_image_security_db, "dbx", &data, &len, &found, NULL) &&
		   !found, "dbx absent");
	img[0x48 + 20] = 0;
	ok(efi_varstore_find(img, SYNTH_CFV_SIZE, &vs, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "format"), "bad format byte");
	img[0x48] ^= 1;
	ok(efi_varstore_find(img, SYNTH_CFV_SIZE, &vs, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "varstore_guid"), "no store");
}

static void acpi(void)
{
	uint8_t blob[0x4000], loader[4096], rsdp[20];
	struct qemu_acpi a;
	struct cgs_diag d;

	synth_acpi(blob, sizeof(blob));
	ok(qemu_acpi_split(blob, sizeof(blob), &a, NULL) == CGS_OK && a.n == 5 && a.rsdt == 4,
	   "five tables, stop at the zero signature");
	qemu_acpi_rsdp(&a, rsdp);
	ok(!memcmp(rsdp, "RSD PTR \0BOCHS \0", 16) && cgs_le32(rsdp + 16) == a.t[4].offset,
	   "RSDP: signature, OEM BOCHS, revision 0, RSDT offset");
	ok(qemu_acpi_loader(&a, loader, NULL) == CGS_OK, "table-loader");
	/* allocate x2, DSDT csum, FACP 3 pointers + csum, APIC csum, RSDT 3 pointers + csum,
	 * rsdp pointer + csum (FACS has none): 14 commands */
	ok(cgs_le32(loader + 13 * 128) == 3 && cgs_le32(loader + 14 * 128) == 0,
	   "14 commands, the last a checksum, then zeros");
	ok(cgs_le32(loader) == 1 && !strcmp((char *)loader + 4, "etc/acpi/rsdp") &&
		   cgs_le32(loader + 60) == 16 && loader[64] == 2, "ALLOCATE rsdp, align 16, FSEG");
	ok(cgs_le32(loader + 3 * 128) == 2 && cgs_le32(loader + 3 * 128 + 116) ==
		   a.t[2].offset + 36 && loader[3 * 128 + 120] == 4, "FACP FIRMWARE_CTRL pointer");
	cgs_put_le32(blob + a.t[3].offset + 4, 0x10000);
	ok(qemu_acpi_split(blob, sizeof(blob), &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "length"), "a table past the blob");
	memset(blob, 0, sizeof(blob));
	ok(qemu_acpi_split(blob, sizeof(blob), &a, &d) == CGS_E_MALFORMED &&
		   !strcmp(d.field, "RSDT"), "no RSDT");
}

/* The worked example of the spec (section 8): each event's digest and the register after it. */
static void worked_example(void)
{
	static const char *const chain[][3] = {
		{ "EV_EFI_HANDOFF_TABLES2 TD HOB", "0b8772e5", "34011286" },
		{ "EV_EFI_PLATFORM_FIRMWARE_BLOB2 CFV", "327d4a91", "b0cb3a20" },
		{ "EV_EFI_VARIABLE_DRIVER_CONFIG SecureBoot", "", "ae419f85" },
		{ "EV_EFI_VARIABLE_DRIVER_CONFIG PK", "", "0e68933e" },
		{ "EV_EFI_VARIABLE_DRIVER_CONFIG KEK", "", "1a83756b" },
		{ "EV_EFI_VARIABLE_DRIVER_CONFIG db", "", "c2adfa3c" },
		{ "EV_EFI_VARIABLE_DRIVER_CONFIG dbx", "", "6ce1079e" },
		{ "EV_SEPARATOR", "394341b7", "2ddbd4ce" },
		{ "EV_PLATFORM_CONFIG_FLAGS etc/table-loader", "01c52d6e", "900d6248" },
		{ "EV_PLATFORM_CONFIG_FLAGS etc/acpi/rsdp", "c0c8965f", "af62bff0" },
		{ "EV_PLATFORM_CONFIG_FLAGS etc/acpi/tables", "558623cb", "07cda50a" },
		{ "EV_EFI_BOOT_SERVICES_APPLICATION kernel", "5f2a8fbe", "b0ae9573" },
		{ "EV_EFI_VARIABLE_BOOT BootOrder", "1dd6f7b4", "a32b9adc" },
		{ "EV_EFI_VARIABLE_BOOT Boot0000", "23ada07f", "ed918466" },
		{ "EV_EFI_ACTION", "77a0dab2", "4765d42a" },
		{ "EV_SEPARATOR", "394341b7", "eb8e5a8a" },
		{ "EV_EVENT_TAG LOADED_IMAGE::LoadOptions", "0c55ff8c", "36482cf4" },
		{ "EV_EFI_ACTION", "214b0bef", "06514158" },
		{ "EV_EFI_ACTION", "0a2e01c8", "32196f56" },
	};
	static struct cgs_tdx_measurement r;
	struct cgs_tdx_measure_inputs in;
	char fw[512], k[512], t[512], h[97], a[97];
	const char *v = tap_vectors();
	size_t n = sizeof(chain) / sizeof(chain[0]);

	if (!v) {
		ok(1, "# SKIP ../shared/vectors not present: worked example not replayed");
		return;
	}
	snprintf(fw, sizeof(fw), "%s/tdx/firmware/sid_OVMF.inteltdx.ms.fd", v);
	snprintf(k, sizeof(k), "%s/tdx/kernel/vmlinuz-6.12.117+deb13-cloud-amd64", v);
	snprintf(t, sizeof(t), "%s/tdx/acpi/tdx-01.tables", v);
	cgs_tdx_measure_inputs_init(&in);
	in.ovmf = fw;
	in.kernel = k;
	in.acpi_tables = t;
	in.append = "console=ttyS0";
	in.memory = 2ull << 30;
	ok(cgs_tdx_measure(&in, &r, NULL) == CGS_OK, "tdx-01 measures");
	is_int((long long)r.n_events, (long long)n, "19 events");
	for (size_t i = 0; i < n && i < r.n_events; i++) {
		cgs_hex_encode(r.ev[i].digest, 48, h);
		cgs_hex_encode(r.ev[i].rtmr_after, 48, a);
		ok(!strcmp(r.ev[i].event, chain[i][0]) && !strncmp(h, chain[i][1], strlen(chain[i][1])) &&
			   !strncmp(a, chain[i][2], 8), "event %zu %s: %.8s -> RTMR%u %.8s", i,
		   chain[i][0], h, r.ev[i].rtmr, a);
	}
	cgs_hex_encode(r.mrtd, 48, h);
	ok(!strncmp(h, "a7a1f751abc454f9", 16) && !strcmp(h + 88, "3183bd08"), "MRTD a7a1f751...");
	in.mrtd_order = CGS_TDX_MRTD_TWO_PASS;
	in.kernel = NULL;
	ok(cgs_tdx_measure(&in, &r, NULL) == CGS_OK && r.n_events == 0 &&
		   r.mrtd_chunks_extended == 892 * 16, "without a kernel: MRTD only; 892 BFV pages");
	cgs_hex_encode(r.mrtd, 48, h);
	ok(!strncmp(h, "b90b2361", 8) && !strcmp(h + 88, "a279b9a9"), "two-pass b90b2361...");
}

int main(void)
{
	mrtd();
	memory();
	varstore();
	acpi();
	worked_example();
	return tap_done();
}
