// SPDX-License-Identifier: MIT
/* The TD HOB QEMU builds: memory split, ranges, bytes; the tdx-01 worked example. */
#include <string.h>

#include "formats/td_hob.h"
#include "lib/core/crypto.h"
#include "lib/core/hex.h"
#include "tests/helpers/tdx_synth.h"
#include "tests/unit/tap.h"

static void split(void)
{
	uint64_t b, a;

	td_hob_split_memory(2ull << 30, &b, &a);
	ok(b == 2ull << 30 && a == 0, "2 GiB: all below 4 GiB");
	td_hob_split_memory(0xaff00000, &b, &a);
	ok(b == 0xaff00000 && a == 0, "0xaff00000: just below the switch, all low");
	td_hob_split_memory(0xb0000000, &b, &a);
	ok(b == 0x80000000 && a == 0x30000000, "0xb0000000: low memory drops to 2 GiB");
	td_hob_split_memory(8ull << 30, &b, &a);
	ok(b == 0x80000000 && a == (6ull << 30), "8 GiB: 2 low + 6 high");
}

static void synthetic(void)
{
	static uint8_t img[SYNTH_FW_SIZE];
	uint8_t buf[TD_HOB_PHIT_SIZE + TD_HOB_MAX_RANGES * TD_HOB_RESOURCE_SIZE];
	struct synth_fw o = { 0 };
	struct ovmf_footer f;
	struct tdvf_metadata m;
	struct td_hob h;
	struct cgs_diag d;
	/* 4 GiB: the gap, 4 accepted sections in address order with the gaps between, the
	 * rest of low memory up to 2 GiB, then 2 GiB from 4 GiB */
	static const uint64_t want[][3] = {
		{ 0, 0x800000, 7 },       { 0x800000, 0x6000, 0 }, { 0x806000, 0x3000, 7 },
		{ 0x809000, 0x2000, 0 },  { 0x80b000, 0x2000, 0 }, { 0x80d000, 0x3000, 7 },
		{ 0x810000, 0x10000, 0 }, { 0x820000, 0x80000000 - 0x820000ull, 7 },
		{ 0x100000000ull, 0x80000000ull, 7 },
	};
	size_t n = sizeof(want) / sizeof(want[0]), i;

	synth_firmware(img, &o);
	ovmf_footer_parse(img, sizeof(img), &f, NULL);
	tdvf_metadata_find(img, sizeof(img), &f, &m, NULL);
	ok(td_hob_layout(&m, 0xaff00000ull, &h, &d) == CGS_OK && h.below_4g == 0xaff00000ull &&
		   h.n == n - 1 && h.r[n - 2].length == 0xaff00000ull - 0x820000,
	   "0xaff00000: 8 ranges, the last up to the end of memory");
	ok(td_hob_layout(&m, 4ull << 30, &h, &d) == CGS_OK && h.n == n &&
		   h.below_4g == 0x80000000ull && h.above_4g == 0x80000000ull,
	   "4 GiB: 9 ranges, 2 GiB above 4 GiB");
	for (i = 0; i < h.n && i < n; i++)
		ok(h.r[i].start == want[i][0] && h.r[i].length == want[i][1] &&
			   h.r[i].type == want[i][2], "range %zu: 0x%llx+0x%llx type %u", i,
		   (unsigned long long)h.r[i].start, (unsigned long long)h.r[i].length, h.r[i].type);
	td_hob_serialize(&h, buf);
	is_int((long long)td_hob_measured_size(&h), 56 + 48 * 9, "PHIT + 9 descriptors");
	ok(cgs_le16(buf) == 1 && cgs_le16(buf + 2) == 56 && cgs_le32(buf + 8) == 9,
	   "PHIT type 1, length 56, version 9");
	ok(cgs_le64(buf + 48) == 0x809000 + 56 + 48 * 9 + 8, "EfiEndOfHobList after the end HOB");
	ok(cgs_le16(buf + 56) == 3 && cgs_le16(buf + 58) == 48 && cgs_le32(buf + 56 + 28) == 7 &&
		   cgs_le64(buf + 56 + 40) == 0x800000, "first resource descriptor");
	ok(td_hob_layout(&m, 4 << 20, &h, &d) == CGS_E_USAGE && !strcmp(d.field, "memory"),
	   "4 MiB ends below the TEMP_MEM sections: refused");
}

static void worked_example(void)
{
	const char *v = tap_vectors();
	char path[512], hex[97];
	uint8_t buf[TD_HOB_PHIT_SIZE + TD_HOB_MAX_RANGES * TD_HOB_RESOURCE_SIZE], dg[48];
	struct ovmf_footer f;
	struct tdvf_metadata m;
	struct td_hob h;
	size_t len = 0;
	uint8_t *fw;

	if (!v) {
		ok(1, "# SKIP ../shared/vectors not present: worked example not checked");
		return;
	}
	snprintf(path, sizeof(path), "%s/tdx/firmware/sid_OVMF.inteltdx.ms.fd", v);
	fw = tap_slurp(path, &len);
	ok(fw && !ovmf_footer_parse(fw, len, &f, NULL) && !tdvf_metadata_find(fw, len, &f, &m, NULL) &&
		   !td_hob_layout(&m, 2ull << 30, &h, NULL), "tdx-01 (2 GiB) layout");
	td_hob_serialize(&h, buf);
	is_int((long long)td_hob_measured_size(&h), 440, "440 bytes, as the spec says");
	cgs_digest("SHA384", buf, td_hob_measured_size(&h), dg, NULL, NULL);
	cgs_hex_encode(dg, 48, hex);
	ok(!strncmp(hex, "0b8772e5", 8) && !strcmp(hex + 88, "8ba8a749"),
	   "digest 0b8772e5...8ba8a749 (%s)", hex);
	free(fw);
}

int main(void)
{
	split();
	synthetic();
	worked_example();
	return tap_done();
}
